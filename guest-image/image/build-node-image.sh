#!/usr/bin/env bash
# Builds the Debian 12 node image that the `image` install profile deploys, from Debian's packages only, and the
# deploy ramdisk beside it (the same one build-image.sh puts into the head node; here for DeployRamdiskIT).
#
#   guest-image/image/build-node-image.sh [--print-dir] [--force] [--cache DIR]
#
# Output (one directory per hash of the inputs, under the cache, default /var/cache/headnode/node-image; its path is
# the last line printed):
#   debian-12-node.raw    the disk image: GPT, 1 BIOS boot partition (for a later grub-install), 2 EFI system
#                         partition (FAT, label HN-ESP, legacy-BIOS-bootable), 3 root ext4 (label hn-root, last, so
#                         the deploy ramdisk grows it to the disk)
#   debian-12-node.qcow2  the same as qcow2
#   vmlinuz, deploy-initrd.img   Debian's signed kernel and the deploy ramdisk
#   manifest
# Boot: BIOS: syslinux's gptmbr.bin -> the ESP's syslinux (ldlinux.sys, installed with the mtools syslinux, no
# mount) -> /vmlinuz + /initrd.img from the ESP. UEFI and Secure Boot: \EFI\BOOT\BOOTX64.EFI = Debian's signed shim
# -> signed GRUB (\EFI\BOOT\grubx64.efi, config \EFI\debian\grub.cfg) -> the same signed kernel. The initrd is a small
# busybox one (node/initramfs-init) that mounts root by label; systemd, sshd (keys only, host keys made on first
# boot), systemd-networkd (DHCP on every NIC) and headnode-firstboot.service (node/rootfs) run from root.
# No loop mounts: debootstrap into a directory, mkfs.ext4 -d and mformat/mcopy into partition files, dd into the disk.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE="$(cd "$(dirname "$0")" && pwd)"
HN_PROG=build-node-image
. "$HERE/lib.sh"
hn_require_root

