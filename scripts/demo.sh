#!/usr/bin/env bash
# The main job: installs what is needed, builds corral, imports the bundled
# demo model (tolstoy, models/tolstoy) and chats with it. The CLI starts a
# corral server in the background when none answers on OLLAMA_HOST
# (default 127.0.0.1:11434); its log goes to ~/.ollama/logs/server.log.
# Usage: scripts/demo.sh [prompt]   (no prompt: an interactive chat)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" --target corral
CORRAL=build/corral
"$CORRAL" create tolstoy -f models/tolstoy/Modelfile
if [ $# -gt 0 ]; then
  exec "$CORRAL" run tolstoy "$*"
fi
exec "$CORRAL" run tolstoy
