#!/bin/sh
# lua.sh DIR: Lua 5.4 from Debian's source package, built static with
# musl-gcc as DIR/lua: a fleet program (docs/porting.md). Needs the
# deb-src entry scripts/deps.sh adds.
set -eu
dir=$(mkdir -p "$1" && cd "$1" && pwd)
[ -x "$dir/lua" ] && exit 0
work=$(mktemp -d "$dir/lua-src.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get source -q lua5.4 >/dev/null 2>&1 || {
	echo "lua.sh: apt-get source lua5.4 failed (no deb-src entry? run" \
	    "scripts/deps.sh)" >&2
	exit 1
}
src=$(echo lua5.4-*/src)
# Debian's luaconf.h includes the multiarch name its rules write.
echo '#define DEB_HOST_MULTIARCH "x86_64-linux-gnu"' \
    > "$src/lua5.4-deb-multiarch.h"
# shellcheck disable=SC2046
musl-gcc -std=gnu99 -O2 -static -DLUA_COMPAT_5_3 -DLUA_USE_POSIX \
    -o "$dir/lua.new" $(ls "$src"/*.c | grep -v '/luac\.c$') -lm
mv "$dir/lua.new" "$dir/lua"
