#!/bin/bash
# flows.sh [BUILD]: time to apply 10, 1,000 and 100,000 flows through fleetd
# against `nft -f` of the same ruleset, and TCP connect latency between two
# stand-in VMs with 1 and with 100,000 flows installed. Runs in a private
# network and mount namespace of its own; never the machine's network.
# Needs hyperfine, socat, nft (the nft CLI only as the comparison).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${FLEET_BUILD:-$src/build}}
if [ "${FLEET_BENCH_NS:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] || { echo "flows.sh: must run as root" >&2; exit 1; }
	export FLEET_BENCH_NS=1
	exec unshare --mount --net --propagation private -- "$0" "$build"
fi
mount -t tmpfs -o mode=755 flows-bench /run
mkdir -p /run/fleet /run/netns
ip link set lo up

BIN=$build/bin
W=$(mktemp -d /tmp/fleet-bench.XXXXXX)
export FLEET_CTL=/run/fleet/fleetd.sock
export BIN W FLEET_CTL
PIDS=()
trap '[ -n "${KEEP:-}" ] && cp -r "$W" /tmp/fw/benchkeep; kill ${PIDS[@]} $(cat $W/fleetd.pid 2>/dev/null) 2>/dev/null; rm -rf "$W"' EXIT
cc -O2 -o "$W/connlat" "$src/bench/flows-connlat.c"

q() { printf '%s\n' "$@" | socat -t5 -T5 - "UNIX-CONNECT:$FLEET_CTL"; }

# fleetd-restart: stop fleetd, keep only its leases, start it again.
cat >"$W/fleetd-restart" <<'EOS'
#!/bin/bash
[ -f "$W/fleetd.pid" ] && kill "$(cat "$W/fleetd.pid")" 2>/dev/null &&
    while kill -0 "$(cat "$W/fleetd.pid")" 2>/dev/null; do sleep 0.01; done
grep -v '^flow ' "$W/state/fleetd.state" >"$W/state/x" 2>/dev/null &&
    mv "$W/state/x" "$W/state/fleetd.state"
"$BIN/fleetd" -d "$W/state" --no-tcp 2>>"$W/fleetd.err" &
echo $! >"$W/fleetd.pid"
for _ in $(seq 200); do
	echo ping | socat -t1 - "UNIX-CONNECT:$FLEET_CTL" 2>/dev/null |
	    grep -q ok && exit 0
	sleep 0.01
done
exit 1
EOS
chmod +x "$W/fleetd-restart"
mkdir -p "$W/state"
"$W/fleetd-restart"

standin() {	# standin NAME PROGRAM: netns on fleet0, leased from fleetd
	local r
	r=$(q "lease $1 $2 t-$1")
	set -- $1 $r
	ip netns add "$1"
	ip link add "t-$1" type veth peer name eth0 netns "$1"
	ip link set "t-$1" master fleet0 up
	ip -n "$1" link set eth0 address "$5"
	ip -n "$1" addr add "$3" dev eth0
	ip -n "$1" link set eth0 up
}
standin a1 alpha
standin b1 beta
IP_b1=$(ip -n b1 -4 -o addr show eth0 | awk '{print $4}' | cut -d/ -f1)

flows() {	# flows N: alpha -> beta, tcp/1.. then udp/1..
	local n=$1
	awk -v n="$n" 'BEGIN { for (i = 1; i <= n; i++)
		if (i <= 65535) print "alpha beta tcp/" i
		else print "alpha beta udp/" i - 65535 }'
}

# The same ruleset for nft -f: what fleetd installed, as nft prints it.
nft_file() {	# nft_file N
	"$W/fleetd-restart"
	"$BIN/fleet-allow" --file "$W/flows-$1"
	{
		echo "table inet fleet; delete table inet fleet"
		echo "table bridge fleet; delete table bridge fleet"
		nft list table inet fleet
		nft list table bridge fleet
	} >"$W/ruleset-$1.nft"
}

for n in 10 1000 100000; do
	flows $n >"$W/flows-$n"
	nft_file $n
	runs=10
	[ $n = 100000 ] && runs=5
	hyperfine --warmup 1 --runs $runs -N --style basic \
	    --prepare "$W/fleetd-restart" \
	    --export-markdown "$W/apply-$n.md" \
	    -n "fleetd, $n flows" "$BIN/fleet-allow --file $W/flows-$n" \
	    -n "nft -f, $n flows" "nft -f $W/ruleset-$n.nft" >&2
	cat "$W/apply-$n.md"
	echo
done

# Connect latency a1 -> b1:5000 with 1 flow and with 100,000 flows.
ip netns exec b1 "$W/connlat" serve 5000 &
PIDS+=($!)
sleep 0.3
for n in 1 100000; do
	"$W/fleetd-restart"
	if [ $n = 1 ]; then
		"$BIN/fleet-allow" alpha beta tcp/5000
	else
		"$BIN/fleet-allow" --file "$W/flows-100000"
	fi
	echo "flows installed: $n ($(nft list set inet fleet flows | grep -c ' \. ') element lines)"
	ip netns exec a1 "$W/connlat" connect "$IP_b1" 5000 200 >/dev/null
	for i in 1 2 3; do
		ip netns exec a1 "$W/connlat" connect "$IP_b1" 5000 2000
	done
	hyperfine --warmup 1 --runs 10 -N --style basic \
	    --export-markdown "$W/conn-$n.md" \
	    -n "1000 connects, $n flows" \
	    "ip netns exec a1 $W/connlat connect $IP_b1 5000 1000" >&2
	cat "$W/conn-$n.md"
	echo
done
