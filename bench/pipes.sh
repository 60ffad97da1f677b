#!/bin/sh
# bench/pipes.sh: pipe throughput through VMs, in one run, inside
# scripts/sandbox.sh: `fsh -c 'yes | head -c N | wc -c'` (three VMs, two
# VM -> fsh -> VM hops) with stdin/stdout on virtio-serial (the default)
# and on the 16550 (FLEET_CONSOLE=serial, a smaller N: it is slow). The
# spawn cost is measured alone (N = 1) and subtracted. Prints MB/s and
# the ratio. usage: scripts/sandbox.sh bench/pipes.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${FLEET_BUILD:-$src/build/release}}
runs=${RUNS:-5}
big=${BIG:-67108864}
small=${SMALL:-1048576}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/pipes.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/pipes.sh: needs hyperfine" >&2; exit 1; }
fsh=$build/bin/fsh
[ -x "$fsh" ] || { echo "bench/pipes.sh: no $fsh" >&2; exit 1; }
export FLEET_PATH=$build/images ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

# The byte count must come out right, or the numbers mean nothing.
for c in virtio:$big serial:$small; do
	n=$(FLEET_CONSOLE=${c%%:*} "$fsh" -c "yes | head -c ${c#*:} | wc -c")
	[ "$n" = "${c#*:}" ] || { echo "bench/pipes.sh: ${c%%:*}: wc -c said $n" >&2; exit 1; }
done

hyperfine -N -w 1 -r "$runs" --export-json "$tmp/p.json" \
	-n virtio-1 "$fsh -c 'yes | head -c 1 | wc -c'" \
	-n virtio "$fsh -c 'yes | head -c $big | wc -c'" \
	-n serial-1 "env FLEET_CONSOLE=serial $fsh -c 'yes | head -c 1 | wc -c'" \
	-n serial "env FLEET_CONSOLE=serial $fsh -c 'yes | head -c $small | wc -c'" >&2

python3 - "$tmp/p.json" "$big" "$small" <<'PY'
import json, sys
m = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
big, small = int(sys.argv[2]), int(sys.argv[3])
def rate(n, name):
    wall = n / m[name] / 1e6
    net = n / max(m[name] - m[name + "-1"], 1e-6) / 1e6
    return wall, net
vw, vn = rate(big, "virtio")
sw, sn = rate(small, "serial")
print("| path | bytes | median s | spawn s | MB/s (wall) | MB/s (less spawn) |")
print("| --- | --- | --- | --- | --- | --- |")
print("| virtio-serial | %d | %.2f | %.2f | %.1f | %.1f |" % (big, m["virtio"], m["virtio-1"], vw, vn))
print("| 16550 | %d | %.2f | %.2f | %.3f | %.3f |" % (small, m["serial"], m["serial-1"], sw, sn))
print("ratio virtio/16550: %.0fx (wall), %.0fx (less spawn)" % (vw / sw, vn / sn))
PY
