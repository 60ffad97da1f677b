# bench/lib.sh: what the warm-pool benchmarks share (sourced; $tmp, $src
# and $build set)

# median NAME COMMAND-NAME: the median of that command in
# $tmp/NAME.json (hyperfine's export), in s
median() {
	python3 -c 'import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
print("%.3f" % r[sys.argv[2]])' "$tmp/$1.json" "$2"
}
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }

# pool_fleetd POOL-OPTIONS...: a fleetd of our own with that pool, until
# the script exits; $quiet, hyperfine's prepare step, waits for it full
pool_fleetd() {
	export FLEET_CTL=$tmp/fleetd.sock
	"$build/bin/fleetd" -d "$tmp" -s "$FLEET_CTL" --no-tcp \
	    -L qemu:///system "$@" 2> "$tmp/fleetd.err" &
	fleetd=$!
	trap 'kill $fleetd 2>/dev/null; wait $fleetd 2>/dev/null; rm -rf "$tmp"' EXIT
	quiet="$src/bench/quiet.sh $FLEET_CTL"
	$quiet
}
