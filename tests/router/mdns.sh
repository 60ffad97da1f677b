#!/bin/bash
# mdns.sh: fleetd is found by DNS-SD. An outside client (avahi-browse)
# sees _fleet._tcp with its TXT records; libfleet finds it from the
# router's namespace and from another host (a namespace on the bridge
# with an avahi-daemon of its own); two fleetd on one bridge are both
# found (one renamed); fleetd publishes again when avahi-daemon comes
# back. Each "host" has its own mount namespace, D-Bus and avahi-daemon.
set -eu
. "$(dirname "$0")/lib.sh"
SRC=${FLEET_SRC:?FLEET_SRC unset}
HOSTS=()

# The host namespaces end with their init: SIGKILL to unshare (which
# ignores SIGTERM while it waits) kills its child, the pid namespace's
# init, and so every daemon in it.
end_hosts() {
	local p
	set +e
	for p in "${HOSTS[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	for p in /run/avahi-daemon/pid /run/dbus/pid; do
		[ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	cleanup
}
trap end_hosts EXIT

# avahi_conf IFACE: the shipped configuration, on IFACE.
avahi_conf() {
	sed "s/^allow-interfaces=.*/allow-interfaces=$1/" \
	    "$SRC/dist/avahi-daemon.conf" >"$STATE/avahi-$1.conf"
	echo "$STATE/avahi-$1.conf"
}

# daemons CONF: D-Bus and avahi-daemon in this mount namespace.
daemons() {
	mkdir -p /run/dbus /run/avahi-daemon
	mount -t tmpfs -o mode=755 host-dbus /run/dbus
	mount -t tmpfs -o mode=755 host-avahi /run/avahi-daemon
	dbus-daemon --system --fork
	for _ in $(seq 100); do
		[ -S /run/dbus/system_bus_socket ] && break
		sleep 0.05
	done
	avahi-daemon --no-chroot --no-drop-root -f "$1" -D
}

# host NETNS IFACE: another "machine", in NETNS: its pid in HOST, to
# nsenter.
host() {
	local conf
	conf=$(avahi_conf "$2")
	ip netns exec "$1" unshare --mount --propagation private --pid --fork \
	    --kill-child -- bash -c "$(declare -f daemons)
	    # another machine: no fleetd or libvirtd of the router's here
	    mount -t tmpfs -o mode=755 host-fleet /run/fleet
	    mount -t tmpfs -o mode=755 host-libvirt /run/libvirt
	    daemons $conf && exec sleep 600" &
	HOSTS+=("$!")
	# the child of unshare is in the new namespaces
	for _ in $(seq 100); do
		HOST=$(pgrep -P "$!" | head -1)
		[ -n "$HOST" ] && break
		sleep 0.05
	done
	for _ in $(seq 100); do
		nsenter -t "$HOST" -m -n test -S /run/avahi-daemon/socket &&
		    return 0
		sleep 0.1
	done
	fail "avahi-daemon did not start in $1"
}

on() { local h=$1; shift; nsenter -t "$h" -m -n "$@"; }

count() { grep -Ec "$1" "$STATE/fleetd.err" || true; }

# logged N PATTERN: fleetd's log has PATTERN N times within 10 s.
logged() {
	local n
	for _ in $(seq 100); do
		n=$(count "$2")
		[ "${n:-0}" -ge "$1" ] && return 0
		sleep 0.1
	done
	cat "$STATE/fleetd.err" >&2
	fail "fleetd never logged \"$2\" $1 times"
}

# No avahi-daemon (the sandbox's D-Bus has none): a clear error; and
# fleet_open falls back to the local libvirt, as every test shows.
rc=0
out=$("$BIN/fleet-ps" --routers 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q '^fleet-ps: DNS-SD: no avahi-daemon' ||
    fail "fleet-ps --routers without avahi: $rc: $out"

# The router's host is this namespace: its avahi-daemon on fleet0.
daemons "$(avahi_conf fleet0)"
use_libvirt
start_fleetd -L "$URI" --mdns-name "fleet test"
ip link show fleet0 >/dev/null || fail "no fleet0"
standin h1 remote 10.77.0.1
# another host reaches the router's proxy and control port
q "allow remote router tcp/16509" "allow remote router tcp/7707" |
    grep -c '^ok' | grep -qx 2 || fail "allow remote -> router"
logged 1 'published "fleet test"'

# An outside client's view: the service, its address and TXT records.
out=$(timeout 10 avahi-browse -rtp _fleet._tcp)
echo "$out" | grep -q '^=;fleet0;IPv4;fleet\\032test;_fleet\._tcp;local;' ||
    fail "avahi-browse does not see the service: $out"
line=$(echo "$out" | grep '^=;fleet0;IPv4;fleet\\032test;' | head -1)
case $line in
*';10.77.0.1;7707;'*) ;;
*) fail "service address or port: $line" ;;
esac
for t in '"uri=qemu+tcp://10.77.0.1/system"' '"ctl=tcp:10.77.0.1:7707"' \
    '"v=1"'; do
	case $line in *"$t"*) ;; *) fail "no TXT $t: $line" ;; esac
