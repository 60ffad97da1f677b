# install.sh: cmake --install into a staging root (DESTDIR: nothing lands
# outside it, absolute destinations included), then build an example
# against it with pkg-config and run it
. "$(dirname "$0")/lib.sh"
need hello
configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' \
    "$FLEET_BUILD/CMakeCache.txt")
prefix=$tmp/root$configured

DESTDIR=$tmp/root cmake --install "$FLEET_BUILD" > "$tmp/install.log" ||
    { fail "cmake --install: $(tail -3 "$tmp/install.log")"; finish; }
for f in bin/fleet-run bin/fleet-ps bin/fleet-kill include/fleet/fleet.h \
    share/man/man1/fleet-run.1 share/fleet/images/hello; do
	[ -e "$prefix/$f" ] || fail "not installed: $f"
done
pc=$(find "$prefix" -name fleet.pc | head -1)
[ -n "$pc" ] || { fail "fleet.pc not installed"; finish; }
export PKG_CONFIG_PATH=$(dirname "$pc")
sed -i "s|^prefix=.*|prefix=$prefix|" "$pc"
flags=$(pkg-config --cflags --libs fleet) || fail "pkg-config fleet"
libdir=$(pkg-config --variable=libdir fleet)
# A sanitizer build of libfleet wants its runtime in the program too.
san=
nm -D "$libdir/libfleet.so" | grep -q __asan_init &&
    san="-fsanitize=address,undefined"
cc -o "$tmp/spawn-wait" "$FLEET_SRC/examples/spawn-wait.c" $san $flags \
    -Wl,-rpath,"$libdir" || fail "build against installed libfleet"
images=$prefix/share/fleet/images
[ -e "$images/hello" ] || images=$FLEET_PATH
out=$(FLEET_PATH=$images t "$tmp/spawn-wait" hello 2> /dev/null)
[ "$out" = "Hello, world!" ] && pass "installed example runs" ||
    fail "installed example: '$out'"
finish
