#!/bin/bash
# sandbox.sh CMD [ARG...]: run CMD in a private mount and network namespace
# with its own dbus, virtlogd and libvirtd (and with FLEET_SANDBOX_FLEETD,
# fleetd and avahi-daemon), then end every daemon and VM it started. Nothing here touches the machine's own network or /run.
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
# FLEET_PROFILE=fast (the default): QEMU as root with no security driver,
# which only a test namespace may do; stock: libvirt as Debian ships it
# (sandbox/stock/README), with polkitd for group-libvirt users.
profile=${FLEET_PROFILE:-fast}
case $profile in
fast)	conf=$here/sandbox ;;
stock)	conf=$here/sandbox/stock ;;
*)	echo "sandbox: FLEET_PROFILE: unknown profile '$profile'" >&2; exit 2 ;;
esac

mount -t tmpfs -o mode=755 fleet-run /run
mkdir -p /run/lock /run/dbus /run/libvirt /run/fleet /run/netns /run/sandbox
for d in /var/lib/libvirt /var/cache/libvirt /var/log/libvirt \
    /etc/libvirt/qemu /var/lib/fleet; do
	mkdir -p "$d"
	mount -t tmpfs -o mode=755 fleet-sandbox "$d"
done
mkdir -p /var/lib/libvirt/qemu /var/cache/libvirt/qemu /var/log/libvirt/qemu
# As Debian's package leaves them (libvirt-daemon-system).
[ "$profile" = fast ] || chown libvirt-qemu:libvirt-qemu /var/lib/libvirt/qemu
# QEMU's capabilities take libvirtd seconds to probe; the cache is keyed by
# the QEMU binary and libvirt version, so it may outlive the sandbox.
# libvirt 9.0 reads every started guest's CPU back with one QMP qom-get per
# CPU feature (~400 round trips, 0.2-0.4 s of each create here) when QEMU
# has `cpu-unavailable-features`, and with two (feature-words,
# filtered-features) when it has not; fleet's domains set no CPU model and
# need neither. libvirt has no setting for it, so the sandbox keeps its own
# cache without that flag (docs/benchmarks.md, "Where a cold create goes").
caps=/var/cache/fleet-sandbox/qemu-$profile
trim_caps() {
	local f
	[ "$profile" = fast ] || return 0
	for f in "$caps"/capabilities/*.xml; do
		[ -f "$f" ] && sed -i "/<flag name='cpu-unavailable-features'\/>/d" "$f"
	done
	return 0
}
trimmed() {
	[ "$profile" = fast ] || return 0
	! grep -qs "<flag name='cpu-unavailable-features'/>" "$caps"/capabilities/*.xml &&
	    ls "$caps"/capabilities/*.xml >/dev/null 2>&1
}
mkdir -p "$caps"
trim_caps
mount --bind "$caps" /var/cache/libvirt/qemu
mount --bind "$conf/qemu.conf" /etc/libvirt/qemu.conf
mount --bind "$conf/libvirtd.conf" /etc/libvirt/libvirtd.conf
mount --bind "$here/sandbox/virtlogd.conf" /etc/libvirt/virtlogd.conf
ip link set lo up

# /dev/kvm as Debian's udev rules leave it (root:kvm 0660, libvirt-qemu in
# group kvm), on this namespace's own node: this machine's is root's 0600,
# which has libvirt find KVM gone at every create and probe QEMU anew.
if [ "$profile" = stock ] && [ -c /dev/kvm ]; then
	mkdir -p /run/sandbox/dev
	mknod -m 0660 /run/sandbox/dev/kvm c 10 232
	chgrp kvm /run/sandbox/dev/kvm
	mount --bind /run/sandbox/dev/kvm /dev/kvm
fi

# The stock profile's users, in this namespace's copy of the user
# database: fleet-user in group libvirt (Debian's way to qemu:///system),
# fleet-other in it too (another user's VMs are not fleet-user's), and
# fleet-guest in no group (qemu:///session only).
if [ "$profile" = stock ]; then
	cp /etc/passwd /etc/group /run/sandbox/
	for u in fleet-user:4242 fleet-other:4243 fleet-guest:4244; do
		n=${u%%:*} id=${u#*:}
		grep -q "^$n:" /run/sandbox/passwd ||
		    echo "$n:x:$id:$id::/run/sandbox/home/$n:/bin/sh" >>/run/sandbox/passwd
		grep -q "^$n:" /run/sandbox/group ||
		    echo "$n:x:$id:" >>/run/sandbox/group
		[ "$n" = fleet-guest ] ||
		    sed -i "/^libvirt:/{/[:,]$n\(,\|\$\)/!{s/:\$/:$n/;t;s/\$/,$n/}}" /run/sandbox/group
		mkdir -p "/run/sandbox/home/$n"
		chown "$id:$id" "/run/sandbox/home/$n"
	done
	mount --bind /run/sandbox/passwd /etc/passwd
	mount --bind /run/sandbox/group /etc/group
	export FLEET_SANDBOX_USER=fleet-user FLEET_SANDBOX_OTHER=fleet-other \
	    FLEET_SANDBOX_GUEST=fleet-guest
fi

pids=()
cleanup() {
	local rc=$? p
	set +e
	# VMs first, through libvirtd while it runs: it gives back the files
	# it labelled for QEMU (images, sockets), or a later run on the same
	# files is refused ("already in use"). Then whatever QEMU is left:
	# it is not libvirtd's child once it has started.
	if [ -S /run/libvirt/libvirt-sock ]; then
		for p in $(timeout 5 virsh -q list --name 2>/dev/null); do
			timeout 5 virsh -q destroy "$p" >/dev/null 2>&1
		done
	fi
	for p in /run/libvirt/qemu/*.pid; do
		[ -f "$p" ] && kill -9 "$(cat "$p")" 2>/dev/null
	done
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	# the stock profile's users' console sockets, in the machine's /tmp
	rm -rf /tmp/fleet-4242 /tmp/fleet-4243 /tmp/fleet-4244
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

if [ "$profile" = stock ]; then
	setsid /usr/lib/polkit-1/polkitd --no-debug \
	    >/run/sandbox/polkitd.log 2>&1 </dev/null &
	pids+=("$!")
fi

virtlogd -d -p /run/sandbox/virtlogd.pid
wait_for /run/libvirt/virtlogd-sock virtlogd
pids+=("$(cat /run/sandbox/virtlogd.pid)")

# On one CPU: this machine's two vCPUs report different cpuid bits, and
# libvirtd takes its capability cache for outdated (and probes QEMU
# again, ~0.6 s) whenever it checks it on the other one. QEMU is not
# held to it: libvirt gives each domain every host CPU.
start_libvirtd() {
	taskset -c 0 libvirtd -d -p /run/sandbox/libvirtd.pid
	wait_for /run/libvirt/libvirt-sock libvirtd
	pids+=("$(cat /run/sandbox/libvirtd.pid)")
}
start_libvirtd
# libvirtd finds its cache outdated when it was probed on another boot
# or CPU, and probes again at the first create: ask it now, then trim
# and restart.
virsh -q domcapabilities >/dev/null 2>&1 || true
if ! trimmed; then
	trim_caps
	p=${pids[-1]}
	unset 'pids[-1]'
	kill "$p"
	for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	rm -f /run/libvirt/libvirt-sock
	start_libvirtd
fi

# FLEET_SANDBOX_FLEETD=PATH: the router too, following this libvirtd,
# with the options in FLEET_SANDBOX_FLEETD_ARGS (a warm pool, say). In a
# session of its own, as dbus-daemon, virtlogd and libvirtd put themselves:
# a ctrl-C at the terminal is CMD's, not the router's (fleetd takes SIGINT
# through a signalfd, which the SIG_IGN of a background job does not stop).
# setsid execs in place (this job does not lead its group): $! is fleetd.
if [ -n "${FLEET_SANDBOX_FLEETD:-}" ]; then
	# avahi-daemon on fleet0 alone (dist/avahi-daemon.conf): fleetd
	# publishes _fleet._tcp there, once the bridge is up
	mkdir -p /run/avahi-daemon
	avahi-daemon --no-chroot --no-drop-root -D \
	    -f "$here/../dist/avahi-daemon.conf"
	wait_for /run/avahi-daemon/socket avahi-daemon
	pids+=("$(cat /run/avahi-daemon/pid)")
	# shellcheck disable=SC2086 # words on purpose
	setsid "$FLEET_SANDBOX_FLEETD" -L qemu:///system \
	    ${FLEET_SANDBOX_FLEETD_ARGS:-} 2>>/run/sandbox/fleetd.log &
	pids+=("$!")
	wait_for /run/fleet/fleetd.sock fleetd
fi
export FLEET_SANDBOX=1
# bash runs a trap only once CMD is over: a ctrl-C that CMD survives (fsh
# at its prompt) must not end the sandbox with 130 then. One that ends CMD
# ends the sandbox through set -e, with CMD's status.
trap : INT
"$@"
