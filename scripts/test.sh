#!/usr/bin/env bash
# Builds fanzha and runs every test, then checks the code under the sanitizers. First the sources'
# layout (scripts/format.sh --check: one clang-format style).
#   1. build/ (-O2, unity build, no debug information): the whole suite (unit, specification, web, browser, smoke runs of
#      the benchmarks).
#   2. build-check/ (scripts/check-build.sh: clang, ASan + UBSan, asserts on): the `unit` tests
#      again, except the web page's and those labelled `slow` or `nats`, and the fuzzers' corpora replayed.
#   3. each fuzz target for FUZZ_SECONDS (default 20) from the same build (scripts/fuzz.sh).
# Usage: scripts/test.sh      CHECK=0 skips 2 and 3; FUZZ_SECONDS=0 skips 3.
# Each phase's wall and CPU time is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
# The tests read what fanzha writes in both languages, whatever the locale of the machine running
# them (core/lang.h: FANZHA_LANG wins over LANG).
export FANZHA_LANG=both
jobs=$(nproc)
timings=()
cpu_file=$(mktemp)
# Sets `cpu` to the CPU seconds (user + system) of the children waited for so far: bash's `times`,
# second line, run in this shell (a subshell would count only its own children).
cpu_now() {
  times >"$cpu_file"
  cpu=$(sed -n 2p "$cpu_file" | sed 's/m/ /g; s/s//g' | awk '{ printf "%d", $1 * 60 + $2 + $3 * 60 + $4 }')
}
phase_start=$(date +%s)
cpu_now
phase_cpu=$cpu
phase() {
  local now
  now=$(date +%s)
  cpu_now
  timings+=("$(printf '%-34s %5d s wall %6d s CPU' "$1" $((now - phase_start)) $((cpu - phase_cpu)))")
  phase_start=$now
  phase_cpu=$cpu
}
report() {
  echo "test.sh: time by phase"
  printf '  %s\n' "${timings[@]}"
  rm -f "$cpu_file"
}
trap report EXIT
# After a failed ctest run, the lines of the failed tests' output that name what failed: a long log
# shown only by its ends still says which check failed and why.
say_failures() {
  local log="$1/Testing/Temporary/LastTest.log"
  echo "test.sh: what failed (from $log)"
  awk '/^[0-9]+\/[0-9]+ Testing: / { name = $3; n = 0 }
       /FAIL|Failure|failed:|not ok|Error|error:|Exception/ && n < 15 { lines[name] = lines[name] "  " $0 "\n"; n++ }
       /^Test Failed\./ { printf "%s:\n%s", name, lines[name] }
       /^Test Passed\./ { delete lines[name] }' "$log" | tail -80 || true
}

bash scripts/setup.sh
phase "setup (packages, web build)"
bash scripts/format.sh --check
phase "layout (scripts/format.sh)"
# Optimised as users run it, without debug information: on two cores the build is a third quicker
# without it (configure build/ with RelWithDebInfo again to debug).
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" >/dev/null
cmake --build build -j"$jobs"
phase "build (-O2, no debug info)"
(cd build && ctest --output-on-failure -j"$jobs" --timeout 600) || { say_failures build; exit 1; }
phase "ctest (all)"

[ "${CHECK:-1}" = 1 ] || exit 0
bash scripts/check-build.sh
phase "build-check (ASan+UBSan, asserts)"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
# The `nats` tests (real nats-server and bank-node processes, minutes of wall time) run in the main
# phase; under the sanitizers the interchange's and bank node's own unit tests run.
(cd build-check && ctest --output-on-failure -j"$jobs" --timeout 900 -L 'unit|fuzz' -LE 'web|slow|browser|nats') ||
  { say_failures build-check; exit 1; }
phase "ctest -L unit|fuzz (sanitizers)"
if [ "${FUZZ_SECONDS:-20}" -gt 0 ]; then
  NO_BUILD=1 bash scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
  phase "fuzz (${FUZZ_SECONDS:-20} s per target)"
fi
