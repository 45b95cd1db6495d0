#!/bin/bash
# uefi-probe.sh: boot one QEMU (TCG) node over the network from a throw-away head node in a private network
# namespace (bridge + dhcpd + in.tftpd + python3 http.server + tcpdump) and print the timings.
#
#   tests/e2e/bench/uefi-probe.sh [--firmware bios|uefi|secureboot] [--scenario NAME] [--keep DIR] [--timeout S]
#        [--libvirt] [--nic-rom none|default] [--http python|agent] [--grub DIR] [--kernel FILE] [--boot pxe|http]
#        [--install-missing]
#
# --libvirt: the node is a libvirt domain (<domain type='qemu'>, the XML of docs/design/uefi-boot.md, checked
#   with virt-xml-validate) run by a private libvirtd + virtlogd in the namespace (libvirt's paths bind-mounted
#   from the work dir in that mount namespace only, an unreadable file over /dev/kvm there); times from `virsh start`.
# --nic-rom none|default: UEFI guests use OVMF's own virtio-net driver (none, default) or QEMU's iPXE ROM.
# --http python|agent: the HTTP server is python3's http.server (default) or the agent's own server
#   (`bin/headnode-agent serve`, the jar built by `mvn -pl guest-image/agent -am install`); its requests are then
#   read from tcpdump, not from an access log.
# --grub DIR: take grubnetx64.efi.signed (and x86_64-efi/http.mod if DIR has it) from DIR instead of Debian 12's
#   packages, e.g. DIR = usr/lib/grub of Debian 13's grub-efi-amd64-signed + grub-efi-amd64-bin unpacked with
#   dpkg-deb -x (docs/design/uefi-boot.md, section 12).
# --kernel FILE: the `kernel` scenario boots FILE (a signed vmlinuz) instead of Debian 12's linux-image-amd64.
# --boot http: UEFI HTTP boot for any scenario (OVMF's PXE boot options off, as the httpboot scenario does), e.g.
#   `--scenario kernel --boot http --grub DIR`: shim and GRUB over HTTP, then GRUB's config, per-MAC config and kernel.
#
# Scenarios (default: prompt):
#   prompt     boot to the GRUB config (UEFI) or the PXELINUX banner (BIOS) and stop: boot-loader timing
#   lookup     GRUB prints $prefix & co, then runs `normal` without arguments (GRUB's per-MAC/IP config search)
#              with no per-MAC file present, so every name it tries shows up as a TFTP request
#   kernel     per-MAC GRUB config boots Debian's signed kernel + a busybox initrd over HTTP (GRUB loads http.mod
#              from the TFTP tree; refused under Secure Boot, then over TFTP); the initrd prints the lockdown state
#              and powers off
#   disk-exit  default GRUB config `exit`s; the node's disk has an ESP with Debian's shim + GRUB printing a marker
#   disk-exit1 the same with `exit 1` (does a non-zero status make the firmware try its next boot entry?)
#   disk-chain the recommended default grub.cfg: per-MAC configfile (absent here), then chain-load the disk's shim
#   dhcp       no VM: busybox udhcpc in a second namespace (veth to the bridge) sends option 93 = 0, 7, 9, 16,
#              11 (arm64, not served) and iPXE's user-class; prints the boot file (and option 60) each got
#   httpboot   UEFI HTTP boot: OVMF's PXE boot options are switched off (fw_cfg opt/org.tianocore/IPv4PXESupport
#              and IPv6PXESupport = n), so the firmware's first network option is HTTPv4; dhcpd answers arch 16
#              with vendor-class-identifier "HTTPClient" and the URL of shimx64.efi
#
# Everything lives in namespace uefiprobe<PID> (address 198.51.100.1/24, TEST-NET-2, no uplink, no veth to the
# host) and a work directory (default /var/tmp/uefi-probe.XXXXXX, removed unless --keep). Every daemon is
# stopped by PID and the namespace deleted on exit, also on failure or Ctrl-C.
#
# Needs root and Debian packages: ovmf shim-signed grub-efi-amd64-signed qemu-system-x86 isc-dhcp-server
# tftpd-hpa pxelinux syslinux-common tcpdump mtools gdisk python3 radvd (and for `kernel`: apt-get download of
# linux-image-amd64's image package and busybox-static, unpacked into /var/tmp/uefi-probe-debs, nothing installed;
# for --libvirt: libvirt-daemon-system and libvirt-clients).
# --install-missing runs apt-get install for the missing ones.
set -euo pipefail

