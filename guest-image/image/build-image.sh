#!/usr/bin/env bash
# Builds the Headnode head-node image and the lab install payload, from Debian's packages only.
#
#   guest-image/image/build-image.sh [--print-dir] [--force] [--cache DIR]
#
# Output (one directory per hash of the inputs, under the cache; its path is the last line printed):
#   headnode.qcow2        root filesystem (ext4, no partition table) for `headnode create --image`
#   vmlinuz, initrd.img   Debian's kernel and a small busybox initramfs (direct kernel boot)
#   cmdline               the kernel command line to boot the image with
#   lab-installer.img     the lab nodes' install initramfs (boots with the same vmlinuz)
#   deploy-initrd.img     the `image` profile's deploy ramdisk (also in the image as tftpboot/image/initrd.img)
#   manifest              inputs, versions, sizes, build time
# The inputs are this directory and the agent's Debian package: when neither changed, nothing is rebuilt.
# No loop mounts: debootstrap into a directory, mkfs.ext4 -d into a raw file, qemu-img convert to qcow2.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE="$(cd "$(dirname "$0")" && pwd)"
HN_PROG=build-image
. "$HERE/lib.sh"
hn_require_root

REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${HEADNODE_IMAGE_CACHE:-/var/cache/headnode/image}"
# the agent, its launcher, unit, modules-load file and agent.conf: the headnode-agent package (guest-image/agent-deb)
AGENT_DEB="${HEADNODE_AGENT_DEB:-}"
DEBUG="${HEADNODE_IMAGE_DEBUG:-0}"   # 1: root may log in on the serial console without a password
SUITE=bookworm
# The netboot GRUB's suite: Debian 13's signed GRUB 2.12 has `http` built in (Debian 12's 2.06 has not, and may load
# no module under Secure Boot); see docs/design/uefi-boot.md, section 12.
GRUB_SUITE=trixie
GRUB_NET_DIR=/usr/lib/headnode/grub-$GRUB_SUITE
hn_build_args 2,14 "$@"
MIRROR="$(hn_mirror)"

# The agent is part of the image: build its package from this checkout when it is not there yet (a fresh clone) or
# is older than the agent jar.
if [ -z "$AGENT_DEB" ]; then
  deb_glob() { ls -t "$REPO"/guest-image/agent-deb/target/headnode-agent_*_all.deb 2>/dev/null | head -1 || true; }   # none yet: empty, not an exit (set -e, pipefail)
  AGENT_DEB="$(deb_glob)"
  if [ -z "$AGENT_DEB" ] || [ "$REPO/guest-image/agent/target/headnode-agent.jar" -nt "$AGENT_DEB" ]; then
    log "building the agent package (mvn package -pl guest-image/agent-deb -am)"
    (cd "$REPO" && mvn -B -q -ntp package -pl guest-image/agent-deb -am -DskipTests) >&2
    AGENT_DEB="$(deb_glob)"
  fi
fi
[ -f "$AGENT_DEB" ] || { echo "build-image: no agent package at ${AGENT_DEB:-guest-image/agent-deb/target}" >&2; exit 1; }

# Hash of everything that determines the result.
input_hash() {
  {
    echo "suite=$SUITE grub-suite=$GRUB_SUITE mirror=$MIRROR debug=$DEBUG"
    (cd "$HERE" && find . -type f ! -name '*.md' -print0 | sort -z | xargs -0 sha256sum)
    (cd "$HERE" && find . -type l -printf '%p -> %l\n' | sort)
    echo "agent $(sha256sum < "$AGENT_DEB")"
  } | sha256sum | cut -c1-16
}
HASH="$(input_hash)"
OUT="$CACHE/$HASH"
hn_cache_or_lock
hn_workdir headnode-image

# 1. The root filesystem
hn_debootstrap "$HERE/packages.txt"

# 2. Kernel and busybox-static: unpacked, not installed (no 35 MB initramfs-tools initrd to build and boot).
hn_kernel_package
step "fetching $KPKG, busybox-static, gdisk and libpopt0"
hn_download "$WORK/debs" "$KPKG" busybox-static gdisk libpopt0
# --keep-directory-symlink: the root is usr-merged, /lib must stay a symlink
dpkg-deb --fsys-tarfile "$WORK"/debs/linux-image-*.deb | tar -x --keep-directory-symlink -C "$ROOT"
KVER="$(ls "$ROOT/lib/modules" | head -1)"
chroot "$ROOT" depmod -a "$KVER"
rm -f "$ROOT/boot/System.map-$KVER"
mkdir -p "$WORK/busybox"
dpkg-deb -x "$WORK"/debs/busybox-static_*.deb "$WORK/busybox"
BUSYBOX="$WORK/busybox/bin/busybox"
# sgdisk for the deploy ramdisk (deploy/build-ramdisk.sh copies it out with its libraries)
for d in "$WORK"/debs/gdisk_*.deb "$WORK"/debs/libpopt0_*.deb; do dpkg-deb --fsys-tarfile "$d" | tar -x --keep-directory-symlink -C "$ROOT"; done

