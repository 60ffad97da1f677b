#!/bin/bash
# restart.sh: 100 flows survive SIGKILL (kernel rules stay: fail closed)
# and a restart, which installs the very same ruleset.
set -u
. "$(dirname "$0")/lib.sh"

ruleset() {	# both tables, elements one a line and sorted (hash order varies)
	{ nft list table inet fleet; nft list table bridge fleet; } |
	    sed -e 's/elements = { /elements = {\n/' |
	    sed -e 's/^[[:space:]]*//' -e 's/[,]$//' -e 's/ }$//' | sort
}

start_fleetd
standin a1 alpha
standin a2 alpha
standin b1 beta
for i in $(seq 1 60); do echo "alpha beta tcp/$((1000 + i))"; done \
    >"$STATE/bulk"
for i in $(seq 1 20); do echo "beta alpha udp/$((2000 + i))-$((2000 + i + 5))"; done \
    >>"$STATE/bulk"
"$BIN/fleet-allow" --file "$STATE/bulk" || fail "bulk allow"
for i in $(seq 1 19); do
	"$BIN/fleet-allow" alpha router "tcp/$((3000 + i))" || fail "allow $i"
done
"$BIN/fleet-allow" beta alpha icmp || fail "allow icmp"
n=$("$BIN/fleet-allow" --list | tail -n +2 | wc -l)
[ "$n" = 100 ] || fail "expected 100 flows, listed $n"
"$BIN/fleet-allow" --list >"$STATE/list.before"
"$BIN/fleet-allow" --list -o json >"$STATE/json.before"
ruleset >"$STATE/nft.before"
python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
assert len(d) == 100 and d[0]["id"] == 1 and d[0]["proto"] == "tcp", d[0]
assert {"src", "dst", "port_lo", "port_hi"} <= set(d[0])' \
    "$STATE/json.before" || fail "--list -o json is not the expected JSON"
grep -Eq 'alpha +beta +tcp/1060' "$STATE/list.before" || fail "list lacks a flow"

kill -KILL "$FLEETD"
wait "$FLEETD" 2>/dev/null
FLEETD=
ruleset >"$STATE/nft.killed"
cmp -s "$STATE/nft.before" "$STATE/nft.killed" ||
    fail "SIGKILL changed the kernel ruleset (it must stay: fail closed)"

start_fleetd
"$BIN/fleet-allow" --list >"$STATE/list.after"
"$BIN/fleet-allow" --list -o json >"$STATE/json.after"
ruleset >"$STATE/nft.after"
diff -u "$STATE/list.before" "$STATE/list.after" || fail "flows differ"
cmp -s "$STATE/json.before" "$STATE/json.after" || fail "json differs"
diff -u "$STATE/nft.before" "$STATE/nft.after" || fail "ruleset differs"
grep -c 'comment "flow ' "$STATE/nft.after" >/dev/null || fail "no comments"
q vms | grep -c '^vm ' | grep -qx 3 || fail "leases lost"
# The next id goes on from where it was.
"$BIN/fleet-allow" beta router udp/53 || fail "allow after restart"
"$BIN/fleet-allow" --list | grep -q '^101 ' || fail "ids restarted"

# SIGKILL in the middle of a big change: the flows on disk and the rules in
# the kernel are each all of it or none of it.
elems() { nft list set inet fleet flows | grep -c 'comment "flow '; }
for round in 1 2 3 4 5; do
	before=$("$BIN/fleet-allow" --list | tail -n +2 | wc -l)
	kbefore=$(elems)
	for i in $(seq 1 20000); do
		echo "alpha beta udp/$(( (round * 20000 + i) % 65535 + 1 ))"
	done | sort -u >"$STATE/big"
	n=$(wc -l <"$STATE/big")
	"$BIN/fleet-allow" --file "$STATE/big" 2>/dev/null &
	client=$!
	sleep "0.$((RANDOM % 4))$((RANDOM % 10))"
	kill -KILL "$FLEETD"
	wait "$FLEETD" 2>/dev/null
	FLEETD=
	wait "$client" 2>/dev/null
	k=$(elems)
	[ "$k" = "$kbefore" ] || [ "$k" = $((kbefore + 2 * n)) ] ||
	    fail "round $round: kernel has $k elements, not $kbefore or $((kbefore + 2 * n))"
	start_fleetd
	after=$("$BIN/fleet-allow" --list | tail -n +2 | wc -l)
	[ "$after" = "$before" ] || [ "$after" = $((before + n)) ] ||
	    fail "round $round: $after flows, not $before or $((before + n))"
	echo "round $round: flows $before -> $after, kernel elements $kbefore -> $k"
done
echo "PASS restart"
