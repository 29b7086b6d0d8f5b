#!/usr/bin/env bash
# The test command (README, CI): installs dependencies, builds from scratch,
# runs every test (release build, g++), then builds once with clang-14 under
# ASan+UBSan with the libFuzzer targets, runs the unit tests there and fuzzes
# each parser (GGUF 60 s, the others 15 s each).
# Usage: scripts/test.sh [--quick]  (--quick: release build and tests only)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
JOBS=$(nproc)
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1

echo "== build (release) =="
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$JOBS"
echo "== unit tests =="
(cd build && ctest --output-on-failure -j "$JOBS")

if [ "$QUICK" = 1 ]; then exit 0; fi

echo "== build (clang-14, ASan + UBSan, with the fuzzers) =="
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 \
  -DCORRAL_SANITIZE=ON -DCORRAL_FUZZ=ON -DCORRAL_BUILD_BENCH=OFF -DCORRAL_INTEGRATION_TESTS=OFF >/dev/null
cmake --build build-asan -j "$JOBS"
echo "== unit tests under ASan + UBSan =="
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$JOBS" -L unit)

echo "== fuzzing =="
FUZZ_BUILD=build-asan scripts/fuzz.sh "${FUZZ_SECONDS:-60}" "${FUZZ_SECONDS_OTHER:-15}"
echo "== all tests passed =="
