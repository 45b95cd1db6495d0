#!/usr/bin/env bash
# Boot-storm benchmark: 100 concurrent clients fetching one 64 MiB initrd over loopback, nginx (sendfile, 2 workers)
# and the agent's HTTP server (Netty) side by side in one run, alternating, each measured with wrk. Reports throughput
# and the agent's peak resident memory (VmHWM). The agent runs through bin/headnode-agent, so with the launcher's
# JVM options (or HEADNODE_AGENT_JAVA_OPTS, as the launcher takes it).
# Loopback only. Needs nginx and wrk (bin/install-deps) and the built jar (mvn -B -q install -pl guest-image/agent -am -DskipTests).
# Usage: guest-image/agent/bench/boot-storm.sh [SECONDS_PER_RUN] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
rounds=${2:-2}
jar=$PWD/target/headnode-agent.jar
[ -f "$jar" ] || { echo "build first: mvn -B -q install -pl guest-image/agent -am -DskipTests" >&2; exit 2; }
work=$(mktemp -d /tmp/boot-storm.XXXXXX)
nginx_pid=""; agent_pid=""
cleanup() {
  [ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null || true
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/root/centos" "$work/nginx"
chmod 755 "$work" "$work/root" "$work/root/centos"
head -c $((64 << 20)) /dev/urandom > "$work/root/centos/initrd.img"
chmod 644 "$work/root/centos/initrd.img"
cat > "$work/nginx/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  server { listen 127.0.0.1:18080; root $work/root; }
}
NGINX
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" & nginx_pid=$!
HEADNODE_AGENT_JAR=$jar ../../bin/headnode-agent serve --root "$work/root" --address 127.0.0.1 --port 18081 --threads 2 >"$work/agent.log" 2>&1 & agent_pid=$!
for port in 18080 18081; do
  for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/centos/initrd.img" && break; sleep 0.2; done
done
url() { echo "http://127.0.0.1:$1/centos/initrd.img"; }
rate() { # wrk's "Transfer/sec" in MiB/s; a run with non-2xx answers counts as 0
  awk '/Non-2xx/ { bad=1 }
       /Transfer\/sec/ { v=$2; u=substr(v, length(v)-1); n=substr(v, 1, length(v)-2);
                          if (u=="GB") n*=1024; else if (u=="KB") n/=1024 }
       END { printf "%.0f", bad ? 0 : n }'
}
rss_peak=0
sample_rss() { while kill -0 "$agent_pid" 2>/dev/null; do
  r=$(awk '/VmRSS/ {print $2}' /proc/$agent_pid/status 2>/dev/null || echo 0); echo "$r" >> "$work/rss"; sleep 0.5; done; }
sample_rss & sampler=$!
load0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -a n_rates a_rates
for r in $(seq "$rounds"); do
  n=$(wrk -t2 -c100 -d"${secs}s" --timeout 60s "$(url 18080)" | tee -a "$work/wrk.log" | rate); n_rates+=("$n")
  a=$(wrk -t2 -c100 -d"${secs}s" --timeout 60s "$(url 18081)" | tee -a "$work/wrk.log" | rate); a_rates+=("$a")
  echo "round $r: nginx ${n} MiB/s, agent ${a} MiB/s"
done
hwm=$(awk '/VmHWM/ {print $2}' /proc/$agent_pid/status)
kill "$sampler" 2>/dev/null || true
rss_peak=$(sort -n "$work/rss" | tail -1)
n_sum=0; a_sum=0
for v in "${n_rates[@]}"; do n_sum=$((n_sum + v)); done
for v in "${a_rates[@]}"; do a_sum=$((a_sum + v)); done
ratio=$(awk -v a="$a_sum" -v n="$n_sum" 'BEGIN { printf "%.2f", a / n }')
echo "nginx total ${n_sum} MiB/s over $rounds runs; agent ${a_sum} MiB/s; agent/nginx = ${ratio}x"
echo "agent peak RSS: $((hwm / 1024)) MiB (VmHWM, $hwm kB), sampled max $((rss_peak / 1024)) MiB"
echo "agent: $(tr '\0' ' ' < /proc/$agent_pid/cmdline | cut -c1-400)"
echo "nginx workers: 2 (sendfile on); wrk -t2 -c100 -d${secs}s per run; file 64 MiB; loopback; load average before: $load0"
