#!/bin/bash
# proxy.sh: fleetd's libvirt proxy. Root on its unix socket passes
# everything; a VM on the bridge (a stand-in, along a flow to the router)
# sees fleet domains only, cannot reach or name others, cannot create
# domains that ask for the host; a bad frame ends only its own client.
set -u
ROUTER_NET=sandbox
. "$(dirname "$0")/lib.sh"

use_libvirt
PX='qemu+unix:///system?socket=/run/fleet/libvirt-sock'
TCP=qemu+tcp://10.77.0.1/system
vmc() { ip netns exec vm1 timeout 120 python3 \
    "$FLEET_SRC/tests/router/proxy-client.py" "$@"; }
vm() { ip netns exec vm1 "$@"; }
denied() {	# denied WHAT OUTPUT
	case $2 in *"denied by fleet policy"*) ;;
	*) fail "$1 not refused by the policy: $2" ;; esac
}

start_fleetd --libvirt "$URI"
[ -S /run/fleet/libvirt-sock ] || fail "no proxy socket"
[ "$(stat -c %a /run/fleet/libvirt-sock)" = 666 ] ||
    fail "proxy socket is not mode 0666"

# A domain fleet does not own, made on libvirtd directly: fleet's runtime
# with no program (and no ACPI: it stays up until destroyed).
cat >"$STATE/other.xml" <<XML
<domain type='qemu'><name>other</name><memory unit='MiB'>16</memory>
<os><type arch='x86_64' machine='pc'>hvm</type>
<kernel>$FLEET_BUILD/fleetrt</kernel></os><devices/></domain>
XML
virsh -q -c "$URI" create "$STATE/other.xml" >/dev/null ||
    fail "cannot create the domain 'other'"
trap 'virsh -q -c "$URI" destroy other >/dev/null 2>&1; cleanup' EXIT
other_uuid=$(virsh -q -c "$URI" domuuid other)

# Root through the proxy: everything passes, 'other' too.
out=$(virsh -q -c "$PX" list --name 2>&1) || fail "virsh list as root: $out"
grep -qx other <<<"$out" || fail "root does not see 'other': $out"
id=$(FLEET_URI=$PX timeout 60 "$BIN/fleet-run" -d spin 2>"$STATE/run.err") ||
    fail "fleet-run -d through the proxy: $(cat "$STATE/run.err")"
dom=$(virsh -q -c "$PX" list --name | grep -- "$id" | head -1)
[ -n "$dom" ] || fail "no domain for $id through the proxy"
dom_uuid=$(virsh -q -c "$PX" domuuid "$dom")
# A foreground VM: its consoles are libvirt streams through the proxy.
out=$(FLEET_URI=$PX timeout 60 "$BIN/fleet-run" echo through the proxy \
    2>&1) || fail "fleet-run echo through the proxy: $out"
[ "$out" = "through the proxy" ] || fail "fleet-run echo printed: $out"

# Another local user on the unix socket gets a VM's view.
out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups timeout 60 \
    python3 "$FLEET_SRC/tests/router/proxy-client.py" \
    unix:/run/fleet/libvirt-sock list 2>&1) || fail "list as nobody: $out"
grep -qx -- "$dom" <<<"$out" || fail "nobody does not see $dom: $out"
grep -qx other <<<"$out" && fail "nobody sees 'other'"

# A VM: no flow to the router's port 16509, no proxy.
standin vm1 probe
vm timeout 10 virsh -q -c "$TCP" list >/dev/null 2>&1 &&
    fail "a VM reaches the proxy with no flow"
q "allow probe router tcp/16509" | grep -q '^ok' || fail "allow router"

out=$(vm timeout 60 virsh -q -c "$TCP" list --name 2>&1) ||
    fail "virsh list from a VM: $out"
grep -qx -- "$dom" <<<"$out" || fail "a VM does not see $dom: $out"
grep -qx other <<<"$out" && fail "a VM sees 'other'"
grep -q "error" <<<"$out" && fail "virsh list from a VM: $out"
out=$(vm timeout 60 virsh -q -c "$TCP" dominfo other 2>&1) &&
    fail "dominfo other from a VM: $out"
A=tcp:10.77.0.1:16509
out=$(vmc $A lookup-name other) && fail "lookup other: $out"
denied "lookup-by-name other" "$out"
out=$(vmc $A lookup-uuid "$other_uuid") && fail "lookup uuid: $out"
denied "lookup-by-uuid of other" "$out"
out=$(vmc $A info "$dom" "$other_uuid") && fail "foreign uuid: $out"
denied "$dom with other's UUID" "$out"
out=$(vmc $A lookup-name "$dom") || fail "lookup $dom: $out"
[ "$out" = "ok $dom $dom_uuid" ] || fail "lookup $dom printed: $out"
out=$(vmc $A call 40) && fail "network_create_xml: $out"
denied "an unlisted procedure" "$out"

# Domain XML that asks for the host, on the runtime fleet boots (the
# installed one in the stock suite), which the policy admits.
rt=$(virsh -q -c "$URI" dumpxml "$dom" |
    sed -n 's|.*<kernel>\(.*\)</kernel>.*|\1|p')
