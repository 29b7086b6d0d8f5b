// `corral run MODEL [PROMPT...]`: one answer (a prompt on the command line,
// or text piped on stdin, or stdout not a terminal) or the interactive chat.
// The model is pulled first when the server does not have it.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <iterator>

#include "api/requests.h"
#include "api/responses.h"
#include "cli/chat_turn.h"
#include "cli/command_registry.h"
#include "cli/interrupt.h"
#include "cli/model_requests.h"
#include "cli/repl.h"
#include "cli/response_printer.h"
#include "cli/run_options.h"
#include "cli/server_autostart.h"
#include "cli/terminal.h"

namespace corral::cli {

namespace {

struct RunFlags {
  std::string model;
  std::vector<std::string> prompt;
  std::string keepalive;
  bool verbose = false;
  bool insecure = false;
  bool nowordwrap = false;
  std::string format;
  std::string think;
  bool hidethinking = false;
  bool truncate = true;
  int dimensions = 0;
};

bool contains(const std::vector<std::string>& v, const std::string& x) {
  for (const auto& e : v)
    if (e == x) return true;
  return false;
}

void run_embedding(const ApiClient& client, const SessionSettings& s, const std::string& input, const RunFlags& f,
                   bool truncate_set) {
  if (input.empty())
    fail("embedding models require input text. Usage: corral run {} \"your text here\"", s.model);
  api::EmbedRequest req;
  req.model = s.model;
  req.input = {input};
  if (truncate_set) req.truncate = f.truncate;
  req.dimensions = f.dimensions;
  req.keep_alive = s.keep_alive;
  const auto r = api::parse_embed_response(client.post("/api/embed", api::to_json(req)));
  if (r.embeddings.empty()) fail("no embeddings returned");
  write_stdout(api::Json(r.embeddings.front()).dump() + "\n");
}

void run_model(const RunFlags& f, bool think_set, bool truncate_set) {
  SessionSettings s;
  s.model = f.model;
  s.verbose = f.verbose;
  s.hide_thinking = f.hidethinking;
  s.word_wrap = !f.nowordwrap;
  s.format = parse_format_flag(f.format);
  if (think_set) {
    s.think = parse_think_flag(f.think);
    s.think_explicit = true;
  }
  if (!f.keepalive.empty()) s.keep_alive = parse_keepalive_flag(f.keepalive);

  bool interactive = true;
  std::vector<std::string> parts = f.prompt;
  if (!is_terminal(0)) {
    std::string piped((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (!piped.empty()) parts.insert(parts.begin(), std::move(piped));
    s.word_wrap = false;
    interactive = false;
  }
  std::string prompt;
  for (std::size_t i = 0; i < parts.size(); ++i) prompt += (i ? " " : "") + parts[i];
  if (!f.prompt.empty()) interactive = false;
  if (!is_terminal(1)) interactive = false;

  ApiClient client = connect_to_server();
  const api::ShowResponse info = show_or_pull(client, f.model, f.insecure);
  s.capabilities = info.capabilities;
  s.parent_model = info.details.parent_model;
  s.loaded_messages = info.messages;
  if (!s.think_explicit && contains(info.capabilities, "thinking")) s.think = api::Think::from_bool(true);

  if (contains(info.capabilities, "embedding")) {
    run_embedding(client, s, prompt, f, truncate_set);
    return;
  }

  if (interactive) {
    load_model(client, s.model, s.keep_alive, s.think);
    for (const auto& m : info.messages) {
      if (m.role == "user") write_stdout(">>> " + m.content + "\n");
      if (m.role == "assistant") write_stdout(m.content + "\n\n");
    }
    run_repl(client, s);
    return;
  }

  InterruptScope interrupts;
  generate_once(client, s, prompt, &InterruptScope::flag());
}

}  // namespace

void add_run_command(CLI::App& app) {
  auto flags = std::make_shared<RunFlags>();
  auto* cmd = app.add_subcommand("run", "Run a model: chat with it, or answer one prompt");
  cmd->add_option("model", flags->model, "Model name (pulled first when it is not here)")->required();
  cmd->add_option("prompt", flags->prompt, "A prompt to answer (then exit); text piped on stdin comes before it");
  cmd->add_option("--keepalive", flags->keepalive, "How long the model stays loaded after use (e.g. 5m, 1h, -1)");
  cmd->add_flag("--verbose", flags->verbose, "Show timings after each answer");
  cmd->add_flag("--insecure", flags->insecure, "Allow an insecure (http) registry when pulling");
  cmd->add_flag("--nowordwrap", flags->nowordwrap, "Do not wrap answers at the terminal width");
  cmd->add_option("--format", flags->format, "Answer format: json, or a JSON Schema object");
  auto* think = cmd->add_flag("--think{true}", flags->think,
                              "Let a thinking model think: --think, or --think=false|low|medium|high|max");
  cmd->add_flag("--hidethinking", flags->hidethinking, "Do not show the model's thinking");
  auto* truncate = cmd->add_flag("--truncate{true}", flags->truncate, "Embedding models: cut input to the context");
  cmd->add_option("--dimensions", flags->dimensions, "Embedding models: shorten the vector to this many dimensions");
  cmd->footer("Environment: OLLAMA_HOST (server address, default 127.0.0.1:11434), OLLAMA_NOHISTORY\n"
              "If no server answers at a local OLLAMA_HOST, one is started in the background.");
  cmd->callback([flags, think, truncate] { run_model(*flags, think->count() > 0, truncate->count() > 0); });
}

}  // namespace corral::cli
