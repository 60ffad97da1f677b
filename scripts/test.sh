#!/bin/sh
# test.sh: install what is missing, build with ASan and UBSan, and run the
# whole suite inside a private namespace with its own libvirtd.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${FLEET_TEST_BUILD:-$src/build/test}

"$src/scripts/deps.sh"
"$src/scripts/build.sh" "$build" -DFLEET_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build"
exec "$src/scripts/sandbox.sh" ctest --output-on-failure --timeout 300 "$@"
