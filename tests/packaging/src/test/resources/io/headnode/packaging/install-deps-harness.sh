#!/bin/bash
# Runs bin/install-deps against fakes, in a private mount namespace, so that its policy-rc.d and systemd logic can be
# checked without apt, without systemd and without touching this host: /usr/sbin, /run and /usr/lib/systemd/system
# are empty tmpfs mounts that only this namespace sees; apt-get, dpkg-query and systemctl are fakes on PATH.
#   install-deps-harness.sh INSTALL_DEPS WORK_DIR
# Scenario (environment): MISSING="pkg..." (what the fake dpkg-query reports as not installed), SYSTEMD=1 (a systemd
# host: /run/systemd/system exists), ADMIN_POLICY=1 (an admin's policy-rc.d exists), UNITS_BEFORE="unit..." (unit
# files there before), UNITS_NEW="unit..." (unit files the fake apt-get installs), APT_FAIL=1 (apt-get fails).
# The fake apt-get asks policy-rc.d as invoke-rc.d (`--quiet ID start`) and deb-systemd-invoke (`ID.service start`) do.
# Output: what happened, one fact a line (exit=, policy ID=CODE, policy-after=, systemctl ..., apt-get ...).
set -euo pipefail
install_deps=$1 work=$2
if [ -z "${HARNESS_INSIDE:-}" ]; then
  exec unshare --mount --propagation private env HARNESS_INSIDE=1 bash "$0" "$@"
fi
mount -t tmpfs tmpfs /usr/sbin
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /usr/lib/systemd/system
mkdir -p "$work/bin"
log="$work/log"
: > "$log"

cat > "$work/bin/dpkg-query" <<FAKE
#!/bin/bash
pkg="\${@: -1}"
case " ${MISSING:-} " in *" \$pkg "*) exit 1 ;; esac
printf 'install ok installed'
FAKE
cat > "$work/bin/apt-get" <<FAKE
#!/bin/bash
echo "apt-get \$*" >> "$log"
[ "\$1" = install ] || exit 0
for probe in "--quiet isc-dhcp-server" "isc-dhcp-server6" "tftpd-hpa" "radvd.service" "nginx.service" "--quiet nftables" \
             "openipmi" "zookeeper.service" "prometheus" "libvirtd" "libvirtd.service" "virtlogd" "dbus.service" "apparmor"; do
  set +e; /usr/sbin/policy-rc.d \$probe start; rc=\$?; set -e
  echo "policy \${probe#--quiet }=\$rc" >> "$log"
done
for u in ${UNITS_NEW:-}; do : > "/usr/lib/systemd/system/\$u.service"; done
[ "${APT_FAIL:-0}" = 1 ] && exit 100
exit 0
FAKE
cat > "$work/bin/systemctl" <<FAKE
#!/bin/bash
echo "systemctl \$*" >> "$log"
FAKE
chmod 755 "$work/bin"/*

[ "${SYSTEMD:-0}" = 1 ] && mkdir -p /run/systemd/system
if [ "${ADMIN_POLICY:-0}" = 1 ]; then printf '#!/bin/sh\n# the admin'"'"'s\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; fi
for u in ${UNITS_BEFORE:-}; do : > "/usr/lib/systemd/system/$u.service"; done

set +e
PATH="$work/bin:$PATH" "$install_deps" > "$work/out" 2>&1
rc=$?
set -e
echo "exit=$rc"
if [ ! -e /usr/sbin/policy-rc.d ]; then echo "policy-after=absent"
elif grep -q "the admin's" /usr/sbin/policy-rc.d; then echo "policy-after=admin"
else echo "policy-after=left"; fi
cat "$log"
sed 's/^/out: /' "$work/out"
