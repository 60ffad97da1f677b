#!/bin/sh
# bench/pool-full.sh SOCKET: wait (at most 60 s) until every pool of the
# fleetd listening on SOCKET is full and quiet: all its VMs claimable,
# none booting, none claimed. The untimed prepare step of warm runs.
for _ in $(seq 600); do
	printf 'pool\n' | socat -t5 - "UNIX-CONNECT:$1" |
	    awk '$1 == "pool" { n++; if ($3 == $4 && $5 == 0 && $6 == 0) f++ }
	    END { exit !(n > 0 && f == n) }' && exit 0
	sleep 0.1
done
echo "bench/pool-full.sh: the pool of $1 did not fill" >&2
exit 1
