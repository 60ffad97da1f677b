#!/bin/sh
# bench/linux.sh: CPU-bound work in a Linux program on fleetrt against the
# same binary under qemu-x86_64 (user-mode emulation: TCG too, no
# kernel of ours) and on the host. busybox sort of 16 MiB of text lines
# and sha256sum of 16 MiB of random bytes, each on stdin, cold
# `fleet-run` (boot and teardown included), one hyperfine run per
# program so that the three saw the same machine.
# usage: scripts/sandbox.sh bench/linux.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${FLEET_BUILD:-$src/build/release}}" && pwd)
runs=${RUNS:-5}
size=${SIZE:-16777216}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/linux.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
for c in hyperfine qemu-x86_64 busybox; do
	command -v "$c" >/dev/null || { echo "bench/linux.sh: needs $c" >&2; exit 1; }
done
export FLEET_PATH=$build/images
bb=$(command -v busybox)
head -c $((size * 3 / 4)) /dev/urandom | base64 > "$tmp/lines"
head -c "$size" /dev/urandom > "$tmp/bytes"

median() {	# median NAME COMMAND-NAME: in s
	python3 -c 'import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print("%.3f" % r[sys.argv[2]])' "$tmp/$1.json" "$2"
}
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

# one APPLET INPUT: fleet-run, qemu-x86_64 and the host on INPUT
one() {
	hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/$1.json" \
	    -n fleet "$build/bin/fleet-run $1 < $tmp/$2 > /dev/null" \
	    -n qemu-user "qemu-x86_64 $bb $1 < $tmp/$2 > /dev/null" \
	    -n host "$bb $1 < $tmp/$2 > /dev/null" >&2
	f=$(median "$1" fleet) q=$(median "$1" qemu-user) h=$(median "$1" host)
	echo "| busybox $1, $((size >> 20)) MiB on stdin | $f s | $q s | $(ratio "$f" "$q")x | $h s | $(ratio "$f" "$h")x |"
}

echo "| what | fleet-run | qemu-x86_64 | ratio | host | ratio |"
echo "| --- | --- | --- | --- | --- | --- |"
one sort lines
one sha256sum bytes
