// One answer from the model, streamed to the terminal: chat_turn sends the
// conversation to /api/chat (the REPL), generate_once sends one prompt to
// /api/generate (`corral run MODEL "prompt"` and piped input). A spinner
// runs on stderr until the first text arrives; the answer goes to stdout,
// word-wrapped at the terminal width when stdout is a terminal and wrapping
// is on; with `verbose` the statistics block follows on stderr. Ctrl-C
// (the cancel flag) closes the stream at once.
#pragma once

#include <atomic>
#include <string>

#include "api/types.h"
#include "cli/api_client.h"
#include "cli/session_settings.h"

namespace corral::cli {

struct TurnOutcome {
  bool cancelled = false;
  bool done = false;          // a final done:true line arrived
  api::Message reply;         // role "assistant", content and thinking as received
  api::Metrics metrics;
};

TurnOutcome chat_turn(const ApiClient& client, const SessionSettings& s, const std::atomic<bool>* cancel);
TurnOutcome generate_once(const ApiClient& client, const SessionSettings& s, const std::string& prompt,
                          const std::atomic<bool>* cancel);

}  // namespace corral::cli
