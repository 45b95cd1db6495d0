#!/usr/bin/env bash
# Real fuzzing of one parser with Jazzer (coverage-guided, libFuzzer underneath), for the fuzzing benchmark
# (docs/benchmarks/fuzzing.md). Plain `mvn verify` only replays each target's seeds and saved findings.
#
#   tests/fuzz/run-long.sh TARGET [MINUTES]     fuzz one target (default 10 minutes)
#   tests/fuzz/run-long.sh all [MINUTES]        every target in turn
#   tests/fuzz/run-long.sh list                 the targets
#
# A finding fails the run and Jazzer saves its input as crash-<sha1> next to the target's seeds
# (src/test/resources/<package>/<Class>Inputs/<method>/), where `mvn verify` replays it from then on: fix the
# parser, keep the file. The corpus the fuzzer grows stays in <module>/.cifuzz-corpus (ignored by git), so a later
# run goes on from there. Logs: target/fuzz/<target>.log (the libFuzzer DONE line gives executions and edges covered)
# and target/fuzz/<target>.coverage.txt (Jazzer's branch and line coverage of the instrumented classes).
set -euo pipefail
cd "$(dirname "$0")/../.."

# target: module, fuzz test, the parser's source files (for the coverage summary)
declare -A TARGETS=(
  [kv-lines]="guest-image/common io.headnode.common.kv.KvLinesFuzzTest#lines KvLines.java"
  [kv-file]="guest-image/common io.headnode.common.kv.KvFileFuzzTest#file KvFile.java KvLines.java"
  [kv-line]="guest-image/common io.headnode.common.kv.KvFileFuzzTest#line KvFile.java KvLines.java"
  [machines]="guest-image/contract io.headnode.contract.MachineListFuzzTest#parse MachineList.java MacAddress.java BmcAddress.java"
  [headnode-conf]="guest-image/contract io.headnode.contract.HeadnodeConfigFuzzTest#parse HeadnodeConfig.java Ipv4Cidr.java Vlan.java KvFile.java"
  [install-request]="guest-image/contract io.headnode.contract.InstallRequestFuzzTest#parse InstallRequest.java MacAddress.java"
  [share-file]="guest-image/contract io.headnode.contract.ShareFileReaderFuzzTest#read ShareFileReader.java"
  [authorized-keys]="guest-image/contract io.headnode.contract.AuthorizedKeysFuzzTest#parse AuthorizedKeys.java SshPublicKey.java"
  [credentials]="guest-image/power io.headnode.power.CredentialsFileFuzzTest#parse CredentialsFile.java BmcCredentials.java DriverOptions.java DriverOption.java"
  [credentials-values]="guest-image/power io.headnode.power.CredentialsFileFuzzTest#values CredentialsFile.java"
  [spec]="orchestrator io.headnode.orchestrator.spec.SpecCodecFuzzTest#parse SpecCodec.java HeadnodeSpec.java KvFile.java"
  [host-config]="orchestrator io.headnode.orchestrator.config.HostConfigFileFuzzTest#parse HostConfigFile.java HostConfig.java KvFile.java"
  [byte-range]="guest-image/agent io.headnode.agent.http.ByteRangeFuzzTest#parse ByteRange.java"
  [agent-status]="guest-image/contract io.headnode.contract.AgentStatusFuzzTest#parse AgentStatus.java"
  [status-reader]="orchestrator io.headnode.orchestrator.status.AgentStatusReaderFuzzTest#lines LatestLine.java AgentStatusReader.java AgentStatus.java"
  [http-request]="guest-image/agent io.headnode.agent.http.HttpRequestFuzzTest#request PacedRequestDecoder.java RouteDispatcher.java BodyAggregator.java AgentRoutes.java StaticFiles.java ByteRange.java ResponseWriter.java"
  [agent-conf]="guest-image/agent io.headnode.agent.AgentConfigFuzzTest#parse AgentConfig.java KvFile.java"
)
ORDER=(kv-lines kv-file kv-line machines headnode-conf install-request share-file authorized-keys credentials credentials-values spec
  host-config byte-range agent-status status-reader http-request agent-conf)

usage() {
  echo "usage: $0 TARGET|all|list [MINUTES]" >&2
  exit 2
}

run() {
  local target=$1 minutes=$2
  local module test sources
  read -r module test sources <<<"${TARGETS[$target]}"
  local log=target/fuzz/$target.log report=$PWD/target/fuzz/$target.coverage.txt
  mkdir -p target/fuzz
  echo "== $target: $test in $module for $minutes min (log $log)"
  # -am builds the modules it needs, whose classes (directories on the class path) Jazzer instruments; the other
  # modules' tests are filtered out. Hooks are on here (off in plain builds, see the root pom); the heap is bounded so
  # that a parser which exhausts memory is a finding.
  local rc=0
  JAZZER_FUZZ=1 timeout $((minutes * 60 + 600)) mvn -B -ntp -q test -pl "$module" -am \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.hooks=true -Djazzer.max_duration="${minutes}m" -Djazzer.coverage_report="$report" \
    -DargLine=-Xmx512m >"$log" 2>&1 || rc=$?
  grep -E '^#[0-9]+[[:space:]]+DONE|^Done [0-9]+ runs' "$log" || true
  local f
  for f in $sources; do  # the parser's own files: branches and lines covered
    echo "$f: branches $(grep -m1 "^$f: " "$report" | cut -d' ' -f2-), lines $(sed -n '/^Line coverage:/,$p' "$report" | grep -m1 "^$f: " | cut -d' ' -f2-)"
  done 2>/dev/null || true
  grep -E 'FuzzTestFinding|== Java Exception|crash-[0-9a-f]+' "$log" | head -5 || true
  git status --porcelain -- "$module/src/test/resources" | grep crash- || true
  echo "== $target: exit $rc"
  return "$rc"
}

[ $# -ge 1 ] || usage
minutes=${2:-10}
[[ $minutes =~ ^[1-9][0-9]*$ ]] || usage
case $1 in
  list) printf '%s\n' "${ORDER[@]}" ;;
  all)
    failed=0
    for t in "${ORDER[@]}"; do run "$t" "$minutes" || failed=1; done
    exit "$failed"
    ;;
  *) [ -n "${TARGETS[$1]:-}" ] || usage; run "$1" "$minutes" ;;
esac
