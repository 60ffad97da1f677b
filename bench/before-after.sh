#!/bin/sh
# bench/before-after.sh: two builds of fleet side by side on this machine,
# one after the other in one sitting: bench/spawn.sh, bench/pipes.sh and
# bench/fsh.sh for each, each inside scripts/sandbox.sh, then the rows of
# both in one table (BEFORE's figure, AFTER's, AFTER/BEFORE).
# usage (as root): bench/before-after.sh BEFORE-BUILD AFTER-BUILD
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
[ $# = 2 ] || { echo "usage: bench/before-after.sh BEFORE-BUILD AFTER-BUILD" >&2; exit 2; }
before=$(cd "$1" && pwd)
after=$(cd "$2" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# The same pool on both sides; an older fleetd may not know --pool-max.
POOL_ARGS=$(sed 's/--pool-max [0-9]*//' "$src/scripts/pool.args")
export POOL_ARGS
for b in before after; do
	eval dir=\$$b
	for t in spawn pipes fsh; do
		echo "bench/before-after.sh: $t, $b ($dir)..." >&2
		"$src/scripts/sandbox.sh" "$src/bench/$t.sh" "$dir" \
		    > "$out/$b.$t.md"
	done
done
python3 - "$out" <<'PY'
import re, sys, os
d = sys.argv[1]
num = re.compile(r"([0-9.]+) ?(ms|s|MB/s|MiB/s)?")
def rows(name):
    got = {}
    for t in ("spawn", "pipes", "fsh"):
        for line in open(os.path.join(d, "%s.%s.md" % (name, t))):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) < 2 or cells[0] in ("", "what", "pipeline") or set(cells[1]) <= set("-: "):
                continue
            got.setdefault((t, cells[0]), cells[1:])
    return got
b, a = rows("before"), rows("after")
print("| bench | row | before | after |")
print("| --- | --- | --- | --- |")
for k in b:
    if k in a:
        print("| %s | %s | %s | %s |" % (k[0], k[1], " / ".join(b[k][:3]), " / ".join(a[k][:3])))
for name in ("before", "after"):
    for t in ("pipes", "fsh"):
        for line in open(os.path.join(d, "%s.%s.md" % (name, t))):
            if not line.startswith("|") and line.strip():
                print("%s %s: %s" % (name, t, line.strip()))
PY
