#!/usr/bin/env bash
# Configures and builds the checking build in build-check/: clang, AddressSanitizer and
# UndefinedBehaviorSanitizer on every target, asserts on (a Debug build, at -O1 so the tests stay
# quick), libFuzzer's instrumentation and the fuzz targets of fuzz/, no benchmarks.
# scripts/test.sh runs the unit tests in it; scripts/fuzz.sh runs the fuzzers from it.
# Usage: scripts/check-build.sh [TARGET...]   (default: everything)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-check -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=Debug \
  "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" "-DFANZHA_SANITIZE=address;undefined" \
  -DFANZHA_BUILD_FUZZERS=ON -DFANZHA_BUILD_BENCHMARKS=OFF >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build-check -j"$(nproc)" "${targets[@]}"
