# install.sh: cmake --install into a temporary prefix, which is then moved.
# From either place, with no LD_LIBRARY_PATH and no file edited, every
# installed tool starts on the installed libfleet (RPATH $ORIGIN; fleetd
# has libfleet's objects linked in, and must not load libfleet.so too), and
# the examples build with what pkg-config says alone (fleet.pc finds its
# prefix from where it lies) and load that libfleet. It starts no VM, so
# needs no sandbox; inside scripts/sandbox.sh the moved example also runs one.
set -u
: "${FLEET_SRC:?}" "${FLEET_BUILD:?}"
unset LD_LIBRARY_PATH
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
tmp=$(mktemp -d)
failed=0
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
pass() { echo "ok: $*"; }

# ours DIR PROG: PROG's libfleet is the one under DIR
ours() {
	local line

	line=$(ldd "$2" | grep -F 'libfleet.so.0 =>' | sed 's/^[[:space:]]*//')
	case $(realpath -q "$(awk '{ print $3 }' <<< "$line")") in
	"$(realpath "$1")"/*) return 0 ;;
	esac
	fail "$2: ${line:-no libfleet.so.0} (not under $1)"
	return 1
}

# alone PROG: PROG carries libfleet (fleet_internal) and loads no second copy
alone() {
	ldd "$1" | grep -qF libfleet.so || return 0
	fail "$1 loads libfleet.so too: $(ldd "$1" | grep -F libfleet.so)"
	return 1
}

tools() {	# tools DIR: each one starts
	local t

	for t in "$1"/bin/* "$1"/sbin/*; do
		if ! "$t" --version > /dev/null 2> "$tmp/err"; then
			fail "$t --version: $(cat "$tmp/err")"
		elif [ "${t##*/}" = fleetd ]; then
			alone "$t"
		else
			ours "$1" "$t"
		fi
	done
}

examples() {	# examples DIR: built with pkg-config alone, they start
	local pc flags libdir san= ex

	pc=$(find "$1" -name fleet.pc)
	[ -n "$pc" ] || { fail "fleet.pc not installed"; return; }
	flags=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --cflags --libs \
	    fleet) || { fail "pkg-config fleet"; return; }
	libdir=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config \
	    --variable=libdir fleet)
	# A sanitizer build of libfleet wants its runtime in the program too.
	nm -D "$libdir/libfleet.so" 2> /dev/null | grep -q __asan_init &&
	    san="-fsanitize=address,undefined"
	for ex in spawn-wait list poll; do
		rm -f "$tmp/$ex"
		cc -o "$tmp/$ex" "$FLEET_SRC/examples/$ex.c" $san $flags \
		    -Wl,-rpath,"$libdir" 2> "$tmp/err" ||
		    { fail "$ex against $1: $(head -3 "$tmp/err")"; return; }
		ours "$1" "$tmp/$ex" || return
	done
	"$tmp/spawn-wait" 2> "$tmp/err"
	[ $? = 2 ] && grep -q '^usage: spawn-wait' "$tmp/err" ||
	    fail "spawn-wait from $1: $(cat "$tmp/err")"
}

check() {	# check DIR WHAT: the installed tree works from DIR
	local f fails=$failed

	for f in bin/fleet-run bin/fleet-ps bin/fleet-kill bin/fleet-allow \
	    bin/fsh sbin/fleetd include/fleet/fleet.h \
	    share/man/man1/fleet-run.1 lib/systemd/system/fleetd.service; do
		[ -e "$1/$f" ] || fail "not installed: $f"
	done
	tools "$1"
	examples "$1"
	[ $failed = "$fails" ] && pass "$2"
}

a=$tmp/a
b=$tmp/moved/b
cmake --install "$FLEET_BUILD" --prefix "$a" > "$tmp/install.log" ||
    { fail "cmake --install: $(tail -3 "$tmp/install.log")"; exit 1; }
grep -E '^-- (Installing|Up-to-date): ' "$tmp/install.log" |
    grep -vF -- ": $a/" > "$tmp/outside"
[ -s "$tmp/outside" ] &&
    fail "installed outside the prefix: $(head -3 "$tmp/outside")"
check "$a" "installed tree works where it was installed"

mkdir "$tmp/moved"
mv "$a" "$b"
grep -rlF "$a" "$b" > "$tmp/stale" && fail "$a still named in $(
    tr '\n' ' ' < "$tmp/stale")"
check "$b" "installed tree works after a move"

# libvirtd is there: the moved example runs a VM from the moved images,
# found with no FLEET_PATH (a name only the moved tree has).
if [ "${FLEET_SANDBOX:-}" = 1 ] && [ -e "$b/share/fleet/images/hello" ]; then
	cp "$b/share/fleet/images/hello" "$b/share/fleet/images/moved-hello"
	out=$(env -u FLEET_PATH timeout -s KILL 60 \
	    "$tmp/spawn-wait" moved-hello 2> /dev/null)
	[ "$out" = "Hello, world!" ] && pass "moved example runs" ||
	    fail "moved example: '$out'"
fi
exit $((failed > 0))