FIRMWARE=secureboot
SCENARIO=prompt
KEEP=""
TIMEOUT=120
INSTALL=0
LIBVIRT=0          # 1: boot the node as a libvirt domain (private libvirtd in the namespace) instead of plain QEMU
NICROM=none        # none: OVMF's own virtio-net driver (romfile=); default: QEMU's iPXE ROM (efi-virtio.rom)
HTTPD=python       # python: python3 -m http.server; agent: the agent's HTTP server (headnode-agent serve)
KERNEL=""          # empty: Debian 12's signed kernel (apt-get download); else this vmlinuz
GRUBDIR=""         # empty: Debian 12's GRUB (/usr/lib/grub); else a directory with x86_64-efi-signed/ (and x86_64-efi/)
HTTPBOOT=0         # 1: UEFI HTTP boot (fw_cfg switches OVMF's PXE off); the httpboot scenario sets it
while [ $# -gt 0 ]; do
    case "$1" in
        --firmware) FIRMWARE=$2; shift 2 ;;
        --scenario) SCENARIO=$2; shift 2 ;;
        --keep) KEEP=$2; shift 2 ;;
        --timeout) TIMEOUT=$2; shift 2 ;;
        --install-missing) INSTALL=1; shift ;;
        --nic-rom) NICROM=$2; shift 2 ;;
        --libvirt) LIBVIRT=1; shift ;;
        --http) HTTPD=$2; shift 2 ;;
        --grub) GRUBDIR=$(readlink -f "$2"); shift 2 ;;
        --boot) case "$2" in pxe) HTTPBOOT=0 ;; http) HTTPBOOT=1 ;; *) echo "--boot pxe|http" >&2; exit 2 ;; esac; shift 2 ;;
        --kernel) KERNEL=$(readlink -f "$2"); shift 2 ;;
        -h|--help) sed -n '2,44p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
case "$FIRMWARE" in bios|uefi|secureboot) ;; *) echo "firmware: bios|uefi|secureboot" >&2; exit 2 ;; esac
case "$SCENARIO" in prompt|lookup|kernel|disk-exit|disk-exit1|disk-chain|httpboot|dhcp) ;; *) echo "bad scenario $SCENARIO" >&2; exit 2 ;; esac
[ "$FIRMWARE" = bios ] && [ "$SCENARIO" != prompt ] && [ "$SCENARIO" != dhcp ] && { echo "bios supports only --scenario prompt" >&2; exit 2; }
case "$HTTPD" in python|agent) ;; *) echo "--http: python|agent" >&2; exit 2 ;; esac
[ -z "$GRUBDIR" ] || [ -f "$GRUBDIR/x86_64-efi-signed/grubnetx64.efi.signed" ] ||
    { echo "--grub: no $GRUBDIR/x86_64-efi-signed/grubnetx64.efi.signed" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 2; }
AGENT_LAUNCHER=$(readlink -f "$(dirname "$0")/../../../bin/headnode-agent")

# ---- packages -------------------------------------------------------------------------------------------
declare -A NEED=(
    [/usr/share/OVMF/OVMF_CODE_4M.secboot.fd]=ovmf [/usr/lib/shim/shimx64.efi.signed]=shim-signed
    [/usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed]=grub-efi-amd64-signed
    [/usr/bin/qemu-system-x86_64]=qemu-system-x86 [/usr/sbin/dhcpd]=isc-dhcp-server [/usr/sbin/in.tftpd]=tftpd-hpa
    [/usr/lib/PXELINUX/pxelinux.0]=pxelinux [/usr/lib/syslinux/modules/bios/ldlinux.c32]=syslinux-common
    [/usr/bin/tcpdump]=tcpdump [/usr/bin/mformat]=mtools [/usr/sbin/sgdisk]=gdisk [/usr/bin/python3]=python3
    [/usr/sbin/radvd]=radvd)
