# stress.sh: 100 `fleet-run true` in a row and 20 at once all exit 0, and
# no fleet domain outlives them.
. "$(dirname "$0")/lib.sh"
need true
serial=${STRESS_SERIAL:-100}
parallel=${STRESS_PARALLEL:-20}

bad=0
start=$(date +%s)
for i in $(seq "$serial"); do
	t $run true; rc=$?
	[ $rc = 0 ] || { bad=$((bad + 1)); echo "run $i: status $rc" >&2; }
done
[ $bad = 0 ] && pass "$serial in a row, $(($(date +%s) - start)) s" ||
    fail "$bad of $serial in a row failed"
within 10 no_domains || fail "after $serial in a row: $(fleet_domains)"

start=$(date +%s)
pids=()
for i in $(seq "$parallel"); do
	T=120 t $run true & pids+=($!)
done
bad=0
for p in "${pids[@]}"; do
	wait "$p" || bad=$((bad + 1))
done
[ $bad = 0 ] && pass "$parallel at once, $(($(date +%s) - start)) s" ||
    fail "$bad of $parallel at once failed"
# A libvirtd that died would also leave no domains listed.
virsh -q list >/dev/null 2>&1 && pass "libvirtd still answers" ||
    fail "libvirtd gone: $(tail -3 /var/log/libvirt/libvirtd.log)"
finish
