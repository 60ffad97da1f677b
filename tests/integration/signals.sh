# signals.sh: SIGINT/SIGTERM forwarded, SIGKILL of fleet-run cleans up
. "$(dirname "$0")/lib.sh"
need spin
set -m	# background jobs keep SIGINT, as from a terminal

spin_up() { [ -n "$(virsh list --name | grep '^fleet-spin-')" ]; }
# Start fleet-run spin in the background, with a watchdog.
start() {
	$run spin & pid=$!
	(sleep 60; kill -KILL $pid 2>/dev/null) & dog=$!
	within 20 spin_up || fail "spin did not start"
}
stop_dog() { kill -- -$dog 2>/dev/null; wait $dog 2>/dev/null; }

for sig in INT TERM; do
	start
	kill -s $sig $pid
	wait $pid; rc=$?
	stop_dog
	want=$((128 + $(kill -l $sig)))
	[ $rc = $want ] && pass "SIG$sig gives $want" ||
	    fail "SIG$sig gave $rc"
	within 10 no_domains || fail "domain left after SIG$sig"
done

start
kill -KILL $pid
wait $pid 2>/dev/null
stop_dog
within 10 no_domains && pass "SIGKILL of fleet-run: no domain left" ||
    fail "SIGKILL of fleet-run left $(fleet_domains)"
finish
