#!/bin/bash
# spawn.sh: with a fleetd reachable, a spawned VM gets a lease: its NIC is
# a tap named after it on the fleet bridge, its command line carries
# fleet.ip= and fleet.gw=, and the lease ends with the VM. With no fleetd,
# the VM has no NIC and still runs.
set -u
ROUTER_NET=sandbox
. "$(dirname "$0")/lib.sh"

use_libvirt
run=$BIN/fleet-run
kill=$BIN/fleet-kill

# The domain a detached spin became, from fleet-run -d's output.
spawn_spin() { timeout 60 "$run" -d spin 2>"$STATE/run.err"; }

start_fleetd --libvirt "$URI"
id=$(spawn_spin) || fail "fleet-run -d spin: $(cat "$STATE/run.err")"
dom=$(virsh -q -c "$URI" list --name | grep -- "$id" | head -1)
[ -n "$dom" ] || fail "no domain for $id"
xml=$(virsh -q -c "$URI" dumpxml "$dom")
line=$(q vms | grep "^vm $dom ") || fail "fleetd has no lease for $dom"
set -- $line
prog=$3 tap=$4 mac=$5 ip=$6
[ "$prog" = spin ] || fail "lease names program '$prog', not spin"
case $xml in *"fleet.ip=$ip/16"*"fleet.gw=10.77.0.1"*) ;;
*) fail "cmdline lacks fleet.ip=$ip/16 fleet.gw=10.77.0.1" ;; esac
grep -q "<source bridge='fleet0'/>" <<<"$xml" || fail "NIC not on fleet0"
grep -q "<target dev='$tap'/>" <<<"$xml" || fail "tap is not $tap"
grep -q "<mac address='$mac'/>" <<<"$xml" || fail "MAC is not $mac"
ip -o link show master fleet0 | grep -q " $tap[:@]" ||
    fail "$tap is not on fleet0"
nft list set bridge fleet ports | grep -q "$tap" ||
    fail "no anti-spoofing binding for $tap"

timeout 30 "$kill" -s KILL "$id" || fail "fleet-kill -s KILL $id"
for _ in $(seq 100); do
	q vms | grep -q "^vm $dom " || break
	sleep 0.1
done
q vms | grep -q "^vm $dom " && fail "lease of $dom kept after it ended"

# A foreground VM with a lease runs as before.
out=$(timeout 60 "$run" echo net ok) || fail "fleet-run echo with a lease"
[ "$out" = "net ok" ] || fail "echo printed '$out'"

# No fleetd: no NIC, no settings, still runs.
kill -TERM "$FLEETD"
wait "$FLEETD"
FLEETD=
id=$(spawn_spin) || fail "fleet-run -d spin without fleetd: " \
    "$(cat "$STATE/run.err")"
dom=$(virsh -q -c "$URI" list --name | grep -- "$id" | head -1)
xml=$(virsh -q -c "$URI" dumpxml "$dom")
timeout 30 "$kill" -s KILL "$id"
grep -q "<interface" <<<"$xml" && fail "a NIC without fleetd"
grep -q "fleet.ip=" <<<"$xml" && fail "fleet.ip= without fleetd"
echo "PASS spawn"
