#!/bin/bash
# enforce.sh: flows decide, with real connections between stand-in VMs.
set -u
. "$(dirname "$0")/lib.sh"

start_fleetd
standin w1 web
standin d1 db
standin o1 other
for p in 5432 5433; do
	serve d1 tcp $p
	serve d1 udp $p
	wait_listen d1 $p
done
serve w1 tcp 5432
wait_listen w1 5432

# Same bridge, one hop: with no flow, nothing passes.
reach w1 tcp "$IP_d1" 5432 && fail "tcp passes with no flow"
reach w1 udp "$IP_d1" 5432 && fail "udp passes with no flow"

q "allow web db tcp/5432" | grep -q '^ok' || fail "allow tcp"
reach w1 tcp "$IP_d1" 5432 || fail "tcp/5432 blocked after allow"
reach w1 tcp "$IP_d1" 5433 && fail "tcp/5433 passes, only 5432 allowed"
reach w1 udp "$IP_d1" 5432 && fail "udp passes, only tcp allowed"
reach d1 tcp "$IP_w1" 5432 && fail "reverse direction open"
reach o1 tcp "$IP_d1" 5432 && fail "another program passes"

q "allow web db udp/5432" | grep -q '^ok' || fail "allow udp"
reach w1 udp "$IP_d1" 5432 || fail "udp/5432 (and its reply) blocked"
reach w1 udp "$IP_d1" 5433 && fail "udp/5433 passes"

q "revoke web db tcp/5432" | grep -q '^ok' || fail "revoke"
reach w1 tcp "$IP_d1" 5432 && fail "tcp passes after revoke"
reach w1 udp "$IP_d1" 5432 || fail "revoking tcp closed udp"

# A port range, then a VM of the program started later gets the flow too.
q "allow web db tcp/5430-5439" | grep -q '^ok' || fail "allow range"
reach w1 tcp "$IP_d1" 5433 || fail "tcp/5433 blocked inside the range"
standin w2 web
reach w2 tcp "$IP_d1" 5433 || fail "a new web VM lacks the flow"
q "release w2" | grep -q '^ok' || fail "release"
nft list set inet fleet flows | grep -q "$IP_w1 . $IP_d1" ||
    fail "flows set lacks w1 -> d1"

# VMs to the router: default deny, then a flow to the control port.
echo ping | ip netns exec w1 timeout 5 socat -T2 - \
    "TCP:10.77.0.1:7707,connect-timeout=2" 2>/dev/null | grep -q '^ok' &&
    fail "a VM reaches the router with no flow"
q "allow web router tcp/7707" | grep -q '^ok' || fail "allow router"
echo ping | ip netns exec w1 timeout 5 socat -T2 - \
    "TCP:10.77.0.1:7707,connect-timeout=2" 2>/dev/null | grep -q '^ok' ||
    fail "flow to the router blocked"
echo "allow other db tcp/1" | ip netns exec w1 timeout 5 socat -T2 - \
    "TCP:10.77.0.1:7707,connect-timeout=2" 2>/dev/null | grep -q '^err EPERM' ||
    fail "a VM may change flows over TCP"

# Spoofing: o1 (no flow) sends as w1's address to d1 (web -> db udp is
# allowed): dropped at the bridge. w1 itself gets through.
ip netns exec d1 socat -u UDP-RECV:6000 OPEN:"$STATE/recv",creat,append &
PIDS+=($!)
wait_listen d1 6000
q "allow web db udp/6000" | grep -q '^ok' || fail "allow udp/6000"
echo from-w1 | ip netns exec w1 socat -u - "UDP-SENDTO:$IP_d1:6000"
ip -n o1 addr add "$IP_w1/32" dev eth0
ip -n o1 neigh replace "$IP_d1" lladdr "$MAC_d1" dev eth0
echo spoofed | ip netns exec o1 socat -u - \
    "UDP-SENDTO:$IP_d1:6000,bind=$IP_w1"
# the same frame with w1's MAC too: still not w1's port
ip -n o1 link set eth0 address "$MAC_w1"
echo spoofed-mac | ip netns exec o1 socat -u - \
    "UDP-SENDTO:$IP_d1:6000,bind=$IP_w1"
sleep 0.5
grep -q from-w1 "$STATE/recv" || fail "w1's own datagram did not arrive"
grep -q spoofed "$STATE/recv" && fail "a spoofed datagram arrived"

# Readable: named sets and chains, flow ids in comments.
nft list table inet fleet | grep -q 'comment "flow ' ||
    fail "no flow comments in the ruleset"

# Stopping fleetd removes its tables; the flows stay on disk.
kill -TERM "$FLEETD"
wait "$FLEETD"
FLEETD=
nft list tables | grep -q fleet && fail "tables left after SIGTERM"
grep -q '^flow .* web db udp/5432' "$STATE/fleetd.state" ||
    fail "flows lost from disk"
echo "PASS enforce"
