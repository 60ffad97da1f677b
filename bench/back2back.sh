#!/bin/sh
# bench/back2back.sh: `fleet-run hello` cold, run after run with no pause
# (as a script's loop runs it: each run may pay for the teardown of the
# one before), against `qemu -kernel` of the same image, in one hyperfine
# run inside scripts/sandbox.sh. Prints a markdown row of medians.
# usage: scripts/sandbox.sh bench/back2back.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${FLEET_BUILD:-$src/build/release}}" && pwd)
image=$build/images/hello
runs=${RUNS:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/back2back.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
bios=
[ -f /usr/share/qemu/qboot.rom ] && bios="-bios /usr/share/qemu/qboot.rom"
qemu="qemu-system-x86_64 -M pc -accel tcg -nodefaults -display none \
    -no-user-config -m 16 $bios -kernel $image \
    -append 'fleet.v=1 -- hello' -serial null -serial null -serial null"
hyperfine -N --warmup 2 --runs "$runs" --export-json "$tmp/b.json" \
	-n "fleet-run hello" "$build/bin/fleet-run $image" \
	-n "qemu -kernel" "$qemu" >&2
python3 - "$tmp/b.json" <<'PY'
import json, sys
m = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print("| `fleet-run hello`, cold, back to back | %.1f ms |" % (m["fleet-run hello"] * 1000))
print("| `qemu -kernel`, back to back | %.1f ms |" % (m["qemu -kernel"] * 1000))
PY
