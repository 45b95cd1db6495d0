#!/usr/bin/env bash
# The boot-storm benchmark (issue 13, item 5): NODES simulated PXE clients, each with its own MAC (a macvlan) and its
# fixed address, boot at once through one head node: the agent jar (through bin/headnode-agent, so with its production
# JVM options) with real dhcpd, in.tftpd and radvd in a network namespace; then nginx alone (Debian's, sendfile on,
# 2 workers, run inside the same namespace by PID) serves the same kernel and initrd to the same clients in the same run.
# Prints the figures (docs/benchmarks/storm.md). Root needed (namespaces); traffic stays inside the namespaces.
#
# Usage: tests/storm/run-storm.sh [NODES=1000] [KERNEL_MIB=10] [INITRD_MIB=60] [DEADLINE_S=900] [STORMS=dhcp,light,full,bulk]
#
# The kernel's neighbour table is shared by all namespaces and holds 1,024 entries by default (gc_thresh3); the storm
# needs two per node (head node and client side), so for more than ~400 nodes this script raises the thresholds for
# the run and puts the old values back afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."
nodes=${1:-1000}
kernel=${2:-10}
initrd=${3:-60}
deadline=${4:-900}
storms=${5:-dhcp,light,full,bulk}
cp_file=$(mktemp /tmp/storm-cp.XXXXXX)
restore=""
cleanup() {
  rm -f "$cp_file"
  if [ -n "$restore" ]; then sysctl -q -w $restore; fi
}
trap cleanup EXIT
# (every module of -am writes the file in turn; tests/storm, built last, has the final say)
mvn -B -q -ntp package dependency:build-classpath -pl tests/storm -am -DskipTests -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null
need=$((4 * nodes + 1024))
old3=$(sysctl -n net.ipv4.neigh.default.gc_thresh3)
if [ "$old3" -lt "$need" ]; then
  restore="net.ipv4.neigh.default.gc_thresh1=$(sysctl -n net.ipv4.neigh.default.gc_thresh1) net.ipv4.neigh.default.gc_thresh2=$(sysctl -n net.ipv4.neigh.default.gc_thresh2) net.ipv4.neigh.default.gc_thresh3=$old3"
  sysctl -q -w net.ipv4.neigh.default.gc_thresh1=$((need / 4)) net.ipv4.neigh.default.gc_thresh2=$((need / 2)) net.ipv4.neigh.default.gc_thresh3=$need
fi
echo "cores: $(nproc); load average: $(cut -d' ' -f1-3 /proc/loadavg); nice: $(nice)"
java -Xmx256m -Dheadnode.agent.jar="$PWD/guest-image/agent/target/headnode-agent.jar" -Dheadnode.agent.launcher="$PWD/bin/headnode-agent" \
  -cp "tests/storm/target/classes:$(cat "$cp_file")" io.headnode.storm.StormBench "$nodes" "$kernel" "$initrd" "$deadline" "$storms"
