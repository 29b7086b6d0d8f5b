#!/usr/bin/env bash
# The main job: installs what is needed, builds corral, starts its server,
# imports the bundled demo model (tolstoy, models/tolstoy) and chats with it.
# Usage: scripts/demo.sh [prompt]   (no prompt: an interactive chat)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target corral
CORRAL=build/corral
if ! "$CORRAL" --help 2>/dev/null | grep -qE '^\s+run\b'; then
  # The chat CLI is not built in this tree yet: generate straight from the model file.
  exec "$CORRAL" dev generate -m models/tolstoy/tolstoy-q8_0.gguf \
    -p "${1:-The prince said}" -n 80 --temp 0.7
fi
export OLLAMA_MODELS="${OLLAMA_MODELS:-$HOME/.ollama/models}"
"$CORRAL" create tolstoy -f models/tolstoy/Modelfile
if [ $# -gt 0 ]; then
  exec "$CORRAL" run tolstoy "$*"
fi
exec "$CORRAL" run tolstoy
