#!/usr/bin/env bash
# Read throughput of the image share as the head node sees it: QEMU's 9p (local, security_model=mapped, readonly, the
# same device libvirt makes from the domain template's second <filesystem>), mounted by the head node's own kernel and
# busybox initramfs with the agent's mount options: first the kernel's default msize, then msize=524288 (the agent's). A file of SIZE_MIB random bytes
# is read twice each way with dd bs=1M to /dev/null; the guest's /proc/uptime gives the times.
# Usage: image-share-9p.sh IMAGE_DIR [SIZE_MIB]   (IMAGE_DIR: a built head-node image: vmlinuz, initrd.img)
# Run it under `flock /work/wt/vm.lock` on shared machines. TCG only (no KVM here). Writes nothing outside a temp dir.
set -euo pipefail
image=${1:?usage: image-share-9p.sh IMAGE_DIR [SIZE_MIB]}
size=${2:-256}
w=$(mktemp -d /tmp/image-share-9p.XXXXXX)
trap 'rm -rf "$w"' EXIT
mkdir -p "$w/root" "$w/share"
(cd "$w/root" && zcat "$image/initrd.img" | busybox cpio -id 2>/dev/null)
cat > "$w/root/init" <<'INIT'
#!/bin/sh
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $(cat /etc/modules); do modprobe "$m" >/dev/null 2>&1; done
mkdir -p /a
# one mount at a time: a virtio 9p device has one channel ("no channels available" for a second mount)
for opts in "" ",msize=524288"; do
  mount -t 9p -o "ro,trans=virtio,version=9p2000.L$opts" headnode-images /a || echo "mount with '$opts' failed"
  echo "MOUNT $(grep ' /a 9p ' /proc/mounts)"
  for i in 1 2; do
    s=$(cut -d' ' -f1 /proc/uptime)
    dd if=/a/big.raw of=/dev/null bs=1M 2>/dev/null
    e=$(cut -d' ' -f1 /proc/uptime)
    echo "RESULT opts=${opts:-default} start=$s end=$e"
  done
  umount /a
done
dmesg | grep -i msize
poweroff -f
INIT
chmod +x "$w/root/init"
(cd "$w/root" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1 > "$w/initrd.gz")
head -c "${size}M" /dev/urandom > "$w/share/big.raw"
chmod -R a+rX "$w"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
timeout 600 qemu-system-x86_64 -machine pc,accel=tcg -m 512 -nographic -no-reboot -nic none \
  -kernel "$image/vmlinuz" -initrd "$w/initrd.gz" -append "console=ttyS0,115200 quiet" \
  -virtfs "local,path=$w/share,mount_tag=headnode-images,security_model=mapped,readonly=on" 2>&1 | tr -d '\r' \
  | awk -v mib="$size" '/^MOUNT|msize/{print} /^RESULT/{split($3,a,"=");split($4,b,"="); t=b[2]-a[2]; printf "%s %d MiB in %.2f s = %.1f MiB/s\n", $2, mib, t, mib/t}'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
