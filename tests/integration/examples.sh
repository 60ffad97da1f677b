# examples.sh: the programs in examples/ against the real stack
. "$(dirname "$0")/lib.sh"
need hello exit spin false
ex=$FLEET_BUILD/examples

[ "$(t "$ex/spawn-wait" hello 2> "$tmp/err")" = "Hello, world!" ] &&
    grep -q ": exited 0" "$tmp/err" && pass "spawn-wait hello" ||
    fail "spawn-wait hello: $(cat "$tmp/err")"
t "$ex/spawn-wait" exit 7 2> /dev/null; rc=$?
[ $rc = 7 ] && pass "spawn-wait exit 7" || fail "spawn-wait exit 7: $rc"

# Two VMs at once, in the caller's own poll loop (fleet_conn_fd()).
out=$(t "$ex/poll" hello false 2> "$tmp/err"); rc=$?
[ "$out" = "Hello, world!" ] && [ $rc = 1 ] &&
    grep -qx "hello: exited 0" "$tmp/err" &&
    grep -qx "false: exited 1" "$tmp/err" && pass "poll hello false" ||
    fail "poll hello false: rc $rc, '$out', $(cat "$tmp/err")"

id=$(t $run -d spin x)
t "$ex/list" > "$tmp/list"
grep -q "^$id spin running \[spin\] \[x\]$" "$tmp/list" && pass "list" ||
    fail "list: $(cat "$tmp/list")"
t $kill -s KILL "$id"
finish
