#!/bin/bash
# pool.sh: fleetd --pool keeps VMs of an image booted and paused; a spawn
# claims one, and the program sees what a cold start gives it (argv,
# stdin, stdout, stderr, status). A claimed VM dies with its owner unless
# detached; an image changed on disk is never served stale; fleetd's end
# takes the pool with it, and a fleetd that died leaves its idle VMs to
# the next; bad options and requests are named. A user who is not root
# claims and runs warm VMs, owns them, and may not change fleetd.
set -u
ROUTER_NET=sandbox
. "$(dirname "$0")/lib.sh"

use_libvirt
: "${FLEET_PATH:?}"
run=$BIN/fleet-run
IMG=$STATE/img
mkdir -p "$IMG"
# the images, for QEMU (libvirt-qemu on a stock libvirt) and other users
chmod 711 "$STATE"
for i in echo cat exit spin hello; do cp "$FLEET_PATH/$i" "$IMG/$i"; done
cp "$FLEET_PATH/hello" "$IMG/prog"
# busybox's head and env: two names of one pooled image
cp "$FLEET_PATH/head" "$IMG/busybox"
ln -s busybox "$IMG/head"
ln -s busybox "$IMG/env"

# idle IMAGE: the names of IMAGE's idle pool VMs
idle() { q pool | awk -v p="/$1" '$1 == "idle" &&
    substr($3, length($3) - length(p) + 1) == p { print $2 }'; }
# served IMAGE: the claims of IMAGE fleetd has answered
served() { q pool | awk -v p="/$1" '$1 == "pool" &&
    substr($2, length($2) - length(p) + 1) == p { print $7 }'; }
# wait_idle IMAGE N: within 60 s, N VMs of IMAGE are idle
wait_idle() {
	for _ in $(seq 240); do
		[ "$(idle "$1" | wc -l)" -ge "$2" ] && return 0
		sleep 0.25
	done
	q pool >&2
	cat "$STATE/fleetd.err" >&2
	fail "the pool of $1 did not fill to $2"
}
domains() { virsh -q -c "$URI" list --all --name | grep '^fleet-' || true; }
has() { domains | grep -qx "$1"; }
# gone NAME: within 10 s, libvirt no longer has domain NAME
gone() {
	for _ in $(seq 100); do has "$1" || return 0; sleep 0.1; done
	return 1
}
# both CMD...: run CMD warm (from the pool) and cold; same bytes, status
both() {
	local w c ws cs
	w=$(timeout 60 "$@" 2>&1; echo "status $?")
	c=$(FLEET_POOL=0 timeout 60 "$@" 2>&1; echo "status $?")
	[ "$w" = "$c" ] || fail "$*: pool gave '$w', cold '$c'"
	printf '%s\n' "$w"
}

# Bad options: named, before anything is set up.
err=$("$BIN/fleetd" -d "$STATE" --pool echo 2>&1) &&
    fail "--pool without --libvirt accepted"
case $err in "fleetd: --pool needs --libvirt"*) ;;
*) fail "--pool without --libvirt: '$err'" ;; esac
err=$("$BIN/fleetd" -d "$STATE" -L "$URI" --pool "$IMG/echo:0" 2>&1) &&
    fail "--pool IMAGE:0 accepted"
case $err in *"--pool $IMG/echo:0: size \"0\" is not 1..32"*) ;;
*) fail "--pool IMAGE:0: '$err'" ;; esac
err=$("$BIN/fleetd" -d "$STATE" -L "$URI" --pool "$IMG/nosuch" 2>&1) &&
    fail "--pool of a missing image accepted"
case $err in *"--pool $IMG/nosuch: "*nosuch*) ;;
*) fail "--pool of a missing image: '$err'" ;; esac

err=$("$BIN/fleetd" -d "$STATE" -L "$URI" --pool "$IMG/echo:2" \
    --pool "$IMG/cat:2" --pool-max 3 2>&1) &&
    fail "--pool-max under the images' sizes accepted"
