#!/usr/bin/env bash
# Lab benchmarks (not a test): head node power-on to agent ready, node power-on to the PXELINUX banner with and
# without the agent's router advertisement, and the whole install cycle. Results: docs/benchmarks/e2e.md.
#
#   tests/e2e/bench/lab-bench.sh [RUNS]        (as root; RUNS per measurement, default 3)
#
# Runs its own lab (namespace hnbench, dir /var/tmp/hnbench) with a cached image and removes it at the end.
# "No RA" = an nftables bridge rule inside the lab namespace that drops ICMPv6 router advertisements on the VLAN
# bridge, so iPXE never sees the agent's radvd.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUNS="${1:-3}"
HOME_DIR="$(cd "$(dirname "$0")/../../.." && pwd)"
DIR=/var/tmp/hnbench
NS=hnbench
JAR="$(ls "$HOME_DIR"/tests/lab/target/headnode-lab-*-all.jar | head -1)"   # the lab's jar holds the orchestrator too
cp "$JAR" /var/tmp/hnbench-lab.jar   # a private copy: a rebuild of the tree must not pull it away mid-run
LAB=(java -cp /var/tmp/hnbench-lab.jar io.headnode.lab.LabCommand --dir "$DIR" --namespace "$NS")
HN=(java -cp /var/tmp/hnbench-lab.jar io.headnode.orchestrator.cli.Main --config "$DIR/orchestrator.conf")
URI="qemu:///system?socket=$DIR/libvirt/sock/libvirt-sock"
HEAD_LOG="$DIR/state/console/headnode-vlan100.log"
NODE_LOG="$DIR/nodes/node1.console.log"
NODE="$NS-node1"

now() { date +%s.%N; }
size() { stat -c %s "$1" 2>/dev/null || echo 0; }
# wait_for FILE OFFSET PATTERN TIMEOUT: seconds until PATTERN appears in FILE after byte OFFSET
wait_for() {
  local file="$1" off="$2" pat="$3" limit="$4" t0
  t0=$(now)
  while ! tail -c +"$((off + 1))" "$file" 2>/dev/null | grep -a -q -E "$pat"; do
    if (( $(echo "$(now) - $t0 > $limit" | bc) )); then echo "timeout"; return; fi
    sleep 0.1
  done
  echo "$(now) - $t0" | bc
}
stats() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1; s+=$1} END {printf "median %.1f s (min %.1f, max %.1f, n=%d)", a[int((NR+1)/2)], a[1], a[NR], NR}'; }

cleanup() { "${LAB[@]}" down >/dev/null 2>&1 || true; }
trap cleanup EXIT
"${LAB[@]}" down >/dev/null 2>&1 || true
IMAGE="$("$HOME_DIR/guest-image/image/build-image.sh" | tail -1)"
"${LAB[@]}" up --skip-deps --no-install --image "$IMAGE" --timeout 600 >/dev/null
echo "image: $IMAGE ($(grep -E '^(kernel|rootfs-mb)=' "$IMAGE/manifest" | paste -sd' ' -))"

# 1. Head node: power-on (virsh start) to the agent's "applied share" line (wall clock), plus the kernel's own
#    timestamps (since kernel start) of "headnode-agent running" (JVM up) and "applied share" in the same boot.
agent=() kjvm=() kready=()
for i in $(seq "$RUNS"); do
  virsh -c "$URI" destroy headnode-vlan100 >/dev/null
  off=$(size "$HEAD_LOG")
  virsh -c "$URI" start headnode-vlan100 >/dev/null
  agent+=("$(wait_for "$HEAD_LOG" "$off" "Agent - applied share" 180)")
  boot="$(tail -c +"$((off + 1))" "$HEAD_LOG")"
  kjvm+=("$(echo "$boot" | grep -a -o -E '\[ *[0-9.]+\] headnode-agent\[[0-9]+\]: .*headnode-agent running' | head -1 | sed -E 's/^\[ *([0-9.]+)\].*/\1/')")
  kready+=("$(echo "$boot" | grep -a -o -E '\[ *[0-9.]+\] headnode-agent\[[0-9]+\]: .*Agent - applied share' | head -1 | sed -E 's/^\[ *([0-9.]+)\].*/\1/')")
done
echo "head node power-on to agent ready (applied share), wall clock: $(echo "${agent[*]}" | stats)"
echo "  kernel time of 'headnode-agent running' (JVM up): $(echo "${kjvm[*]}" | stats)"
echo "  kernel time of 'applied share' (services up):     $(echo "${kready[*]}" | stats)"

# 2. Node power-on to the PXELINUX banner, with the agent's RA and without (RAs dropped on the bridge).
pxe() {
  local r=()
  for i in $(seq "$RUNS"); do
    virsh -c "$URI" destroy "$NODE" >/dev/null 2>&1 || true
    off=$(size "$NODE_LOG")
    virsh -c "$URI" start "$NODE" >/dev/null
    r+=("$(wait_for "$NODE_LOG" "$off" "PXELINUX 6" 120)")
    virsh -c "$URI" destroy "$NODE" >/dev/null
  done
  echo "${r[*]}" | stats
}
echo "node power-on to PXELINUX banner, with RA (lifetime 0, agent's radvd): $(pxe)"
ip netns exec "$NS" nft add table bridge hnbench_nora
ip netns exec "$NS" nft add chain bridge hnbench_nora noRa '{ type filter hook forward priority 0; }'
ip netns exec "$NS" nft add rule bridge hnbench_nora noRa icmpv6 type nd-router-advert drop
echo "node power-on to PXELINUX banner, without RA (dropped on the bridge): $(pxe)"
ip netns exec "$NS" nft delete table bridge hnbench_nora

# 3. Whole install cycle: headnode install to the disk marker after the reboot (agent powers the node on).
cyc=()
for i in $(seq "$RUNS"); do
  virsh -c "$URI" destroy "$NODE" >/dev/null 2>&1 || true
  off=$(size "$NODE_LOG")
  "${HN[@]}" install --vlan 100 --all >/dev/null
  t0=$(now)
  wait_for "$NODE_LOG" "$off" "headnode-installer: callback accepted" 300 >/dev/null
  off2=$(size "$NODE_LOG")
  wait_for "$NODE_LOG" "$((off2 > 200 ? off2 - 200 : 0))" "^.?HEADNODE-DISK-MARKER " 300 >/dev/null
  cyc+=("$(echo "$(now) - $t0" | bc)")
done
echo "install cycle (headnode install to disk marker on the console): $(echo "${cyc[*]}" | stats)"
