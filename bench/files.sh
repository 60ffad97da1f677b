#!/bin/sh
# bench/files.sh: a VM working in its caller's directory (9P on the file
# port) against the host: cat of a 64 MiB file to a pipe, find -type f
# over 10,000 files, grep -r over 20 MiB of text. The same busybox on
# both sides, warm VMs (a fleetd pool, refilled between runs), one
# hyperfine run per task.
# usage: scripts/sandbox.sh bench/files.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${FLEET_BUILD:-$src/build/release}}" && pwd)
runs=${RUNS:-5}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$src/bench/lib.sh"

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/files.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/files.sh: needs hyperfine" >&2; exit 1; }
export FLEET_PATH=$build/images
bb=$(readlink -f "$FLEET_PATH/cat")

mkdir "$tmp/d"
head -c 67108864 /dev/urandom > "$tmp/d/big"
python3 - "$tmp/d" <<'PY'
import os, random, sys
d, r = sys.argv[1], random.Random(3)
for i in range(10000):
    p = os.path.join(d, "tree", "d%02d" % (i % 100), "d%d" % (i % 7))
    os.makedirs(p, exist_ok=True)
    open(os.path.join(p, "f%05d" % i), "w").write("x\n")
words = ["alpha", "beta", "gamma", "TODO", "delta", "epsilon", "zeta"]
os.makedirs(os.path.join(d, "text"))
for i in range(40):
    with open(os.path.join(d, "text", "t%02d" % i), "w") as f:
        n = 0
        while n < 512 * 1024:
            line = " ".join(r.choice(words) for _ in range(8)) + "\n"
            f.write(line)
            n += len(line)
PY

pool_fleetd --pool cat:3

# one NAME WHAT CMD: CMD in the directory, in a VM and on the host
one() {
	n=$1 what=$2
	shift 2
	hyperfine --warmup 1 --runs "$runs" --export-json "$tmp/$n.json" \
	    -p "$quiet" -n vm "cd $tmp/d && $build/bin/fleet-run $* | cat > /dev/null" \
	    -p "$quiet" -n host "cd $tmp/d && $bb $* | cat > /dev/null" >&2
	v=$(median "$n" vm) h=$(median "$n" host)
	echo "| $what | $v s | $h s | $(ratio "$h" "$v")x |"
}

echo "| what | fleet-run (warm) | host busybox | host / VM |"
echo "| --- | --- | --- | --- |"
one cat "cat of a 64 MiB file, to a pipe" cat big
one find "find tree -type f over 10,000 files" find tree -type f
one grep "grep -rc over 20 MiB of text" grep -rc TODO text
