// Connecting to the server, and starting one when none answers: the CLI
// runs `corral serve` (this same executable) in the background, in its own
// session so that Ctrl-C in the terminal does not reach it, with its output
// appended to a log file (~/.ollama/logs/server.log), says so in one line on
// stderr, and waits until it answers. Only for a local OLLAMA_HOST; a
// remote one that does not answer is an error.
#pragma once

#include <chrono>
#include <filesystem>

#include "cli/api_client.h"

namespace corral::cli {

// The log file of a server started by the CLI.
std::filesystem::path server_log_file();

struct AutostartOptions {
  bool may_start = true;  // false: only check that a server answers
  std::chrono::milliseconds wait = std::chrono::seconds(60);
};

// A client for OLLAMA_HOST whose server answers. Throws ConnectionError
// (saying what was tried) when none does and none could be started.
ApiClient connect_to_server(const AutostartOptions& options = {});

}  // namespace corral::cli
