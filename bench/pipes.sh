#!/bin/sh
# bench/pipes.sh: pipe throughput through VMs, in one run, inside
# scripts/sandbox.sh: `yes | head -c N | wc -c`, three VMs and two
# VM -> host -> VM hops with stdin/stdout on virtio-serial (the default),
# through fsh and through three fleet-run processes in sh; against the
# 16550 (FLEET_CONSOLE=serial): `fleet-run seq 1 K` whose output (a
# program that ends by itself) crosses COM1. The spawn cost is measured
# alone (N = 1; `fleet-run true` for the 16550) and subtracted. The
# same pipeline of host processes runs in the same hyperfine call as
# the baseline. Prints MB/s and the ratios.
# usage: [POOL_ARGS=...] scripts/sandbox.sh bench/pipes.sh [BUILD-DIR]
# (POOL_ARGS: fleetd's pool options instead of scripts/pool.args')
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${FLEET_BUILD:-$src/build/release}}" && pwd)
runs=${RUNS:-5}
big=${BIG:-67108864}
seqk=${SEQK:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/pipes.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/pipes.sh: needs hyperfine" >&2; exit 1; }
fsh=$build/bin/fsh
[ -x "$fsh" ] || { echo "bench/pipes.sh: no $fsh" >&2; exit 1; }
export FLEET_PATH=$build/images ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}

run=$build/bin/fleet-run
sh_pipe() { echo "sh -c '$run yes | $run head -c $1 | $run wc -c'"; }

# The byte count must come out right, or the numbers mean nothing.
n=$("$fsh" -c "yes | head -c $big | wc -c")
[ "$n" = "$big" ] || { echo "bench/pipes.sh: fsh: wc -c said $n" >&2; exit 1; }
n=$(sh -c "$run yes | $run head -c $big | $run wc -c")
[ "$n" = "$big" ] || { echo "bench/pipes.sh: virtio: wc -c said $n" >&2; exit 1; }
small=$(seq 1 "$seqk" | wc -c)
FLEET_CONSOLE=serial "$run" seq 1 "$seqk" > "$tmp/seq"
seq 1 "$seqk" | cmp -s - "$tmp/seq" || { echo "bench/pipes.sh: 16550: seq differs" >&2; exit 1; }

hyperfine -w 1 -r "$runs" --export-json "$tmp/p.json" \
	-n host "sh -c 'yes | head -c $big | wc -c'" \
	-n fsh-1 "$fsh -c 'yes | head -c 1 | wc -c'" \
	-n fsh "$fsh -c 'yes | head -c $big | wc -c'" \
	-n virtio-1 "$(sh_pipe 1)" \
	-n virtio "$(sh_pipe "$big")" \
	-n serial-1 "env FLEET_CONSOLE=serial $run true" \
	-n serial "sh -c 'FLEET_CONSOLE=serial $run seq 1 $seqk > /dev/null'" >&2

python3 - "$tmp/p.json" "$big" "$small" <<'PY'
import json, sys
m = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
big, small = int(sys.argv[2]), int(sys.argv[3])
def rate(n, name):
    wall = n / m[name] / 1e6
    net = n / max(m[name] - m[name + "-1"], 1e-6) / 1e6
    return wall, net
fw, fn = rate(big, "fsh")
vw, vn = rate(big, "virtio")
sw, sn = rate(small, "serial")
hw = big / m["host"] / 1e6
print("| pipeline | bytes | median s | spawn s (N=1) | MB/s (wall) | MB/s (less spawn) |")
print("| --- | --- | --- | --- | --- | --- |")
print("| fsh, virtio-serial | %d | %.2f | %.2f | %.1f | %.1f |" % (big, m["fsh"], m["fsh-1"], fw, fn))
print("| sh + fleet-run, virtio-serial | %d | %.2f | %.2f | %.1f | %.1f |" % (big, m["virtio"], m["virtio-1"], vw, vn))
print("| fleet-run seq, 16550 (spawn: fleet-run true) | %d | %.2f | %.2f | %.3f | %.3f |" % (small, m["serial"], m["serial-1"], sw, sn))
print("| host processes, sh | %d | %.3f | | %.1f | |" % (big, m["host"], hw))
print("VMs/host (wall): fsh %.3fx, sh + fleet-run %.3fx" % (fw / hw, vw / hw))
print("virtio/16550 (sh + fleet-run): %.0fx wall, %.0fx less spawn" % (vw / sw, vn / sn))
print("fsh virtio / 16550: %.0fx wall, %.0fx less spawn" % (fw / sw, fn / sn))
PY

# With the README's set-up: fleetd and its warm pool (scripts/pool.args).
sock=/run/fleet/fleetd.sock
fleetd=
if [ ! -S "$sock" ]; then
	# shellcheck disable=SC2046 # words on purpose
	setsid "$build/bin/fleetd" -L qemu:///system \
	    ${POOL_ARGS:-$(cat "$src/scripts/pool.args")} 2>>"$tmp/fleetd.log" &
	fleetd=$!
	trap 'kill $fleetd; wait $fleetd; rm -rf "$tmp"' EXIT
	for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
fi
"$src/bench/quiet.sh" "$sock"
hyperfine -w 1 -r "$runs" --export-json "$tmp/b2b.json" \
	-n host "sh -c 'yes | head -c $big | wc -c'" \
	-n fsh "$fsh -c 'yes | head -c $big | wc -c'" \
	-n sh "$(sh_pipe "$big")" >&2
"$src/bench/quiet.sh" "$sock"
hyperfine -w 1 -r "$runs" -p "$src/bench/quiet.sh $sock" \
	--export-json "$tmp/full.json" \
	-n host "sh -c 'yes | head -c $big | wc -c'" \
	-n fsh "$fsh -c 'yes | head -c $big | wc -c'" \
	-n sh "$(sh_pipe "$big")" >&2
python3 - "$tmp/b2b.json" "$tmp/full.json" "$big" <<'PY'
import json, sys
big = int(sys.argv[3])
print("\nwith fleetd's warm pool (scripts/pool.args):")
print("| pipeline | back to back: median s, MB/s, VMs/host | each from a full pool: median s, MB/s, VMs/host |")
print("| --- | --- | --- |")
runs = [{r["command"]: r["median"] for r in json.load(open(p))["results"]} for p in sys.argv[1:3]]
for name, label in (("fsh", "fsh"), ("sh", "sh + fleet-run")):
    cells = []
    for m in runs:
        cells.append("%.2f s, %.0f MB/s, %.3fx" % (m[name], big / m[name] / 1e6, m["host"] / m[name]))
    print("| %s | %s | %s |" % (label, cells[0], cells[1]))
print("| host, same runs | %.3f s | %.3f s |" % (runs[0]["host"], runs[1]["host"]))
PY
