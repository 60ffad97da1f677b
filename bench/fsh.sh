#!/bin/sh
# bench/fsh.sh: fsh against dash with coreutils, one run, inside
# scripts/sandbox.sh: a script of 1,000 loop iterations that starts no
# program (bench/loop.sh); a loop over $(seq 100) piped to wc -l; the wall
# time of echo hi | upcase (echo is a builtin: one VM), and the
# throughput of 4 MiB through yes | head -c 4194304 | wc -c; then that
# pipeline with a fleetd whose warm pool holds echo and upcase (each run
# starts with the pool full: an untimed prepare waits for it).
# usage: scripts/sandbox.sh bench/fsh.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${FLEET_BUILD:-$src/build/release}}
fsh=$build/bin/fsh
export FLEET_PATH=${FLEET_PATH:-$build/images}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/fsh.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/fsh.sh: needs hyperfine" >&2; exit 1; }

hyperfine -N --warmup 2 --runs 20 --export-json "$tmp/loop.json" \
	"$fsh $src/bench/loop.sh" "dash $src/bench/loop.sh" >&2
seq100='for i in $(seq 100); do echo $i; done | wc -l'
hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/seq.json" \
	"$fsh -c '$seq100'" "dash -c '$seq100'" >&2
hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/pipe.json" \
	"$fsh -c 'echo hi | upcase'" \
	"dash -c 'echo hi | tr a-z A-Z'" >&2
hyperfine -N --runs 1 --export-json "$tmp/tput.json" \
	"$fsh -c 'yes | head -c 4194304 | wc -c'" \
	"dash -c 'yes | head -c 4194304 | wc -c'" >&2
"$fsh" -c 'yes | head -c 4194304 | wc -c' > "$tmp/count"

export FLEET_CTL=$tmp/fleetd.sock
"$build/bin/fleetd" -d "$tmp" -s "$FLEET_CTL" --no-tcp -L qemu:///system \
	--pool echo:2 --pool upcase:2 2> "$tmp/fleetd.err" &
fleetd=$!
trap 'kill $fleetd 2>/dev/null; wait $fleetd 2>/dev/null; rm -rf "$tmp"' EXIT
"$src/bench/quiet.sh" "$FLEET_CTL"
hyperfine -N --warmup 1 --runs 5 --export-json "$tmp/warm.json" \
	-p "$src/bench/quiet.sh $FLEET_CTL" "$fsh -c 'echo hi | upcase'" \
	"env FLEET_POOL=0 $fsh -c 'echo hi | upcase'" >&2

python3 - "$tmp/pipe.json" "$tmp/tput.json" "$(cat "$tmp/count")" \
    "$tmp/warm.json" "$tmp/loop.json" "$tmp/seq.json" <<'PY'
import json, sys
loop = [r["mean"] for r in json.load(open(sys.argv[5]))["results"]]
seq = [r["mean"] for r in json.load(open(sys.argv[6]))["results"]]
pipe = [r["mean"] for r in json.load(open(sys.argv[1]))["results"]]
warm, off = [r["mean"] for r in json.load(open(sys.argv[4]))["results"]]
tput = [r["mean"] for r in json.load(open(sys.argv[2]))["results"]]
mib = 4.0
print("| what | fsh | dash + coreutils | ratio |")
print("| --- | --- | --- | --- |")
print("| bench/loop.sh: 1,000 iterations, builtins only, mean of 20 | %.4f s | %.4f s | %.2fx |"
      % (loop[0], loop[1], loop[0] / loop[1]))
print("| `for i in $(seq 100); do echo $i; done \\| wc -l`, mean of 5 | %.3f s | %.4f s | %.0fx |"
      % (seq[0], seq[1], seq[0] / seq[1]))
print("| `echo hi \\| upcase` (tr), echo a builtin: one VM, mean of 5 | %.3f s | %.4f s | %.0fx |"
      % (pipe[0], pipe[1], pipe[0] / pipe[1]))
print("| the same, fleetd's pool warm (echo, upcase), mean of 5 | %.4f s | %.4f s | %.0fx |"
      % (warm, pipe[1], warm / pipe[1]))
print("| the same, that fleetd, pool off (it creates the VMs), mean of 5 | %.4f s | %.4f s | %.0fx |"
      % (off, pipe[1], off / pipe[1]))
print("| `yes \\| head -c 4194304 \\| wc -c` wall time, one run | %.2f s | %.4f s | %.0fx |"
      % (tput[0], tput[1], tput[0] / tput[1]))
print("| the same as throughput | %.2f MiB/s | %.0f MiB/s | 1/%.0f |"
      % (mib / tput[0], mib / tput[1], tput[0] / tput[1]))
print("\nfsh's wc -c counted: %s" % sys.argv[3].strip())
PY