MISSING=()
# a program found on PATH elsewhere counts too (e.g. tcpdump unpacked from its .deb into a private directory)
for f in "${!NEED[@]}"; do [ -e "$f" ] || { [[ $f = */bin/* ]] && command -v "${f##*/}" >/dev/null; } || MISSING+=("${NEED[$f]}"); done
if [ ${#MISSING[@]} -gt 0 ]; then
    if [ $INSTALL = 1 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${MISSING[@]}"
    else
        echo "missing packages: ${MISSING[*]} (apt-get install -y ${MISSING[*]}, or --install-missing)" >&2; exit 2
    fi
fi

# ---- set-up ---------------------------------------------------------------------------------------------
NS=uefiprobe$$
ADDR=198.51.100.1
NODE_IP=198.51.100.10
MAC=52:54:00:99:00:01
MACDASH=01-${MAC//:/-}
if [ -n "$KEEP" ]; then WORK=$KEEP; mkdir -p "$WORK"; else WORK=$(mktemp -d /var/tmp/uefi-probe.XXXXXX); fi
PIDS=()            # started processes, stopped in reverse order
QEMU_PID=""

log() { printf '[%7.2fs] %s\n' "$(awk -v a="$(date +%s.%N)" -v b="$T_SCRIPT" 'BEGIN{print a-b}')" "$*"; }
T_SCRIPT=$(date +%s.%N)

stop_pid() {   # stop one PID we started: TERM, up to 3 s, then KILL
    local p=$1 i
    kill -0 "$p" 2>/dev/null || return 0
    kill -TERM "$p" 2>/dev/null || true
    for i in $(seq 30); do kill -0 "$p" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
}
cleanup() {
    local rc=$? i
    set +e
    [ -n "${VIRSH_URI:-}" ] && virsh -q -c "$VIRSH_URI" destroy uefiprobe-node >/dev/null 2>&1
    [ -n "$QEMU_PID" ] && stop_pid "$QEMU_PID"
    for ((i=${#PIDS[@]}-1; i>=0; i--)); do stop_pid "${PIDS[$i]}"; done
    wait 2>/dev/null
    ip netns del "$NS" 2>/dev/null
    ip netns del "${NS}c" 2>/dev/null
    if [ -z "$KEEP" ]; then rm -rf "$WORK"; else echo "work directory kept: $WORK"; fi
    exit $rc
}
trap cleanup EXIT
trap 'echo "uefi-probe: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
trap 'exit 130' INT TERM

ip netns add "$NS"
ip -n "$NS" link set lo up
ip -n "$NS" link add br0 type bridge
ip -n "$NS" link set br0 type bridge forward_delay 0
ip -n "$NS" addr add $ADDR/24 dev br0
ip -n "$NS" link set br0 up
ip -n "$NS" tuntap add dev tap0 mode tap
ip -n "$NS" link set tap0 master br0 up
NSX=(ip netns exec "$NS")

# ---- tftp/http tree ------------------------------------------------------------------------------------
T=$WORK/tftpboot
mkdir -p "$T/grub" "$T/pxelinux.cfg" "$T/lab"
cp /usr/lib/shim/shimx64.efi.signed "$T/shimx64.efi"
GRUBLIB=${GRUBDIR:-/usr/lib/grub}
cp "$GRUBLIB/x86_64-efi-signed/grubnetx64.efi.signed" "$T/grubx64.efi"
cp /usr/lib/PXELINUX/pxelinux.0 /usr/lib/syslinux/modules/bios/ldlinux.c32 "$T/"
printf 'serial 0 115200\nsay HN-PXELINUX-CONFIG\ndefault disk\nprompt 0\nlabel disk\n  localboot 0\n' >"$T/pxelinux.cfg/default"

info='echo "HN-GRUB-CFG prefix=$prefix root=$root cmdpath=$cmdpath mac=$net_default_mac ip=$net_default_ip server=$net_default_server"'
case "$SCENARIO" in
prompt|httpboot)
    printf '%s\necho HN-GRUB-PROMPT\n' "$info" >"$T/grub/grub.cfg" ;;
lookup)
    cat >"$T/grub/grub.cfg" <<EOF
$info
if [ -z "\$hn_nested" ]; then
  set hn_nested=1
  export hn_nested
  echo "HN-LOOKUP-START"
  if regexp --set=1:hn_m '^(..):' "\$net_default_mac"; then echo "HN-REGEXP-BUILTIN first-octet=\$hn_m"; fi
  normal
fi
echo "HN-LOOKUP-DONE"
EOF
    ;;
kernel)
    # Main config: take the per-MAC file if there is one, else boot the disk. GRUB's $net_default_mac has
    # colons; the dashed pxelinux-style name is built with regexp (built into grubnetx64).
    cat >"$T/grub/grub.cfg" <<'EOF'
echo "HN-GRUB-CFG prefix=$prefix root=$root mac=$net_default_mac"
regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6 '^(..):(..):(..):(..):(..):(..)$' "$net_default_mac"
set hn_cfg="$prefix/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6"
if [ -e "$prefix/grub.cfg" ]; then echo "HN-TEST-E true"; else echo "HN-TEST-E false (test -e cannot see TFTP files)"; fi
echo "HN-PER-MAC trying $hn_cfg"
configfile "$hn_cfg"
echo "HN-NO-PER-MAC"
exit
EOF
    # Debian's signed GRUB images have no http module built in (tftp and efinet only). http.mod from
    # grub-efi-amd64-bin (same GRUB build) is put where GRUB looks for modules, $prefix/x86_64-efi/: GRUB
    # loads it without Secure Boot and must refuse it under Secure Boot; then the kernel comes over TFTP.
    mkdir -p "$T/grub/x86_64-efi"
    [ -f "$GRUBLIB/x86_64-efi/http.mod" ] && cp "$GRUBLIB/x86_64-efi/http.mod" "$T/grub/x86_64-efi/"
    # with --grub: the kernel's early console too, and GRUB's loader debug output (where a boot stops before Linux)
    KARGS="console=ttyS0,115200 panic=-1"; GDEBUG=""
    [ -n "$GRUBDIR" ] && { KARGS="$KARGS earlyprintk=serial,ttyS0,115200"; GDEBUG="set debug=linux,loader"; }
    cat >"$T/grub/grub.cfg-$MACDASH" <<EOF
echo "HN-GRUB-PER-MAC loading kernel, over HTTP if GRUB can"
$GDEBUG
insmod http
echo "HN-INSMOD-HTTP status=\$?"
if linux (http,$ADDR)/lab/vmlinuz $KARGS; then
  echo "HN-KERNEL-LOADED over http"
  initrd (http,$ADDR)/lab/initrd.img
else
  echo "HN-HTTP-FAILED: kernel over TFTP instead"
  linux (tftp,$ADDR)/lab/vmlinuz $KARGS
  echo "HN-KERNEL-LOADED over tftp status=\$?"
  initrd (tftp,$ADDR)/lab/initrd.img
fi
echo "HN-INITRD-LOADED status=\$?"
boot
EOF
    ;;
disk-exit|disk-exit1)
    [ $SCENARIO = disk-exit1 ] && EXITARG=" 1" || EXITARG=""
    printf '%s\necho HN-GRUB-PROMPT\necho "HN-LOCAL-DISK exit%s"\nexit%s\necho "HN-EXIT-RETURNED status=$?"\n' "$info" "$EXITARG" "$EXITARG" >"$T/grub/grub.cfg" ;;
disk-chain)
    # The recommended production grub/grub.cfg (docs/design/uefi-boot.md): per-MAC config if there is one
    # (here there is none), else chain-load the disk's shim.
    cat >"$T/grub/grub.cfg" <<EOF
$info
echo HN-GRUB-PROMPT
regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6 '^(..):(..):(..):(..):(..):(..)\$' "\$net_default_mac"
configfile "\$prefix/grub.cfg-01-\$m1-\$m2-\$m3-\$m4-\$m5-\$m6"
echo "HN-LOCAL-DISK chainloader (no per-MAC config)"
if search --no-floppy --set=root --file /EFI/debian/shimx64.efi; then chainloader /EFI/debian/shimx64.efi; boot; fi
if search --no-floppy --set=root --file /EFI/BOOT/BOOTX64.EFI; then echo "HN-CHAIN root=\$root"; chainloader /EFI/BOOT/BOOTX64.EFI; boot; fi
echo "HN-CHAIN-FAILED"
exit
EOF
    ;;
esac

if [ "$SCENARIO" = kernel ]; then
    # Debian's signed kernel and busybox-static, unpacked from their .debs (cached in /var/tmp/uefi-probe-debs).
    DEBS=/var/tmp/uefi-probe-debs
    mkdir -p "$DEBS"
    if [ ! -s "$DEBS/vmlinuz" ] || [ ! -s "$DEBS/busybox" ]; then
        KPKG=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
        (cd "$DEBS" && apt-get download "$KPKG" busybox-static >/dev/null 2>&1)
        rm -rf "$DEBS/x"; mkdir "$DEBS/x"
        for d in "$DEBS"/linux-image-*.deb "$DEBS"/busybox-static_*.deb; do dpkg-deb -x "$d" "$DEBS/x"; done
        cp "$DEBS"/x/boot/vmlinuz-* "$DEBS/vmlinuz"; cp "$DEBS/x/bin/busybox" "$DEBS/busybox"; rm -rf "$DEBS/x"
    fi
    cp "${KERNEL:-$DEBS/vmlinuz}" "$T/lab/vmlinuz"
    R=$WORK/initrd; mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev"
    cp "$DEBS/busybox" "$R/bin/busybox"
    cat >"$R/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t securityfs securityfs /sys/kernel/security
echo "HN-PAYLOAD running; lockdown: $(cat /sys/kernel/security/lockdown 2>&1)"
dmesg | grep -i -E 'secure ?boot|lockdown' | sed 's/^/HN-PAYLOAD dmesg: /'
echo "HN-PAYLOAD done"
poweroff -f
EOF
    chmod +x "$R/init"
    (cd "$R" && find . | "$DEBS/busybox" cpio -o -H newc 2>/dev/null | gzip -1) >"$T/lab/initrd.img"
fi

DISK=""
if [[ $SCENARIO = disk-* ]]; then
    # 64 MiB GPT disk, one ESP (FAT16) from 1 MiB, built in a file with sgdisk + mtools (no loop mount):
    # \EFI\BOOT\BOOTX64.EFI = shimx64.efi.signed, \EFI\BOOT\grubx64.efi = grubx64.efi.signed (its built-in
    # prefix is /EFI/debian), \EFI\debian\grub.cfg prints the disk marker.
    DISK=$WORK/disk.img
    truncate -s 64M "$DISK"
    sgdisk -n 1:2048:+62M -t 1:ef00 -c 1:ESP "$DISK" >/dev/null  # (with -q, sgdisk 1.0.9 wrote no table here)
    ESP="$DISK@@1M"
    mformat -i "$ESP" -T $((62*2048)) -h 64 -s 32 -v ESP ::
    mmd -i "$ESP" ::/EFI ::/EFI/BOOT ::/EFI/debian
    mcopy -i "$ESP" /usr/lib/shim/shimx64.efi.signed ::/EFI/BOOT/BOOTX64.EFI
    mcopy -i "$ESP" /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed ::/EFI/BOOT/grubx64.efi
    printf 'echo "HEADNODE-DISK-MARKER mac=%s (ESP grub, cmdpath=$cmdpath)"\nsleep 600\n' "$MAC" >"$WORK/disk-grub.cfg"
    mcopy -i "$ESP" "$WORK/disk-grub.cfg" ::/EFI/debian/grub.cfg
fi

# ---- dhcpd ----------------------------------------------------------------------------------------------
cat >"$WORK/dhcpd.conf" <<EOF
authoritative;
default-lease-time 600;
max-lease-time 600;
allow booting;
allow bootp;
deny unknown-clients;
boot-unknown-clients false;
ddns-update-style none;
option arch code 93 = unsigned integer 16;
option space ipxe;
option ipxe-encap-opts code 175 = encapsulate ipxe;
option ipxe.no-pxedhcp code 176 = unsigned integer 8;

subnet 198.51.100.0 netmask 255.255.255.0 {
    option subnet-mask 255.255.255.0;
    next-server $ADDR;
    # iPXE (QEMU's NIC ROMs, many servers) asks for ProxyDHCP for ~2 s unless told there is none; others ignore it
    option ipxe.no-pxedhcp 1;
    # Boot file by the client's architecture (option 93), never by iPXE's user-class alone: an iPXE EFI
    # ROM sends arch 7 *and* user-class "iPXE", and must get the EFI chain, not pxelinux.0.
    if option arch = 00:00 {
        filename "pxelinux.0";
    } elsif option arch = 00:07 or option arch = 00:09 {
        if exists user-class and option user-class = "iPXE" {
            # iPXE's EFI driver (QEMU's efi-*.rom, never Secure Boot: it is unsigned): shim fails on the
            # 4 MiB buffer iPXE's PXE emulation reports for grubx64.efi; GRUB directly
            filename "grubx64.efi";
        } else {
            filename "shimx64.efi";
        }
    } elsif option arch = 00:10 {
        option vendor-class-identifier "HTTPClient";
        filename "http://$ADDR/shimx64.efi";
    } elsif exists arch {
        # any other architecture: no filename, and a log line the agent can turn into a status entry
        log (info, concat("headnode: unserved-arch mac=", binary-to-ascii(16, 8, ":", substring(hardware, 1, 6)),
                          " arch=", binary-to-ascii(10, 16, "", option arch)));
    }
    # no option 93 at all (an installed OS renewing its lease): no filename, nothing logged
}
host node { hardware ethernet $MAC; fixed-address $NODE_IP; }
EOF
dhcpd -t -4 -q -cf "$WORK/dhcpd.conf"
touch "$WORK/dhcpd.leases"
"${NSX[@]}" dhcpd -4 -f -d -cf "$WORK/dhcpd.conf" -lf "$WORK/dhcpd.leases" -pf "$WORK/dhcpd.pid" br0 \
    >"$WORK/dhcpd.log" 2>&1 &
PIDS+=($!)
"${NSX[@]}" in.tftpd -L -v -v -a $ADDR:69 -s "$T" >"$WORK/tftpd.log" 2>&1 &
PIDS+=($!)
if [ "$HTTPD" = agent ]; then
    "${NSX[@]}" "$AGENT_LAUNCHER" serve --root "$T" --address $ADDR --port 80 >"$WORK/http.log" 2>&1 &
else
    (cd "$T" && exec "${NSX[@]}" /usr/bin/python3 -m http.server --bind $ADDR 80) >"$WORK/http.log" 2>&1 &
fi
PIDS+=($!)
printf 'interface br0 {\n  AdvSendAdvert on;\n  AdvDefaultLifetime 0;\n  MinRtrAdvInterval 3;\n  MaxRtrAdvInterval 10;\n};\n' >"$WORK/radvd.conf"
"${NSX[@]}" radvd -n -C "$WORK/radvd.conf" -p "$WORK/radvd.pid" -m stderr >"$WORK/radvd.log" 2>&1 &
PIDS+=($!)
"${NSX[@]}" tcpdump -i br0 -n -U --immediate-mode -Z root -s 0 -w "$WORK/net.pcap" udp or tcp port 80 >"$WORK/tcpdump.log" 2>&1 &
PIDS+=($!)
for i in $(seq 150); do   # wait for the listeners (the agent's JVM needs a few seconds)
    "${NSX[@]}" ss -lnu | grep -q "$ADDR:69" && "${NSX[@]}" ss -lnt | grep -q "$ADDR:80" && \
        "${NSX[@]}" ss -lnu | grep -q ':67 ' && grep -q listening "$WORK/tcpdump.log" && break
    sleep 0.1
done
log "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
log "namespace $NS: dhcpd, in.tftpd, http server ($HTTPD), radvd, tcpdump up (work dir $WORK); GRUB from $GRUBLIB"

if [ "$SCENARIO" = dhcp ]; then
    ip netns add "${NS}c"
    ip -n "$NS" link add veth0 type veth peer name eth0 netns "${NS}c"
    ip -n "$NS" link set veth0 master br0 up
    ip -n "${NS}c" link set eth0 address $MAC up
    ip -n "${NS}c" link set lo up
    printf '#!/bin/sh\n[ "$1" = bound ] && echo "    bound: ip=$ip siaddr=$siaddr boot_file=${boot_file:-<none>} opt60=${opt60:-<none>} vendor=${vendor:-}"\nexit 0\n' >"$WORK/udhcpc.script"
    chmod +x "$WORK/udhcpc.script"
    probe() {   # label, udhcpc arguments
        local label=$1; shift
        echo "  $label"
        ip netns exec "${NS}c" busybox udhcpc -i eth0 -f -q -n -t 3 -T 1 -s "$WORK/udhcpc.script" -O 60 "$@" 2>/dev/null |
            grep bound || echo "    no lease"
    }
    probe "arch 0 (x86 BIOS PXE)"      -V PXEClient:Arch:00000:UNDI:002001 -x 0x5d:0000
    probe "arch 7 (x64 UEFI PXE)"      -V PXEClient:Arch:00007:UNDI:003000 -x 0x5d:0007
    probe "arch 9 (x64 UEFI PXE, alt)" -V PXEClient:Arch:00009:UNDI:003000 -x 0x5d:0009
    probe "arch 16 (x64 UEFI HTTP)"    -V HTTPClient:Arch:00016:UNDI:003000 -x 0x5d:0010
    probe "arch 11 (arm64 UEFI, not served)" -V PXEClient:Arch:00011:UNDI:003000 -x 0x5d:000b
    probe "iPXE BIOS (user-class iPXE, arch 0)" -V PXEClient:Arch:00000:UNDI:002001 -x 0x5d:0000 -x 0x4d:69505845
    probe "iPXE EFI (user-class iPXE, arch 7)" -V PXEClient:Arch:00007:UNDI:003010 -x 0x5d:0007 -x 0x4d:69505845
    probe "no option 93 (plain DHCP client)"
    echo "  dhcpd's log lines for unserved architectures:"
    grep -a 'unserved-arch' "$WORK/dhcpd.log" | sed 's/^/    /'
    exit 0
fi

# ---- the node -------------------------------------------------------------------------------------------
Q=(qemu-system-x86_64 -nodefaults -no-user-config -display none -m 1024 -smp 1
   -serial "file:$WORK/console.log" -monitor none
   -netdev tap,id=n0,ifname=tap0,script=no,downscript=no)
ROMOPT=",romfile="; [ "$NICROM" = default ] && ROMOPT=""
case "$FIRMWARE" in
bios)
    Q+=(-machine pc,accel=tcg,graphics=off -device virtio-net-pci,netdev=n0,mac=$MAC,bootindex=1) ;;
uefi)
    cp /usr/share/OVMF/OVMF_VARS_4M.fd "$WORK/vars.fd"
    Q+=(-machine q35,accel=tcg
        -drive if=pflash,format=raw,unit=0,file=/usr/share/OVMF/OVMF_CODE_4M.fd,readonly=on
        -drive if=pflash,format=raw,unit=1,file="$WORK/vars.fd"
        -device virtio-net-pci,netdev=n0,mac=$MAC$ROMOPT,bootindex=1) ;;
secureboot)
    cp /usr/share/OVMF/OVMF_VARS_4M.ms.fd "$WORK/vars.fd"
    Q+=(-machine q35,smm=on,accel=tcg -global driver=cfi.pflash01,property=secure,value=on
        -drive if=pflash,format=raw,unit=0,file=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd,readonly=on
        -drive if=pflash,format=raw,unit=1,file="$WORK/vars.fd"
        -device virtio-net-pci,netdev=n0,mac=$MAC$ROMOPT,bootindex=1) ;;
esac
[ "$SCENARIO" = httpboot ] && HTTPBOOT=1
[ $HTTPBOOT = 1 ] && Q+=(-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=n
                                 -fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=n)
[ -n "$DISK" ] && Q+=(-drive if=none,id=d0,format=raw,file="$DISK" -device virtio-blk-pci,drive=d0,bootindex=2)

# markers: label|pattern|final?
MARKS=("pxe-start|Start PXE over IPv4|" "http-start|Start HTTP Boot over IPv4|" "nbp-loaded|BdsDxe: starting|"
       "pxelinux|PXELINUX 6|" "grub|HN-GRUB-CFG|")
case "$SCENARIO:$FIRMWARE" in
prompt:bios) MARKS[0]="ipxe-start|iPXE|"; MARKS+=("ipxe|iPXE|" "bootloader-config|HN-PXELINUX-CONFIG|final") ;;
prompt:*|httpboot:*) MARKS+=("bootloader-config|HN-GRUB-PROMPT|final") ;;
lookup:*) MARKS+=("nested-normal|HN-LOOKUP-START|" "lookup-done|HN-LOOKUP-DONE|final") ;;
kernel:*) MARKS+=("per-mac-config|HN-GRUB-PER-MAC|" "kernel-loaded|HN-KERNEL-LOADED|" "initrd-loaded|HN-INITRD-LOADED|"
                  "linux|Linux version|" "secureboot-line|Secure boot|" "payload|HN-PAYLOAD running|" "payload-done|HN-PAYLOAD done|final") ;;