[ -n "$rt" ] || fail "no <kernel> in $dom's XML"
base="<domain type='qemu'><name>fleet-evil</name><memory unit='MiB'>16"
base="$base</memory><os><type arch='x86_64'>hvm</type><kernel>"
base="$base$rt</kernel></os>"
echo "$base<devices><disk type='file' device='disk'><source" \
    "file='/etc/shadow'/><target dev='vda'/></disk></devices></domain>" \
    >"$STATE/disk.xml"
echo "$base<devices><emulator>/bin/sh</emulator></devices></domain>" \
    >"$STATE/emulator.xml"
sed "s|<domain type='qemu'>|<domain type='qemu' xmlns:qemu=\
'http://libvirt.org/schemas/domain/qemu/1.0'>|; s|</domain>|\
<qemu:commandline><qemu:arg value='-x'/></qemu:commandline></domain>|" \
    <<<"$base</domain>" >"$STATE/cmdline.xml"
for x in disk:disk emulator:emulator cmdline:qemu:commandline; do
	out=$(vmc $A create "$STATE/${x%%:*}.xml") && fail "create $x: $out"
	denied "create with ${x%%:*}" "$out"
	case $out in *"<${x#*:}>"*) ;;
	*) fail "create with ${x%%:*} refused, not for <${x#*:}>: $out" ;; esac
done
virsh -q -c "$URI" list --name | grep -q fleet-evil &&
    fail "fleet-evil exists"

# Bad frames end their own client only.
out=$(vmc $A bigframe 100) || fail "bigframe: $out"
[ "$out" = closed ] || fail "a 100 MiB frame header: $out"
grep -q "more than" "$STATE/fleetd.err" || fail "no log of the big frame"
out=$(vmc $A survive) || fail "survive: $out"
[ "$out" = ok ] || fail "a session beside a bad client: $out"
out=$(vmc $A truncated) || fail "truncated: $out"
[ "$out" = closed ] || fail "a truncated frame: $out"
grep -q "truncated" "$STATE/fleetd.err" || fail "no log of the truncation"
out=$(vmc $A list) || fail "list after bad frames: $out"
grep -qx -- "$dom" <<<"$out" || fail "list after bad frames: $out"

# A client that does not read stalls only itself.
out=$(vmc $A slow 300) || fail "beside a client that does not read: $out"
[ "$out" = ok ] || fail "beside a client that does not read: $out"

# 100 clients at once.
out=$(vmc $A many 100) || fail "100 clients: $out"
[ "$out" = "ok 100" ] || fail "100 clients: $out"

# Events: a VM hears of fleet domains only.
vm timeout 60 virsh -q -c "$TCP" event --event lifecycle --loop \
    --timeout 20 >"$STATE/events" 2>&1 &
evpid=$!
sleep 2
sed 's/<name>other</<name>other2</' "$STATE/other.xml" >"$STATE/other2.xml"
virsh -q -c "$URI" create "$STATE/other2.xml" >/dev/null ||
    fail "cannot create 'other2'"
virsh -q -c "$URI" destroy other2 >/dev/null
# A VM starts a VM: fleet's own domain XML passes the XML policy. Then
# a signal from a VM: fleet-kill writes "sig 15" to the VM's control
# console, a libvirt stream (open_console and stream frames).
id2=$(FLEET_URI=$TCP vm timeout 60 "$BIN/fleet-run" -d spin \
    2>"$STATE/run.err") ||
    fail "fleet-run -d from a VM: $(cat "$STATE/run.err")"
dom2=$(virsh -q -c "$URI" list --name | grep -- "$id2" | head -1)
out=$(FLEET_URI=$TCP vm timeout 60 "$BIN/fleet-kill" -s TERM "$id2" 2>&1) ||
    fail "fleet-kill -s TERM from a VM: $out"
for _ in $(seq 100); do
	virsh -q -c "$URI" list --name | grep -qx -- "$dom2" || break
	sleep 0.1
done
virsh -q -c "$URI" list --name | grep -qx -- "$dom2" &&
    fail "$dom2 runs on after SIGTERM through the proxy"
kill "$evpid" 2>/dev/null
wait "$evpid"
grep -q "'lifecycle' for domain '\?$dom2'\?" "$STATE/events" ||
    fail "no lifecycle event of $dom2 for a VM: $(cat "$STATE/events")"
grep -q other2 "$STATE/events" && fail "a VM hears of other2's events"

# A VM runs a busybox applet in the foreground: its image is a link
# out of the image directory, to a file the policy knows from it.
out=$(FLEET_URI=$TCP vm timeout 60 "$BIN/fleet-run" echo from a VM 2>&1) ||
    fail "fleet-run echo from a VM: $out"
[ "$out" = "from a VM" ] || fail "fleet-run echo from a VM printed: $out"

# A VM may end a fleet domain.
out=$(vm timeout 60 virsh -q -c "$TCP" destroy "$dom" 2>&1) ||
    fail "virsh destroy $dom from a VM: $out"
virsh -q -c "$URI" list --name | grep -qx -- "$dom" &&
    fail "$dom still runs"
kill -0 "$FLEETD" || fail "fleetd died"
echo "PASS proxy"
