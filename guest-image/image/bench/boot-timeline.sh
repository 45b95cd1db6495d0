#!/usr/bin/env bash
# Boot timeline of the head-node image under TCG: boots the built image with QEMU directly (no libvirt), on a
# throw-away copy-on-write overlay, with a small share (VLAN 100, one machine) and the status port, and stamps every
# console line with the wall time since QEMU started. Prints the phases up to the agent's "applied share" and the
# first "ready" on the status port. Network: both NICs are on QEMU hubs of their own with nothing else on them, so
# no frame leaves the VM (no -netdev user, no tap, no bridge).
# Usage: guest-image/image/bench/boot-timeline.sh [IMAGE_DIR] [VCPUS] [MEMORY_MIB] [RUNS]
#   IMAGE_DIR defaults to /var/cache/headnode/image/latest (build one with bin/headnode image build).
set -euo pipefail
img=${1:-/var/cache/headnode/image/latest}
vcpus=${2:-2}
mem=${3:-512}
runs=${4:-1}
[ -f "$img/headnode.qcow2" ] || { echo "no image in $img (bin/headnode image build)" >&2; exit 2; }
work=$(mktemp -d /tmp/boot-timeline.XXXXXX)
qemu_pid=""; reader_pid=""
cleanup() {
  if [ -n "$reader_pid" ]; then kill "$reader_pid" 2>/dev/null || true; fi
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then kill "$qemu_pid"; wait "$qemu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/share" "$work/images"
printf 'vlan = 100\nprivate-address = 10.0.100.1/24\n' > "$work/share/headnode.conf"
printf '52:54:00:00:00:01 10.0.100.7\n' > "$work/share/machines.txt"
printf '%s\n' "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$work/share/install.key"
stamp() { python3 -u -c '
import sys, time
t0 = float(sys.argv[1])
for line in sys.stdin.buffer:
    print("%7.2f %s" % (time.time() - t0, line.decode("utf-8", "replace").rstrip()), flush=True)
' "$1"; }
for run in $(seq 1 "$runs"); do
  rm -f "$work/disk.qcow2" "$work/console.log" "$work/qemu.pid"
  qemu-img create -q -f qcow2 -b "$img/headnode.qcow2" -F qcow2 "$work/disk.qcow2"
  t0=$(python3 -c 'import time; print(time.time())')
  qemu-system-x86_64 -machine pc,accel=tcg -smp "$vcpus" -m "$mem" -display none -no-reboot -pidfile "$work/qemu.pid" \
    -kernel "$img/vmlinuz" -initrd "$img/initrd.img" -append "$(cat "$img/cmdline") ${BOOT_APPEND:-}" \
    -drive file="$work/disk.qcow2",if=virtio,format=qcow2 \
    -netdev hubport,id=n0,hubid=10 -device virtio-net-pci,netdev=n0,romfile= \
    -netdev hubport,id=n1,hubid=11 -device virtio-net-pci,netdev=n1,romfile= \
    -fsdev local,id=fs0,path="$work/share",security_model=mapped,readonly=on -device virtio-9p-pci,fsdev=fs0,mount_tag=/etc/moc \
    -fsdev local,id=fs1,path="$work/images",security_model=mapped,readonly=on -device virtio-9p-pci,fsdev=fs1,mount_tag=headnode-images \
    -device virtio-serial -chardev socket,id=st,path="$work/status.sock",server=on,wait=off \
    -device virtserialport,chardev=st,name=io.headnode.status \
    -serial stdio -monitor none < /dev/null 2>&1 | stamp "$t0" > "$work/console.log" &
  # QEMU runs in a pipeline, so $! is the stamper's: its own PID comes from its -pidfile (written at start)
  for _ in $(seq 1 100); do [ -s "$work/qemu.pid" ] && break; sleep 0.1; done
  qemu_pid=$(cat "$work/qemu.pid" 2>/dev/null || true)
  [ -n "$qemu_pid" ] || { echo "QEMU did not start:"; cat "$work/console.log"; exit 1; }
  # the host end of the status port, connected all along: every line the agent publishes, stamped
  python3 -u -c '
import socket, sys, time
t0, path = float(sys.argv[1]), sys.argv[2]
while True:
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(path); break
    except OSError:
        time.sleep(0.1)
buf = b""
while True:
    data = s.recv(65536)
    if not data: break
    buf += data
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        print("%7.2f %s" % (time.time() - t0, line.decode("utf-8", "replace")), flush=True)
' "$t0" "$work/status.sock" > "$work/status.log" 2>/dev/null &
  reader_pid=$!
  ready=""
  for _ in $(seq 1 240); do
    sleep 0.5
    kill -0 "$qemu_pid" 2>/dev/null || { echo "QEMU exited:"; cat "$work/console.log"; break; }
    ready=$(grep -m1 '"ready":true' "$work/status.log" | cut -c1-7 | tr -d ' ' || true)
    [ -n "$ready" ] && break
  done
  echo "== run $run: $vcpus vCPU, $mem MiB, image $(readlink -f "$img")"
  grep -E 'initramfs: loading|Welcome to|Started.*headnode-agent|headnode-agent running|mounted read-only at /etc/moc|eth0: link up|dhcpd started|HTTP server listening|warm-up|firewall in force|applied share' "$work/console.log" | sed 's/\x1b\[[0-9;]*[a-zA-Z]//g' | cut -c1-150
  echo "   status lines before ready: $(awk '/"ready":true/{exit} {n++} END{print n+0}' "$work/status.log"); the last one's services:"
  awk '/"ready":true/{exit} {last=$0} END{print last}' "$work/status.log" | grep -o '"services":{[^}]*}[^}]*}' | tr ',' '\n' | grep -v '"ok"' | grep -o '"[a-z-]*":{"state":"[a-z]*"' | sed 's/^/     /' || true
  echo "   first ready on the status port: ${ready:-not within 120 s} s"
  if [ -n "${BOOT_KEEP:-}" ]; then   # debugging: let the guest's page cache reach the disk, then keep the overlay
    sleep "${BOOT_HOLD:-45}"; kill "$qemu_pid" 2>/dev/null || true; wait 2>/dev/null || true; qemu_pid=""
    cp "$work/disk.qcow2" "$BOOT_KEEP"; cp "$work/console.log" "$BOOT_KEEP.console"; cp "$work/status.log" "$BOOT_KEEP.status"; echo "   overlay kept in $BOOT_KEEP"
  fi
  kill "$qemu_pid" 2>/dev/null || true; kill "$reader_pid" 2>/dev/null || true; wait 2>/dev/null || true; qemu_pid=""
done
