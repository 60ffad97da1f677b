#!/bin/sh
# bench/create-phases.sh: where one `fleet-run hello` spends its time,
# phase by phase, from libvirtd's own timestamped debug log (virt-admin
# turns it on for qemu_process only, which costs little). Run inside
# scripts/sandbox.sh. Prints a markdown table of medians over RUNS runs.
# usage: scripts/sandbox.sh bench/create-phases.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${FLEET_BUILD:-$src/build/release}}
runs=${RUNS:-10}
log=/run/sandbox/phases.log

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/create-phases.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
export FLEET_PATH=$build/images
"$build/bin/fleet-run" hello >/dev/null	# warm-up: caches, first connect
virt-admin -q daemon-log-filters "1:qemu.qemu_process"
virt-admin -q daemon-log-outputs "1:file:$log"
: > "$log.marks"
for _ in $(seq "$runs"); do
	echo "start $(date -u +%H:%M:%S.%N)" >> "$log.marks"
	"$build/bin/fleet-run" hello >/dev/null
	echo "end $(date -u +%H:%M:%S.%N)" >> "$log.marks"
	sleep 0.5	# let libvirtd finish the teardown
done
virt-admin -q daemon-log-outputs "3:file:/var/log/libvirt/libvirtd.log"
python3 - "$log" "$log.marks" <<'PY'
import re, statistics, sys
def t(s):
    h, m, x = s.split(":")
    return (int(h) * 60 + int(m)) * 60 + float(x)
marks = [l.split() for l in open(sys.argv[2])]
runs = [(t(a[1]), t(b[1])) for a, b in zip(marks[::2], marks[1::2])]
steps = [("qemuProcessStart:", "client start, connect, XML, create RPC"),
         ("Waiting for handshake", "libvirtd: prepare, fork and exec QEMU"),
         ("Waiting for monitor", "libvirtd: handshake (cgroups, labels)"),
         ("setting up hotpluggable cpus", "QEMU: start-up until QMP answers"),
         ("Verifying and updating provided guest CPU", "libvirtd: vCPU threads over QMP"),
         ("Detecting IOThread PIDs", "libvirtd: read guest CPU back over QMP"),
         ("qemuProcessStartCPUs", "libvirtd: rest of start; client: 3 consoles, resume"),
         (None, "guest runs, exit line, fleet-run exits")]
ev = []
for l in open(sys.argv[1]):
    m = re.match(r"\S+ (\d+:\d+:\d+\.\d+)\+0000: \d+: \w+ : (.*)", l)
    if m:
        ev.append((t(m.group(1)), m.group(2)))
rows = {name: [] for _, name in steps}
tot = []
for a, b in runs:
    e = [x for x in ev if a <= x[0] <= b]
    prev = a
    ok = True
    for key, name in steps:
        at = b if key is None else next((x[0] for x in e if key in x[1]), None)
        if at is None:
            ok = False
            break
        rows[name].append(at - prev)
        prev = at
    if ok:
        tot.append(b - a)
print("| phase | median (%d runs) |" % len(tot))
print("| --- | --- |")
for _, name in steps:
    if rows[name]:
        print("| %s | %.1f ms |" % (name, statistics.median(rows[name]) * 1000))
print("| total, `fleet-run hello` wall time | %.1f ms |" % (statistics.median(tot) * 1000))
PY
