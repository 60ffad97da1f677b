#!/bin/bash
# proxy.sh [BUILD]: 1,000 libvirt calls (virConnectListAllDomains and
# virDomainGetInfo, one connection) straight to libvirtd's socket and
# through fleetd's proxy, as root (everything passes) and as another user
# (the VM policy: checked arguments, filtered lists); prints each median
# of RUNS (5) and its ratio to libvirtd's own socket. Run it inside
# scripts/sandbox.sh: it starts a fleetd of its own in a private network
# namespace and one domain on the sandbox's libvirtd.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${FLEET_BUILD:-$src/build/release}}
RUNS=${RUNS:-5}
CALLS=${CALLS:-1000}
[ -S /run/libvirt/libvirt-sock ] ||
    { echo "proxy.sh: no libvirtd (run inside scripts/sandbox.sh)" >&2; exit 1; }
if [ "${FLEET_BENCH_NS:-}" != 1 ]; then
	export FLEET_BENCH_NS=1
	exec unshare --mount --net --propagation private -- "$0" "$build"
fi
W=$(mktemp -d /tmp/fleet-bench.XXXXXX)
chmod 755 "$W"
mkdir -p /run/fleet
mount -t tmpfs -o mode=755 proxy-bench /run/fleet
ip link set lo up
URI=qemu:///system
DOM=fleet-bench-proxy
FLEETD=
trap 'virsh -q -c $URI destroy $DOM >/dev/null 2>&1; [ -n "$FLEETD" ] &&
    kill $FLEETD; rm -rf "$W"' EXIT
cc -O2 -o "$W/calls" "$src/bench/proxy-calls.c" $(pkg-config --cflags \
    --libs libvirt)

# A fleet-named domain that stays up: fleet's runtime, no program, no ACPI.
cat >"$W/dom.xml" <<XML
<domain type='qemu'><name>$DOM</name><memory unit='MiB'>16</memory>
<os><type arch='x86_64' machine='pc'>hvm</type>
<kernel>$build/fleetrt</kernel></os><devices/></domain>
XML
virsh -q -c "$URI" create "$W/dom.xml" >/dev/null

"$build/bin/fleetd" -d "$W" -s "$W/ctl.sock" --no-tcp --libvirt "$URI" \
    --proxy-port 0 --proxy-socket /run/fleet/libvirt-sock \
    2>"$W/fleetd.err" &
FLEETD=$!
for _ in $(seq 100); do
	[ -S /run/fleet/libvirt-sock ] && break
	sleep 0.05
done
PX='qemu+unix:///system?socket=/run/fleet/libvirt-sock'

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# one run of each in turn, after one untimed warm-up of each, so that all
# three see the same machine load
once() {	# once URI [USER]: ms
	if [ -n "${2:-}" ]; then
		setpriv --reuid="$2" --regid=nogroup --clear-groups \
		    "$W/calls" "$1" "$CALLS" "$DOM"
	else
		"$W/calls" "$1" "$CALLS" "$DOM"
	fi
}
for i in $(seq 0 "$RUNS"); do
	d=$(once "$URI") o=$(once "$PX") v=$(once "$PX" nobody)
	[ "$i" = 0 ] && continue
	echo "$d" >>"$W/direct" && echo "$o" >>"$W/owner" &&
	    echo "$v" >>"$W/vm"
done
direct=$(median <"$W/direct")
owner=$(median <"$W/owner")
vm=$(median <"$W/vm")
echo "$CALLS calls, median of $RUNS runs:"
printf '  %-34s %8s ms\n' "libvirtd's socket (root)" "$direct"
printf '  %-34s %8s ms  %sx\n' "fleetd's proxy, root" "$owner" \
    "$(echo "scale=2; $owner / $direct" | bc)"
printf '  %-34s %8s ms  %sx\n' "fleetd's proxy, nobody (VM policy)" \
    "$vm" "$(echo "scale=2; $vm / $direct" | bc)"
