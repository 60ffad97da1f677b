# examples.sh: the programs in examples/ against the real stack
. "$(dirname "$0")/lib.sh"
need hello exit spin
ex=$FLEET_BUILD/examples

[ "$(t "$ex/spawn-wait" hello 2> "$tmp/err")" = "Hello, world!" ] &&
    grep -q ": exited 0" "$tmp/err" && pass "spawn-wait hello" ||
    fail "spawn-wait hello: $(cat "$tmp/err")"
t "$ex/spawn-wait" exit 7 2> /dev/null; rc=$?
[ $rc = 7 ] && pass "spawn-wait exit 7" || fail "spawn-wait exit 7: $rc"

id=$(t $run -d spin x)
t "$ex/list" > "$tmp/list"
grep -q "^$id spin running \[spin\] \[x\]$" "$tmp/list" && pass "list" ||
    fail "list: $(cat "$tmp/list")"
t $kill -s KILL "$id"
finish
