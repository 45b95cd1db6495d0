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

# ---- the frame both image builds share (build-image.sh, build-node-image.sh): options, cache and its lock, work dir,
# ---- debootstrap, kernel package, trimming, manifest head, publishing. Each script sets HN_PROG (its log prefix:
# ---- tests/lab reads "build-image: " / "build-node-image: " lines) and SUITE first.

log() { echo "${HN_PROG:-headnode-image}: $*" >&2; }
step() { log "[$(( $(date +%s) - START ))s] $*"; }

# hn_require_root: the builds debootstrap and chroot.
hn_require_root() {
  [ "$(id -u)" = 0 ] || { echo "$HN_PROG: must run as root (debootstrap, chroot)" >&2; exit 2; }
}

# hn_build_args HELP-LINES ARGS...: the common options [--print-dir] [--force] [--cache DIR] [-h|--help] (prints the
# calling script's lines HELP-LINES, e.g. 2,14). Sets print_dir, force and, with --cache, CACHE.
hn_build_args() {
  local help="$1"; shift
  print_dir=0
  force=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --print-dir) print_dir=1 ;;
      --force) force=1 ;;
      --cache) [ $# -ge 2 ] || { echo "$HN_PROG: --cache needs a directory" >&2; exit 2; }; CACHE="$2"; shift ;;
      -h|--help) sed -n "${help}p" "$0"; exit 0 ;;
      *) echo "$HN_PROG: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
  done
}

# hn_cache_or_lock: with OUT set (CACHE/HASH): --print-dir prints it; a finished build there (its manifest) is printed
# and the script ends, unless --force; otherwise takes the cache's lock (fd 9, held until the script ends; one build
# per cache at a time) and looks again, since another build may have finished it meanwhile.
hn_cache_or_lock() {
  if [ "$print_dir" = 1 ]; then echo "$OUT"; exit 0; fi
  if [ "$force" = 0 ] && [ -f "$OUT/manifest" ]; then log "cached: $OUT (inputs unchanged)"; echo "$OUT"; exit 0; fi
  mkdir -p "$CACHE/debs"
  exec 9>"$CACHE/.lock"
  flock 9
  if [ "$force" = 0 ] && [ -f "$OUT/manifest" ]; then log "cached: $OUT (built meanwhile)"; echo "$OUT"; exit 0; fi
}

# hn_workdir NAME: WORK, a fresh directory under /var/tmp removed at exit with anything still mounted below it
# (debootstrap mounts proc/sys in the target while it runs); ROOT, the root filesystem's place in it; START, now.
hn_workdir() {
  START=$(date +%s)
  WORK="$(mktemp -d "/var/tmp/$1.XXXXXX")"
  ROOT="$WORK/root"
  trap hn_cleanup EXIT
}
hn_cleanup() {
  local m
  for m in $(awk -v w="$WORK" '$2 ~ "^"w {print $2}' /proc/mounts | sort -r); do umount -l "$m" 2>/dev/null || true; done
  rm -rf "$WORK"
}

# hn_debootstrap PACKAGES-FILE: a minbase SUITE root in ROOT with the listed packages (# comments, blank lines), the
# .debs cached in CACHE/debs; sets PACKAGES (comma-separated, for the manifest).
hn_debootstrap() {
  PACKAGES="$(grep -v -e '^#' -e '^[[:space:]]*$' "$1" | paste -sd, -)"
  step "debootstrap $SUITE from $MIRROR with $PACKAGES"
  debootstrap --variant=minbase --cache-dir="$CACHE/debs" --include="$PACKAGES" "$SUITE" "$ROOT" "$MIRROR" \
    > "$WORK/debootstrap.log" 2>&1 || { tail -30 "$WORK/debootstrap.log" >&2; exit 1; }
}

# hn_kernel_package: the versioned package linux-image-amd64 depends on in ROOT (KPKG).
hn_kernel_package() {
  KPKG="$(chroot "$ROOT" apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')"
  [ -n "$KPKG" ] || { log "cannot resolve linux-image-amd64"; exit 1; }
}

# hn_download DEST PKG...: the packages' .debs fetched by ROOT's apt (not installed) into DEST.
hn_download() {
  local dest="$1"; shift
  mkdir -p "$dest"
  chroot "$ROOT" sh -c 'cd /tmp && exec apt-get -q download "$@"' apt-download "$@" > "$WORK/download.log" 2>&1 \
    || { cat "$WORK/download.log" >&2; exit 1; }
  mv "$ROOT"/tmp/*.deb "$dest/"
}

# hn_initramfs_tree DIR BUSYBOX INIT: a busybox-static initramfs tree (every applet linked) with INIT as /init.
hn_initramfs_tree() {
  local d="$1" busybox="$2" a
  mkdir -p "$d"/{bin,dev,proc,sys,etc,tmp,newroot}
  cp "$busybox" "$d/bin/busybox"
  for a in $("$busybox" --list); do [ "$a" = busybox ] || ln -sf busybox "$d/bin/$a"; done
  install -m 0755 "$3" "$d/init"
}

# hn_pack_initramfs DIR BUSYBOX OUT: DIR as a gzipped newc cpio archive.
hn_pack_initramfs() {
  (cd "$1" && find . | sort | "$2" cpio -o -H newc 2>/dev/null | gzip -6) > "$3"
}

# hn_trim_root: what an appliance never reads (apt caches and lists, docs, man pages, logs, locales).
hn_trim_root() {
  rm -rf "$ROOT"/var/cache/apt/* "$ROOT"/var/lib/apt/lists/* "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* \
         "$ROOT"/usr/share/info/* "$ROOT"/var/log/*.log "$ROOT"/var/cache/debconf/*-old "$ROOT"/tmp/*
  find "$ROOT/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
}

# hn_manifest_head: the manifest's first lines (hash, build time, suite, mirror, kernel, packages).
hn_manifest_head() {
  echo "hash=$HASH"
  echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "build-seconds=$(( $(date +%s) - START ))"
  echo "suite=$SUITE"
  echo "mirror=$MIRROR"
  echo "kernel=$KVER"
  echo "packages=$PACKAGES"
}

# hn_publish STAGE KEEP: STAGE becomes OUT and CACHE/latest; only the newest KEEP builds stay (older ones may still
# back a head node's overlay or a lab node's disk, so this is deliberately not "keep only the newest").
hn_publish() {
  local old
  rm -rf "$OUT"
  mv "$1" "$OUT"
  ln -sfn "$HASH" "$CACHE/latest"
  for old in $(ls -1dt "$CACHE"/[0-9a-f]*[0-9a-f] 2>/dev/null | grep -E '/[0-9a-f]{16}$' | tail -n +"$(( $2 + 1 ))"); do
    rm -rf "$old" && step "pruned old build $old"
  done
}
