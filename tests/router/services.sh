#!/bin/bash
# services.sh: fleetd --config with a boot process and services: the boot
# process's output reaches fleetd's stderr; a service that stays up is
# ready; one that fails at once is restarted after 1, 2, 4, 8 s and given
# up after 5 failures; one that exits 78 is not restarted; one killed is
# restarted, and a run 10 s long resets its backoff; fleet-ps -s
# shows them; SIGTERM to fleetd ends every VM and fleetd exits 0. With
# --syslog, fleetd's lines leave its stderr.
set -u
ROUTER_NET=sandbox
. "$(dirname "$0")/lib.sh"

use_libvirt
conf=$STATE/fleetd.conf
log=$STATE/fleetd.err

# wait_log N PATTERN: until PATTERN is on N lines of the log
wait_log() {
	for _ in $(seq 120); do
		[ "$(grep -c -- "$2" "$log")" -ge "$1" ] && return 0
		sleep 0.25
	done
	cat "$log"
	fail "not $1 lines of '$2'"
}

# A bad file: its line named, status 2, nothing started.
printf 'libvirt %s\n\nsevrice up spin\n' "$URI" >"$conf"
out=$("$BIN/fleetd" -d "$STATE" -c "$conf" 2>&1)
st=$?
[ $st = 2 ] || fail "bad config: status $st, not 2"
[ "$out" = "fleetd: $conf:3: unknown directive 'sevrice'" ] ||
    fail "bad config said: $out"
out=$("$BIN/fleetd" -d "$STATE" -c "$STATE/none.conf" 2>&1)
[ $? = 2 ] || fail "a missing --config file is not an error"
case $out in *"none.conf: No such file"*) ;;
*) fail "missing config said: $out" ;; esac

# the file's options apply (state-dir) unless the command line gives
# them (socket)
mkdir "$STATE/st"
cat >"$conf" <<EOF
# the test's services
libvirt $URI
state-dir "$STATE/st"
socket /run/fleet/not-this.sock
boot hello
service up spin
service fails exit 3
service quiet "exit" '78'
service ghost no-such-image
EOF

# fleetd's stderr, each line stamped with the time it came
"$BIN/fleetd" -c "$conf" -s "$FLEET_CTL" 2> >(while IFS= read -r l; do
	printf '%s %s\n' "$EPOCHREALTIME" "$l"; done >"$log") &
FLEETD=$!
for _ in $(seq 100); do
	q ping >/dev/null 2>&1 && break
	kill -0 "$FLEETD" 2>/dev/null || break
	sleep 0.05
done
q ping >/dev/null 2>&1 || { cat "$log" >&2; fail "fleetd did not start"; }
[ -e /run/fleet/not-this.sock ] && fail "the file's socket won over -s"
[ -e "$STATE/st/fleetd.state" ] || fail "the file's state-dir not used"

# until "fails" is given up: 1 + 2 + 4 + 8 s of backoff and five boots
for _ in $(seq 120); do
	grep -q "service fails: given up" "$log" && break
	sleep 0.5
done
cat "$log"
grep -q "fleetd: service fails: given up after 5 failures" "$log" ||
    fail "fails was not given up"
grep -q "Hello, world!" "$log" || fail "no output from the boot process"
grep -q "fleetd: boot: started fleet-hello-" "$log" ||
    fail "the boot process was not started"
grep -q "fleetd: boot: exited 0" "$log" || fail "boot did not exit 0"
grep -q "fleetd: service up: ready" "$log" || fail "up is not ready"

# five runs of fails, further and further apart
mapfile -t starts < <(grep "fleetd: service fails: started" "$log" |
    cut -d' ' -f1)
