# lib.sh: helpers for fsh's VM tests (sourced)
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# A VM test outside the sandbox is a failure, not a skip.
need_sandbox() {
	if [ "${FLEET_SANDBOX:-}" != 1 ]; then
		echo "FAIL: run inside scripts/sandbox.sh (FLEET_SANDBOX != 1)"
		exit 1
	fi
}

# run SECONDS SCRIPT: fsh -c SCRIPT, bounded; sets out, err, st.
run() {
	local limit=$1
	shift
	timeout -k 5 "$limit" "$fsh" -c "$@" > "$tmp/out" 2> "$tmp/err"
	st=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# expect SCRIPT WANT-STDOUT [WANT-STATUS]
expect() {
	run 120 "$1"
	[ "$out" = "$2" ] || fail "[$1]: printed '$out', want '$2' (stderr: $err)"
	[ "$st" = "${3:-0}" ] || fail "[$1]: status $st, want ${3:-0} (stderr: $err)"
}

finish() {
	[ "$fails" = 0 ] && echo "$1: all passed"
	exit $((fails > 0))
}