case $err in *"--pool-max, --pool-jobs: 3 VMs at most, but the images ask for 4"*) ;;
*) fail "--pool-max 3: '$err'" ;; esac
err=$("$BIN/fleetd" -d "$STATE" -L "$URI" --pool "$IMG/echo" \
    --pool-jobs 0 2>&1) && fail "--pool-jobs 0 accepted"
case $err in *"--pool-max, --pool-jobs: \"0\" is not 1..8"*) ;;
*) fail "--pool-jobs 0: '$err'" ;; esac

# 8 VMs asked for, 10 at most: room for 2 more where claims outrun the
# refill.
start_fleetd --libvirt "$URI" --pool "$IMG/echo:2" --pool "$IMG/cat:1" \
    --pool "$IMG/exit:1" --pool "$IMG/prog:1" --pool "$IMG/spin:1" \
    --pool "$IMG/hello:1" --pool "$IMG/head:1" --pool-max 10 --pool-jobs 3

# Requests: named errors.
[ "$(q claim)" = "err EINVAL usage: claim IMAGE" ] || fail "claim: $(q claim)"
case $(q "claim $IMG/nosuch") in "err ENOENT $IMG/nosuch is not pooled") ;;
*) fail "claim of an unpooled image: $(q "claim $IMG/nosuch")" ;; esac
case $(q "detach fleet-echo-1") in "err ENOENT fleet-echo-1: not claimed"*) ;;
*) fail "detach of what was not claimed: $(q "detach fleet-echo-1")" ;; esac
[ "$(q "run fleet-echo-1")" = "err EINVAL usage: run NAME fg|bg WORD..." ] ||
    fail "run without argv: $(q "run fleet-echo-1")"
case $(q "run fleet-echo-1 fg echo") in "err ENOENT fleet-echo-1: not claimed"*) ;;
*) fail "run of what was not claimed: $(q "run fleet-echo-1 fg echo")" ;; esac

# argv, warm and cold alike. The claimed VM was an idle one, and it
# waits again: its program exited, so it made itself new for root's
# next claim (recycled, `pool` says) instead of being destroyed.
wait_idle echo 2
before=$(idle echo)
n=$(served echo)
out=$(both "$run" "$IMG/echo" a 'b c' '' 'd%e' "$(printf 'x\ty')")
[ "$out" = "$(printf 'a b c  d%%e x\ty\nstatus 0')" ] || fail "echo: '$out'"
[ "$(served echo)" = $((n + 1)) ] || fail "echo: not served by the pool"
vm=$(q pool | awk -v i="$IMG/echo" '$1 == "recycled" && $3 == i && $4 == 0 {
    print $2 }')
case " $(echo $before) " in *" $vm "*) ;;
*) fail "no idle echo VM ($before) recycled for root: $(q pool)" ;; esac

# A recycled VM is what a boot gives its next program: the stdin that
# the last one left unread (more than the 256 KiB a guest asks ahead
# too) is not the next one's, nor is its environment.
# vm_of OUT: the pool VM that served a run with FLEET_DEBUG=1
vm_of() { sed -n 's/^libfleet: \(fleet-[^:]*\): claimed .*/\1/p' "$1"; }
recycled() { grep -q "^libfleet: $1: recycled" "$2"; }
wait_idle busybox 1
out=$(head -c 300000 /dev/zero | tr '\0' a |
    FLEET_DEBUG=1 timeout 60 "$run" "$IMG/head" -c 3 2> "$STATE/r1")
vm=$(vm_of "$STATE/r1")
[ "$out" = aaa ] && [ -n "$vm" ] && recycled "$vm" "$STATE/r1" ||
    fail "head -c 3, warm and recycled: '$out', $(cat "$STATE/r1")"
out=$(printf xyz | FLEET_DEBUG=1 timeout 60 "$run" "$IMG/head" -c 10 \
    2> "$STATE/r2")
[ "$(vm_of "$STATE/r2")" = "$vm" ] ||
    fail "head after a recycle: not $vm: $(cat "$STATE/r2")"
