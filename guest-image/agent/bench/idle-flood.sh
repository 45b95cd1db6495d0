#!/usr/bin/env bash
# Idle-flood benchmark: the whole agent (headnode-agent run, unprivileged, on loopback, started by bin/headnode-agent
# with the launcher's JVM options) under 4,096 idle HTTP connections. Scenario 1: all from one address (127.0.0.1),
# as in the security review. Scenario 2: spread over 32 addresses, which fills the total cap. Meanwhile another client
# (127.0.0.2) fetches a file every 200 ms, and the agent's status (state/status.json, written every status interval)
# is checked for freshness. Reports what the server kept, the other client's answers and latency, agent RSS.
# Loopback only. Needs the built jar and test classes: mvn -B -q install -pl guest-image/agent -am -DskipTests
# Usage: guest-image/agent/bench/idle-flood.sh [SECONDS_PER_SCENARIO]   (HEADNODE_AGENT_JAR: another agent jar to compare)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
jar=${HEADNODE_AGENT_JAR:-$PWD/target/headnode-agent.jar}
[ -f "$jar" ] && [ -d target/test-classes ] || { echo "build first: mvn -B -q install -pl guest-image/agent -am -DskipTests" >&2; exit 2; }
work=$(mktemp -d /tmp/idle-flood.XXXXXX)
agent_pid=""
cleanup() {
  if [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; then
    # a JVM broken by OutOfMemoryError may not finish its shutdown hooks
    for _ in $(seq 50); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$agent_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
if ss -ltnH "sport = :18082" | grep -q .; then echo "port 18082 is in use" >&2; exit 1; fi
mkdir -p "$work/share" "$work/tftpboot/centos"
printf 'vlan = 100\nprivate-address = 127.0.0.1/8\n' > "$work/share/headnode.conf"
: > "$work/share/machines.txt"
head -c $((1 << 20)) /dev/urandom > "$work/tftpboot/centos/vmlinuz"
cat > "$work/agent.conf" <<CONF
share-mount = $work/share
mount-share = false
manage-network = false
manage-firewall = false
run-services = false
state-dir = $work/state
tftp-root = $work/tftpboot
dhcp-dir = $work/dhcp
run-dir = $work/run
templates-dir = $work/templates
status-port = $work/status-port
poll-interval-ms = 500
status-interval-ms = 2000
http-port = 18082
dhcpd-leases = $work/state/dhcpd.leases
dhcpd-pid-file = $work/run/dhcpd.pid
CONF
HEADNODE_AGENT_JAR=$jar ../../bin/headnode-agent run --config "$work/agent.conf" > "$work/agent.log" 2>&1 & agent_pid=$!
for _ in $(seq 150); do curl -fs --max-time 2 -o /dev/null http://127.0.0.1:18082/centos/vmlinuz && [ -f "$work/state/status.json" ] && break; sleep 0.2; done
curl -fs --max-time 2 -o /dev/null http://127.0.0.1:18082/centos/vmlinuz || { echo "agent did not start:"; cat "$work/agent.log"; exit 1; }
echo "agent: $(tr '\0' ' ' < /proc/$agent_pid/cmdline | cut -c1-400)"
echo "status interval 2 s, poll 0.5 s, http-request-timeout 10 s (idle connections are closed after it); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
bench() { kill -0 "$agent_pid" 2>/dev/null || { echo "agent is gone"; return; }
  java -Xmx256m -cp target/test-classes:"$jar" io.headnode.agent.bench.IdleFloodBench \
  http://127.0.0.1:18082/centos/vmlinuz 4096 "$1" "$secs" "$agent_pid" "$work/state/status.json" || echo "(flood client failed: agent gone?)"; }
echo "== scenario 1: 4,096 idle connections from one address"
bench 1
sleep 11   # the agent's request timeout closes what is left of the flood
echo "== scenario 2: 4,096 idle connections from 32 addresses (the total cap)"
bench 32
kill -0 "$agent_pid" 2>/dev/null && echo "agent still running; peak RSS $(awk '/VmHWM/ {print int($2/1024)}' /proc/$agent_pid/status) MiB (VmHWM)"
grep -E "OutOfMemoryError|ERROR" "$work/agent.log" | head -5 || true
