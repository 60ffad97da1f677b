#!/bin/bash
# suite.sh: the integration and fsh VM scripts on libvirt as Debian ships
# it (scripts/sandbox.sh with FLEET_PROFILE=stock: QEMU as libvirt-qemu,
# DAC labelling, its mount namespace, polkit), as root and as a user in
# group libvirt; fleetd's spawn and pool scripts; then what only a shared
# machine shows: another user's VMs, and nothing left behind after many
# runs.
set -u
: "${FLEET_SRC:?}" "${FLEET_BIN:?}" "${FLEET_PATH:?}"
if [ "${FLEET_SANDBOX:-}" != 1 ]; then
	echo "FAIL: run inside scripts/sandbox.sh" >&2
	exit 1
fi
if [ -z "${FLEET_SANDBOX_USER:-}" ]; then
	echo "skip: not the stock profile (FLEET_PROFILE=stock)" >&2
	exit 77
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
rc=0

# The tree as installed, where libvirt-qemu and the users may read it
# (the build may be in root's home): programs, images, the test scripts.
tree=/run/sandbox/fleet
rm -rf "$tree"
cmake --install "$FLEET_BUILD" --prefix "$tree" >/dev/null ||
    { echo "FAIL: cmake --install $FLEET_BUILD"; exit 1; }
cp "$tree/sbin/fleetd" "$tree/bin/"
cp -r "$FLEET_SRC/tests" "$tree/tests"
chmod -R a+rX "$tree"
export FLEET_BIN=$tree/bin FLEET_PATH=$tree/share/fleet/images \
    FLEET_SRC=$tree
failed() { echo "FAIL: $*"; rc=1; }

# as USER CMD...: CMD as that user, in its groups, with qemu:///system
# for the checks' virsh too.
as() {
	local u=$1
	shift
	setpriv --reuid="$u" --regid="$u" --init-groups \
	    env HOME="/run/sandbox/home/$u" LIBVIRT_DEFAULT_URI=qemu:///system \
	    "$@"
}
scripts="run stdio detach signals errors"

for s in $scripts; do
	bash "$FLEET_SRC/tests/integration/$s.sh" || failed "root: $s.sh"
done
bash "$FLEET_SRC/tests/fsh/vm.sh" "$FLEET_BIN/fsh" || failed "root: fsh vm.sh"

# files.sh as the user only: a VM's files are its caller's, not QEMU's
for s in $scripts files; do
	as "$FLEET_SANDBOX_USER" bash "$FLEET_SRC/tests/integration/$s.sh" ||
	    failed "$FLEET_SANDBOX_USER: $s.sh"
done
as "$FLEET_SANDBOX_USER" bash "$FLEET_SRC/tests/fsh/vm.sh" "$FLEET_BIN/fsh" ||
    failed "$FLEET_SANDBOX_USER: fsh vm.sh"

# fleetd on this libvirt: leases and taps for root's VMs, warm claims for
# root and for the user (pool.sh runs its user checks as
# $FLEET_SANDBOX_USER), and its proxy in front of a libvirtd that asks
# polkit on its socket.
for s in spawn pool proxy; do
	bash "$FLEET_SRC/tests/router/$s.sh" || failed "router $s.sh"
done

# Another user's VM: seen by root, not signalled by another user.
id=$(as "$FLEET_SANDBOX_USER" timeout 60 "$FLEET_BIN/fleet-run" -d spin)
[ -n "$id" ] || failed "detached spin as $FLEET_SANDBOX_USER"
"$FLEET_BIN/fleet-ps" -a | grep -q "^$id .* $FLEET_SANDBOX_USER " ||
    failed "root's fleet-ps -a does not show $id as $FLEET_SANDBOX_USER's"
err=$(as "$FLEET_SANDBOX_OTHER" "$FLEET_BIN/fleet-kill" "$id" 2>&1)
[ $? = 1 ] && grep -q "^fleet-kill: $id: owned by uid" <<<"$err" ||
    failed "$FLEET_SANDBOX_OTHER killed $id: $err"
virsh -q list --name | grep -qx "$id" ||
    failed "$id is gone after another user's fleet-kill"
as "$FLEET_SANDBOX_USER" "$FLEET_BIN/fleet-kill" "$id" ||
    failed "$FLEET_SANDBOX_USER could not kill $id"

# A user in no group: the system libvirt refuses, saying what to do;
# their own qemu:///session works (QEMU runs as them).
err=$(as "$FLEET_SANDBOX_GUEST" timeout 60 "$FLEET_BIN/fleet-run" hello 2>&1)
[ $? = 125 ] && grep -q "join group libvirt.*FLEET_URI=qemu:///session" \
    <<<"$err" || failed "$FLEET_SANDBOX_GUEST on qemu:///system: $err"
xdg=$(mktemp -d)
chown "$FLEET_SANDBOX_GUEST" "$xdg"
chmod 700 "$xdg"
guest() {
	as "$FLEET_SANDBOX_GUEST" env XDG_RUNTIME_DIR="$xdg" \
	    FLEET_URI=qemu:///session timeout 120 "$@"
}
out=$(guest "$FLEET_BIN/fleet-run" hello)
[ "$out" = "Hello, world!" ] || failed "qemu:///session: hello: '$out'"
out=$(echo hi | guest "$FLEET_BIN/fleet-run" cat)
[ "$out" = hi ] || failed "qemu:///session: cat: '$out'"
guest "$FLEET_BIN/fleet-run" exit 7
[ $? = 7 ] || failed "qemu:///session: exit 7"

# Twenty runs in a row, each user: every byte, and nothing left.
for u in root "$FLEET_SANDBOX_USER"; do
	for i in $(seq 20); do
		out=$(as "$u" timeout 60 "$FLEET_BIN/fleet-run" hello)
		[ "$out" = "Hello, world!" ] || failed "$u: run $i: '$out'"
	done
	out=$(as "$u" timeout 60 "$FLEET_BIN/fsh" -c 'echo hi | upcase')
	[ "$out" = HI ] || failed "$u: fsh -c 'echo hi | upcase': '$out'"
done
for _ in $(seq 100); do
	[ -z "$(virsh -q list --all --name)" ] && break
	sleep 0.1
done
left=$(virsh -q list --all --name)
[ -z "$left" ] || failed "domains left: $left"
# Sockets go with their VM, or with the next run when their creator
# left before libvirt had given them back: at most the last run's stay.
as "$FLEET_SANDBOX_USER" "$FLEET_BIN/fleet-run" true
"$FLEET_BIN/fleet-run" true
for d in /run/libvirt/fleet "/tmp/fleet-$(id -u "$FLEET_SANDBOX_USER")"; do
	n=$(find "$d" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
	[ "$n" -le 1 ] || failed "console sockets left in $d: $(ls "$d")"
done
# What libvirt labelled for QEMU went back to its owner, once the last
# domains are torn down.
for _ in $(seq 100); do
	[ -z "$(virsh -q list --all --name)" ] && break
	sleep 0.1
done
bad=$(find "$FLEET_PATH" -maxdepth 1 -type f ! -user root)
[ -z "$bad" ] || failed "images not given back to root: $bad"
[ $rc = 0 ] && echo "PASS stock suite"
exit $rc
