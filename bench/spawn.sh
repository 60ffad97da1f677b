#!/bin/sh
# bench/spawn.sh: the cost of one VM as a process, in one run, inside
# scripts/sandbox.sh: `fleet-run hello` against QEMU run by hand on the
# same program (-kernel fleetrt -initrd hello) and against `virsh create`
# of equivalent XML until the domain is gone; then, with a fleetd whose warm pool holds hello,
# `fleet-run hello` claimed from the pool against the same with the pool
# off and against QEMU again. Prints markdown tables of medians and ratios.
# usage: [WARM_ONLY=1] scripts/sandbox.sh bench/spawn.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-${FLEET_BUILD:-$src/build/release}}" && pwd)
image=$build/images/hello
rt=$build/fleetrt
runs=${RUNS:-20}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ "${FLEET_SANDBOX:-}" = 1 ] || { echo "bench/spawn.sh: run inside scripts/sandbox.sh" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench/spawn.sh: needs hyperfine" >&2; exit 1; }
[ -f "$image" ] || { echo "bench/spawn.sh: no $image" >&2; exit 1; }
export FLEET_PATH=$build/images

bios=
[ -f /usr/share/qemu/qboot.rom ] && bios="-bios /usr/share/qemu/qboot.rom"
loader=
[ -f /usr/share/qemu/qboot.rom ] &&
    loader="<loader type='rom'>/usr/share/qemu/qboot.rom</loader>"

cat > "$tmp/dom.xml" <<XML
<domain type='qemu'>
  <name>bench-hello</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    $loader
    <kernel>$rt</kernel>
    <initrd>$image</initrd>
    <cmdline>fleet.v=1 -- hello</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <serial type='pty'><target port='0'/></serial>
    <serial type='pty'><target port='1'/></serial>
    <serial type='pty'><target port='2'/></serial>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
XML
cat > "$tmp/virsh-create" <<SH
#!/bin/sh
virsh -q create $tmp/dom.xml > /dev/null || exit 1
while virsh -q domid bench-hello > /dev/null 2>&1; do sleep 0.005; done
SH
chmod +x "$tmp/virsh-create"
qemu="qemu-system-x86_64 -M pc -accel tcg -nodefaults -display none \
    -no-user-config -m 128 $bios -kernel $rt -initrd $image \
    -append 'fleet.v=1 -- hello' -serial null -serial null -serial null"


# Cold rows: no pool, every VM created from scratch, against QEMU by hand
# and `virsh create` until the domain is gone. One hyperfine run, so the
# ratios compare like with like on a loaded machine.
cold_rows() {
	hyperfine -N --warmup 2 --runs "$runs" --export-json "$tmp/cold.json" \
		-p "$src/bench/quiet.sh" \
		-n "fleet-run hello" "$build/bin/fleet-run hello" \
		-n "qemu -kernel" "$qemu" \
		-n "virsh create" "$tmp/virsh-create" >&2
	python3 - "$tmp/cold.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
m = {x["command"]: x for x in r}
q = m["qemu -kernel"]["median"]
print("| what | median | min | max | ratio to qemu -kernel |")
print("| --- | --- | --- | --- | --- |")
for key, name in (("fleet-run hello", "`fleet-run hello`, cold (no pool)"),
                  ("qemu -kernel", "`qemu-system-x86_64 -M pc -kernel hello` (qboot)"),
                  ("virsh create", "`virsh create` of the same XML, until the domain is gone")):
    x = m[key]
    print("| %s | %.0f ms | %.0f ms | %.0f ms | %.2fx |" % (name, x["median"] * 1000,
          x["min"] * 1000, x["max"] * 1000, x["median"] / q))
print("\ncold fleet-run / qemu -kernel: %.2fx ; fleet-run / virsh create: %.2fx"
      % (m["fleet-run hello"]["median"] / q,
         m["fleet-run hello"]["median"] / m["virsh create"]["median"]))
PY
}

# WARM_ONLY=1: only the warm-pool table below.
[ "${WARM_ONLY:-}" = 1 ] || cold_rows

# Warm spawn: a fleetd in the sandbox keeps hello booted and paused.
# Each timed run starts with the pool full and quiet (the untimed
# prepare waits for it: no VM booting, none claimed, none being
# destroyed). The pool-off run claims nothing (FLEET_POOL=0): fleetd
# leases it an address and creates it, as it does for any local spawn.
export FLEET_CTL=$tmp/fleetd.sock
"$build/bin/fleetd" -d "$tmp" -s "$FLEET_CTL" --no-tcp \
	-L qemu:///system --pool hello:2 2> "$tmp/fleetd.err" &
fleetd=$!
trap 'kill $fleetd 2>/dev/null; wait $fleetd 2>/dev/null; rm -rf "$tmp"' EXIT
"$src/bench/quiet.sh" "$FLEET_CTL"
hyperfine -N --warmup 2 --runs "$runs" --export-json "$tmp/warm.json" \
	-p "$src/bench/quiet.sh $FLEET_CTL" \
	-n "warm" "$build/bin/fleet-run hello" \
	-p "$src/bench/quiet.sh $FLEET_CTL" \
	-n "cold" "env FLEET_POOL=0 $build/bin/fleet-run hello" \
	-p "$src/bench/quiet.sh $FLEET_CTL" -n "qemu -kernel" "$qemu" >&2

python3 - "$tmp/warm.json" <<'PY'
import json, sys
med = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
rows = [("`fleet-run hello`, pool warm (claim with its ptys, `run`, args; no libvirt)", "warm"),
        ("`fleet-run hello`, pool off (`FLEET_POOL=0`: lease, fleetd creates, boot)", "cold"),
        ("`qemu-system-x86_64 -M pc -kernel hello` (qboot)", "qemu -kernel")]
print("\n| what (fleetd --pool hello:2 running) | median | ratio to qemu -kernel |\n| --- | --- | --- |")
for name, key in rows:
    print("| %s | %.1f ms | %.2fx |" % (name, med[key] * 1000, med[key] / med["qemu -kernel"]))
print("\nwarm / cold: %.3fx" % (med["warm"] / med["cold"]))
PY
