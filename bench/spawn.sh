#!/bin/sh
# bench/spawn.sh: the cost of one VM as a process, in one run, inside
# scripts/sandbox.sh: `fleet-run hello` against QEMU run by hand on the
# same image and against `virsh create` of equivalent XML until the
# domain is gone. Prints a markdown table of medians and ratios.
# usage: scripts/sandbox.sh bench/spawn.sh [BUILD-DIR]
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-${FLEET_BUILD:-$src/build/release}}
image=$build/images/hello
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
  <memory unit='MiB'>16</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    $loader
    <kernel>$image</kernel>
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

qemu_cmd="qemu-system-x86_64 -M pc -accel tcg -nodefaults -display none \
    -no-user-config -m 16 $bios -kernel $image -append 'fleet.v=1 -- hello' \
    -serial null -serial null -serial null"

# Cold rows: no pool, every VM created from scratch, against QEMU by hand
# and `virsh create` until the domain is gone. One hyperfine run, so the
# ratios compare like with like on a loaded machine.
cold_rows() {
	hyperfine -N --warmup 2 --runs "$runs" --export-json "$tmp/cold.json" \
		-n "fleet-run hello" "$build/bin/fleet-run hello" \
		-n "qemu -kernel" "$qemu_cmd" \
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
print("\ncold fleet-run / qemu -kernel: %.2fx (goal <= 2); fleet-run / virsh create: %.2fx"
      % (m["fleet-run hello"]["median"] / q,
         m["fleet-run hello"]["median"] / m["virsh create"]["median"]))
PY
}

cold_rows