[ "$out" = xyz ] || fail "recycled $vm's head -c 10: '$out'"
out=$(FLEET_DEBUG=1 timeout 60 "$run" -e LAST=1 "$IMG/env" 2> "$STATE/r3")
[ "$(vm_of "$STATE/r3")" = "$vm" ] && [ "$(echo "$out" | grep LAST)" = \
    LAST=1 ] || fail "env -e LAST=1 on $vm: '$out', $(cat "$STATE/r3")"
out=$(FLEET_DEBUG=1 timeout 60 "$run" "$IMG/env" 2> "$STATE/r4")
[ "$(vm_of "$STATE/r4")" = "$vm" ] || fail "env: not $vm: $(cat "$STATE/r4")"
case $out in *LAST=*) fail "recycled $vm kept the environment: '$out'" ;; esac
# a program killed with its owner is not recycled: its VM is destroyed
FLEET_DEBUG=1 "$run" "$IMG/head" -c 1 < <(sleep 30) 2> "$STATE/r6" & pid=$!
for _ in $(seq 100); do [ -n "$(vm_of "$STATE/r6")" ] && break; sleep 0.1; done
[ "$(vm_of "$STATE/r6")" = "$vm" ] || fail "head: not $vm: $(cat "$STATE/r6")"
kill -TERM $pid
wait $pid 2>/dev/null
gone "$vm" || fail "$vm, its owner killed, was recycled"

# Words longer than an `args` line come ahead of stdin on the stdio
# port: still a claim, every byte of argv, then stdin.
big=$(head -c 6000 /dev/zero | tr '\0' ';')
wait_idle echo 1
n=$(served echo)
out=$(timeout 60 "$run" -e "BIG=$big" "$IMG/echo" "$big" x)
[ "$out" = "$big x" ] && [ "$(served echo)" = $((n + 1)) ] ||
    fail "6 kB argv and environment: ${#out} bytes, served $(served echo), was $n"
wait_idle cat 1
n=$(served cat)
out=$(echo in | timeout 60 "$run" -e "BIG=$big" "$IMG/cat")
[ "$out" = in ] && [ "$(served cat)" = $((n + 1)) ] ||
    fail "cat with a 6 kB environment: '$out', served $(served cat), was $n"

# stdin and stdout, binary; stderr and status.
wait_idle cat 1
head -c 100000 /dev/urandom > "$STATE/in"
sum=$(timeout 60 "$run" "$IMG/cat" < "$STATE/in" | sha256sum)
[ "$sum" = "$(sha256sum < "$STATE/in")" ] || fail "cat of 100 kB differs"
wait_idle exit 1
out=$(both "$run" "$IMG/exit" 7)
[ "$out" = "status 7" ] || fail "exit 7: '$out'"
wait_idle exit 1
out=$(both "$run" "$IMG/exit" x)
[ "$out" = "$(printf 'exit: x: numeric argument required\nstatus 2')" ] ||
    fail "exit x: '$out'"

# A claim ends with its connection: the VM is destroyed.
wait_idle echo 1
reply=$(q "claim $IMG/echo")
case $reply in "ok fleet-echo-"*" qemu:///system") ;;
*) fail "claim: '$reply'" ;; esac
vm=$(echo "$reply" | cut -d' ' -f2)
gone "$vm" || fail "$vm outlived its claim"

# The owner killed: the VM goes with it.
wait_idle spin 1
vm=$(idle spin)
"$run" "$IMG/spin" & pid=$!
for _ in $(seq 100); do
	[ "$(virsh -c "$URI" domstate "$vm" 2>/dev/null)" = running ] && break
	sleep 0.1
done
kill -KILL $pid
wait $pid 2>/dev/null
gone "$vm" || fail "$vm outlived its SIGKILLed owner"

