# embed.sh: the embedded driver (no libvirtd involved): runs, and leaves
# no QEMU behind, even when fleet-run is killed
. "$(dirname "$0")/lib.sh"
need hello exit spin
export FLEET_URI="qemu:///embed?root=$tmp/embed"
T=120
qemus() { pgrep -f "qemu-system.*$tmp/embed" || true; }
no_qemu() { [ -z "$(qemus)" ]; }

[ "$(t $run hello 2> "$tmp/err")" = "Hello, world!" ] && [ ! -s "$tmp/err" ] &&
    pass "embedded hello, quiet stderr" || fail "embedded hello: $(cat "$tmp/err")"
t $run exit 42; rc=$?
[ $rc = 42 ] && pass "embedded exit 42" || fail "embedded exit 42: $rc"
within 5 no_qemu && pass "no QEMU left" || fail "QEMU left: $(qemus)"

set -m
$run spin & pid=$!
within 30 sh -c "pgrep -f 'qemu-system.*$tmp/embed' > /dev/null"
kill -TERM $pid
wait $pid; rc=$?
[ $rc = 143 ] && pass "embedded SIGTERM" || fail "embedded SIGTERM: $rc"
within 10 no_qemu && pass "no QEMU left after SIGTERM" ||
    { fail "QEMU left: $(qemus)"; pkill -KILL -f "qemu-system.*$tmp/embed"; }
exit $failed