[ ${#starts[@]} = 5 ] || fail "fails started ${#starts[@]} times, not 5"
awk -v a="${starts[*]}" 'BEGIN {
	n = split(a, t, " "); split("0.9 1.9 3.9 7.9", min, " ")
	for (i = 2; i <= n; i++)
		if (t[i] - t[i - 1] < min[i - 1]) {
			printf "restart %d came %.2f s after, not >= %s\n",
			    i - 1, t[i] - t[i - 1], min[i - 1]; exit 1
		}
}' || fail "restarts did not back off"
[ "$(grep -c "fleetd: service fails: restart in" "$log")" = 4 ] ||
    fail "not 4 restarts of fails"
grep -q "fleetd: service fails: exited 3" "$log" ||
    fail "fails' status not logged"

# a service that cannot be spawned fails the same way
grep -q "fleetd: service ghost: .*no-such-image" "$log" ||
    fail "ghost's spawn error not logged"
wait_log 1 "fleetd: service ghost: given up after 5 failures"

# 78: not restarted
[ "$(grep -c "fleetd: service quiet: started" "$log")" = 1 ] ||
    fail "quiet (exit 78) was restarted"
grep -q "fleetd: service quiet: exited 78: not restarted" "$log" ||
    fail "quiet's exit 78 not logged"

# the services request and fleet-ps -s
out=$(q services)
echo "$out"
up_vm=$(sed -n 's/^service up \(fleet-spin-[^ ]*\) ready 0$/\1/p' <<<"$out")
[ -n "$up_vm" ] || fail "services: no ready up: $out"
grep -qx "service fails - failed 4" <<<"$out" || fail "services: fails"
grep -qx "service quiet - done 0" <<<"$out" || fail "services: quiet"
grep -qx "service ghost - failed 4" <<<"$out" || fail "services: ghost"
grep -qx "ok 4" <<<"$out" || fail "services: not ok 4"
virsh -q -c "$URI" list --name | grep -qx "$up_vm" ||
    fail "$up_vm is not a running domain"
ps=$("$BIN/fleet-ps" -s) || fail "fleet-ps -s failed"
echo "$ps"
[ "$(head -1 <<<"$ps" | tr -s ' ')" = "SERVICE VM STATE RESTARTS" ] ||
    fail "fleet-ps -s header"
grep -q "^up  *$up_vm  *ready  *0$" <<<"$ps" || fail "fleet-ps -s: up"
grep -q "^fails  *-  *failed  *4$" <<<"$ps" || fail "fleet-ps -s: fails"
"$BIN/fleet-ps" -a | grep -q "^$up_vm " || fail "fleet-ps -a lacks $up_vm"
json=$("$BIN/fleet-ps" -s -o json) || fail "fleet-ps -s -o json failed"
want='[{"name":"up","vm":"'$up_vm'","state":"ready","restarts":0},'
want+='{"name":"fails","vm":null,"state":"failed","restarts":4},'
want+='{"name":"quiet","vm":null,"state":"done","restarts":0},'
want+='{"name":"ghost","vm":null,"state":"failed","restarts":4}]'
[ "$json" = "$want" ] || fail "fleet-ps -s -o json: $json"

# A signal restarts up too; the wait grows while its runs are short, and a
# run 10 s past its `ready` starts the count again.
# up_vm N: the VM of up's N-th start, once ready
up_vm() {
	wait_log "$1" "fleetd: service up: ready"
	grep "fleetd: service up: started" "$log" | sed -n "$1p" |
	    sed 's/.* started //'
}
timeout 30 "$BIN/fleet-kill" -s KILL "$up_vm" || fail "fleet-kill $up_vm"
wait_log 1 "fleetd: service up: restart in 1 s"
vm=$(up_vm 2)
timeout 30 "$BIN/fleet-kill" -s KILL "$vm" || fail "fleet-kill $vm"
wait_log 1 "fleetd: service up: restart in 2 s"
vm=$(up_vm 3)
sleep 10.5
timeout 30 "$BIN/fleet-kill" -s KILL "$vm" || fail "fleet-kill $vm"
wait_log 2 "fleetd: service up: restart in 1 s"
grep "fleetd: service up:" "$log"
# destroyed by another: to fleetd, its VM went without a status
[ "$(grep -cE "fleetd: service up: (crashed|killed)" "$log")" = 3 ] ||
    fail "up's ends not logged"
up_vm 4 >/dev/null
q services | grep -q "^service up fleet-spin-[^ ]* ready 3$" ||
    fail "up: not ready after 3 restarts: $(q services)"

# SIGTERM: the VMs end, then fleetd, with status 0
kill -TERM "$FLEETD"
wait "$FLEETD"
st=$?
FLEETD=
[ $st = 0 ] || fail "fleetd exited $st after SIGTERM"
tail -n 4 "$log"
grep -q "fleetd: service up: stopped" "$log" || fail "up not stopped"
left=$(virsh -q -c "$URI" list --all --name | grep '^fleet-')
[ -z "$left" ] || fail "fleet domains left: $left"

# --syslog: fleetd's own lines leave stderr (for syslog(3): /dev/log, as
# strace shows where it is there), the VMs' output stays on it
printf 'libvirt %s\nsyslog\nboot hello\n' "$URI" >"$conf"
trace=
command -v strace >/dev/null && trace="strace -f -qq -e trace=connect -o $STATE/trace"
$trace "$BIN/fleetd" -d "$STATE" -c "$conf" 2>"$log" &
FLEETD=$!
for _ in $(seq 200); do
	grep -q "Hello, world!" "$log" && break
	sleep 0.1
done
sleep 0.5
pid=$FLEETD	# under strace, its child
[ -n "$trace" ] && pid=$(pgrep -P "$FLEETD" -x fleetd)
kill -TERM "$pid"
wait "$FLEETD"
st=$?
FLEETD=
cat "$log"
[ $st = 0 ] || fail "fleetd --syslog exited $st"
grep -q "Hello, world!" "$log" || fail "--syslog: no output from boot"
grep -q "fleetd: boot" "$log" && fail "--syslog: fleetd's lines on stderr"
if [ -n "$trace" ]; then
	grep -q '"/dev/log"' "$STATE/trace" || fail "--syslog: no /dev/log"
fi
echo "PASS services"
