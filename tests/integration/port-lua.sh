# port-lua.sh: a program ported by compiling it: Lua 5.4 from Debian's
# source package, static (unikernels/ports/lua.sh), runs in a VM as on
# the host: the same binary, the same scripts (given with -e: a VM has
# no files), the same stdin.
. "$(dirname "$0")/lib.sh"
T=120
ports=$FLEET_BUILD/ports
"$FLEET_SRC/unikernels/ports/lua.sh" "$ports" || { fail "building lua"; exit 1; }
lua=$ports/lua
in=$tmp/in
for i in $(seq 200); do
	echo "line $i of the input: the quick brown fox, the lazy dog $((i % 7))"
done > "$in"
for s in lua-core lua-stdin; do
	code=$(cat "$FLEET_SRC/tests/ports/$s.lua")
	"$lua" -e "$code" < "$in" > "$tmp/want" 2>&1; want_rc=$?
	t $run "$lua" -e "$code" < "$in" > "$tmp/got" 2>&1; rc=$?
	[ $rc = $want_rc ] && cmp -s "$tmp/want" "$tmp/got" &&
	    pass "lua $s: the same as on the host" ||
	    fail "lua $s: rc $rc (want $want_rc): $(diff "$tmp/want" "$tmp/got" | head -5)"
done
# and an error, as the host's lua reports it
t $run "$lua" -e 'error("no " .. "way")' 2> "$tmp/got"; rc=$?
"$lua" -e 'error("no " .. "way")' 2> "$tmp/want"
[ $rc = 1 ] && cmp -s "$tmp/want" "$tmp/got" && pass "lua error" ||
    fail "lua error: rc $rc: $(cat "$tmp/got")"
finish
