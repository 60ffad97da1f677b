#!/bin/bash
# rundir.sh: fleetd makes its control socket's directory (/run is empty at
# every boot), 0755 whatever the umask, and says so when it cannot.
set -u
. "$(dirname "$0")/lib.sh"

stop_fleetd() {
	kill "$FLEETD"
	wait "$FLEETD" 2>/dev/null
	FLEETD=
}
mode_is() {	# mode_is MODE DIR
	[ -d "$2" ] || fail "$2 not made"
	[ "$(stat -c %a "$2")" = "$1" ] ||
	    fail "$2 is mode $(stat -c %a "$2"), not $1"
}

# The default socket on a fresh /run, as at boot: no /run/fleet.
mount -t tmpfs -o mode=755 router-run /run
[ ! -e /run/fleet ] || fail "/run/fleet is there before fleetd"
start_fleetd
mode_is 755 /run/fleet
[ -S /run/fleet/fleetd.sock ] || fail "no /run/fleet/fleetd.sock"
stop_fleetd

# -s in a directory that is not there, under a umask that would hide it.
export FLEET_CTL=$STATE/run/fleetd.sock
umask=$(umask)
umask 077
start_fleetd -s "$FLEET_CTL"
umask "$umask"
mode_is 755 "$STATE/run"
q ping | grep -q . || fail "no answer on $FLEET_CTL"
stop_fleetd
# A directory that is there already stays as it is.
chmod 700 "$STATE/run"
start_fleetd -s "$FLEET_CTL"
mode_is 700 "$STATE/run"
stop_fleetd

# Its parent is missing too: a clear error, naming the directory.
sock=$STATE/no/such/fleetd.sock
"$BIN/fleetd" -d "$STATE" -s "$sock" 2>"$STATE/err" >/dev/null &&
    fail "fleetd started without $STATE/no"
want="fleetd: control: cannot create the socket's directory $STATE/no/such:"
want="$want No such file or directory"
[ "$(cat "$STATE/err")" = "$want" ] ||
    fail "fleetd said \"$(cat "$STATE/err")\", not \"$want\""
echo "ok: fleetd makes its socket's directory"
