#!/usr/bin/env bash
# Generates the benchmark models of ../shared/reference/llama-cpp-bench.md with
# corral's own generator (same shapes, types and Llama 2 vocabulary; random
# weights, which do not change speed) and runs `corral bench` on each at 2
# threads. Usage: scripts/bench-reference.sh [models-dir] [reps]
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:-build/bench-models}
REPS=${2:-3}
SHARED=${CORRAL_SHARED:-../shared}
VOCAB=$SHARED/vocab/ggml-vocab-llama-spm.gguf
CORRAL=build/corral
mkdir -p "$DIR"
gen() {  # name type args...
  local out=$DIR/$1-$2.gguf
  [ -f "$out" ] || "$CORRAL" dev gen-model --vocab "$VOCAB" --type "$2" -o "$out" "${@:3}" >&2
  echo "$out"
}
TINY=(--arch llama --name tinyllama-1.1b --hidden 2048 --layers 22 --heads 32 --kv-heads 4 --ffn 5632 --ctx 2048)
SMALL=(--arch llama --name small-135m --hidden 576 --layers 30 --heads 9 --kv-heads 3 --ffn 1536 --ctx 2048 --tied)
for t in F16 Q8_0 Q4_K_M Q4_0; do
  "$CORRAL" bench -m "$(gen tinyllama-1.1b $t "${TINY[@]}")" -t 2 -p 512 -n 128 -r "$REPS"
done
for t in F16 Q8_0 Q4_K_M; do
  "$CORRAL" bench -m "$(gen small-135m $t "${SMALL[@]}")" -t 2 -p 512 -n 128 -r "$REPS"
done
