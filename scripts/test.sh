#!/bin/sh
# test.sh: install what is missing, build with ASan and UBSan, and run the
# whole suite inside a private namespace with its own libvirtd, on both
# libvirt profiles (scripts/sandbox.sh).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${FLEET_TEST_BUILD:-$src/build/test}

"$src/scripts/deps.sh"
"$src/scripts/build.sh" "$build" -DFLEET_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd "$build"
# Twice: on the sandbox's fast libvirt (QEMU as root, no security driver),
# then the VM tests again on libvirt as Debian ships it, as root and as a
# user in group libvirt (tests/stock).
rc=0
"$src/scripts/sandbox.sh" ctest --output-on-failure --timeout 300 \
    -E '^stock-' "$@" || rc=1
FLEET_PROFILE=stock "$src/scripts/sandbox.sh" ctest --output-on-failure \
    --timeout 900 -R '^stock-' "$@" || rc=1
exit $rc
