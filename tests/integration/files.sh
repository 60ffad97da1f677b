# files.sh: a VM works in its caller's directory. Each case runs busybox
# on the host and in a VM (fleet-run, then fsh) in fresh copies of one
# fixture at one path: stdout, stderr, the exit status and the tree
# afterwards (names, types, modes, sizes, owners, link targets, contents)
# must be the same. Then what must stay out of reach: paths outside the
# tree, links that lead out, a read-only tree, no files at all.
. "$(dirname "$0")/lib.sh"
need cat sort tar gzip find
T=120
bb=$(readlink -f "$FLEET_PATH/cat")
fsh=$FLEET_BIN/fsh
export LC_ALL=C TZ=UTC

fix=$tmp/fixture
w=$tmp/work
python3 - "$fix" <<'PYEOF'
import os, random, sys
d = sys.argv[1]
r = random.Random(17)
os.makedirs(d + "/src/deep/er")
os.makedirs(d + "/empty")
words = ["alpha", "beta", "TODO fix", "gamma", "10", "9", "-3", "x:y"]
def text(n):
    return "".join(" ".join(r.choice(words) for _ in range(r.randrange(5)))
                   + "\n" for _ in range(n))
files = {"notes.txt": text(200), "data": text(1000), "src/a.c": text(30),
         "src/b.c": "int main(void) { return 0; } /* TODO */\n",
         "src/deep/c.h": text(5), "src/deep/er/d.txt": "deep\n",
         "with space.txt": "spaced out\n", "big.bin": None}
for name, body in files.items():
    with open(os.path.join(d, name), "wb") as f:
        f.write(r.randbytes(300000) if body is None else body.encode())
os.chmod(d + "/src/b.c", 0o600)
import gzip, tarfile
with open(d + "/packed.gz", "wb") as f:
    f.write(gzip.compress(b"packed\n" * 1000, mtime=1704196800))
with tarfile.open(d + "/packed.tar", "w", format=tarfile.USTAR_FORMAT) as tf:
    for name in ("src/a.c", "src/b.c"):
        ti = tf.gettarinfo(os.path.join(d, name), name)
        ti.mtime, ti.uname, ti.gname, ti.uid, ti.gid = 1704196800, "root", "root", 0, 0
        with open(os.path.join(d, name), "rb") as f:
            tf.addfile(ti, f)
os.symlink("notes.txt", d + "/link")
os.symlink("src/deep", d + "/dirlink")
os.symlink("../../../../../etc/passwd", d + "/escape")
os.symlink("/etc/passwd", d + "/absolute")
t = 1704196800	# 2024-01-02 12:00 UTC
for root, dirs, names in os.walk(d, topdown=False):
    for n in names + dirs:
        os.utime(os.path.join(root, n), (t, t), follow_symlinks=False)
os.utime(d, (t, t))
PYEOF

# What a run left: every path's type, mode, size, owner and link, and
# every file's bytes (times change with each run: not compared).
tree() {
	(cd "$w" && find . -printf '%p %y %m %s %u %g %l\n' | sort &&
	    find . -type f -exec sha256sum {} + | sort)
}
# (the parent's time fixed too: `ls -la` shows it as `..`)
reset() { rm -rf "$w" && cp -a "$fix" "$w" && touch -d @1704196800 "$tmp"; }

n=0
# same CMD...: busybox on the host and in a VM agree, in and on $w.
same() {
	local q="" x how
	reset
	(cd "$w" && "$bb" "$@") > "$tmp/want.out" 2> "$tmp/want.err"
	echo $? > "$tmp/want.rc"
	tree > "$tmp/want.tree"
	for x in "$@"; do
		q="$q '$(printf '%s' "$x" | sed "s/'/'\\\\''/g")'"
	done
	for how in fleet-run fsh; do
		reset
		if [ $how = fleet-run ]; then
			(cd "$w" && t $run "$@")
		else
			(cd "$w" && t "$fsh" -c "$q")
		fi > "$tmp/got.out" 2> "$tmp/got.err"
		echo $? > "$tmp/got.rc"
		tree > "$tmp/got.tree"
		n=$((n + 1))
		for x in out err rc tree; do
			cmp -s "$tmp/want.$x" "$tmp/got.$x" || {
				fail "$how $*: $x differs:" \
				    "$(diff "$tmp/want.$x" "$tmp/got.$x" | head -8)"
				return
			}
		done
	done
}

same cat notes.txt 'with space.txt' src/deep/er/d.txt
same cat link dirlink/c.h
same head -n 3 data
same tail -n 5 data
same tail -c 100 big.bin
same wc notes.txt data src/a.c
same wc -c big.bin
same sort -o sorted data
same sort -r -o data data
same uniq -c src/a.c
same grep -r TODO src
same grep -rl TODO src
same grep -c alpha notes.txt data
same find . -name '*.c'
same find . -type d
same find . -type l
same find . -size +10k
same find src -name '*.h' -o -name '*.txt'
same ls
same ls -l
same ls -la src
same ls -la
same ls -lR src
same ls -l nothing-here
same cp notes.txt copy.txt
same cp -r src src2
same mv notes.txt moved.txt
same mv src/deep moved-deep
same rm notes.txt src/a.c
same rm -r src
same rm nothing-here
same mkdir newdir
same mkdir -p a/b/c
same mkdir src
same rmdir empty
same rmdir src
same ln -s notes.txt newlink
same ln notes.txt hardlink
same touch newfile
same chmod 600 notes.txt
same chmod -R go-rwx src
same sed -i s/alpha/ALPHA/g notes.txt
same tar cf out.tar src notes.txt
same tar tvf packed.tar
same gzip data
same gzip -k notes.txt
same gunzip packed.gz
same gzip -dc packed.gz
same mkdir -p "$(printf 'deep/%.0s' $(seq 60))end"
same touch "$(printf 'n%.0s' $(seq 255))"
same touch "$(printf 'n%.0s' $(seq 256))"
same cat "$(printf 'n%.0s' $(seq 300))"
same du -s src
same du -a src
same stat -c '%n %s %a %U %G %F %h %d' notes.txt src link dirlink
same stat -L -c '%n %s %F' link dirlink
pass "$n runs agree with the host's busybox"

