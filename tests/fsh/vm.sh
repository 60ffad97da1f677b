#!/bin/bash
# vm.sh FSH: fsh running real VMs: pipelines, redirections, status, jobs.
set -u
fsh=$1
. "$(dirname "$0")/lib.sh"
need_sandbox

expect 'echo hello | upcase' 'HELLO'
run 300 'seq 1 10000 | wc -l'
[ "$(echo $out)" = 10000 ] || fail "seq | wc -l: '$out' ($err)"
expect 'false || echo ok' 'ok'
expect 'true && echo yes; false && echo no' 'yes' 1
expect 'exit 3' '' 3
expect 'nosuchprogram' '' 127
# set -o pipefail, as bash and dash 0.5.12+ (Debian 12's dash lacks it).
expect 'set -o pipefail; false | cat; echo $?' '1'
expect 'set -o pipefail; exit 3 | cat' '' 3
expect 'set -o pipefail; cat /nonexistent 2>/dev/null | upcase; echo $?' '1'
expect 'set -o pipefail; echo a | upcase; echo $?' 'A
0'
expect 'set +o pipefail; false | cat; echo $?' '0'
run 20 'nosuchprogram'
[ "$err" = "fsh: nosuchprogram: not found" ] || fail "not found said '$err'"

# Binary safe, through a file and a pipe of VMs.
head -c 0 /dev/null > "$tmp/bytes"
for i in $(seq 0 255); do printf "\\$(printf %o "$i")"; done > "$tmp/bytes"
want=$(sha256sum < "$tmp/bytes" | cut -d' ' -f1)
run 120 "cat < '$tmp/bytes' | sha256sum"
[ "$(echo "$out" | cut -d' ' -f1)" = "$want" ] ||
	fail "cat < f | sha256sum: '$out', want $want ($err)"
run 120 "cat < '$tmp/bytes' > '$tmp/copy'"
cmp -s "$tmp/bytes" "$tmp/copy" || fail "cat < f > g changed the bytes"

# A reader that ends early ends the writer, as yes | head does in sh.
run 120 'yes | head -n 3'
[ "$st" = 0 ] && [ "$out" = "$(printf 'y\ny\ny')" ] ||
	fail "yes | head -n 3: status $st, '$out' ($err)"

# Redirections: files relative to the directory cd chose, 2>&1, >>.
mkdir "$tmp/d"
expect "cd '$tmp/d'; echo one > f; echo two >> f; cat < f" "$(printf 'one\ntwo')"
[ -f "$tmp/d/f" ] || fail "cd then > f: no $tmp/d/f"
expect "{ echo out; echo err 1>&2; } 2>&1 >/dev/null | upcase" "ERR"
run 60 'x=world; cat <<EOF | upcase
hello $x
EOF'
[ "$out" = "HELLO WORLD" ] || fail "here-doc: '$out' ($err)"

# Background jobs: jobs, ps, kill %1, $!, wait.
run 120 'spin & echo "id=$!"; jobs; ps; kill %1; wait %1; echo "st=$?"'
echo "$out" | grep -q '^id=fleet-' || fail "\$! after spin &: '$out'"
echo "$out" | grep -q '^\[1\]+  Running *spin$' || fail "jobs: '$out'"
id=$(echo "$out" | sed -n 's/^id=//p')
echo "$out" | grep -q "^$id .*spin" || fail "ps does not list $id: '$out'"
# SIGTERM goes over the control channel; libfleet destroys a VM that
# does not end within its grace period (143, else 137).
echo "$out" | grep -qE '^st=(143|137)$' || fail "kill %1; wait: '$out' ($err)"
run 60 'spin & kill $!; wait $!'
[ "$st" = 143 ] || [ "$st" = 137 ] || fail "kill \$!: status $st ($err)"
run 60 'spin & kill -KILL %1; wait %1'
[ "$st" = 137 ] || fail "kill -KILL %1: status $st ($err)"

# Scripts: fsh SCRIPT ARGS, #! scripts, commands on a pipe.
printf '#!%s\necho "script $1 $#"\nexit 5\n' "$fsh" > "$tmp/s.fsh"
chmod +x "$tmp/s.fsh"
out=$(timeout 60 "$tmp/s.fsh" a b 2>&1)
st=$?
[ "$out" = "script a 2" ] && [ "$st" = 5 ] || fail "#! script: '$out' status $st"
out=$(timeout 60 "$fsh" "$tmp/s.fsh" x 2>&1)
[ "$out" = "script x 1" ] || fail "fsh SCRIPT: '$out'"
out=$(echo 'echo piped | upcase' | timeout 60 "$fsh" 2>&1)
[ "$out" = "PIPED" ] || fail "commands on stdin: '$out'"

# The shell's VMs end with it.
run 60 'spin & spin & exit 0'
for _ in $(seq 20); do
	run 60 'ps'
	echo "$out" | grep -q spin || break
	sleep 0.5
done
echo "$out" | grep -q spin && fail "spin outlived its fsh: '$out'"

# INT, TERM or HUP while a pipeline of VMs is being made, or runs: fsh
# ends within 1 s with 128+N, and its VMs with it.
now_ms() { date +%s%3N; }
for sig in INT TERM HUP; do
	for at in 0.05 0.3 2; do
		"$fsh" -c 'spin | spin | spin' & pid=$!
		sleep $at
		t0=$(now_ms)
		kill -s $sig $pid
		( sleep 10; kill -KILL $pid 2>/dev/null ) & dog=$!
		wait $pid; st=$?
		ms=$(($(now_ms) - t0))
		kill $dog 2>/dev/null; wait $dog 2>/dev/null
		want=$((128 + $(kill -l $sig)))
		[ $st = $want ] || fail "SIG$sig at $at s: fsh gave $st, not $want"
		[ $ms -le 1000 ] || fail "SIG$sig at $at s: fsh took $ms ms"
	done
done
# (with a warm pool, fleetd's idle spin VMs are not theirs)
if [ "${FLEET_TEST_POOL:-}" != 1 ]; then
	for _ in $(seq 50); do
		virsh -q list --name 2>/dev/null | grep -q '^fleet-spin-' ||
		    break
		sleep 0.2
	done
	left=$(virsh -q list --name 2>/dev/null | grep '^fleet-spin-')
	[ -z "$left" ] || fail "spin VMs outlived their fsh: $left"
fi

finish vm
