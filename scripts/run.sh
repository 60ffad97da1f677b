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
# A warm pool of the everyday programs (scripts/pool.args, which
# bench/back2back.sh uses too): a command then starts in a few
# milliseconds instead of about 90, and a program run in a loop gets
# more VMs kept for it, up to 40 in all (docs/benchmarks.md).
: "${FLEET_SANDBOX_FLEETD_ARGS=$(cat "$src/scripts/pool.args")}"
export FLEET_SANDBOX_FLEETD_ARGS
if [ -x "$build/bin/fsh" ]; then
	exec "$src/scripts/sandbox.sh" "$build/bin/fsh" "$@"
fi
exec "$src/scripts/sandbox.sh" "$build/bin/fleet-run" hello