disk-*) MARKS+=("local-disk|HN-LOCAL-DISK|" "firmware-menu|Boot0000 \"UiApp\"|" "disk-marker|HEADNODE-DISK-MARKER|final") ;;
esac

: >"$WORK/console.log"
if [ $LIBVIRT = 1 ]; then
    command -v libvirtd >/dev/null && command -v virt-xml-validate >/dev/null ||
        { echo "--libvirt needs libvirt-daemon-system and libvirt-clients" >&2; exit 2; }
    [ $HTTPBOOT = 1 ] && { echo "--libvirt: httpboot not wired (fw_cfg needs <sysinfo type='fwcfg'>)" >&2; exit 2; }
    chmod 755 "$WORK"   # qemu runs as libvirt-qemu
    L=$WORK/libvirt
    mkdir -p "$L"/{etc,run,lib,log,cache,sock}
    printf 'unix_sock_dir = "%s"\nunix_sock_rw_perms = "0700"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\nlog_outputs = "3:file:%s"\n' \
        "$L/sock" "$L/log/libvirtd.log" >"$L/etc/libvirtd.conf"
    printf 'log_outputs = "3:file:%s"\n' "$L/log/virtlogd.log" >"$L/etc/virtlogd.conf"
    printf 'security_driver = "none"\nnamespaces = [ ]\n' >"$L/etc/qemu.conf"
    cat >"$L/private.sh" <<'EOF'
