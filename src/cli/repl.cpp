// The interactive loop (see repl.h).
#include "cli/repl.h"

#include <cstdio>
#include <cstdlib>

#include "cli/chat_turn.h"
#include "cli/input_assembler.h"
#include "cli/interrupt.h"
#include "cli/line_editor.h"
#include "cli/repl_commands.h"
#include "cli/slash_command.h"
#include "cli/terminal.h"

namespace corral::cli {

namespace {

void out(const char* s) {
  std::fputs(s, stdout);
  std::fflush(stdout);
}

bool env_true(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return false;
  const std::string s = v;
  return !(s.empty() || s == "0" || s == "false" || s == "FALSE" || s == "False" || s == "f" || s == "F");
}

// Sends the conversation plus `text`; keeps the answer (even a partial one
// stopped with Ctrl-C) in the conversation.
void send_message(const ApiClient& client, SessionSettings& s, const std::string& text) {
  api::Message user;
  user.role = "user";
  user.content = text;
  s.messages.push_back(std::move(user));
  InterruptScope::clear();
  TurnOutcome t;
  try {
    t = chat_turn(client, s, &InterruptScope::flag());
  } catch (const std::exception& e) {
    s.messages.pop_back();
    std::fprintf(stdout, "Error: %s\n\n", e.what());
    std::fflush(stdout);
    return;
  }
  if (t.cancelled) {
    out("\n");
    if (t.reply.content.empty()) {
      s.messages.pop_back();
      return;
    }
  }
  s.messages.push_back(std::move(t.reply));
}

}  // namespace

void run_repl(const ApiClient& client, SessionSettings& settings) {
  ensure_utf8_locale();
  InterruptScope interrupts;
  LineHistory history(default_history_file());
  history.set_saving(!env_true("OLLAMA_NOHISTORY"));
  LineEditor editor(history);
  InputAssembler input;
  ReplContext ctx{client, settings, input, [&](bool on) { history.set_saving(on); }};

  std::string pasted;  // pasted lines (and text typed before them) waiting for the rest of the message
  for (;;) {
    InterruptScope::clear();
    const auto in = editor.read(input.in_block() || !pasted.empty() ? "... " : ">>> ");
    if (in.status == LineEditor::Status::eof) {
      out("\n");
      return;
    }
    if (in.status == LineEditor::Status::interrupted) {
      if (!in.had_text && !input.in_block() && pasted.empty()) out("\nUse Ctrl + d or /bye to exit.\n");
      else out("\n");
      input.reset();
      pasted.clear();
      continue;
    }
    if (in.pasted) {  // as in Ollama, Enter after a paste sends it: read the rest of this line first
      pasted += in.text;
      continue;
    }
    const std::string line = pasted + in.text;
    const bool was_pasted = !pasted.empty();
    pasted.clear();
    editor.remember(line);
    if (was_pasted && !input.in_block()) {  // pasted text is a message, even when it starts with / or """
      if (line.find_first_not_of(" \t\r\n") != std::string::npos) send_message(client, settings, line);
      continue;
    }
    const auto step = input.feed(line);
    switch (step.kind) {
      case InputAssembler::Kind::need_more:
        break;
      case InputAssembler::Kind::system:
        set_session_system(settings, step.text);
        out("Set system message.\n");
        break;
      case InputAssembler::Kind::command:
        if (run_slash_command(ctx, parse_slash_command(step.text)) == ReplAction::quit) return;
        break;
      case InputAssembler::Kind::message:
        if (step.text.find_first_not_of(" \t\r\n") != std::string::npos) send_message(client, settings, step.text);
        break;
    }
  }
}

}  // namespace corral::cli
