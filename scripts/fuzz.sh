#!/usr/bin/env bash
# Runs the libFuzzer targets (clang-14, ASan) from their seed corpora
# (fuzz/<target>/corpus): the GGUF reader for N seconds (default 60), every
# other target for M seconds (default 20), two at a time. A finding fails.
# Usage: scripts/fuzz.sh [N [M]]
# FUZZ_BUILD names a build folder configured with -DCORRAL_FUZZ=ON to use
# (scripts/test.sh passes its sanitizer build); by default build-fuzz/ is
# configured and built here.
set -euo pipefail
cd "$(dirname "$0")/.."
GGUF_SECONDS=${1:-60}
OTHER_SECONDS=${2:-20}
BUILD=${FUZZ_BUILD:-build-fuzz}
if [ -z "${FUZZ_BUILD:-}" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORRAL_FUZZ=ON \
    -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 \
    -DCORRAL_BUILD_TESTS=OFF -DCORRAL_BUILD_BENCH=OFF >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc)" --target fuzzers

fuzz_one() {  # binary
  local bin=$1 name target seconds work seeds
  name=$(basename "$bin")
  target=${name#fuzz_}
  seconds=$OTHER_SECONDS
  if [ "$target" = gguf ]; then seconds=$GGUF_SECONDS; fi
  work=$BUILD/corpus/$target
  mkdir -p "$work"
  seeds=fuzz/$target/corpus
  # Parts with several targets keep seeds in fuzz/<part>/corpus/<target suffix>.
  [ -d "$seeds" ] || seeds=fuzz/$(basename "$(dirname "$bin")")/corpus/${target#*_}
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
    -artifact_prefix="$BUILD/$name-" "$work")
  [ -d "$seeds" ] && args+=("$seeds")
  if "$bin" "${args[@]}" > "$BUILD/$name.log" 2>&1; then
    echo "-- $name: ${seconds}s, $(grep -m1 -o 'stat::number_of_executed_units: *[0-9]*' "$BUILD/$name.log" | grep -o '[0-9]*$') runs, no finding"
  else
    echo "-- $name: FINDING (log: $BUILD/$name.log)"
    tail -40 "$BUILD/$name.log"
    return 1
  fi
}
export -f fuzz_one
export BUILD GGUF_SECONDS OTHER_SECONDS
ls "$BUILD"/fuzz/*/fuzz_* | xargs -P 2 -I{} bash -c 'fuzz_one "$1"' _ {}
