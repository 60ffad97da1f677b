#!/bin/sh
# bench/back2back.sh: VMs run after run with no pause, as a script's loop
# runs them (each run may pay for the one before: its teardown, a pool
# left empty), inside scripts/sandbox.sh. Three hyperfine runs, each
# comparing like with like on a loaded machine:
#  1. no fleetd: `fleet-run hello` cold against `qemu -kernel` of the
#     runtime with it (`-initrd`);
#  2. then fleetd as scripts/run.sh starts it (scripts/pool.args), its
#     pool full: `qemu -kernel` of true and of hello, then RUNS
#     `fleet-run true` and RUNS `fleet-run hello` back to back;
#  3. the same again once the pool has refilled after 2 (the sizes that
#     loop taught it), with no pause inside the loops either.
# Prints markdown rows of medians, the ratios, and what the pool's VMs
# take in memory. With a fleetd already running (FLEET_SANDBOX_FLEETD),
# only 2 and 3, on that fleetd.
# usage: scripts/sandbox.sh bench/back2back.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${FLEET_BUILD:-$src/build/release}}" && pwd)
runs=${RUNS:-20}
warmup=${WARMUP:-2}
sock=/run/fleet/fleetd.sock
tmp=$(mktemp -d)
fleetd=
trap '[ -z "$fleetd" ] || { kill "$fleetd"; wait "$fleetd"; }; rm -rf "$tmp"' EXIT

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/back2back.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/back2back.sh: needs hyperfine" >&2; exit 1; }
export FLEET_PATH=$build/images
bios=
[ -f /usr/share/qemu/qboot.rom ] && bios="-bios /usr/share/qemu/qboot.rom"
qemu() {
	echo "qemu-system-x86_64 -M pc -accel tcg -nodefaults -display none" \
	    "-no-user-config -m 128 $bios -kernel $build/fleetrt" \
	    "-initrd $build/images/$1" \
	    "-append 'fleet.v=1 -- $1' -serial null -serial null -serial null"
}
hf() {	# hf NAME ARGS...: one hyperfine run into $tmp/NAME.json
	n=$1
	shift
	hyperfine -N --warmup "$warmup" --runs "$runs" \
	    --export-json "$tmp/$n.json" "$@" >&2
}
median() {	# median NAME COMMAND-NAME: in ms
	python3 -c 'import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print("%.1f" % (r[sys.argv[2]] * 1000))' "$tmp/$1.json" "$2"
}
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
pool() { printf 'pool\n' | socat -t5 - "UNIX-CONNECT:$sock"; }

# 1. Cold, no fleetd.
if [ ! -S "$sock" ]; then
	hf cold -n "fleet-run hello" "$build/bin/fleet-run hello" \
	    -n "qemu -kernel" "$(qemu hello)"
	echo "| \`fleet-run hello\`, cold, back to back | $(median cold "fleet-run hello") ms |"
	echo "| \`qemu -kernel\`, back to back | $(median cold "qemu -kernel") ms |"
	# As scripts/sandbox.sh starts it for scripts/run.sh.
	# shellcheck disable=SC2046 # words on purpose
	setsid "$build/bin/fleetd" -L qemu:///system \
	    ${FLEET_SANDBOX_FLEETD_ARGS:-$(cat "$src/scripts/pool.args")} \
	    2>>"$tmp/fleetd.log" &
	fleetd=$!
	for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
fi

# What the pool's idle VMs take: QEMU's resident set, and its
# proportional share (libraries and the binary are shared).
memory() {
	python3 - /run/libvirt/qemu <<'PY'
import glob, sys
rss = pss = n = 0
for f in glob.glob(sys.argv[1] + "/fleet-*.pid"):
    pid = open(f).read().strip()
    for line in open("/proc/%s/smaps_rollup" % pid):
        k, v = line.split()[:2]
        if k == "Rss:": rss += int(v)
        if k == "Pss:": pss += int(v)
    n += 1
lv = 0
for line in open("/proc/%s/status" % open("/run/sandbox/libvirtd.pid").read().strip()):
    if line.startswith("VmRSS:"): lv = int(line.split()[1])
if n:
    print("%d pool VMs: QEMU RSS %.1f MiB each (%.0f MiB in all), PSS %.1f MiB each (%.0f MiB); libvirtd RSS %.0f MiB"
          % (n, rss / n / 1024, rss / 1024, pss / n / 1024, pss / 1024, lv / 1024))
PY
}

# 2 and 3. Each starts with the pool full and libvirt quiet; inside it
# nothing waits.
for round in first again; do
	"$src/bench/quiet.sh" "$sock"
	echo
	echo "$round loop: pool at its start (IMAGE WANT IDLE):"
	pool | awk '$1 == "pool" { n = split($2, p, "/"); printf "%s %s %s; ", p[n], $3, $4 } END { print "" }'
	memory
	hf "$round" -n "qemu true" "$(qemu true)" -n "qemu hello" "$(qemu hello)" \
	    -n "fleet-run true" "$build/bin/fleet-run true" \
	    -n "fleet-run hello" "$build/bin/fleet-run hello"
	t=$(median "$round" "fleet-run true")
	h=$(median "$round" "fleet-run hello")
	qt=$(median "$round" "qemu true")
	qh=$(median "$round" "qemu hello")
	echo "| \`fleet-run true\`, $runs back to back, $round loop | $t ms | $(ratio "$t" "$qt")x |"
	echo "| \`fleet-run hello\`, $runs back to back, $round loop | $h ms | $(ratio "$h" "$qh")x |"
	echo "| \`qemu -kernel true\`, $round loop's run | $qt ms | 1.00x |"
	echo "| \`qemu -kernel hello\`, $round loop's run | $qh ms | 1.00x |"
	pool | awk '$1 == "pool" { n = split($2, p, "/"); printf "%s want %s served %s; ", p[n], $3, $7 } END { print "" }'
done