# Detached: it stays, with the owner and argv fleet-ps shows.
wait_idle spin 1
vm=$(idle spin)
id=$(timeout 60 "$run" -d "$IMG/spin" a1 b2) || fail "fleet-run -d spin"
[ "$id" = "$vm" ] || fail "fleet-run -d gave $id, not the idle $vm"
sleep 1
has "$vm" || fail "detached $vm did not stay"
line=$("$BIN/fleet-ps" | grep "^$vm ")
case $line in *" $FLEETD "*|"") fail "fleet-ps: '$line' (fleetd's VM)" ;;
*"spin a1 b2") ;; *) fail "fleet-ps: '$line' (want args spin a1 b2)" ;; esac
timeout 30 "$BIN/fleet-kill" -s KILL "$id" || fail "fleet-kill $id"
gone "$vm" || fail "$vm outlived fleet-kill"

# A user who is not root: fleetd hands it every console with the claim
# (on a stock libvirt QEMU's stdio socket is libvirt-qemu's, 0664), so a
# warm spawn needs nothing but fleetd's socket. The sandbox's stock
# profile has such users; else numeric ids, with no passwd entry.
if [ -n "${FLEET_SANDBOX_USER:-}" ]; then
	uid=$(id -u "$FLEET_SANDBOX_USER")
	user=(setpriv --reuid="$uid" --regid="$(id -g "$FLEET_SANDBOX_USER")"
	    --init-groups)
	ouid=$(id -u "${FLEET_SANDBOX_OTHER:?}")
	other=(setpriv --reuid="$ouid" --regid="$(id -g "$FLEET_SANDBOX_OTHER")"
	    --init-groups)
else
	uid=4242 ouid=4243
	user=(setpriv --reuid=$uid --regid=$uid --clear-groups)
	other=(setpriv --reuid=$ouid --regid=$ouid --clear-groups)
fi
uhome=$(mktemp -d /tmp/fleet-user.XXXXXX)
chown "$uid" "$uhome"
# The URI is found as for anyone; a user who cannot reach libvirtd (the
# fast profile's socket is root's, 0770) would get the embedded driver,
# which claims nothing: name fleetd's libvirt then.
if "${user[@]}" test -w /run/libvirt/libvirt-sock; then
	user=(env -u FLEET_URI HOME="$uhome" "${user[@]}")
else
	user=(env HOME="$uhome" "${user[@]}")
fi
uq() { printf '%s\n' "$@" |
    "${user[@]}" socat -t5 -T5 - "UNIX-CONNECT:$FLEET_CTL"; }
wait_idle hello 1
n=$(served hello)
out=$(timeout 60 "${user[@]}" "$run" "$IMG/hello" 2>&1; echo "status $?")
[ "$out" = "$(printf 'Hello, world!\nstatus 0')" ] ||
    fail "hello as uid $uid: '$out'"
[ "$(served hello)" = $((n + 1)) ] || fail "hello as uid $uid: no claim"
# recycled for uid: no other user's claim gets it
out=$(FLEET_DEBUG=1 timeout 60 "${user[@]}" "$run" "$IMG/hello" 2>&1 >/dev/null)
hvm=$(echo "$out" | sed -n 's/^libfleet: \(fleet-[^:]*\): recycled$/\1/p')
[ -n "$hvm" ] || fail "hello as uid $uid: not recycled: $out"
out=$(printf 'claim %s\n' "$IMG/hello" | "${other[@]}" socat -t5 -T5 - \
    "UNIX-CONNECT:$FLEET_CTL")
case $out in "ok $hvm "*) fail "uid $ouid got uid $uid's recycled $hvm" ;; esac
wait_idle cat 1
n=$(served cat)
out=$(echo hi | timeout 60 "${user[@]}" "$run" "$IMG/cat" 2>&1
    echo "status $?")
[ "$out" = "$(printf 'hi\nstatus 0')" ] || fail "cat as uid $uid: '$out'"
[ "$(served cat)" = $((n + 1)) ] || fail "cat as uid $uid: no claim"
wait_idle exit 1
timeout 60 "${user[@]}" "$run" "$IMG/exit" 7
[ $? = 7 ] || fail "exit 7 as uid $uid"
# its VM is its own: fleet-ps shows it as the owner
wait_idle spin 1
vm=$(idle spin)
id=$(timeout 60 "${user[@]}" "$run" -d "$IMG/spin" u1) ||
    fail "fleet-run -d spin as uid $uid"
