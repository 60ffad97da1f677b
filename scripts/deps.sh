#!/bin/sh
# deps.sh: install the Debian 12 packages fleet needs, only those missing.
# Services are not started here (scripts/stack.sh and sandbox.sh do that).
set -eu

PACKAGES="build-essential cmake pkg-config gcc-multilib
libvirt-dev libnftnl-dev libmnl-dev libavahi-client-dev libedit-dev
libxml2-dev libvirt-daemon-system libvirt-daemon-driver-qemu libvirt-clients
qemu-system-x86 qemu-system-data seabios dbus avahi-daemon avahi-utils nftables iproute2
util-linux procps socat tmux hyperfine dash coreutils python3 polkitd
busybox-static musl-tools qemu-user dpkg-dev clang libclang-rt-dev"

# One dpkg-query for all of them: one each took 0.3 s.
# shellcheck disable=SC2086
installed=" $(dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n' $PACKAGES \
    2>/dev/null | awk '$1 == "ii" { printf "%s ", $2 }')"
missing=""
for p in $PACKAGES; do
	case $installed in
	*" $p "*) ;;
	*) missing="$missing $p" ;;
	esac
done
# Debian's source packages, for the programs ported from them
# (unikernels/ports): one deb-src entry, once.
src_list=/etc/apt/sources.list.d/fleet-src.sources
need_src=0
if ! grep -rqs '^Types:.*deb-src\|^deb-src ' /etc/apt/sources.list \
    /etc/apt/sources.list.d; then
	need_src=1
fi
[ -z "$missing" ] && [ $need_src = 0 ] && exit 0

[ -z "$missing" ] || echo "deps: installing:$missing" >&2
if [ "$(id -u)" != 0 ]; then
	echo "deps: must run as root to install packages" >&2
	exit 1
fi
# Never let package scripts start libvirtd or avahi in this namespace.
created_policy=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
	chmod +x /usr/sbin/policy-rc.d
	created_policy=1
fi
export DEBIAN_FRONTEND=noninteractive
if [ $need_src = 1 ]; then
	echo "deps: adding Debian's source packages ($src_list)" >&2
	cat >"$src_list" <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi
apt-get update -q >/dev/null
# shellcheck disable=SC2086
[ -z "$missing" ] ||
    apt-get install -y -q --no-install-recommends $missing >/dev/null
[ "$created_policy" = 1 ] && rm -f /usr/sbin/policy-rc.d
exit 0
