#!/bin/bash
# pool-suite.sh: integration and fsh scripts again, with a fleetd whose
# warm pool holds the images they run (FLEET_TEST_POOL=1): what a program
# sees must not depend on where its VM came from. Then: the pool served.
set -u
ROUTER_NET=sandbox
. "$(dirname "$0")/lib.sh"

use_libvirt
: "${FLEET_SRC:?}" "${FLEET_PATH:?}"
export FLEET_TEST_POOL=1
images="echo exit false true hello crash cat upcase seq wc sha256sum yes
    head spin"
args=()
for i in $images; do args+=(--pool "$i:1"); done
start_fleetd --libvirt "$URI" "${args[@]}"
for _ in $(seq 240); do
	[ "$(q pool | grep -c '^idle ')" -ge 14 ] && break
	sleep 0.25
done

rc=0
for s in run stdio signals stress; do
	bash "$FLEET_SRC/tests/integration/$s.sh" || { echo "FAIL: $s.sh"; rc=1; }
done
bash "$FLEET_SRC/tests/fsh/vm.sh" "$BIN/fsh" || { echo "FAIL: fsh vm.sh"; rc=1; }

# The pool served the scripts' runs (else this proved nothing).
q pool | grep '^pool '
served=$(q pool | awk '$1 == "pool" { n += $7 } END { print n + 0 }')
[ "$served" -ge 20 ] || fail "the pool served $served claims, not 20 or more"
[ $rc = 0 ] || fail "a script failed with the pool on"
echo "PASS pool-suite ($served claims served)"