#!/bin/sh
# run CMD with $1's directories bound over libvirt's paths; `ip netns exec` gives a private mount namespace
set -eu
w=$1; shift
for pair in etc:/etc/libvirt run:/run/libvirt lib:/var/lib/libvirt log:/var/log/libvirt cache:/var/cache/libvirt; do
  mkdir -p "${pair#*:}"; mount --bind "$w/${pair%%:*}" "${pair#*:}"
done
if [ -e /dev/kvm ]; then : >"$w/run/no-kvm"; chmod 000 "$w/run/no-kvm"; mount --bind "$w/run/no-kvm" /dev/kvm; fi
exec "$@"
EOF
    chmod +x "$L/private.sh"
    "${NSX[@]}" "$L/private.sh" "$L" virtlogd -p /run/libvirt/virtlogd.pid -f /etc/libvirt/virtlogd.conf >"$L/virtlogd.out" 2>&1 &
    PIDS+=($!)
    for i in $(seq 100); do [ -S "$L/run/virtlogd-sock" ] && break; sleep 0.1; done
    "${NSX[@]}" "$L/private.sh" "$L" libvirtd -p /run/libvirt/libvirtd.pid -f /etc/libvirt/libvirtd.conf >"$L/libvirtd.out" 2>&1 &
    PIDS+=($!)
    VIRSH_URI="qemu:///system?socket=$L/sock/libvirt-sock"
    for i in $(seq 300); do [ -S "$L/sock/libvirt-sock" ] && virsh -q -c "$VIRSH_URI" uri >/dev/null 2>&1 && break; sleep 0.1; done
    log "libvirtd up"
    ROM="<rom enabled='no'/>"; [ "$NICROM" = default ] && ROM=""
    case "$FIRMWARE" in
    bios) OS="<type arch='x86_64' machine='pc'>hvm</type>
    <bios useserial='yes'/>"; FEAT="<acpi/>" ;;
    uefi) OS="<type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.fd'>$WORK/node_VARS.fd</nvram>"; FEAT="<acpi/>" ;;
    secureboot) OS="<type arch='x86_64' machine='q35'>hvm</type>
    <loader readonly='yes' secure='yes' type='pflash'>/usr/share/OVMF/OVMF_CODE_4M.secboot.fd</loader>
    <nvram template='/usr/share/OVMF/OVMF_VARS_4M.ms.fd'>$WORK/node_VARS.fd</nvram>"; FEAT="<acpi/>
    <smm state='on'/>" ;;
    esac
    DISKXML=""
    [ -n "$DISK" ] && DISKXML="<disk type='file' device='disk'>
      <driver name='qemu' type='raw'/>
      <source file='$DISK'/>
      <target dev='vda' bus='virtio'/>
      <boot order='2'/>
    </disk>"
    cat >"$WORK/node.xml" <<EOF
