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
if [ -x "$build/bin/fsh" ]; then
	exec "$src/scripts/sandbox.sh" "$build/bin/fsh" "$@"
fi
exec "$src/scripts/sandbox.sh" "$build/bin/fleet-run" hello
