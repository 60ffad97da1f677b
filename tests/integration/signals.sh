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

# At any stage (connecting, creating, booting, running), INT, TERM and HUP
# end fleet-run within 1 s with 128+N, and leave no domain.
now_ms() { date +%s%3N; }
for sig in TERM INT HUP; do
	for at in 0.05 0.2 0.5 2; do
		$run spin & pid=$!
		(sleep 60; kill -KILL $pid 2>/dev/null) & dog=$!
		sleep $at
		t0=$(now_ms)
		kill -s $sig $pid
		wait $pid; rc=$?
		ms=$(($(now_ms) - t0))
		stop_dog
		want=$((128 + $(kill -l $sig)))
		[ $rc = $want ] || fail "SIG$sig at $at s gave $rc, not $want"
		[ $ms -le 1000 ] || fail "SIG$sig at $at s: fleet-run took $ms ms"
		within 10 no_domains ||
		    fail "SIG$sig at $at s left $(fleet_domains)"
		[ $rc = $want ] && [ $ms -le 1000 ] &&
		    pass "SIG$sig at $at s: $rc in $ms ms"
	done
done
t $run true || fail "a run after the signals failed"	# it sweeps
# (a VM's own directory, NAME.PID; a warm pool's idle VMs have sockets
# of fleetd's beside them)
left=$(find /run/libvirt/fleet "/tmp/fleet-$(id -u)" -mindepth 1 \
    -maxdepth 1 -type d -name 'fleet-spin-*' 2>/dev/null | while read -r d; do
	kill -0 "${d##*.}" 2>/dev/null || echo "$d"
done)
[ -z "$left" ] || fail "console sockets left: $left"

start
kill -KILL $pid
wait $pid 2>/dev/null
stop_dog
within 10 no_domains && pass "SIGKILL of fleet-run: no domain left" ||
    fail "SIGKILL of fleet-run left $(fleet_domains)"
finish
