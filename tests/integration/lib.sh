# lib.sh: shared by the integration scripts (sourced)
set -u

if [ "${FLEET_SANDBOX:-}" != 1 ]; then
	echo "FAIL: run inside scripts/sandbox.sh (FLEET_SANDBOX=1)" >&2
	exit 1
fi
: "${FLEET_BIN:?}" "${FLEET_PATH:?}" "${FLEET_SRC:?}" "${FLEET_BUILD:?}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
run=$FLEET_BIN/fleet-run
ps=$FLEET_BIN/fleet-ps
kill=$FLEET_BIN/fleet-kill
tmp=$(mktemp -d)
failed=0
trap 'rm -rf "$tmp"' EXIT

fail() { echo "FAIL: $*" >&2; failed=1; }
pass() { echo "ok: $*"; }
need() {
	for i in "$@"; do
		[ -f "$FLEET_PATH/$i" ] ||
		    { echo "skip: image $i not built" >&2; exit 77; }
	done
}
# bounded: every command that may wait on a VM
t() { timeout -s KILL "${T:-60}" "$@"; }

# The fleet domains libvirt still has; with a warm pool (FLEET_TEST_POOL=1,
# tests/router/pool-suite.sh) but for fleetd's idle and recycled VMs.
pool_idle() {
	printf 'pool\n' | socat -t5 - "UNIX-CONNECT:$FLEET_CTL" |
	    awk '$1 == "idle" || $1 == "recycled" { print $2 }'
}
fleet_domains() {
	local d
	d=$(virsh list --all --name 2>/dev/null | grep '^fleet-' || true)
	[ "${FLEET_TEST_POOL:-}" = 1 ] && [ -n "$d" ] &&
	    d=$(grep -vxF -f <(pool_idle; echo -) <<<"$d" || true)
	printf '%s' "$d"
}

# Poll (at most $1 seconds) until CMD succeeds.
within() {
	local secs=$1 i
	shift
	for i in $(seq $((secs * 10))); do
		"$@" && return 0
		sleep 0.1
	done
	"$@"
}
no_domains() { [ -z "$(fleet_domains)" ]; }
finish() {
	within 10 no_domains || fail "fleet domains left: $(fleet_domains)"
	exit $failed
}
