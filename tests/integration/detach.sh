# detach.sh: -d, fleet-ps, fleet-kill STOP/CONT/TERM
. "$(dirname "$0")/lib.sh"
need spin

id=$(t $run -d spin arg1 'two words')
case $id in fleet-spin-*) pass "detached id $id" ;; *) fail "id '$id'" ;; esac
state() { t $ps | awk -v id="$1" '$1 == id { print $3 }'; }

[ "$(state "$id")" = running ] && pass "ps: running" || fail "ps: $(t $ps)"
t $ps | grep -q "spin arg1 two words" && pass "ps args" || fail "ps args"
t $ps -o json > "$tmp/ps.json"
python3 - "$tmp/ps.json" "$id" <<'PY' && pass "ps json" || fail "ps json"
import json, sys
l = json.load(open(sys.argv[1]))
v = [x for x in l if x["id"] == sys.argv[2]][0]
assert v["argv"] == ["spin", "arg1", "two words"], v
assert v["state"] == "running" and v["detached"] is True
PY
t $kill -s STOP "$id" && [ "$(state "$id")" = paused ] &&
    pass "STOP: paused" || fail "STOP: $(state "$id")"
t $kill -s CONT "${id##*-}" && [ "$(state "$id")" = running ] &&
    pass "CONT by short id: running" || fail "CONT: $(state "$id")"
t $kill "$id" && pass "TERM" || fail "TERM failed"
gone() { [ -z "$(state "$id")" ]; }
within 10 gone && pass "gone from ps" || fail "still listed after TERM"

id=$(t $run -d spin)
t $kill -s KILL "$id" && within 5 gone && pass "KILL" || fail "KILL"
finish
