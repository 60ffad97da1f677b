#!/bin/sh
# bench/profiles.sh: what Debian's stock libvirt costs a spawn against the
# test sandbox's fast profile, in one run: bench/spawn.sh (cold and warm
# `fleet-run hello`, `qemu -kernel` as the yardstick, each run starting
# quiet) and bench/back2back.sh (cold runs with no pause between them) in
# a sandbox of each profile, one after the other, then side by side.
# usage (as root): bench/profiles.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$src/build/release}" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

for p in fast stock; do
	echo "bench/profiles.sh: $p profile..." >&2
	FLEET_PROFILE=$p "$src/scripts/sandbox.sh" "$src/bench/spawn.sh" \
	    "$build" > "$out/$p.md"
	FLEET_PROFILE=$p "$src/scripts/sandbox.sh" "$src/bench/back2back.sh" \
	    "$build" >> "$out/$p.md"
done
python3 - "$out/fast.md" "$out/stock.md" <<'PY'
import re, sys

def rows(path):
    got = {}
    for line in open(path):
        m = re.match(r"\| (.*?) \| ([0-9.]+) ms \|", line)
        if m:
            got.setdefault(m.group(1), float(m.group(2)))
    return got

fast, stock = rows(sys.argv[1]), rows(sys.argv[2])
print("| what | fast profile | stock profile | stock / fast |")
print("| --- | --- | --- | --- |")
for name in fast:
    if name in stock:
        print("| %s | %.1f ms | %.1f ms | %.2fx |"
              % (name, fast[name], stock[name], stock[name] / fast[name]))
PY
