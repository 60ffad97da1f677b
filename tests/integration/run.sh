# run.sh: exit statuses, argv, crash reports
. "$(dirname "$0")/lib.sh"
need echo exit false true crash hello id cat

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
# argv past the command line's 4 KiB, and past the 1 MiB words limit.
big=$(seq -w 1 40000)
# shellcheck disable=SC2086 # one word per line, on purpose
t $run echo $big > "$tmp/got"
echo $big | cmp -s - "$tmp/got" && pass "40000 arguments (240 KB)" ||
    fail "40000 arguments: $(wc -c < "$tmp/got") bytes back"
word=$(head -c 120000 /dev/zero | tr '\0' x)
t $run echo $word $word $word $word $word $word $word $word $word \
    > /dev/null 2> "$tmp/err"; rc=$?
[ $rc = 126 ] && grep -q "^fleet-run: arguments and environment longer than" \
    "$tmp/err" && pass "1 MiB of arguments: refused" ||
    fail "1 MiB of arguments: $rc $(cat "$tmp/err")"

# The program runs as its caller, and -s shows its system calls.
out=$(t $run id -u) && [ "$out" = "$(id -u)" ] && pass "id -u is the caller's" ||
    fail "id -u: '$out', want $(id -u)"
out=$(t $run -s cat /etc/shadow 2>&1); rc=$?
[ $rc = 1 ] && grep -q "^fleetrt: open.*/etc/shadow" <<<"$out" &&
    grep -q "^fleetrt: exit_group(0x1)" <<<"$out" &&
    pass "-s: system calls on stderr" || fail "-s: $rc: $out"
finish