# 2b. UEFI network boot (docs/design/uefi-boot.md, sections 9 and 12): Debian 12's Microsoft-signed shim and its
#     signed GRUB disk image (the lab's ESP), unpacked from their packages (not installed: no grub-install, nothing in
#     /boot); and, as the netboot GRUB every UEFI node gets, Debian 13's signed grubnetx64 (GRUB 2.12: `http` is built
#     in, so Secure Boot nodes too load kernel and initrd over HTTP; its SBAT grub,7 passes shim 16.1's grub,5).
step "fetching shim-signed, grub-efi-amd64-signed"
hn_download "$WORK/efi-debs" shim-signed grub-efi-amd64-signed
for d in "$WORK"/efi-debs/*.deb; do dpkg-deb -x "$d" "$WORK/efi"; done
EFI_SHIM=usr/lib/shim/shimx64.efi.signed
EFI_GRUBDISK=usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed
install -D -m 0644 "$WORK/efi/$EFI_SHIM" "$ROOT/$EFI_SHIM"
# Debian 13's grub-efi-amd64-signed, one package from trixie/main through apt with a private configuration inside
# the chroot (its own sources list, lists, cache and status; the chroot's and the build host's apt state untouched):
# apt checks the InRelease signature against Debian's archive keyring and the .deb against the signed Packages
# file. Not installed: only grubnetx64.efi.signed is taken, with its provenance beside it (and in the manifest).
step "fetching grub-efi-amd64-signed from $GRUB_SUITE"
A=/tmp/apt-$GRUB_SUITE
mkdir -p "$ROOT$A"/{lists/partial,cache/archives/partial,parts,debs}
: > "$ROOT$A/status"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $GRUB_SUITE main" > "$ROOT$A/sources.list"
printf 'Dir::Etc::sourcelist "%s/sources.list"; Dir::Etc::sourceparts "%s/parts"; Dir::State::Lists "%s/lists";\nDir::State::status "%s/status"; Dir::Cache "%s/cache"; APT::Sandbox::User "root";\n' \
  "$A" "$A" "$A" "$A" "$A" > "$ROOT$A/apt.conf"
chroot "$ROOT" env APT_CONFIG="$A/apt.conf" sh -c "apt-get -q update && cd $A/debs && apt-get -q download grub-efi-amd64-signed" \
  > "$WORK/download-grub-$GRUB_SUITE.log" 2>&1 || { cat "$WORK/download-grub-$GRUB_SUITE.log" >&2; exit 1; }
GRUB_DEB="$(ls "$ROOT$A"/debs/grub-efi-amd64-signed_*.deb)"
mkdir -p "$WORK/efi-$GRUB_SUITE"
dpkg-deb -x "$GRUB_DEB" "$WORK/efi-$GRUB_SUITE"
EFI_GRUBNET="$GRUB_NET_DIR/grubnetx64.efi.signed"   # the agent's grub-netboot-file (set in agent.conf, step 4)
install -D -m 0644 "$WORK/efi-$GRUB_SUITE/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed" "$ROOT$EFI_GRUBNET"
GRUB_PROVENANCE="grub-efi-amd64-signed $(dpkg-deb -f "$GRUB_DEB" Version) ($GRUB_SUITE, $MIRROR) deb-sha256=$(sha256sum < "$GRUB_DEB" | cut -d' ' -f1)"
GRUB_PROVENANCE="$GRUB_PROVENANCE grubnetx64-sha256=$(sha256sum < "$ROOT$EFI_GRUBNET" | cut -d' ' -f1)"
echo "$GRUB_PROVENANCE" > "$ROOT$GRUB_NET_DIR/PROVENANCE"
rm -rf "${ROOT:?}$A"
step "netboot GRUB: $GRUB_PROVENANCE"

# 3. Configuration files of the image
step "configuring"
cp -a "$HERE/rootfs/." "$ROOT/"
mkdir -p "$ROOT/etc/moc" "$ROOT/etc/headnode" "$ROOT/opt/headnode"
# The agent runs dhcpd, in.tftpd and radvd itself and owns the firewall: the packages' own services stay off.
for u in getty-static.service getty@tty1.service isc-dhcp-server.service tftpd-hpa.service radvd.service nftables.service e2scrub_reap.service \
         e2scrub_all.timer apt-daily.timer apt-daily-upgrade.timer fstrim.timer; do
  chroot "$ROOT" systemctl mask "$u" >/dev/null 2>&1 || true
done
chroot "$ROOT" systemctl enable systemd-networkd.service headnode-share-check.service >/dev/null 2>&1
# Boot work no head node needs (under TCG every process the boot starts costs; measured with bench/boot-timeline.sh):
# no display, so multi-user.target; no LUKS, dm-verity/integrity, GPT auto-mounts, hibernation, rc.local, SysV init
# scripts, offline updates or systemd.run= (their generators run at every start, before any unit); no device mapper,
# loop devices, FUSE, EFI pstore or binfmt_misc (a modprobe process or a mount each).
chroot "$ROOT" systemctl set-default multi-user.target >/dev/null 2>&1
for u in modprobe@dm_mod.service modprobe@loop.service modprobe@fuse.service modprobe@efi_pstore.service systemd-pstore.service \
         sys-fs-fuse-connections.mount proc-sys-fs-binfmt_misc.automount systemd-binfmt.service dpkg-db-backup.timer; do
  chroot "$ROOT" systemctl mask "$u" >/dev/null 2>&1 || true
done
mkdir -p "$ROOT/etc/systemd/system-generators"
for g in cryptsetup gpt-auto hibernate-resume integritysetup veritysetup rc-local sysv system-update run; do
  [ -e "$ROOT/lib/systemd/system-generators/systemd-$g-generator" ] || { log "no systemd-$g-generator to mask"; exit 1; }
  ln -sf /dev/null "$ROOT/etc/systemd/system-generators/systemd-$g-generator"
done
# sshd: no two head nodes may share host keys, so the image ships none (the package made some in the chroot);
# headnode-ssh-keygen.service makes the Ed25519 and ECDSA host keys on each head node's first boot, before ssh.service.
rm -f "$ROOT"/etc/ssh/ssh_host_*
chroot "$ROOT" systemctl enable ssh.service headnode-ssh-keygen.service >/dev/null 2>&1
if [ "$DEBUG" = 1 ]; then chroot "$ROOT" passwd -d root >/dev/null; fi
: > "$ROOT/etc/machine-id"
rm -f "$ROOT/etc/resolv.conf"; : > "$ROOT/etc/resolv.conf"   # not the build host's

# 4. The agent: its Debian package, installed with dpkg (jar, launcher, unit enabled by its postinst, modules-load
#    file, agent.conf); its dependencies are in packages.txt, so a missing one fails the build here.
cp "$AGENT_DEB" "$ROOT/tmp/headnode-agent.deb"
chroot "$ROOT" dpkg -i /tmp/headnode-agent.deb > "$WORK/agent-deb.log" 2>&1 || { cat "$WORK/agent-deb.log" >&2; exit 1; }
rm -f "$ROOT/tmp/headnode-agent.deb"
[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/headnode-agent.service" ] || { log "headnode-agent.service is not enabled"; exit 1; }
step "agent package $(basename "$AGENT_DEB") installed"
# The agent serves Debian 13's netboot GRUB (2b), not the one at the package path (its default); agent.conf, the
# package's conffile, lists every key commented out, so this line is the only setting of the key.
echo "grub-netboot-file = $EFI_GRUBNET" >> "$ROOT/etc/headnode/agent.conf"
[ "$(grep -c '^grub-netboot-file' "$ROOT/etc/headnode/agent.conf")" = 1 ] || { log "agent.conf: grub-netboot-file set more than once"; exit 1; }

# 4b. A class-data-sharing archive of the agent's classes (JVM start is the longest part of the boot under TCG):
#     one training run of the agent in the chroot, on a throw-away share, touching nothing (no network, firewall,
#     services, mount). The unit's drop-in (rootfs/) points the JVM at it; a stale or missing archive is ignored.
if [ -f "$ROOT/usr/share/headnode/headnode-agent.jar" ]; then
  T=/tmp/cds-training
  mkdir -p "$ROOT$T"/{share,state,tftp,dhcp,run}
  printf 'vlan = 100\nprivate-address = 10.0.100.1/24\n' > "$ROOT$T/share/headnode.conf"
  printf '52:54:00:00:00:01 10.0.0.7\n' > "$ROOT$T/share/machines.txt"
  printf '%s\n' "share-mount = $T/share" "mount-share = false" "state-dir = $T/state" "tftp-root = $T/tftp" \
    "dhcp-dir = $T/dhcp" "run-dir = $T/run" "status-port = $T/run/status" "manage-network = false" \
    "manage-firewall = false" "run-services = false" "http-port = 18080" > "$ROOT$T/agent.conf"
  mount -t proc proc "$ROOT/proc"
  chroot "$ROOT" timeout -s TERM 20 java $(sed -n 's/^Environment="HEADNODE_AGENT_JAVA_OPTS=\(.*\)"$/\1/p' "$HERE/rootfs/etc/systemd/system/headnode-agent.service.d/10-image.conf" | sed 's/-XX:SharedArchiveFile=[^ ]*//') \
    -XX:ArchiveClassesAtExit=/usr/share/headnode/headnode-agent.jsa -jar /usr/share/headnode/headnode-agent.jar run --config "$T/agent.conf" \
    > "$WORK/cds-training.log" 2>&1 || true
  umount "$ROOT/proc"
  rm -rf "$ROOT$T"
  if [ -f "$ROOT/usr/share/headnode/headnode-agent.jsa" ]; then
    step "agent CDS archive $(du -h "$ROOT/usr/share/headnode/headnode-agent.jsa" | cut -f1)"
  else
    log "WARNING: no CDS archive for the agent: $(tail -3 "$WORK/cds-training.log")"
  fi