<domain type='qemu'>
  <name>uefiprobe-node</name>
  <uuid>6b1f3a52-9d1e-4c1e-8d7a-0c0ffee00001</uuid>
  <memory unit='MiB'>1024</memory>
  <vcpu placement='static'>1</vcpu>
  <os>
    $OS
  </os>
  <features>
    $FEAT
  </features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <devices>
    $DISKXML
    <interface type='bridge'>
      <mac address='$MAC'/>
      <source bridge='br0'/>
      <model type='virtio'/>
      $ROM
      <boot order='1'/>
    </interface>
    <serial type='file'>
      <source path='$WORK/console.log'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
    virt-xml-validate "$WORK/node.xml" domain
    [ -n "$DISK" ] && chmod 666 "$DISK"
    : >"$WORK/console.log"; chmod 666 "$WORK/console.log"
    virsh -q -c "$VIRSH_URI" define "$WORK/node.xml" >/dev/null
    T0=$(date +%s.%N)
    virsh -q -c "$VIRSH_URI" start uefiprobe-node >/dev/null
    QEMU_PID=$(cat "$L/run/qemu/uefiprobe-node.pid")
    log "virsh start took $(awk -v a="$(date +%s.%N)" -v b="$T0" 'BEGIN{printf "%.2f", a-b}') s; qemu $QEMU_PID"
    grep -o -- '-global [^ ]*\|-machine [^ ]*\|-blockdev {"driver":"file","filename":"/usr/share/OVMF[^}]*}' \
        "$L/log/qemu/uefiprobe-node.log" | sed 's/^/  qemu arg: /' || true
