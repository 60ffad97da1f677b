#!/bin/sh
# bench/quiet.sh [SOCKET]: wait (at most 60 s) until libvirt runs no VM
# but, when the fleetd listening on SOCKET has a warm pool, that pool's
# VMs, all claimable (idle, or recycled for their last user): none
# booting, none claimed, none being destroyed.
# The untimed prepare step of each timed run, so that no run pays for
# the one before it.
idle() {
	[ -n "${1:-}" ] || { echo 0; return 0; }
	printf 'pool\n' | socat -t5 - "UNIX-CONNECT:$1" |
	    awk '$1 == "pool" { n++; idle += $4; if ($3 == $4 && $5 == 0 && $6 == 0) f++ }
	    $1 == "recycled" { idle++ }
	    END { if (n > 0 && f == n) print idle; else print -1 }'
}
for _ in $(seq 600); do
	want=$(idle "${1:-}")
	[ "$want" -ge 0 ] && [ "$(virsh -q list --name | grep -c .)" = "$want" ] &&
	    exit 0
	sleep 0.05
done
echo "bench/quiet.sh: libvirt did not settle${1:+ (pool of $1)}" >&2
exit 1
