# stdio.sh: binary-safe stdin/stdout, EOF, a reader that goes away
. "$(dirname "$0")/lib.sh"
need cat
T=180

head -c 1048576 /dev/urandom > "$tmp/in"
t $run cat < "$tmp/in" > "$tmp/out"; rc=$?
[ $rc = 0 ] || fail "cat 1 MiB gave $rc"
[ "$(sha256sum < "$tmp/in")" = "$(sha256sum < "$tmp/out")" ] &&
    pass "cat 1 MiB byte-identical" || fail "cat 1 MiB differs"

: | t $run cat > "$tmp/out"; rc=$?
[ $rc = 0 ] && [ ! -s "$tmp/out" ] && pass "empty stdin" ||
    fail "empty stdin: rc $rc, $(wc -c < "$tmp/out") bytes"
printf 'abc' | t $run cat > "$tmp/out"
[ "$(cat "$tmp/out")" = abc ] && pass "no newline" || fail "no newline"

# The 16550 path (no virtio-serial device) stays byte-exact.
head -c 65536 "$tmp/in" > "$tmp/in64"
FLEET_CONSOLE=serial t $run cat < "$tmp/in64" > "$tmp/out"; rc=$?
[ $rc = 0 ] && cmp -s "$tmp/in64" "$tmp/out" &&
    pass "cat 64 KiB over COM1 (FLEET_CONSOLE=serial)" ||
    fail "cat 64 KiB over COM1: rc $rc, $(wc -c < "$tmp/out") bytes"

# A reader that goes away: the VM ends as with SIGPIPE (128+13).
t $run cat < "$tmp/in" | head -c 10 > /dev/null
rc=${PIPESTATUS[0]}
[ $rc = 141 ] && pass "EPIPE is SIGPIPE" || fail "EPIPE gave $rc"
finish