else
T0=$(date +%s.%N)
"${NSX[@]}" "${Q[@]}" >"$WORK/qemu.log" 2>&1 &
QEMU_PID=$!
fi
log "qemu $QEMU_PID started: firmware $FIRMWARE, scenario $SCENARIO"
declare -A SEEN=()
RESULT=timeout
while :; do
    now=$(date +%s.%N); el=$(awk -v a="$now" -v b="$T0" 'BEGIN{printf "%.2f", a-b}')
    for m in "${MARKS[@]}"; do
        IFS='|' read -r label pat fin <<<"$m"
        [ -n "${SEEN[$label]:-}" ] && continue
        if grep -aq -- "$pat" "$WORK/console.log"; then
            SEEN[$label]=$el
            # QEMU's own CPU time (utime+stime) too: on a busy 2-core machine wall time mostly measures the load
            cpu=$(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15)/hz}' "/proc/$QEMU_PID/stat" 2>/dev/null || echo "?")
            printf '  %-18s %6.2f s wall  %6s s qemu cpu\n' "$label" "$el" "$cpu"
            [ "$fin" = final ] && RESULT=ok
        fi
    done
    [ $RESULT = ok ] && break
    if ! kill -0 "$QEMU_PID" 2>/dev/null; then RESULT="qemu exited"; break; fi
    if awk -v e="$el" -v t="$TIMEOUT" 'BEGIN{exit !(e>t)}'; then break; fi
    sleep 0.1
