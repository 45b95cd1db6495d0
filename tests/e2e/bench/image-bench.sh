#!/usr/bin/env bash
# Image deploy benchmark (issue 10; not a test): `headnode lab up --profile image --nodes N` in a lab of its own
# (namespace hnimgbench, dir /var/tmp/hnimgbench), timed from the lab's transcript and the nodes' serial consoles.
# Results: docs/benchmarks/deploy.md.
#
#   flock /work/wt/vm.lock tests/e2e/bench/image-bench.sh [NODES]      (as root; NODES 1..4, default 1)
#
# Prints: the load average during the run; from `headnode install --image` on, when each node's deploy ramdisk
# started, its callback was accepted, its disk booted to the login prompt and the agent listed it `active`; each
# ramdisk's own phases (fetch+write with its throughput, sha256 read-back, grow) from its console; and, for
# comparison, how fast the head node serves the image to a client on the VLAN bridge in the lab namespace (curl,
# the same /images/NAME route the ramdisk uses). The lab is removed at the end (lab down), also on failure.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
NODES="${1:-1}"
HOME_DIR="$(cd "$(dirname "$0")/../../.." && pwd)"
DIR=/var/tmp/hnimgbench
NS=hnimgbench
OUT="$HOME_DIR/tests/e2e/target/image-bench"
mkdir -p "$OUT"
JAR="$(ls "$HOME_DIR"/tests/lab/target/headnode-lab-*-all.jar | head -1)"   # the lab's jar holds the orchestrator too
cp "$JAR" /var/tmp/hnimgbench-lab.jar   # a private copy: a rebuild of the tree must not pull it away mid-run
LAB=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp /var/tmp/hnimgbench-lab.jar io.headnode.lab.LabCommand --dir "$DIR" --namespace "$NS" --nodes "$NODES")
sampler=
cleanup() {
  [ -n "$sampler" ] && kill "$sampler" 2>/dev/null || true
  "${LAB[@]}" down >/dev/null 2>&1 || true
}
trap cleanup EXIT
"${LAB[@]}" down >/dev/null 2>&1 || true
IMAGE="$("$HOME_DIR/guest-image/image/build-image.sh" | tail -1)"
NODE_IMAGE="$("$HOME_DIR/guest-image/image/build-node-image.sh" | tail -1)"

: > "$OUT/load.txt"
( while :; do echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"; sleep 30; done ) &
sampler=$!
rc=0
"${LAB[@]}" up --skip-deps --image "$IMAGE" --profile image --build-node-image "$HOME_DIR/guest-image/image/build-node-image.sh" \
  --timeout 1800 > "$OUT/transcript.txt" 2>&1 || rc=$?
kill "$sampler" 2>/dev/null || true
sampler=

# seconds on the lab's clock of the first transcript line matching PATTERN
at() { grep -a -m1 -E "$1" "$OUT/transcript.txt" | sed -E 's/^\[ *([0-9.]+)s\].*/\1/'; }
since() { [ -n "$1" ] && [ -n "$2" ] && echo "$1 - $2" | bc || echo "?"; }
req="$(at 'headnode install --vlan [0-9]+ --image')"
echo "lab up --profile image --nodes $NODES: exit $rc; node image $(grep -E '^size.debian-12-node.raw=' "$NODE_IMAGE/manifest" | cut -d= -f2) bytes raw"
echo "load average (1, 5, 15 min) every 30 s: $(cut -d' ' -f2 "$OUT/load.txt" | paste -sd' ' -)"
echo "times after 'headnode install --image' (lab clock, 0.5 s polling):"
for i in $(seq "$NODES"); do
  n="$NS-node$i"
  echo "  $n: ramdisk running $(since "$(at "node $n: installer running")" "$req") s," \
    "callback accepted $(since "$(at "node $n: installed, callback accepted")" "$req") s," \
    "login prompt $(since "$(at "node $n: rebooted from its disk")" "$req") s," \
    "active $(since "$(at "node $n: agent says active")" "$req") s"
  c="$DIR/nodes/node$i.console.log"
  cp "$c" "$OUT/node$i.console.log" 2>/dev/null || true
  bytes="$(grep -a -o -E 'headnode-deploy: written [0-9]+ bytes in [0-9]+ s' "$c" | tail -1 | awk '{print $3, $6}')"
  set -- $bytes
  w="${2:-?}"
  rate="$( [ -n "${1:-}" ] && [ "${2:-0}" -gt 0 ] && echo "scale=1; $1 / 1048576 / $2" | bc || echo '?')"
  sha="$(grep -a -o -E 'sha256 verified in [0-9]+ s' "$c" | tail -1 | awk '{print $4}')"
  grow="$(grep -a -o -E 'grown to the end of [^ ]+ in [0-9]+ s' "$c" | tail -1 | awk '{print $(NF-1)}')"
  took="$(grep -a -o -E 'install took [0-9]+ s' "$c" | tail -1 | awk '{print $3}')"
  echo "    ramdisk: fetch+write ${w} s (${rate} MiB/s), sha256 read-back ${sha:-?} s, grow ${grow:-?} s; fetch start to callback ${took:-?} s"
done

# the head node's serving rate to a client on the VLAN (same route as the ramdisk), once the nodes are done
if ip netns list | grep -q "^$NS\b"; then
  ip -n "$NS" addr add 10.0.100.250/24 dev br-vlan100 2>/dev/null || true
  for k in 1 2; do
    ip netns exec "$NS" curl -sS --max-time 300 -o /dev/null -w "  head node -> curl on the VLAN bridge, GET /images/debian-12 (run $k): %{size_download} bytes in %{time_total} s = %{speed_download} B/s\n" \
      http://10.0.100.1/images/debian-12 || echo "  curl run $k failed"
  done
fi
echo "transcript, consoles and load samples: $OUT"
exit "$rc"
