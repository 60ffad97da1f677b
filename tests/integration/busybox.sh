# busybox.sh: busybox's applets as fleet VMs, through fleet-run and
# through fsh, against the same busybox binary run on the host with the
# same argv, stdin and environment: stdout, stderr and the exit status
# byte for byte.
. "$(dirname "$0")/lib.sh"
need sort md5sum gzip gunzip
T=120
bb=$(readlink -f "$FLEET_PATH/sort")
fsh=$FLEET_BIN/fsh
export LC_ALL=C TZ=UTC

python3 - "$tmp" <<'PYEOF'
import random, sys, os
d = sys.argv[1]
r = random.Random(16)
words = ["alpha", "Beta", "gamma", "delta", "10", "9", "-3", "x:y:z",
         "a b", "\t", "", "%s", "zz", "\u00e9t\u00e9"]
def text(n):
    return "".join(" ".join(r.choice(words) for _ in range(r.randrange(6)))
                   + "\n" for _ in range(n)).encode()
open(os.path.join(d, "text"), "wb").write(text(400))
open(os.path.join(d, "all"), "wb").write(bytes(range(256)) * 4)
open(os.path.join(d, "empty"), "wb").write(b"")
open(os.path.join(d, "big"), "wb").write(text(300000))
open(os.path.join(d, "bin"), "wb").write(r.randbytes(3 << 20))
PYEOF
base64 < "$tmp/text" > "$tmp/b64"
sort "$tmp/text" > "$tmp/sorted"

# same INPUT APPLET ARGS...: the VM and the host agree.
n=0
same() {
	local in=$tmp/$1 name=$2 q="" w
	shift 2
	"$bb" "$name" "$@" < "$in" > "$tmp/want.out" 2> "$tmp/want.err"
	echo $? > "$tmp/want.rc"
	t $run "$name" "$@" < "$in" > "$tmp/got.out" 2> "$tmp/got.err"
	echo $? > "$tmp/got.rc"
	n=$((n + 1))
	for w in out err rc; do
		cmp -s "$tmp/want.$w" "$tmp/got.$w" || {
			fail "fleet-run $name $*: $w differs: $(head -c 200 "$tmp/got.$w" | od -c | head -3)"
			return
		}
	done
	# the same through fsh: each word single-quoted
	for w in "$name" "$@"; do
		q="$q '$(printf '%s' "$w" | sed "s/'/'\\\\''/g")'"
	done
	t "$fsh" -c "$q" < "$in" > "$tmp/got.out" 2> "$tmp/got.err"
	echo $? > "$tmp/got.rc"
	for w in out err rc; do
		cmp -s "$tmp/want.$w" "$tmp/got.$w" ||
		    fail "fsh -c $q: $w differs"
	done
}

same text sort
same text sort -r
same text sort -n
same text sort -u
same text sort -k2
same text sort -t: -k2
same big sort
same sorted uniq -c
same sorted uniq -d
same text cut -c1-5
same text cut -d' ' -f2
same text cut -f1
same text sed s/a/X/g
same text sed -n 2,5p
same text sed '/^$/d'
same text awk '{print $1}'
same text awk '{s += length($0)} END {print s, NR}'
same text awk -F: '{print $NF}'
same big awk 'length($0) > 20 {n++} END {print n}'
same text grep a
same text grep -v e
same text grep -c x
same text grep -i ALPHA
same text grep -E '^(alpha|Beta)'
same text grep nothing-matches
same all tr a-z A-Z
same text tr -d '\n'
same text tr -s ' '
same all od -c
same all od -An -tx1
same all hexdump -C
same all xxd
same all base64
same b64 base64 -d
same bin md5sum
same bin sha1sum
same bin sha256sum
same big sha512sum
same all sha3sum
same empty md5sum
same text wc
same big wc -l
same bin wc -c
same text head -n 5
same all head -c 100
same text tail -n 3
same big tail -c 50
same text fold -w 20
same text rev
same text tac
same text nl
same text expand
same text cat -n
same empty cat
same all cat
same empty expr 3 + 4
same empty expr length hello
same empty expr 7 / 0
same empty printf '%s-%d\n' a 5
same empty printf '%x %o %5.2s|\n' 255 8 abc
same empty seq 10
same empty seq 1 3 20
same empty seq -w 8 12
same empty date -u -d @1700000000
same empty date -u -d @0 +%Y-%m-%dT%H:%M:%S
same empty factor 1234567 97
same empty basename /a/b/c.txt .txt
same empty dirname /a/b/c
same empty echo hi there
same empty false
same empty true
same empty sort --no-such-option
same text bc
same empty dc -e '2 3 + p'
same text gzip -c
same bin gzip -c -1

# Round trips through two VMs, as a pipeline of fleet-run.
for f in bin big all empty; do
	t $run gzip -c < "$tmp/$f" | t $run gunzip -c > "$tmp/got.out"
	cmp -s "$tmp/$f" "$tmp/got.out" && n=$((n + 1)) ||
	    fail "gzip -c | gunzip -c of $f differs"
done
t $run bzip2 -c < "$tmp/big" | t $run bunzip2 -c | cmp -s - "$tmp/big" &&
    n=$((n + 1)) || fail "bzip2 -c | bunzip2 -c differs"
[ $failed = 0 ] && pass "$n busybox runs byte-identical to the host's"
finish
