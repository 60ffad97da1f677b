#!/bin/sh
# run.sh: install what is missing, build, start the stack (dbus, virtlogd,
# libvirtd, fleetd) in a private namespace, and run fsh there.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build/release

"$src/scripts/deps.sh"
"$src/scripts/build.sh" "$build"
export FLEET_PATH="$build/images"
export FLEET_SANDBOX_FLEETD="$build/bin/fleetd"
# A warm pool of the everyday programs: a command then starts in a few
# milliseconds instead of about 90 (docs/benchmarks.md).
: "${FLEET_SANDBOX_FLEETD_ARGS=--pool echo:2 --pool cat:2 --pool upcase:1
	--pool wc:1 --pool head:1 --pool seq:1 --pool true:1 --pool hello:1}"
export FLEET_SANDBOX_FLEETD_ARGS
if [ -x "$build/bin/fsh" ]; then
	exec "$src/scripts/sandbox.sh" "$build/bin/fsh" "$@"
fi
exec "$src/scripts/sandbox.sh" "$build/bin/fleet-run" hello
