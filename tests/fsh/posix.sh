#!/bin/bash
# posix.sh FSH [CASES]: each script of posix.cases (separated by lines
# "----") gives the same stdout and exit status under fsh as under dash.
# They use the shell's own builtins only, so no VM and no sandbox: no
# programs on FLEET_PATH.
set -u
fsh=$1
cases=${2:-$(dirname "$0")/posix.cases}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {	# run SHELL SCRIPT OUT: in a fresh directory, stdin empty
	rm -rf "$tmp/wd" && mkdir "$tmp/wd"
	(cd "$tmp/wd" && FLEET_PATH=$tmp/none timeout 20 "$1" -c "$2" x \
	    </dev/null >"$3" 2>/dev/null)
	echo "status $?" >>"$3"
}

n=0 fail=0 script=
check() {
	n=$((n + 1))
	run dash "$script" "$tmp/want"
	run "$fsh" "$script" "$tmp/got"
	if ! cmp -s "$tmp/want" "$tmp/got"; then
		fail=$((fail + 1))
		echo "not ok $n"
		printf '%s\n' "$script" | sed 's/^/#   /'
		diff "$tmp/want" "$tmp/got" | sed 's/^/#   /'
	fi
}

while IFS= read -r line || [ -n "$line" ]; do
	if [ "$line" = "----" ]; then
		check
		script=
	else
		script=${script:+$script$'\n'}$line
	fi
done <"$cases"
[ -n "$script" ] && check
echo "$((n - fail))/$n scripts as dash does"
[ "$fail" -eq 0 ]
