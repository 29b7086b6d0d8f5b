#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 + ASan and runs them from their seed
# corpora (fuzz/<target>/corpus): the GGUF reader for N seconds (default 60),
# every other target for M seconds (default 20). A finding fails.
# Usage: scripts/fuzz.sh [N [M]]
set -euo pipefail
cd "$(dirname "$0")/.."
GGUF_SECONDS=${1:-60}
OTHER_SECONDS=${2:-20}
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCORRAL_FUZZ=ON \
  -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14 \
  -DCORRAL_BUILD_TESTS=OFF -DCORRAL_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzzers
for bin in build-fuzz/fuzz/*/fuzz_*; do
  name=$(basename "$bin")
  target=${name#fuzz_}
  SECONDS_EACH=$OTHER_SECONDS
  [ "$target" = gguf ] && SECONDS_EACH=$GGUF_SECONDS
  work=build-fuzz/corpus/$target
  mkdir -p "$work"
  seeds=fuzz/$target/corpus
  # Parts with several targets keep seeds in fuzz/<part>/corpus/<target suffix>.
  [ -d "$seeds" ] || seeds=fuzz/$(basename "$(dirname "$bin")")/corpus/${target#*_}
  echo "-- $name for ${SECONDS_EACH}s"
  if [ -d "$seeds" ]; then
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix=build-fuzz/ "$work" "$seeds" 2>&1 | tail -3
  else
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix=build-fuzz/ "$work" 2>&1 | tail -3
  fi
done
