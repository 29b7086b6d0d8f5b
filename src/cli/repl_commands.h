// The REPL's slash commands (/set, /show, /load, /save, /clear, /list, /?,
// /bye) acting on the session. Output goes to stdout (help to stderr), with
// Ollama's messages ("Set parameter 'temperature' to '0'", "Cleared session
// context", "Unknown command '/x'. Type /? for help").
#pragma once

#include <functional>
#include <string>

#include "cli/api_client.h"
#include "cli/input_assembler.h"
#include "cli/session_settings.h"
#include "cli/slash_command.h"

namespace corral::cli {

struct ReplContext {
  const ApiClient& client;
  SessionSettings& settings;
  InputAssembler& input;
  std::function<void(bool)> set_history;  // /set history | nohistory
};

enum class ReplAction { keep_going, quit };

ReplAction run_slash_command(ReplContext& ctx, const SlashCommand& cmd);

// Sets the session's system message: replaces a trailing system message in
// the conversation or appends one.
void set_session_system(SessionSettings& s, const std::string& text);

// The options text of /show parameters' "User defined parameters:" part.
std::string user_parameters_text(const api::Json& options);

}  // namespace corral::cli
