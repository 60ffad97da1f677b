#!/bin/bash
# events.sh: fleetd follows libvirt: the lease of a fleet-* VM ends when the
# domain stops, and at start fleetd drops leases of domains that are gone.
set -u
. "$(dirname "$0")/lib.sh"

[ -S /run/libvirt/libvirt-sock ] || fail "no libvirtd in the sandbox"
URI=qemu:///system
image=${FLEET_PATH:?}/hello
[ -f "$image" ] || fail "no image $image"

start_fleetd --libvirt "$URI"
standin w1 web
q "lease fleet-evtest hello t-evtest" | grep -q '^ok' || fail "lease"
q "lease fleet-gone hello t-gone" | grep -q '^ok' || fail "lease 2"
cat >"$STATE/dom.xml" <<EOX
<domain type='qemu'>
  <name>fleet-evtest</name>
  <memory unit='MiB'>128</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$FLEET_PATH/../fleetrt</kernel><initrd>$image</initrd>
    <cmdline>-- hello</cmdline></os>
  <features><acpi/></features>
  <devices><serial type='null'/><console type='null'/></devices>
</domain>
EOX
virsh -q -c "$URI" create "$STATE/dom.xml" >/dev/null || fail "virsh create"
q vms | grep -q '^vm fleet-evtest ' || fail "lease gone too early"
virsh -q -c "$URI" destroy fleet-evtest >/dev/null 2>&1
for _ in $(seq 100); do
	q vms | grep -q '^vm fleet-evtest ' || break
	sleep 0.1
done
q vms | grep -q '^vm fleet-evtest ' && fail "lease kept after the VM stopped"
nft list set bridge fleet ports | grep -q t-evtest &&
    fail "binding kept after the VM stopped"

# fleet-gone never had a domain: dropped when fleetd starts again.
kill -TERM "$FLEETD"
wait "$FLEETD"
start_fleetd --libvirt "$URI"
q vms | grep -q '^vm fleet-gone ' && fail "lease of a missing domain kept"
q vms | grep -q '^vm w1 ' || fail "a stand-in's lease was dropped"
echo "PASS events"
