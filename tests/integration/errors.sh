# errors.sh: clear messages and non-zero statuses, nothing left behind
. "$(dirname "$0")/lib.sh"
need echo

t $run no-such-image 2> "$tmp/err"; rc=$?
[ $rc = 127 ] && grep -q "no-such-image" "$tmp/err" &&
    grep -q "$FLEET_PATH" "$tmp/err" && pass "unknown image" ||
    fail "unknown image: $rc $(cat "$tmp/err")"

printf 'not an elf\n' > "$tmp/bogus"
t $run "$tmp/bogus" 2> "$tmp/err"; rc=$?
[ $rc = 126 ] && grep -q "$tmp/bogus" "$tmp/err" &&
    grep -q "not an ELF executable" "$tmp/err" && pass "non-ELF file" ||
    fail "non-ELF: $rc $(cat "$tmp/err")"

# What is not a static x86-64 program is named for what it is.
head -c 3000 "$FLEET_PATH/hello" > "$tmp/cut"
cp "$FLEET_PATH/hello" "$tmp/i386"
printf '\001' | dd of="$tmp/i386" bs=1 seek=4 conv=notrunc 2>/dev/null
cp "$FLEET_PATH/hello" "$tmp/high"	# first segment at 0xff00000000400000
printf '\377' | dd of="$tmp/high" bs=1 seek=87 conv=notrunc 2>/dev/null
for c in "/bin/true:dynamically linked (PT_INTERP /lib64/ld-linux-x86-64.so.2); fleet runs static x86-64 programs" \
    "$tmp/cut:truncated ELF" "$tmp/i386:a 32-bit ELF" \
    "$tmp/high:outside what a Linux program may map"; do
	f=${c%%:*} want=${c#*:}
	t $run "$f" 2> "$tmp/err"; rc=$?
	[ $rc = 126 ] && grep -qF "image $f" "$tmp/err" &&
	    grep -qF "$want" "$tmp/err" && pass "refused: $want" ||
	    fail "$f: $rc $(cat "$tmp/err")"
done

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

# A memory size too small for the image is refused before anything is
# created (it used to boot a guest that never said `ready`, and hang).
now_ms() { date +%s%3N; }
t0=$(now_ms)
T=20 t $run -m 1 echo hi > "$tmp/out" 2> "$tmp/err"; rc=$?
ms=$(($(now_ms) - t0))
msg='fleet-run: echo: 1 MiB of memory is too small for this image: it'
min=$(sed -n "s/^$msg needs at least \([0-9]*\) MiB\$/\1/p" "$tmp/err")
[ $rc = 125 ] && [ -n "$min" ] && [ $ms -le 5000 ] && [ ! -s "$tmp/out" ] &&
    [ -z "$(fleet_domains)" ] && pass "-m 1: refused in $ms ms" ||
    fail "-m 1: rc $rc in $ms ms, $(cat "$tmp/err") $(fleet_domains)"
[ -n "$min" ] && [ "$(T=20 t $run -m "$min" echo hi)" = hi ] &&
    pass "-m $min (the minimum) runs" || fail "-m ${min:-?} does not run"

# A guest that never says `ready` (a multiboot ELF that halts) is
# destroyed after the bound, with an error; a SIGTERM before its `ready`
# ends it within the grace period.
chmod 755 "$tmp"
python3 - "$tmp/halt" <<'PY'
import struct, sys
base, code = 0x100000, b"\xfa\xf4\xeb\xfd"		# cli; hlt; jmp hlt
mb = struct.pack("<3I", 0x1BADB002, 3, -(0x1BADB002 + 3) & 0xffffffff)
size = 52 + 32 + len(mb) + len(code)
eh = b"\x7fELF\x01\x01\x01" + bytes(9) + struct.pack("<HHIIIIIHHHHHH",
    2, 3, 1, base + size - len(code), 52, 0, 0, 52, 32, 1, 0, 0, 0)
ph = struct.pack("<8I", 1, 0, base, base, size, size, 7, 0x1000)
open(sys.argv[1], "wb").write(eh + ph + mb + code)
PY
t0=$(now_ms)
T=40 t $run "$tmp/halt" 2> "$tmp/err"; rc=$?
ms=$(($(now_ms) - t0))
msg='the guest did not start: no `ready` from it in [0-9]* s$'
[ $rc = 125 ] && grep -q "^fleet-run: .*$msg" "$tmp/err" &&
    [ $ms -le 20000 ] && within 10 no_domains &&
    pass "no ready: error in $ms ms" ||
    fail "no ready: rc $rc in $ms ms, $(cat "$tmp/err") $(fleet_domains)"
set -m	# background jobs keep SIGINT, as from a terminal
for sig in TERM INT; do
	$run "$tmp/halt" 2> /dev/null & pid=$!
	(sleep 40; kill -KILL $pid 2>/dev/null) & dog=$!
	sleep 1
	t0=$(now_ms)
	kill -s $sig $pid
	wait $pid; rc=$?
	ms=$(($(now_ms) - t0))
	kill -- -$dog 2>/dev/null; wait $dog 2>/dev/null
	[ $rc -gt 128 ] && [ $ms -le 5000 ] && within 10 no_domains &&
	    pass "SIG$sig before ready: $rc in $ms ms" ||
	    fail "SIG$sig before ready: $rc in $ms ms, $(fleet_domains)"
done
set +m
finish