[ "$id" = "$vm" ] || fail "fleet-run -d as uid $uid gave $id, not $vm"
line=$("$BIN/fleet-ps" -a -o json | grep "\"id\": \"$vm\"")
case ${line%,} in *'"owner_uid": '"$uid,"*', "u1"]}') ;;
*) fail "fleet-ps of uid $uid's $vm: '$line'" ;; esac
timeout 30 "$BIN/fleet-kill" -s KILL "$id" || fail "fleet-kill $id"
gone "$vm" || fail "$vm outlived fleet-kill"
# a claim is its connection's: another user can neither run nor detach it
wait_idle echo 1
{ printf 'claim %s\n' "$IMG/echo"; sleep 3; } | "${user[@]}" socat -t5 - \
    "UNIX-CONNECT:$FLEET_CTL" > "$STATE/claim.out" &
claimer=$!
for _ in $(seq 50); do [ -s "$STATE/claim.out" ] && break; sleep 0.1; done
vm=$(cut -d' ' -f2 "$STATE/claim.out")
case $(cat "$STATE/claim.out") in "ok fleet-echo-"*" $URI") ;;
*) fail "claim as uid $uid: '$(cat "$STATE/claim.out")'" ;; esac
out=$(printf 'run %s fg echo\ndetach %s\n' "$vm" "$vm" |
    "${other[@]}" socat -t5 -T5 - "UNIX-CONNECT:$FLEET_CTL")
want="err ENOENT $vm: not claimed on this connection"
[ "$out" = "$(printf '%s\n%s' "$want" "$want")" ] ||
    fail "uid $ouid used uid $uid's claim: '$out'"
wait "$claimer"
gone "$vm" || fail "uid $uid's $vm outlived its claim"
# and it may not change fleetd
out=$(uq "lease u1 spin t-u1")
[ "$out" = "err EPERM lease: only local root may change fleetd" ] ||
    fail "lease as uid $uid: $out"
for r in "release $vm" "allow a b tcp/1" "revoke 1" "begin" \
    "register u1 spin t-u1 52:54:00:00:00:01 10.77.9.9" \
    "create qemu%3A%2F%2F%2Fsystem %3Cdomain"; do
	case $(uq "$r") in "err EPERM "*) ;;
	*) fail "$r as uid $uid: $(uq "$r")" ;; esac
done
q vms | grep -q ' u1 ' && fail "uid $uid leased u1"
rm -rf "$uhome"

# A pool VM is on the fleet network: fleetd leased it an address.
wait_idle echo 1
vm=$(idle echo | head -1)
q vms | grep -q "^vm $vm echo fl-" || fail "idle $vm has no lease: $(q vms)"

