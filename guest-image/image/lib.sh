# Shell functions shared by the image builds (build-image.sh, build-node-image.sh, deploy/build-ramdisk.sh); sourced.

# The Debian mirror as configured in /etc/apt (one-line or deb822 sources), unless HEADNODE_MIRROR says otherwise.
hn_mirror() {
  if [ -n "${HEADNODE_MIRROR:-}" ]; then echo "$HEADNODE_MIRROR"; return; fi
  local m
  m="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
        | grep -oE '(https?|file)://[^ ]+/debian/?( |$)' | grep -v security | head -1 | tr -d ' ')" || true
  echo "${m:-http://deb.debian.org/debian}"
}

# hn_copy_modules ROOT KVER DEST MODULES-FILE: the modules listed in MODULES-FILE (# comments allowed) with their
# dependencies, from ROOT's kernel into DEST (an initramfs tree), the list as DEST/etc/modules, and a modules.dep for
# just these written by ROOT's own depmod (the build host needs no kmod).
hn_copy_modules() {
  local root="$1" kver="$2" d="$3" list="$4" m rel
  mkdir -p "$d/etc" "$d/lib/modules/$kver"
  grep -v -e '^#' -e '^$' "$list" > "$d/etc/modules"
  for m in $(cat "$d/etc/modules"); do
    chroot "$root" modprobe -S "$kver" --show-depends "$m" | awk '$1=="insmod" {print $2}' | while read -r rel; do
      mkdir -p "$d/$(dirname "$rel")"
      cp "$root/$rel" "$d/$rel"
    done
  done
  cp "$root/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$d/lib/modules/$kver/" 2>/dev/null || true
  rm -rf "$root/tmp/hn-modules" && mkdir -p "$root/tmp/hn-modules" && cp -a "$d/lib" "$root/tmp/hn-modules/"
  chroot "$root" depmod -b /tmp/hn-modules "$kver"
  cp "$root/tmp/hn-modules/lib/modules/$kver"/modules.* "$d/lib/modules/$kver/"
  rm -rf "$root/tmp/hn-modules"
}
