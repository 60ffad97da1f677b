#!/bin/sh
# build.sh DIR [CMAKE-ARGS...]: configure and build fleet into DIR, quietly:
# nothing when nothing changed, one line when something is built, and the
# build's output (kept in DIR/build.log) only when it fails.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
log=$dir/build.log
built=$dir/.fleet-built
args=$dir/.fleet-args

# Configured already, with these arguments: no cmake run of its own.
configured() {
	[ -f "$dir/CMakeCache.txt" ] &&
	    printf '%s\n' "$@" | cmp -s - "$args"
}

# Nothing in the tree (builds and .git aside) and no installed package has
# changed since the last good build: even a build with nothing to do costs
# about a second of make.
up_to_date() {
	[ -f "$built" ] && [ -z "$(find "$src" /var/lib/dpkg/status \
	    \( -path "$src/.git" -o -path "$src/build*" -o -path "$src/out" \
	    -o -path "$dir" \) -prune -o -newer "$built" -print -quit \
	    2>/dev/null)" ]
}

set -- -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
configured "$@" && up_to_date && exit 0
echo "building fleet..." >&2
# Taken before the build starts: what changes while it runs is newer.
touch "$built.new"
if ! { configured "$@" || cmake -S "$src" -B "$dir" "$@"; } >"$log" 2>&1 ||
    ! cmake --build "$dir" -j "$(nproc)" >>"$log" 2>&1; then
	cat "$log" >&2
	echo "build.sh: the build failed (its log: $log)" >&2
	rm -f "$built.new"
	exit 1
fi
# Ported programs from Debian's source packages (docs/porting.md).
"$src/unikernels/ports/lua.sh" "$dir/ports" >>"$log" 2>&1 ||
    echo "build.sh: the Lua port did not build (its log: $log)" >&2
printf '%s\n' "$@" >"$args"
mv -f "$built.new" "$built"
