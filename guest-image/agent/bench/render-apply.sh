#!/usr/bin/env bash
# Benchmark: render + apply the agent's configuration for N machines (default 5000), then unchanged input.
# Needs the agent built with its test classes: mvn -B -q install -pl guest-image/agent -am -DskipTests
# (test classes are compiled even with -DskipTests). Usage: guest-image/agent/bench/render-apply.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/headnode-agent.jar ] && [ -d target/test-classes ] || { echo "build first: mvn -B -q install -pl guest-image/agent -am -DskipTests" >&2; exit 2; }
exec java -Xmx256m -cp target/test-classes:target/headnode-agent.jar io.headnode.agent.bench.RenderApplyBench "${1:-5000}" "${2:-10}"
