#!/bin/bash
# allow.sh: fsh's allow builtin declares, lists and revokes flows through
# fleetd, with the same errors as fleet-allow.
set -u
. "$(dirname "$0")/lib.sh"

fsh=$BIN/fsh
start_fleetd
out=$("$fsh" -c 'allow web db tcp/5432 && allow -l') ||
    fail "allow: status $?"
grep -Eq '^1 +web +db +tcp/5432$' <<<"$out" || fail "listed: $out"
q list | grep -q '^flow 1 web db tcp/5432$' || fail "fleetd lacks the flow"

err=$("$fsh" -c 'allow web db tcp/5432' 2>&1) && fail "duplicate allowed"
grep -q '^fsh: allow: ' <<<"$err" || fail "duplicate: $err"

"$fsh" -c 'allow web db tcp/99999' 2>"$STATE/err"
[ $? = 2 ] || fail "bad port: status not 2"
grep -q '99999' "$STATE/err" || fail "bad port not named: $(cat "$STATE/err")"

"$fsh" -c 'allow -r web db tcp/5432' || fail "revoke by flow"
[ -z "$(q list | grep '^flow')" ] || fail "flow kept after revoke"
"$fsh" -c 'allow udp-src db udp/53; allow -r 2' || fail "revoke by id"
[ -z "$(q list | grep '^flow')" ] || fail "flow 2 kept after revoke"
"$fsh" -c 'allow -r 2' 2>/dev/null && fail "revoke of a gone id"

kill -TERM "$FLEETD"
wait "$FLEETD"
FLEETD=
"$fsh" -c 'allow' 2>"$STATE/err"
[ $? = 1 ] || fail "no fleetd: status not 1"
grep -q '^fsh: allow: ' "$STATE/err" || fail "no fleetd: $(cat "$STATE/err")"
echo "PASS allow"