# Inode numbers, on one copy of the tree (each fresh copy has its own).
reset
want=$(cd "$w" && "$bb" stat -c '%n %i' notes.txt src link dirlink)
got=$(cd "$w" && t $run stat -c '%n %i' notes.txt src link dirlink)
got_fsh=$(cd "$w" && t "$fsh" -c "stat -c '%n %i' notes.txt src link dirlink")
[ "$got" = "$want" ] && [ "$got_fsh" = "$want" ] &&
    pass "inode numbers are the host's" ||
    fail "inode numbers: host '$want', fleet-run '$got', fsh '$got_fsh'"

# tar xf, then the files' times: as the archive says.
reset
(cd "$w" && "$bb" tar cf a.tar src && rm -r src)
(cd "$w" && t $run tar xf a.tar) 2> "$tmp/err" && [ -f "$w/src/deep/er/d.txt" ] &&
    [ "$(stat -c %Y "$w/src/b.c")" = 1704196800 ] && pass "tar xf: files and times" ||
    fail "tar xf: $(cat "$tmp/err")"

# -C DIR, --ro, --no-files; a directory that is not there.
reset
out=$(t $run -C "$w/src" cat b.c) && [ "$out" = "$(cat "$w/src/b.c")" ] &&
    pass "-C DIR" || fail "-C DIR: '$out'"
out=$(cd "$w" && t $run --ro touch new 2>&1); rc=$?
[ $rc = 1 ] && grep -q "Read-only file system" <<<"$out" && [ ! -e "$w/new" ] &&
    pass "--ro: nothing written" || fail "--ro: $rc $out"
out=$(cd "$w" && t $run --ro cat notes.txt) && [ "$out" = "$(cat "$w/notes.txt")" ] &&
    pass "--ro: read" || fail "--ro cat: '$out'"
out=$(cd "$w" && t $run --no-files cat notes.txt 2>&1); rc=$?
[ $rc = 1 ] && grep -q "No such file" <<<"$out" && pass "--no-files" ||
    fail "--no-files: $rc $out"
out=$(t $run -C "$tmp/nowhere" true 2>&1); rc=$?
[ $rc = 125 ] && grep -q "^fleet-run: directory $tmp/nowhere: No such file" <<<"$out" &&
    pass "-C of a missing directory" || fail "-C missing: $rc $out"

# Outside the tree, nothing is reached or changed, whatever the path:
# `..`, absolute paths, links that lead out (which the host follows).
reset
victim=$tmp/victim
echo untouched > "$victim"
ln "$victim" "$tmp/hard"
for c in "cat ../victim" "cat $victim" "cat escape" "cat absolute" \
    "cat /etc/hostname" "rm -f ../victim" "cp notes.txt ../victim" \
    "ln -s ../victim ../v2" "touch $tmp/v3" "cat ../../../../../../etc/shadow" \
    "ln ../hard mine" "cat src/../../victim" "cat dirlink/../../../victim"; do
	# shellcheck disable=SC2086 # words on purpose
	out=$(cd "$w" && t $run $c 2>&1); rc=$?
	{ [ $rc != 0 ] || [ "${c#rm}" != "$c" ]; } && ! grep -q "root:" <<<"$out" ||
	    fail "outside: $c: $rc $out"
done
# a link the guest makes may point anywhere; following it stays inside
(cd "$w" && t $run ln -s ../victim out && t $run cat out) > "$tmp/out" 2>&1
(cd "$w" && t $run sed -i s/untouched/changed/ out) > /dev/null 2>&1
[ "$(cat "$victim")" = untouched ] && [ ! -e "$tmp/v2" ] &&
    [ ! -e "$tmp/v3" ] && [ ! -e "$w/mine" ] && ! grep -q untouched "$tmp/out" &&
    pass "nothing outside the tree" ||
    fail "outside: $(cat "$victim")"

# What a VM creates is its caller's.
reset
(cd "$w" && t $run touch mine && t $run mkdir mydir)
[ "$(stat -c %u:%g "$w/mine" "$w/mydir" | sort -u)" = "$(id -u):$(id -g)" ] &&
    pass "new files are the caller's ($(id -un))" ||
    fail "owner: $(stat -c %u:%g "$w/mine" "$w/mydir")"

# fsh's cd changes what the next command sees.
reset
out=$(cd "$w" && t "$fsh" -c 'cd src/deep && cat er/d.txt && pwd')
[ "$out" = "$(printf 'deep\n%s' "$w/src/deep")" ] && pass "fsh cd" ||
    fail "fsh cd: '$out'"
finish
