#!/bin/sh
# bench/linux.sh: CPU-bound work in a Linux program on fleetrt against the
# same binary under qemu-x86_64 (user-mode emulation: TCG too, no
# kernel of ours) and on the host. busybox sort of 16 MiB of text lines
# and sha256sum of 16 MiB of random bytes, each on stdin, and an awk loop
# with no input (the runtime's own share: no stdio, no boot when warm); cold
# `fleet-run` (boot and teardown included) and warm (a VM of fleetd's
# pool, booted and paused beforehand: what fsh's commands get), one
# hyperfine run per program so that all saw the same machine.
# usage: scripts/sandbox.sh bench/linux.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${FLEET_BUILD:-$src/build/release}}" && pwd)
runs=${RUNS:-5}
size=${SIZE:-16777216}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/bench/lib.sh"

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/linux.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
for c in hyperfine qemu-x86_64 busybox; do
	command -v "$c" >/dev/null || { echo "bench/linux.sh: needs $c" >&2; exit 1; }
done
export FLEET_PATH=$build/images
bb=$(command -v busybox)
head -c $((size * 3 / 4)) /dev/urandom | base64 > "$tmp/lines"
head -c "$size" /dev/urandom > "$tmp/bytes"
: > "$tmp/empty"


# Each timed run starts with the pool full and libvirt quiet (untimed).
pool_fleetd --pool sort:3

# one APPLET INPUT [ARGS]: fleet-run warm and cold, qemu-x86_64 and the
# host
one() {
	a=$1 in=$2 what=$3
	shift 3
	hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/$a.json" \
	    -p "$quiet" -n warm "$build/bin/fleet-run $a $* < $tmp/$in > /dev/null" \
	    -p "$quiet" -n cold "FLEET_POOL=0 $build/bin/fleet-run $a $* < $tmp/$in > /dev/null" \
	    -p "$quiet" -n qemu-user "qemu-x86_64 $bb $a $* < $tmp/$in > /dev/null" \
	    -p "$quiet" -n host "$bb $a $* < $tmp/$in > /dev/null" >&2
	w=$(median "$a" warm) c=$(median "$a" cold)
	q=$(median "$a" qemu-user) h=$(median "$a" host)
	echo "| busybox $a, $what | $w s | $c s | $q s | $(ratio "$w" "$q")x | $(ratio "$c" "$q")x | $h s | $(ratio "$w" "$h")x |"
}

echo "| what | fleet-run, warm | cold | qemu-x86_64 | warm / qemu-x86_64 | cold / qemu-x86_64 | host | warm / host |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
one sort lines "$((size >> 20)) MiB of text on stdin"
one sha256sum bytes "$((size >> 20)) MiB on stdin"
one awk empty "a loop of 500000 multiplications, no input" \
    "'BEGIN { for (i = 0; i < 500000; i++) s += i * i; print s }'"