done
log "result: $RESULT (qemu cpu $(awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14+$15)/hz}' "/proc/$QEMU_PID/stat" 2>/dev/null || echo "?") s)"
sleep 0.5
[ $LIBVIRT = 1 ] && virsh -q -c "$VIRSH_URI" destroy uefiprobe-node >/dev/null 2>&1
stop_pid "$QEMU_PID"; QEMU_PID=""

# ---- evidence -------------------------------------------------------------------------------------------
sleep 0.3
echo "--- DHCP (client option 93 / vendor class, server's file) ---"
tcpdump -r "$WORK/net.pcap" -n -vv 'udp port 67 or udp port 68' 2>/dev/null |
    grep -aE 'BOOTP/DHCP, (Request|Reply)|DHCP-Message|Vendor-Class|ARCH|Client-Arch|option 93|file "|Unknown \(93\)' |
    sed 's/^[[:space:]]*/  /' | head -40 || true
echo "--- TFTP read requests, in order ---"
tcpdump -r "$WORK/net.pcap" -n -v 'udp dst port 69' 2>/dev/null | grep -aoE 'RRQ "[^"]*"[^,]*' | sed 's/^/  /' || true
echo "--- HTTP requests ---"
if [ "$HTTPD" = agent ]; then
    tcpdump -r "$WORK/net.pcap" -n -A 'tcp dst port 80' 2>/dev/null | grep -aoE '(GET|HEAD) [^ ]* HTTP/1\.[01]' | sed 's/^/  /' || true
    echo "--- HTTP answers (status lines, from tcpdump) ---"
    tcpdump -r "$WORK/net.pcap" -n -A 'tcp src port 80' 2>/dev/null | grep -aoE 'HTTP/1\.[01] [0-9]{3}' | sed 's/^/  /' || true
else
    grep -aE '"(GET|HEAD)' "$WORK/http.log" | sed 's/^/  /' || true
fi
echo "--- console lines with HN-/marker/secure ---"
tr -d '\r' <"$WORK/console.log" | sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' |
    grep -aE 'HN-|HEADNODE|Secure boot|secureboot|BdsDxe|PXE|HTTP|error|Lockdown|lockdown' | head -60 | sed 's/^/  /' || true
[ $RESULT = ok ]
