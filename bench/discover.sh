#!/bin/sh
# bench/discover.sh: finding the router by DNS-SD, inside
# scripts/sandbox.sh: fleet_discover_one() (what fleet_open(NULL) does)
# to the first router resolved, against `avahi-browse -rtp _fleet._tcp`
# to its first line and to its first resolved line, each a fresh process
# against a warm avahi-daemon, RUNS times. Prints a markdown table.
# usage: scripts/sandbox.sh bench/discover.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${FLEET_BUILD:-$src/build/release}}" && pwd)
runs=${RUNS:-30}
tmp=$(mktemp -d)
. "$src/bench/lib.sh"

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/discover.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
export FLEET_PATH=$build/images
cc -O2 -I"$src/include" -o "$tmp/first-router" "$src/bench/first-router.c" \
    -L"$build/lib" -lfleet -Wl,-rpath,"$build/lib"

mkdir -p /run/avahi-daemon
avahi-daemon --no-chroot --no-drop-root -D -f "$src/dist/avahi-daemon.conf"
# one pool VM: its tap gives the bridge a carrier, which avahi waits for
pool_fleetd --pool hello:1 --mdns-name bench
trap 'kill $fleetd 2>/dev/null; kill "$(cat /run/avahi-daemon/pid)" 2>/dev/null; wait $fleetd 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
	grep -q 'published "bench"' "$tmp/fleetd.err" && break
	sleep 0.1
done
grep -q 'published "bench"' "$tmp/fleetd.err" ||
    { cat "$tmp/fleetd.err" >&2; echo "bench/discover.sh: not published" >&2; exit 1; }

python3 - "$runs" "$tmp/first-router" <<'PY'
import statistics, subprocess, sys, time
runs, first = int(sys.argv[1]), sys.argv[2]

def until(cmd, want):
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    for line in p.stdout:
        if want(line):
            break
    t = time.monotonic() - t0
    p.kill()
    p.wait()
    return t * 1000

browse = ["avahi-browse", "-rtp", "_fleet._tcp"]
cases = [
    ("fleet_discover_one() to the first router", [first], lambda l: True),
    ("avahi-browse -rtp to its first line", browse, lambda l: True),
    ("avahi-browse -rtp to its first resolved line", browse,
     lambda l: l.startswith("=")),
]
res = {}
for _ in range(runs):
    for name, cmd, want in cases:
        res.setdefault(name, []).append(until(cmd, want))
base = statistics.median(res[cases[1][0]])
print("| what | median ms | min ms | ratio to avahi-browse's first line |")
print("| --- | --- | --- | --- |")
for name, _, _ in cases:
    m = statistics.median(res[name])
    print("| %s | %.1f | %.1f | %.2fx |" % (name, m, min(res[name]), m / base))
PY
