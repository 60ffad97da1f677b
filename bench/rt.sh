#!/bin/sh
# Unikernel runtime: boot-to-exit of hello on fleetrt under TCG (SeaBIOS
# and qboot) against a host process, and serial stdio throughput (yes
# out of COM1, wc -c and cat through it) against coreutils over a pipe.
# usage: bench/rt.sh [BUILD-DIR]   (default build); needs hyperfine
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
img=$build/images
rt=$build/fleetrt
runs=${RUNS:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

qemu="qemu-system-x86_64 -accel tcg -nodefaults -display none -no-reboot -m 128"
serial="-serial file:/dev/null -serial file:/dev/null -serial file:/dev/null"

median() {	# hyperfine JSON -> median seconds of each command, one per line
	python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]: print("%.4f" % r["median"])' "$1"
}

echo "== boot to exit: hello (median of $runs, wall)"
hyperfine -N -w 3 -r "$runs" --export-json "$tmp/boot.json" \
	-n seabios "$qemu -M pc -kernel $rt -initrd $img/hello -append '-- hello' $serial" \
	-n qboot "$qemu -M pc -bios /usr/share/qemu/qboot.rom -kernel $rt -initrd $img/hello -append '-- hello' $serial" \
	-n host-echo "/bin/echo Hello, world!" >/dev/null
set -- $(median "$tmp/boot.json")
awk -v s="$1" -v q="$2" -v h="$3" 'BEGIN {
	printf "seabios %.1f ms, qboot %.1f ms (%.2fx)\n", s * 1000, q * 1000, q / s
	printf "host /bin/echo %.2f ms: a VM costs %.0fx (qboot)\n", h * 1000, q / h }'

echo "== serial throughput (median of 5)"
PYTHONPATH=$here/tests/rt python3 - "$img" "$rt" <<'PY'
import os, statistics, subprocess, sys, time
import fleetvm
img, rt = sys.argv[1:3]
def rate(name, argv, stdin=b"", sig=None, qboot=True):
    r = fleetvm.run(rt, argv, stdin=stdin, sig=sig, qboot=qboot, timeout=60,
                    initrd=os.path.join(img, name))
    return len(r.out) / (r.last_out - r.first_out)
def rx(name, argv, data):
    r = fleetvm.run(rt, argv, stdin=data, qboot=True, timeout=60,
                    initrd=os.path.join(img, name))
    return len(data) / (r.last_ctl - r.first_in)
yes = [rate("yes", ["yes"], sig=(15, 2.5)) for _ in range(5)]
data = os.urandom(1 << 19)
wc = [rx("wc", ["wc", "-c"], data) for _ in range(5)]
cat = [rate("cat", ["cat"], stdin=data[:1 << 18]) for _ in range(5)]
t = time.monotonic()
subprocess.run("yes | head -c 1000000000 >/dev/null", shell=True)
host = 1e9 / (time.monotonic() - t)
y, w, c = (statistics.median(v) for v in (yes, wc, cat))
print("yes out of COM1: %.0f KB/s; wc -c of 512 KiB into COM1: %.0f KB/s;"
      " cat of 256 KiB in and out: %.0f KB/s" % (y / 1e3, w / 1e3, c / 1e3))
print("host coreutils yes | head -c 1G: %.0f MB/s: COM1 is %.0fx slower"
      % (host / 1e6, host / y))
PY
