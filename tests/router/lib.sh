# lib.sh: shared by the router tests. Each test runs in a network and mount
# namespace of its own inside scripts/sandbox.sh, so that tests never meet
# each other, and never the machine's network.

fail() { echo "FAIL: $*" >&2; exit 1; }

if [ "${FLEET_SANDBOX:-}" != 1 ]; then
	echo "FAIL: run inside scripts/sandbox.sh (FLEET_SANDBOX=1); this" \
	    "test changes nftables, bridges and sysctls" >&2
	exit 1
fi
# ROUTER_NET=sandbox: keep the sandbox's network namespace, where libvirtd
# makes its taps (the test then runs alone: RUN_SERIAL).
if [ "${FLEET_ROUTER_NS:-}" != 1 ]; then
	export FLEET_ROUTER_NS=1
	net=--net
	[ "${ROUTER_NET:-}" = sandbox ] && net=
	exec unshare --mount $net --propagation private -- bash "$0" "$@"
fi
# Our own /run/fleet and /run/netns; the sandbox's libvirtd socket stays.
mkdir -p /run/fleet /run/netns
mount -t tmpfs -o mode=755 router-fleet /run/fleet
mount -t tmpfs -o mode=755 router-netns /run/netns
ip link set lo up

BIN=${FLEET_BIN:?FLEET_BIN unset}
export FLEET_CTL=/run/fleet/fleetd.sock
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
STATE=$(mktemp -d /tmp/fleet-router.XXXXXX)
PIDS=()
FLEETD=

cleanup() {
	local p
	for p in "${PIDS[@]}" $FLEETD; do
		kill "$p" 2>/dev/null
	done
	wait 2>/dev/null
	rm -rf "$STATE"
}
trap cleanup EXIT

# use_libvirt: the sandbox's libvirtd, in URI and FLEET_URI
use_libvirt() {
	[ -S /run/libvirt/libvirt-sock ] || fail "no libvirtd in the sandbox"
	URI=qemu:///system
	export FLEET_URI=$URI
}

# start_fleetd [ARGS]: fleetd in the background, until its socket answers.
start_fleetd() {
	"$BIN/fleetd" -d "$STATE" "$@" 2>"$STATE/fleetd.err" &
	FLEETD=$!
	for _ in $(seq 100); do
		q ping >/dev/null 2>&1 && return 0
		kill -0 "$FLEETD" 2>/dev/null || break
		sleep 0.05
	done
	cat "$STATE/fleetd.err" >&2
	fail "fleetd did not start"
}

# q LINE...: send request lines to fleetd, print the replies.
q() { printf '%s\n' "$@" | socat -t5 -T5 - "UNIX-CONNECT:$FLEET_CTL"; }

# standin NAME PROGRAM: a network namespace joined to fleet0 by a veth
# pair (t-NAME on the bridge), leased and registered with fleetd.
standin() {
	local name=$1 prog=$2 reply ip mac
	reply=$(q "lease $name $prog t-$name") || fail "lease $name: $reply"
	case $reply in ok\ *) ;; *) fail "lease $name: $reply" ;; esac
	set -- $reply
	ip=$2 mac=$4
	ip netns add "$name"
	ip link add "t-$name" type veth peer name eth0 netns "$name"
	ip link set "t-$name" master fleet0 up
	ip -n "$name" link set eth0 address "$mac"
	ip -n "$name" addr add "$ip" dev eth0
	ip -n "$name" link set eth0 up
	ip -n "$name" link set lo up
	ip -n "$name" route add default via "${3}"
	eval "IP_${name}=${ip%/*}"
	eval "MAC_${name}=$mac"
}

# serve NAME PROTO PORT: answer "pong NAME" on PROTO/PORT inside NAME.
serve() {
	local name=$1 proto=$2 port=$3 spec
	case $proto in
	tcp) spec="TCP-LISTEN:$port,reuseaddr,fork" ;;
	udp) spec="UDP-RECVFROM:$port,fork" ;;
	esac
	ip netns exec "$name" socat "$spec" SYSTEM:"echo pong-$name" \
	    2>/dev/null &
	PIDS+=($!)
}

# reach FROM PROTO IP PORT: 0 if FROM gets an answer within 2 s.
reach() {
	local from=$1 proto=$2 ip=$3 port=$4 out
	case $proto in
	tcp) out=$(ip netns exec "$from" timeout 5 socat -T2 - \
	    "TCP:$ip:$port,connect-timeout=2" </dev/null 2>/dev/null) ;;
	udp)	# a datagram may be lost on a loaded machine: three tries
		for _ in 1 2 3; do
			out=$(echo ping | ip netns exec "$from" timeout 5 \
			    socat -T2 - "UDP:$ip:$port" 2>/dev/null)
			case $out in pong-*) return 0 ;; esac
		done ;;
	esac
	case $out in pong-*) return 0 ;; esac
	return 1
}

wait_listen() {	# wait_listen NAME PORT: a TCP or UDP socket is bound
	for _ in $(seq 100); do
		ip netns exec "$1" ss -ltunH "sport = :$2" | grep -q . &&
		    return 0
		sleep 0.05
	done
	fail "nothing listens on $1:$2"
}
