#!/bin/sh
# exports.sh LIB HEADERDIR [CC]: LIB (libfleet.so) exports the functions
# declared in HEADERDIR (include/fleet/*.h) and nothing else: no internal
# function, fleet_ or not (lib/libfleet.map says what is exported).
set -u
lib=$1 hdr=$2 cc=${3:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

nm -D --defined-only "$lib" > "$tmp/nm" || { echo "FAIL: nm -D $lib"; exit 1; }
awk '{ sub(/@.*/, "", $NF); print $NF }' "$tmp/nm" | sort -u > "$tmp/exported"
# The linker's own, which any shared object may carry.
grep -vxE '_init|_fini|_edata|_end|__bss_start' "$tmp/exported" > "$tmp/ours"

# What the headers declare: the preprocessed headers (no comments), each
# fleet_ name followed by "(".
for h in "$hdr"/*.h; do
	echo "#include <fleet/$(basename "$h")>"
done | "$cc" -E -P -I "$hdr/.." -x c - > "$tmp/pp" ||
    { echo "FAIL: $cc -E on $hdr"; exit 1; }
grep -oE '\bfleet_[A-Za-z0-9_]+[[:space:]]*\(' "$tmp/pp" |
    sed 's/[[:space:](]*$//' | sort -u > "$tmp/declared"

grep -v '^fleet_' "$tmp/ours" > "$tmp/bad" &&
    { echo "FAIL: exported, not fleet_:"; cat "$tmp/bad"; failed=1; }
comm -23 "$tmp/ours" "$tmp/declared" | grep '^fleet_' > "$tmp/bad" &&
    { echo "FAIL: exported, not declared in $hdr:"; cat "$tmp/bad"; failed=1; }
comm -13 "$tmp/ours" "$tmp/declared" > "$tmp/bad"
[ -s "$tmp/bad" ] &&
    { echo "FAIL: declared in $hdr, not exported:"; cat "$tmp/bad"; failed=1; }
[ $failed = 0 ] && echo "ok: $(wc -l < "$tmp/ours") symbols, all fleet_ API"
exit $failed
