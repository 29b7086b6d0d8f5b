// The interactive chat (`corral run MODEL` on a terminal): reads lines with
// the line editor, assembles """ blocks, runs slash commands and sends each
// message with the whole conversation to /api/chat. Ctrl-C stops an answer
// and stays; at the prompt it clears the line; Ctrl-D or /bye leaves.
#pragma once

#include "cli/api_client.h"
#include "cli/session_settings.h"

namespace corral::cli {

void run_repl(const ApiClient& client, SessionSettings& settings);

}  // namespace corral::cli
