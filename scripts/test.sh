#!/usr/bin/env bash
# The test command (README, CI): installs dependencies, builds from scratch,
# runs the unit tests, runs them again under ASan+UBSan, and fuzzes each
# parser for a while. Usage: scripts/test.sh [--quick]  (--quick: no ASan, no fuzz)
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

echo "== build (ASan + UBSan) =="
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCORRAL_SANITIZE=ON -DCORRAL_BUILD_BENCH=OFF \
  -DCORRAL_INTEGRATION_TESTS=OFF -DCMAKE_CXX_FLAGS_DEBUG=-g1 >/dev/null
cmake --build build-asan -j "$JOBS"
echo "== unit tests under ASan + UBSan =="
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$JOBS" -L unit)

echo "== fuzzing =="
scripts/fuzz.sh "${FUZZ_SECONDS:-60}" "${FUZZ_SECONDS_OTHER:-20}"
echo "== all tests passed =="
