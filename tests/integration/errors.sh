# errors.sh: clear messages and non-zero statuses, nothing left behind
. "$(dirname "$0")/lib.sh"

t $run no-such-image 2> "$tmp/err"; rc=$?
[ $rc = 127 ] && grep -q "no-such-image" "$tmp/err" &&
    grep -q "$FLEET_PATH" "$tmp/err" && pass "unknown image" ||
    fail "unknown image: $rc $(cat "$tmp/err")"

printf 'not an elf\n' > "$tmp/bogus"
t $run "$tmp/bogus" 2> "$tmp/err"; rc=$?
[ $rc = 126 ] && grep -q "$tmp/bogus" "$tmp/err" &&
    grep -q "not a multiboot ELF" "$tmp/err" && pass "non-ELF file" ||
    fail "non-ELF: $rc $(cat "$tmp/err")"

t $kill fleet-nothing-00000000 2> "$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q "fleet-nothing-00000000" "$tmp/err" &&
    pass "unknown id" || fail "unknown id: $rc $(cat "$tmp/err")"

t $kill -s BOGUS x 2> /dev/null; rc=$?
[ $rc = 2 ] && pass "unknown signal" || fail "unknown signal: $rc"

dead='qemu+unix:///system?socket=/nonexistent/libvirt-sock'
FLEET_URI=$dead T=20 t $run hello 2> "$tmp/err"; rc=$?
[ $rc = 125 ] && grep -q "/nonexistent" "$tmp/err" &&
    pass "libvirtd down" || fail "libvirtd down: $rc $(cat "$tmp/err")"
FLEET_URI=$dead T=20 t $ps 2> "$tmp/err"; rc=$?
[ $rc = 1 ] && grep -q "fleet-ps:" "$tmp/err" && pass "fleet-ps, libvirtd down" ||
    fail "fleet-ps, libvirtd down: $rc"
finish