done

# libfleet, on the router's host.
out=$("$BIN/fleet-ps" --routers -o json)
echo "$out" | grep -q '"name": "fleet test", .*"address": "10.77.0.1", "uri": "qemu+tcp://10.77.0.1/system", "ctl": "tcp:10.77.0.1:7707", "version": 1' ||
    fail "fleet-ps --routers (router's host): $out"
out=$("$BIN/fleet-ps" --routers)
echo "$out" | head -1 | grep -q '^NAME  *HOST  *ADDRESS  *URI  *CTL$' ||
    fail "fleet-ps --routers table header: $out"
echo "$out" | grep -q '^fleet test  .* 10\.77\.0\.1  *qemu+tcp://10\.77\.0\.1/system  *tcp:10\.77\.0\.1:7707$' ||
    fail "fleet-ps --routers table: $out"

# Another host on the bridge: its own avahi-daemon, on its eth0.
host h1 eth0
H1=$HOST
# (its avahi-daemon has just started: a few tries)
for _ in $(seq 10); do
	out=$(on "$H1" "$BIN/fleet-ps" --routers -o json 2>&1) || true
	case $out in *'"name": "fleet test"'*) break ;; esac
	echo "another host: not found yet" >&2
done
echo "$out" | grep -q '"name": "fleet test", .*"address": "10.77.0.1".*"local": false' ||
    fail "fleet-ps --routers (another host): $out $(on "$H1" avahi-browse -atrp 2>&1; on "$H1" ip a; nft list ruleset | grep -i -A3 'input\|output')"
# fleet_open(NULL) there takes it (FLEET_DEBUG says which router) and
# uses it: a VM made through the router's proxy (that host has no
# libvirtd of its own), and listed.
out=$(on "$H1" env -u FLEET_CTL -u FLEET_URI FLEET_DEBUG=1 \
    timeout 60 "$BIN/fleet-run" hello 2>&1) ||
    fail "fleet-run hello on another host: $out"
echo "$out" | grep -q 'libfleet: DNS-SD: router fleet test at 10.77.0.1 (qemu+tcp://10.77.0.1/system)' ||
    fail "fleet_open(NULL) on another host did not take the router: $out"
echo "$out" | grep -qx 'Hello, world!' ||
    fail "fleet-run hello on another host printed: $out"
id=$(on "$H1" env -u FLEET_CTL -u FLEET_URI timeout 60 "$BIN/fleet-run" \
    -d spin 2>&1) || fail "fleet-run -d spin on another host: $id"
out=$(on "$H1" env -u FLEET_CTL -u FLEET_URI "$BIN/fleet-ps" 2>&1) ||
    fail "fleet-ps on another host: $out"
