#!/usr/bin/env bash
# Builds the deploy ramdisk of the `image` install profile (deploy/init) from a Debian root that has the kernel's
# modules, e2fsprogs and gdisk in it:
#   deploy/build-ramdisk.sh ROOT KVER BUSYBOX OUT.img
# busybox-static for the shell and wget/dd; sgdisk, e2fsck and resize2fs, and coreutils' sha256sum (the read-back
# check; ~15% faster than busybox's under TCG), with the shared libraries they need, copied from ROOT (they replace
# busybox's applets of the same name); the modules listed in deploy/modules with their dependencies. Called by build-image.sh (the
# head node serves it as image/initrd.img beside Debian's signed kernel) and build-node-image.sh (for DeployRamdiskIT).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
. "$HERE/../lib.sh"
ROOT="$1" KVER="$2" BUSYBOX="$3" OUT="$4"
d="$(mktemp -d /var/tmp/headnode-deploy.XXXXXX)"
trap 'rm -rf "$d"' EXIT
hn_initramfs_tree "$d" "$BUSYBOX" "$HERE/init"
mkdir -p "$d"/{sbin,target}
install -m 0755 "$HERE/../payload/udhcpc.script" "$d/etc/udhcpc.script"
hn_copy_modules "$ROOT" "$KVER" "$d" "$HERE/modules"
# Programs busybox lacks, with their libraries and the dynamic loader (paths as in ROOT: usr-merged there, so
# /lib64 and /lib are links in the ramdisk too)
ln -s lib "$d/lib64" 2>/dev/null || true
mkdir -p "$d/lib/x86_64-linux-gnu"
ln -s . "$d/usr" 2>/dev/null || true
for p in sgdisk e2fsck resize2fs sha256sum; do
  found=
  for dir in /usr/sbin /sbin /usr/bin /bin; do [ -x "$ROOT$dir/$p" ] && { found="$dir/$p"; break; }; done
  [ -n "$found" ] || { echo "build-ramdisk: $p missing in $ROOT" >&2; exit 1; }
  p="$found"
  rm -f "$d/sbin/${p##*/}" "$d/bin/${p##*/}"
  cp "$ROOT$p" "$d/sbin/"
  if chroot "$ROOT" ldd "$p" | grep 'not found' >&2; then echo "build-ramdisk: $p needs a library missing in $ROOT" >&2; exit 1; fi
  chroot "$ROOT" ldd "$p" | grep -oE '/[^ ]+' | while read -r lib; do
    real="$(chroot "$ROOT" readlink -f "$lib")"
    install -D -m 0755 "$ROOT$real" "$d/lib/x86_64-linux-gnu/${lib##*/}"
  done
done
cp "$d/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2" "$d/lib/ld-linux-x86-64.so.2" 2>/dev/null || true
hn_pack_initramfs "$d" "$BUSYBOX" "$OUT"