fi

# 5. Trim what an appliance never reads
step "trimming"
hn_trim_root
# Kernel modules no head node can use under libvirt
rm -rf "$ROOT/lib/modules/$KVER/kernel/drivers/"{gpu,media,infiniband,net/wireless,net/ethernet/mellanox,bluetooth,staging,isdn,sound} \
       "$ROOT/lib/modules/$KVER/kernel/sound"
chroot "$ROOT" depmod -a "$KVER"

STAGE="$CACHE/.tmp-$HASH"
rm -rf "$STAGE"
mkdir -p "$STAGE"

# 6. Initramfs images: busybox-static, the listed modules with their dependencies, an /init script.
make_initramfs() { # name init-script modules-file extra-files...
  local name="$1" init="$2" mods="$3"; shift 3
  local d="$WORK/initramfs-$name"
  hn_initramfs_tree "$d" "$BUSYBOX" "$init"
  hn_copy_modules "$ROOT" "$KVER" "$d" "$mods"
  while [ $# -gt 0 ]; do install -D -m "$3" "$1" "$d/$2"; shift 3; done
  hn_pack_initramfs "$d" "$BUSYBOX" "$STAGE/$name"
}
step "initramfs for the head node"
make_initramfs initrd.img "$HERE/initramfs/init" "$HERE/initramfs/modules"

# The lab nodes' boot stub: 28 bytes of real-mode code that print the NUL-terminated text at MBR offset 64
# on COM1 (port 0x3f8) and halt:  cli; xor ax,ax; mov ds,ax; mov ss,ax; mov sp,0x7c00; sti; mov si,0x7c40;
# mov dx,0x3f8; l: lodsb; test al,al; jz h; out dx,al; jmp l; h: hlt; jmp h
printf '\xfa\x31\xc0\x8e\xd8\x8e\xd0\xbc\x00\x7c\xfb\xbe\x40\x7c\xba\xf8\x03\xac\x84\xc0\x74\x03\xee\xeb\xf8\xf4\xeb\xfd' > "$WORK/mbr-stub.bin"
truncate -s 64 "$WORK/mbr-stub.bin"
step "lab installer payload"
make_initramfs lab-installer.img "$HERE/payload/init" "$HERE/payload/modules" \
  "$HERE/payload/udhcpc.script" etc/udhcpc.script 0755 \
  "$WORK/mbr-stub.bin" etc/mbr-stub.bin 0644

# The lab profile's payload, served by the agent from its tftpboot tree (TFTP and HTTP) as lab/vmlinuz, lab/initrd.img
install -D -m 0644 "$ROOT/boot/vmlinuz-$KVER" "$ROOT/var/lib/tftpboot/lab/vmlinuz"
install -D -m 0644 "$STAGE/lab-installer.img" "$ROOT/var/lib/tftpboot/lab/initrd.img"

# The `image` install profile's deploy ramdisk (deploy/init: stream an image onto the disk, check it, grow it, seed
# the first boot), served as image/vmlinuz + image/initrd.img beside Debian's signed kernel (Secure Boot nodes run it)
step "deploy ramdisk"
"$HERE/deploy/build-ramdisk.sh" "$ROOT" "$KVER" "$BUSYBOX" "$STAGE/deploy-initrd.img"
install -D -m 0644 "$ROOT/boot/vmlinuz-$KVER" "$ROOT/var/lib/tftpboot/image/vmlinuz"
install -D -m 0644 "$STAGE/deploy-initrd.img" "$ROOT/var/lib/tftpboot/image/initrd.img"

# The lab's UEFI disk (lab/uefi-disk.img.gz; the installer writes it onto a UEFI node's 64 MiB disk, then makes the
# second partition and the marker on it): GPT, partition 1 an EFI system partition (FAT16) with Debian's signed shim
# as the removable-media loader \EFI\BOOT\BOOTX64.EFI, signed GRUB beside it (its built-in prefix is /EFI/debian)
# and a grub.cfg that prints the marker file of partition 2; partition 2 Linux. Built in a file with sgdisk and
# mtools, no loop mount. No fbx64.efi: shim would run the fallback, which rewrites boot entries and resets.
step "lab UEFI disk"
UDISK="$WORK/uefi-disk.img"
truncate -s 64M "$UDISK"
sgdisk -n 1:2048:+32M -t 1:ef00 -c 1:ESP -n 2:0:0 -t 2:8300 -c 2:headnode-node "$UDISK" >/dev/null
mformat -i "$UDISK@@1M" -T $((32 * 2048)) -h 64 -s 32 -v ESP ::
mmd -i "$UDISK@@1M" ::/EFI ::/EFI/BOOT ::/EFI/debian
mcopy -i "$UDISK@@1M" "$WORK/efi/$EFI_SHIM" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$UDISK@@1M" "$WORK/efi/$EFI_GRUBDISK" ::/EFI/BOOT/grubx64.efi
mcopy -i "$UDISK@@1M" "$HERE/payload/esp-grub.cfg" ::/EFI/debian/grub.cfg
gzip -6 -c "$UDISK" > "$ROOT/var/lib/tftpboot/lab/uefi-disk.img.gz"
rm -f "$UDISK"

# 7. The root filesystem image: ext4 built from the directory, no loop mount, then qcow2.
cp "$ROOT/boot/vmlinuz-$KVER" "$STAGE/vmlinuz"
chmod 0644 "$STAGE/vmlinuz"
USED_MB=$(du -sm "$ROOT" | cut -f1)
SIZE_MB=$(( USED_MB * 13 / 10 + 512 ))
step "mkfs.ext4 -d ($USED_MB MB used, $SIZE_MB MB filesystem)"
truncate -s "${SIZE_MB}M" "$WORK/root.raw"
mkfs.ext4 -q -F -L headnode-root -m 0 -E lazy_itable_init=0,lazy_journal_init=0 -d "$ROOT" "$WORK/root.raw"
qemu-img convert -f raw -O qcow2 "$WORK/root.raw" "$STAGE/headnode.qcow2"
rm -f "$WORK/root.raw"
chmod 0644 "$STAGE"/*

echo "root=/dev/vda rootfstype=ext4 console=ttyS0,115200 net.ifnames=0 quiet" > "$STAGE/cmdline"
{
  hn_manifest_head
  echo "netboot-grub=$GRUB_PROVENANCE"
  echo "agent-deb=$(basename "$AGENT_DEB") $(sha256sum < "$AGENT_DEB" | cut -c1-16)"
  echo "agent-jar=$(sha256sum < "$ROOT/usr/share/headnode/headnode-agent.jar" | cut -c1-16)"
  echo "rootfs-mb=$USED_MB"
  for f in headnode.qcow2 vmlinuz initrd.img lab-installer.img deploy-initrd.img; do
    echo "size.$f=$(stat -c %s "$STAGE/$f")"
  done
} > "$STAGE/manifest"
# Keep the newest HEADNODE_IMAGE_KEEP images (default 3): older ones may still back a head node's overlay.
hn_publish "$STAGE" "${HEADNODE_IMAGE_KEEP:-3}"
step "done: $OUT"
echo "$OUT"