echo "$out" | grep -q "^$id  *spin " ||
    fail "fleet-ps on another host does not list $id: $out"
on "$H1" env -u FLEET_CTL -u FLEET_URI "$BIN/fleet-kill" -s KILL "$id" ||
    fail "fleet-kill $id on another host"
# fsh -H takes the router by name, for its own VMs and those of the
# tools it runs.
out=$(on "$H1" env -u FLEET_CTL -u FLEET_URI timeout 60 "$BIN/fsh" \
    -H "fleet test" -c 'hello; echo hi | upcase' 2>&1) ||
    fail "fsh -H 'fleet test' on another host: $out"
[ "$out" = "$(printf 'Hello, world!\nHI')" ] ||
    fail "fsh -H 'fleet test' on another host printed: $out"
# -H names a router that is not there: fsh says so, status 2.
rc=0
out=$(on "$H1" env -u FLEET_CTL -u FLEET_URI "$BIN/fsh" -H nowhere \
    -c 'echo hi' 2>&1) || rc=$?
[ "$rc" = 2 ] || fail "fsh -H nowhere: status $rc: $out"
echo "$out" | grep -q 'no router named "nowhere"' ||
    fail "fsh -H nowhere: $out"


# A second fleetd on the same bridge (its own namespace, bridge joined
# to ours by a veth pair) under the same name: it is renamed, and the
# router's host finds both. (The bridge forwards nothing between its
# ports but declared flows, mDNS included: h1 does not see r2.)
ip netns add r2
mkdir -p "$STATE/r2"
ip link add r2-link type veth peer name r2-uplink netns r2
ip link set r2-link master fleet0 up
ip netns exec r2 unshare --mount --propagation private --pid --fork \
    --kill-child -- bash -c "
	mount -t tmpfs -o mode=755 r2-fleet /run/fleet
	$(declare -f daemons); daemons $(avahi_conf fleet0) || exit 1
	ip link set lo up
	FLEET_CTL=/run/fleet/fleetd.sock exec $BIN/fleetd -d $STATE/r2 \
	    -a 10.77.128.1/16 --mdns-name 'fleet test' 2>$STATE/r2.err" &
HOSTS+=("$!")
R2=$!
for _ in $(seq 100); do
	ip -n r2 link show fleet0 >/dev/null 2>&1 && break
	sleep 0.1
done
ip -n r2 link set r2-uplink master fleet0 up
found=
for _ in $(seq 30); do
	out=$("$BIN/fleet-ps" --routers -o json 2>&1) || true
	n=$(echo "$out" | grep -c '"name": "fleet test' || true)
	[ "${n:-0}" -ge 2 ] && { found=1; break; }
	sleep 0.5
done
[ -n "$found" ] || fail "two routers on one bridge, not both found: $out $(cat "$STATE/r2.err"; ps -eo pid,args | grep -e avahi -e dbus; ls -la /run/avahi-daemon /run/dbus)"
echo "$out" | grep -q '"address": "10.77.128.1"' ||
    fail "the second router's address: $out"
echo "$out" | grep -q '"name": "fleet test #2"' ||
    fail "no renamed router after the collision: $out"
kill -KILL "$R2" 2>/dev/null || true

# avahi-daemon killed and started again: fleetd publishes again.
before=$(count 'published "fleet test"')
sh -c 'kill "$(cat /run/avahi-daemon/pid)"'
logged 1 'avahi-daemon went away'
avahi-daemon --no-chroot --no-drop-root -f "$STATE/avahi-fleet0.conf" -D
logged $((before + 1)) 'published "fleet test"'
out=$(on "$H1" "$BIN/fleet-ps" --routers -o json)
echo "$out" | grep -q '"name": "fleet test", .*"address": "10.77.0.1"' ||
    fail "not found again after avahi-daemon came back: $out"
echo "PASS: mdns"