CACHE="${HEADNODE_NODE_IMAGE_CACHE:-/var/cache/headnode/node-image}"
SUITE=bookworm
hn_build_args 2,22 "$@"
MIRROR="$(hn_mirror)"
input_hash() {
  {
    echo "suite=$SUITE mirror=$MIRROR"
    (cd "$HERE" && find node deploy build-node-image.sh lib.sh payload/udhcpc.script rootfs/etc/systemd/system/headnode-ssh-keygen.service \
        rootfs/etc/ssh/sshd_config.d -type f -print0 | sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
}
HASH="$(input_hash)"
OUT="$CACHE/$HASH"
hn_cache_or_lock
hn_workdir headnode-node-image

hn_debootstrap "$HERE/node/packages.txt"

# Kernel (Debian's signed image), busybox-static, gdisk (for the deploy ramdisk), the boot loaders: unpacked, not
# installed (no initramfs-tools, no grub-install)
hn_kernel_package
step "fetching $KPKG, busybox-static, gdisk, syslinux, shim-signed, grub-efi-amd64-signed"
hn_download "$WORK/debs" "$KPKG" busybox-static gdisk libpopt0 syslinux syslinux-common shim-signed grub-efi-amd64-signed
mkdir -p "$WORK/x"
dpkg-deb --fsys-tarfile "$WORK"/debs/linux-image-*.deb | tar -x --keep-directory-symlink -C "$ROOT"
KVER="$(ls "$ROOT/lib/modules" | head -1)"
rm -f "$ROOT/boot/System.map-$KVER"
for d in "$WORK"/debs/{busybox-static,syslinux,syslinux-common,shim-signed,grub-efi-amd64-signed}_*.deb; do dpkg-deb -x "$d" "$WORK/x"; done
# sgdisk and its libpopt for the deploy ramdisk (harmless in the image); --keep-directory-symlink: /sbin stays a link
# in a usr-merged root
for d in "$WORK"/debs/gdisk_*.deb "$WORK"/debs/libpopt0_*.deb; do dpkg-deb --fsys-tarfile "$d" | tar -x --keep-directory-symlink -C "$ROOT"; done
BUSYBOX="$WORK/x/bin/busybox"
# Kernel modules: only what a server node boots and networks with (disks, RAID/LVM, common wired NICs, virtio, USB
# keyboards and storage, the filesystems it uses, netfilter): the image is written and checksummed on every deploy,
# so every MiB costs (docs/benchmarks/deploy.md). Everything else in kernel/drivers and kernel/fs goes.
KM="$ROOT/lib/modules/$KVER/kernel"
find "$KM/drivers" -mindepth 1 -maxdepth 1 -type d | grep -vE '/(ata|block|scsi|nvme|virtio|md|net|usb|hid|input|char|firmware|acpi|pci|message|target|nvdimm|dax|cdrom)$' | xargs rm -rf
find "$KM/drivers/net" -mindepth 1 -maxdepth 1 -type d | grep -vE '/(ethernet|team|bonding|vxlan)$' | xargs rm -rf
find "$KM/drivers/net/ethernet" -mindepth 1 -maxdepth 1 -type d | grep -vE '/(intel|broadcom|realtek|amazon|google)$' | xargs rm -rf
find "$KM/drivers/usb" -mindepth 1 -maxdepth 1 -type d | grep -vE '/(host|storage|core|common)$' | xargs rm -rf
find "$KM/fs" -mindepth 1 -maxdepth 1 -type d | grep -vE '/(ext4|jbd2|fat|vfat|nls|fuse|overlayfs|xfs|btrfs|isofs|squashfs|nfs|nfs_common|lockd|sunrpc|fscache|netfs)$' | xargs rm -rf
rm -rf "$KM/sound" "$ROOT/usr/lib/firmware" "$KM/net/"{wireless,mac80211,bluetooth,nfc,ieee802154,mac802154,6lowpan,rxrpc,ceph,sctp,rds,tipc,ax25,netrom,rose,x25,can,atm}
chroot "$ROOT" depmod -a "$KVER"

step "configuring"
cp -a "$HERE/node/rootfs/." "$ROOT/"
install -m 0644 "$HERE/node/fstab" "$ROOT/etc/fstab"
install -m 0644 "$HERE/rootfs/etc/systemd/system/headnode-ssh-keygen.service" "$ROOT/etc/systemd/system/"
install -m 0644 "$HERE/rootfs/etc/ssh/sshd_config.d/headnode.conf" "$ROOT/etc/ssh/sshd_config.d/"
echo debian-node > "$ROOT/etc/hostname"
rm -f "$ROOT"/etc/ssh/ssh_host_*
for u in e2scrub_reap.service e2scrub_all.timer apt-daily.timer apt-daily-upgrade.timer fstrim.timer getty@tty1.service; do
  chroot "$ROOT" systemctl mask "$u" >/dev/null 2>&1 || true
done
chroot "$ROOT" systemctl enable systemd-networkd.service ssh.service headnode-ssh-keygen.service headnode-firstboot.service >/dev/null 2>&1
: > "$ROOT/etc/machine-id"
rm -f "$ROOT/etc/resolv.conf"; : > "$ROOT/etc/resolv.conf"
mkdir -p "$ROOT/boot/efi"

STAGE="$CACHE/.tmp-$HASH"
rm -rf "$STAGE"; mkdir -p "$STAGE"
step "deploy ramdisk"
"$HERE/deploy/build-ramdisk.sh" "$ROOT" "$KVER" "$BUSYBOX" "$STAGE/deploy-initrd.img"
cp "$ROOT/boot/vmlinuz-$KVER" "$STAGE/vmlinuz"

step "node initramfs"
I="$WORK/initramfs"
hn_initramfs_tree "$I" "$BUSYBOX" "$HERE/node/initramfs-init"
hn_copy_modules "$ROOT" "$KVER" "$I" "$HERE/node/modules"
hn_pack_initramfs "$I" "$BUSYBOX" "$WORK/initrd.img"

step "trimming"
cp "$ROOT/boot/vmlinuz-$KVER" "$WORK/vmlinuz"
rm -f "$ROOT/boot/vmlinuz-$KVER" "$ROOT/boot/initrd.img-$KVER"   # both boot from the ESP (below)
hn_trim_root

# The disk: partition files first, then the GPT around them
CMDLINE="root=LABEL=hn-root console=tty0 console=ttyS0,115200 net.ifnames=0"
USED_MB=$(du -sm "$ROOT" | cut -f1)
ROOT_MB=$(( USED_MB * 11 / 10 + 48 ))   # little slack: the deploy ramdisk grows it to the disk
ESP_MB=40
step "root filesystem: mkfs.ext4 -d ($USED_MB MB used, $ROOT_MB MB)"
truncate -s "${ROOT_MB}M" "$WORK/root.part"
mkfs.ext4 -q -F -L hn-root -m 0 -E lazy_itable_init=0,lazy_journal_init=0 -d "$ROOT" "$WORK/root.part"

step "EFI system partition (shim, GRUB, syslinux, kernel, initrd)"
truncate -s "${ESP_MB}M" "$WORK/esp.part"
# -H: hidden sectors = the partition's first LBA (4096), which syslinux's boot sector may read
mformat -i "$WORK/esp.part" -T $((ESP_MB * 2048)) -h 64 -s 32 -H 4096 -v HN-ESP ::
mmd -i "$WORK/esp.part" ::/EFI ::/EFI/BOOT ::/EFI/debian
mcopy -i "$WORK/esp.part" "$WORK/x/usr/lib/shim/shimx64.efi.signed" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$WORK/esp.part" "$WORK/x/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" ::/EFI/BOOT/grubx64.efi
cat > "$WORK/grub.cfg" <<EOF
# headnode node image: the same kernel and initrd as the BIOS path (syslinux), from the ESP
set timeout=0
search --no-floppy --label --set=root HN-ESP
echo "headnode node image: booting Debian (UEFI)"
linux /vmlinuz $CMDLINE
initrd /initrd.img
boot
EOF
mcopy -i "$WORK/esp.part" "$WORK/grub.cfg" ::/EFI/debian/grub.cfg
cat > "$WORK/syslinux.cfg" <<EOF
SERIAL 0 115200
DEFAULT node
PROMPT 0
TIMEOUT 0
LABEL node
  SAY headnode node image: booting Debian (BIOS)
  LINUX /vmlinuz
  INITRD /initrd.img
  APPEND $CMDLINE
EOF
mcopy -i "$WORK/esp.part" "$WORK/syslinux.cfg" ::/syslinux.cfg
mcopy -i "$WORK/esp.part" "$WORK/vmlinuz" ::/vmlinuz
mcopy -i "$WORK/esp.part" "$WORK/initrd.img" ::/initrd.img
"$WORK/x/usr/bin/syslinux" --install "$WORK/esp.part"

step "GPT disk"
DISK="$WORK/debian-12-node.raw"
# 1 MiB GPT + BIOS boot 1 MiB + ESP + root + 1 MiB backup GPT
truncate -s $(( (1 + 1 + ESP_MB + ROOT_MB + 1) * 1048576 )) "$DISK"
sgdisk -n 1:2048:+1M -t 1:ef02 -c 1:bios-boot \
       -n 2:4096:+${ESP_MB}M -t 2:ef00 -c 2:EFI -A 2:set:2 \
       -n 3:$(( (2 + ESP_MB) * 2048 )):+${ROOT_MB}M -t 3:8300 -c 3:hn-root "$DISK" >/dev/null
dd if="$WORK/esp.part" of="$DISK" bs=1M seek=2 conv=notrunc status=none
dd if="$WORK/root.part" of="$DISK" bs=1M seek=$((2 + ESP_MB)) conv=notrunc status=none
dd if="$WORK/x/usr/lib/syslinux/mbr/gptmbr.bin" of="$DISK" bs=440 count=1 conv=notrunc status=none
sgdisk -v "$DISK" >/dev/null
mv "$DISK" "$STAGE/debian-12-node.raw"
qemu-img convert -f raw -O qcow2 "$STAGE/debian-12-node.raw" "$STAGE/debian-12-node.qcow2"
chmod 0644 "$STAGE"/*
{
  hn_manifest_head
  echo "rootfs-mb=$USED_MB"
  echo "cmdline=$CMDLINE"
  for f in debian-12-node.raw debian-12-node.qcow2 vmlinuz deploy-initrd.img; do echo "size.$f=$(stat -c %s "$STAGE/$f")"; done
  echo "sha256.debian-12-node.raw=$(sha256sum < "$STAGE/debian-12-node.raw" | cut -d' ' -f1)"
} > "$STAGE/manifest"
hn_publish "$STAGE" 2
step "done: $OUT"
echo "$OUT"
