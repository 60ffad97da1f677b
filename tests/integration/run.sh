# run.sh: exit statuses, argv, crash reports
. "$(dirname "$0")/lib.sh"
need echo exit false true crash hello

out=$(t $run echo 'a b' "c'd" '<x&y>')
[ "$out" = "a b c'd <x&y>" ] && pass "echo words" || fail "echo: '$out'"
printf 'a b\n' > "$tmp/want"
t $run echo '' 'a' '%' $'tab\there' > "$tmp/got"
[ "$(cat "$tmp/got")" = " a % $(printf 'tab\there')" ] &&
    pass "empty, % and tab words" || fail "echo odd words: $(cat "$tmp/got")"

t $run exit 42; rc=$?
[ $rc = 42 ] && pass "exit 42" || fail "exit 42 gave $rc"
t $run false; rc=$?
[ $rc = 1 ] && pass "false" || fail "false gave $rc"
t $run true; rc=$?
[ $rc = 0 ] && pass "true" || fail "true gave $rc"
[ "$(t $run hello)" = "Hello, world!" ] && pass hello || fail hello

t $run crash 2> "$tmp/err"; rc=$?
[ $rc = 139 ] && pass "crash 139" || fail "crash gave $rc"
grep -q 'fleet-run: crash: crashed (SIGSEGV)' "$tmp/err" &&
    pass "crash message" || fail "crash message: $(cat "$tmp/err")"
finish
