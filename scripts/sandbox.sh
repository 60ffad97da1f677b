#!/bin/bash
# sandbox.sh CMD [ARG...]: run CMD in a private mount and network namespace
# with its own dbus, virtlogd and libvirtd, then end every daemon and VM it
# started. Nothing here touches the machine's own network or /run.
set -eu

if [ "${FLEET_SANDBOX_INNER:-}" != 1 ]; then
	[ $# -gt 0 ] || { echo "usage: sandbox.sh CMD [ARG...]" >&2; exit 2; }
	[ "$(id -u)" = 0 ] || { echo "sandbox: must run as root" >&2; exit 1; }
	export FLEET_SANDBOX_INNER=1
	# A pid namespace too: this script is its init and reaps QEMU as soon
	# as it exits (libvirtd waits for the zombie to go: 1.6 s a domain when
	# the machine's init reaps slowly), and nothing outlives the sandbox.
	exec unshare --mount --net --pid --fork --mount-proc --propagation private -- "$0" "$@"
fi

here=$(cd "$(dirname "$0")" && pwd)
conf=$here/sandbox

mount -t tmpfs -o mode=755 fleet-run /run
mkdir -p /run/lock /run/dbus /run/libvirt /run/fleet /run/netns /run/sandbox
for d in /var/lib/libvirt /var/cache/libvirt /var/log/libvirt \
    /etc/libvirt/qemu /var/lib/fleet; do
	mkdir -p "$d"
	mount -t tmpfs -o mode=755 fleet-sandbox "$d"
done
mkdir -p /var/lib/libvirt/qemu /var/cache/libvirt/qemu /var/log/libvirt/qemu
# QEMU's capabilities take libvirtd seconds to probe; the cache is keyed by
# the QEMU binary and libvirt version, so it may outlive the sandbox.
# libvirt 9.0 reads every started guest's CPU back with one QMP qom-get per
# CPU feature (~400 round trips, 0.2-0.4 s of each create here) when QEMU
# has `cpu-unavailable-features`, and with two (feature-words,
# filtered-features) when it has not; fleet's domains set no CPU model and
# need neither. libvirt has no setting for it, so the sandbox keeps its own
# cache without that flag (docs/benchmarks.md, "Where a cold create goes").
caps=/var/cache/fleet-sandbox/qemu-fast
trim_caps() {
	local f
	for f in "$caps"/capabilities/*.xml; do
		[ -f "$f" ] && sed -i "/<flag name='cpu-unavailable-features'\/>/d" "$f"
	done
	return 0
}
trimmed() {
	! grep -qs "<flag name='cpu-unavailable-features'/>" "$caps"/capabilities/*.xml &&
	    ls "$caps"/capabilities/*.xml >/dev/null 2>&1
}
mkdir -p "$caps"
trim_caps
mount --bind "$caps" /var/cache/libvirt/qemu
mount --bind "$conf/qemu.conf" /etc/libvirt/qemu.conf
mount --bind "$conf/libvirtd.conf" /etc/libvirt/libvirtd.conf
mount --bind "$conf/virtlogd.conf" /etc/libvirt/virtlogd.conf
ip link set lo up

pids=()
cleanup() {
	local rc=$? p
	set +e
	# VMs first: QEMU is not libvirtd's child once it has started.
	for p in /run/libvirt/qemu/*.pid; do
		[ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null
	done
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_for() {	# wait_for PATH WHAT: a socket appears within 30 s
	for _ in $(seq 300); do
		[ -S "$1" ] && return 0
		sleep 0.1
	done
	echo "sandbox: $2 did not start (no $1)" >&2
	return 1
}

dbus-daemon --system --fork --print-pid=3 3>/run/sandbox/dbus.pid
pids+=("$(cat /run/sandbox/dbus.pid)")
wait_for /run/dbus/system_bus_socket dbus-daemon

virtlogd -d -p /run/sandbox/virtlogd.pid
wait_for /run/libvirt/virtlogd-sock virtlogd
pids+=("$(cat /run/sandbox/virtlogd.pid)")

start_libvirtd() {
	libvirtd -d -p /run/sandbox/libvirtd.pid
	wait_for /run/libvirt/libvirt-sock libvirtd
	pids+=("$(cat /run/sandbox/libvirtd.pid)")
}
start_libvirtd
if ! trimmed; then	# first run: let libvirtd probe, trim, restart it
	virsh -q domcapabilities >/dev/null 2>&1 || true
	trim_caps
	p=${pids[-1]}
	unset 'pids[-1]'
	kill "$p"
	for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	rm -f /run/libvirt/libvirt-sock
	start_libvirtd
fi

# FLEET_SANDBOX_FLEETD=PATH: the router too, following this libvirtd,
# with the options in FLEET_SANDBOX_FLEETD_ARGS (a warm pool, say).
if [ -n "${FLEET_SANDBOX_FLEETD:-}" ]; then
	# shellcheck disable=SC2086 # words on purpose
	"$FLEET_SANDBOX_FLEETD" -L qemu:///system ${FLEET_SANDBOX_FLEETD_ARGS:-} \
	    2>>/run/sandbox/fleetd.log &
	pids+=("$!")
	wait_for /run/fleet/fleetd.sock fleetd
fi
export FLEET_SANDBOX=1
"$@"