# Runs back to back that empty an image's pool: each gets what a cold
# start gives it, and the image keeps more VMs from then on, all images
# together within --pool-max.
want() { q pool | awk -v p="/$1" '$1 == "pool" &&
    substr($2, length($2) - length(p) + 1) == p { print $3 }'; }
wait_idle hello 1
before=$(want hello)
for _ in 1 2 3; do
	out=$(timeout 60 "$run" "$IMG/hello" 2>&1; echo "status $?")
	[ "$out" = "$(printf 'Hello, world!\nstatus 0')" ] ||
	    fail "hello, back to back: '$out'"
done
after=$(want hello)
total=$(q pool | awk '$1 == "pool" { n += $3 } END { print n }')
[ "$after" -gt "$before" ] || [ "$total" = 10 ] ||
    fail "hello's pool stayed at $after after 3 runs in a row: $(q pool)"
[ "$total" -le 10 ] || fail "the pool wants $total VMs, over --pool-max 10"
wait_idle hello "$after"
n=$(served hello)
out=$(timeout 60 "$run" "$IMG/hello" 2>&1; echo "status $?")
[ "$out" = "$(printf 'Hello, world!\nstatus 0')" ] || fail "hello: '$out'"
[ "$(served hello)" = $((n + 1)) ] || fail "hello: not served by the pool"

# An image changed on disk: a new file, then one rewritten in place.
wait_idle prog 1
stale=$(idle prog)
cp "$FLEET_PATH/upcase" "$IMG/prog.new" && mv "$IMG/prog.new" "$IMG/prog"
out=$(echo fresh | timeout 60 "$run" "$IMG/prog")
[ "$out" = FRESH ] || fail "replaced image: '$out' (stale VM $stale?)"
gone "$stale" || fail "stale $stale was not drained"
wait_idle prog 1
cat "$FLEET_PATH/hello" > "$IMG/prog"
out=$(timeout 60 "$run" "$IMG/prog" x)
[ "$out" = "Hello, world!" ] || fail "image rewritten in place: '$out'"

# A fleetd that dies leaves its idle VMs paused; the next one destroys
# them (no argv in their metadata), and VMs it did not boot are kept.
id=$(timeout 60 "$run" -d "$IMG/spin") || fail "fleet-run -d spin"
wait_idle echo 2
left=$(q pool | awk '$1 == "idle" { print $2 }')
kill -KILL "$FLEETD"
wait "$FLEETD" 2>/dev/null
start_fleetd --libvirt "$URI" --pool "$IMG/echo:1"
for d in $left; do gone "$d" || fail "idle $d outlived its fleetd"; done
has "$id" || fail "detached $id was destroyed by the new fleetd"
timeout 30 "$BIN/fleet-kill" -s KILL "$id" || fail "fleet-kill $id"

# create: fleetd creates a domain for its client (a cold spawn through
# fleetd, protocol.md 6.2), which lasts as long as that connection.
xml="<domain type='qemu'><name>fleet-create-test</name><memory unit='MiB'>128</memory>
<os><type arch='x86_64' machine='pc'>hvm</type><kernel>$FLEET_PATH/../fleetrt</kernel>
<initrd>$IMG/spin</initrd>
<cmdline>fleet.v=1 -- spin</cmdline></os><devices><serial type='pty'/>
<controller type='usb' model='none'/><memballoon model='none'/></devices></domain>"
word() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"; }
enc=$(word "$xml")
out=$(q "create $(word qemu:///elsewhere) $enc")
case $out in "err ENOENT create: fleetd's libvirt is $URI, not qemu:///elsewhere") ;;
*) fail "create on another libvirt: '$out'" ;; esac
has fleet-create-test && fail "create on another libvirt created a domain"
{ printf 'create %s %s\n' "$(word "$URI")" "$enc"; sleep 3; } |
    socat -t5 - "UNIX-CONNECT:$FLEET_CTL" > "$STATE/create.out" &
creator=$!
for _ in $(seq 50); do [ -s "$STATE/create.out" ] && break; sleep 0.1; done
grep -qx "ok fleet-create-test $URI" "$STATE/create.out" ||
    fail "create: '$(cat "$STATE/create.out")'"
has fleet-create-test || fail "create: no domain fleet-create-test"
wait "$creator"
gone fleet-create-test || fail "created VM outlived its connection"
out=$(q "create $(word "$URI") %3Cdomain")
case $out in "err EIO create on $URI: "*) ;;
*) fail "create of bad XML: '$out'" ;; esac
# and fleet-run's cold spawns use it: the same bytes and status
out=$(printf 'x\0y' | FLEET_POOL=0 timeout 60 "$run" "$IMG/cat" | od -An -c | tr -s ' ')
[ "$out" = " x \\0 y" ] || fail "cold cat through fleetd: '$out'"
FLEET_POOL=0 timeout 60 "$run" "$IMG/exit" 7
[ $? = 7 ] || fail "cold exit 7 through fleetd"

# fleetd's end takes its pool along.
kill -TERM "$FLEETD"
wait "$FLEETD"
FLEETD=
for _ in $(seq 100); do [ -z "$(domains)" ] && break; sleep 0.1; done
[ -z "$(domains)" ] || fail "left after fleetd: $(domains)"
echo "PASS pool"
