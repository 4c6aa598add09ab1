#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (in the checking build, build-check/) and runs each for a
# bounded time, starting from its seed corpus fuzz/corpus/<target>/. Fails when a target crashes,
# breaks an invariant, leaks or hangs; the input that did it is saved in
# build-check/fuzz/artifacts/ and the command that replays it is printed.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 30 seconds, every target)
#   JOBS=N        targets run N at a time (default: the number of cores)
#   RUNS=N        stop each target after N executions instead (SECONDS 0: no time bound)
#   NO_BUILD=1    use the fuzzers already built
# The inputs a run finds are kept in build-check/fuzz/corpus/<target>/ and a later run starts
# from them too; copy the good ones into fuzz/corpus/<target>/ to keep them. Each target's log is
# build-check/fuzz/logs/<target>.log; the summary gives executions, coverage (cov: edges, ft:
# features) and corpus size per target.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
jobs=${JOBS:-$(nproc)}

out=build-check/fuzz
targets=("$@")
if [ "${NO_BUILD:-0}" != 1 ]; then
  if [ ${#targets[@]} -gt 0 ]; then
    bash scripts/check-build.sh $(printf '%s_fuzzer ' "${targets[@]}")
  else
    bash scripts/check-build.sh fuzzers
  fi
fi
all=()
for f in "$out"/*_fuzzer; do [ -x "$f" ] && all+=("$(basename "${f%_fuzzer}")"); done
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
mkdir -p "$out/artifacts" "$out/logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

run_one() {
  local t=$1
  local args=(-max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
              "-artifact_prefix=$out/artifacts/$t-")
  [ "$seconds" -gt 0 ] && args+=("-max_total_time=$seconds")
  [ -n "${RUNS:-}" ] && args+=("-runs=$RUNS")
  [ -f "fuzz/dict/$t.dict" ] && args+=("-dict=fuzz/dict/$t.dict")
  mkdir -p "$out/corpus/$t"
  if "$out/${t}_fuzzer" "${args[@]}" "$out/corpus/$t" "fuzz/corpus/$t" >"$out/logs/$t.log" 2>&1; then
    echo ok >"$out/logs/$t.result"
  else
    echo failed >"$out/logs/$t.result"
  fi
}

start=$(date +%s)
running=0
for t in "${targets[@]}"; do
  [ -x "$out/${t}_fuzzer" ] || { echo "fuzz: no target $t (have: ${all[*]:-none})" >&2; exit 2; }
  rm -f "$out/logs/$t.result"
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0
printf '%-11s %12s %8s %7s %7s %7s  %s\n' target executions exec/s cov ft corpus result
for t in "${targets[@]}"; do
  log="$out/logs/$t.log"
  result=$(cat "$out/logs/$t.result" 2>/dev/null || echo failed)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  last=$(grep -aE '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$last")
  printf '%-11s %12s %8s %7s %7s %7s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" \
    "${corp:-?}" "$result"
  if [ "$result" != ok ]; then
    failed=1
    echo "--- $t: $log" >&2
    grep -aE 'ERROR|invariant broken|==[0-9]+==|SUMMARY|Test unit written' "$log" | head -20 >&2 || true
    for a in $(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log"); do
      echo "replay: $out/${t}_fuzzer $a" >&2
    done
  fi
done
echo "fuzz: ${#targets[@]} targets in $(( $(date +%s) - start )) s"
exit $failed
