#!/bin/bash
# badinput.sh: bad flows and bad requests get a clear error and change
# nothing; a bad client is dropped alone.
set -u
. "$(dirname "$0")/lib.sh"

snapshot() {
	"$BIN/fleet-allow" --list >"$STATE/list.$1"
	nft list ruleset >"$STATE/nft.$1"
	cp "$STATE/fleetd.state" "$STATE/disk.$1"
}
unchanged() {
	snapshot now
	cmp -s "$STATE/list.ref" "$STATE/list.now" || fail "$1: flows changed"
	cmp -s "$STATE/nft.ref" "$STATE/nft.now" || fail "$1: ruleset changed"
	cmp -s "$STATE/disk.ref" "$STATE/disk.now" || fail "$1: disk changed"
}
# expect_err WORDS... -- ARGS: fleet-allow ARGS fails, stderr has WORDS
expect_err() {
	local want=$1 rc
	shift
	"$BIN/fleet-allow" "$@" 2>"$STATE/err" && fail "fleet-allow $* succeeded"
	grep -qF "$want" "$STATE/err" ||
	    fail "fleet-allow $*: \"$(cat "$STATE/err")\" lacks \"$want\""
	grep -q '^fleet-allow: ' "$STATE/err" || fail "no fleet-allow: prefix"
	unchanged "fleet-allow $*"
}
# expect_reply PREFIX LINE: fleetd's own checks, past the client's
expect_reply() {
	local out
	out=$(q "$2")
	case $out in "$1"*) ;; *) fail "\"$2\": got \"$out\", want \"$1\"" ;; esac
	unchanged "$2"
}

start_fleetd
standin w1 web
"$BIN/fleet-allow" web db tcp/80 || fail "allow"
snapshot ref

expect_err 'unknown protocol "sctp"' web db sctp/80
expect_err 'port 70000 out of range 1..65535' web db tcp/70000
expect_err 'port 0 out of range' web db udp/0
expect_err 'backwards' web db tcp/90-80
expect_err 'source "Web"' Web db tcp/80
expect_err 'destination "d;b"' web 'd;b' tcp/80
expect_err 'icmp takes no port' web db icmp/8
expect_err 'exists (id 1)' web db tcp/80
expect_err 'no flow "web db tcp/81"' --revoke web db tcp/81
expect_err 'no flow with id 42' --revoke 42
printf 'web db tcp/81\nweb db bogus/1\n' >"$STATE/bulk"
expect_err 'bulk:2: "bogus/1": unknown protocol' --file "$STATE/bulk"
printf 'web db tcp/81\nweb db tcp/80\n' >"$STATE/bulk"
expect_err 'exists' --file "$STATE/bulk"

expect_reply 'err EINVAL "sctp/1": unknown protocol' 'allow web db sctp/1'
expect_reply 'err EINVAL "tcp/65536": port 65536 out of range' \
    'allow web db tcp/65536'
expect_reply 'err EINVAL source "a/b"' 'allow a/b db tcp/1'
expect_reply 'err EEXIST flow "web db tcp/80" exists' 'allow web db tcp/80'
expect_reply 'err ENOENT no flow "web db tcp/9"' 'revoke web db tcp/9'
expect_reply 'err EINVAL unknown request' 'frobnicate'
expect_reply 'err EINVAL usage: allow' 'allow web db'
expect_reply 'err EEXIST VM w1 is registered' 'lease w1 web t-x'
expect_reply 'err EINVAL "zz" is not a MAC' \
    'register x web t-x zz 10.77.0.9'
expect_reply 'err EINVAL address 10.78.0.9' \
    'register x web t-x 52:54:00:00:00:09 10.78.0.9'
expect_reply 'err ENOENT no VM nope' 'release nope'

# An oversized request: an error, that client dropped, fleetd serves on.
long=$(head -c 10000 /dev/zero | tr '\0' a)
out=$(printf 'allow %s db tcp/1\nping\n' "$long" |
    socat -t5 -T5 - "UNIX-CONNECT:$FLEET_CTL")
case $out in "err EMSGSIZE"*) ;; *) fail "oversized: got \"$out\"" ;; esac
echo "$out" | grep -q 'ok fleetd' && fail "oversized client not dropped"
# A truncated request (no newline before the end).
out=$(printf 'allow web db tcp/99' | socat -t5 -T5 - "UNIX-CONNECT:$FLEET_CTL")
case $out in "err EPROTO truncated"*) ;; *) fail "truncated: got \"$out\"" ;; esac
q ping | grep -q '^ok fleetd' || fail "fleetd stopped serving"
unchanged "bad clients"
# A transaction with a bad line applies nothing.
out=$(q begin 'allow web db tcp/81' 'allow web db tcp/0' commit)
echo "$out" | grep -q 'err EINVAL line 2' || fail "tx: got \"$out\""
unchanged "failed transaction"
echo "PASS badinput"
