// Streaming one answer to the terminal (see chat_turn.h).
#include "cli/chat_turn.h"

#include <cstdio>
#include <functional>
#include <memory>
#include <vector>

#include "api/requests.h"
#include "api/responses.h"
#include "cli/progress_display.h"
#include "cli/response_printer.h"
#include "cli/stats_block.h"
#include "cli/terminal.h"

namespace corral::cli {

namespace {

ResponsePrinter::Style output_style(const SessionSettings& s) {
  ResponsePrinter::Style style;
  const bool tty = is_terminal(1);
  style.colors = tty;
  style.hide_thinking = s.hide_thinking;
  if (tty && s.word_wrap) {
    const int width = terminal_width(1);
    style.wrap_columns = width > 10 ? width - 1 : 0;
  }
  return style;
}

// The "waiting for the first word" spinner: live on a terminal only.
class WaitSpinner {
 public:
  WaitSpinner() {
    if (is_terminal(2)) {
      display_ = std::make_unique<ProgressDisplay>();
      display_->add_spinner("");
    }
  }
  ~WaitSpinner() { stop(); }
  void stop() {
    if (display_) {
      display_->stop_and_clear();
      display_.reset();
    }
  }

 private:
  std::unique_ptr<ProgressDisplay> display_;
};

void print_stats(const SessionSettings& s, const TurnOutcome& t) {
  if (!s.verbose || !t.done) return;
  const std::string block = format_stats_block(t.metrics);
  std::fwrite(block.data(), 1, block.size(), stderr);
  std::fflush(stderr);
}

// One streamed answer's piece, from either route.
struct Piece {
  std::string role, thinking, content;
  std::vector<api::ToolCall> tool_calls;
  bool done = false;
  api::Metrics metrics;
};

// Streams `body` to `path`, printing each piece; the printer is left
// unfinished so the caller decides how the answer ends.
TurnOutcome stream_answer(const ApiClient& client, const std::string& path, const api::Json& body,
                          ResponsePrinter& printer, const std::function<Piece(const api::Json&)>& parse,
                          const std::atomic<bool>* cancel) {
  TurnOutcome outcome;
  outcome.reply.role = "assistant";
  WaitSpinner spinner;
  try {
    const auto end = client.stream(path, body, [&](const api::Json& line) {
      const Piece p = parse(line);
      if (!p.content.empty() || !p.thinking.empty() || !p.tool_calls.empty()) spinner.stop();
      if (!p.role.empty()) outcome.reply.role = p.role;
      outcome.reply.thinking += p.thinking;
      outcome.reply.content += p.content;
      printer.thinking(p.thinking);
      printer.content(p.content);
      printer.tool_calls(p.tool_calls);
      if (p.done) {
        outcome.done = true;
        outcome.metrics = p.metrics;
      }
      return true;
    }, cancel);
    outcome.cancelled = end == ApiClient::StreamEnd::cancelled;
  } catch (...) {
    spinner.stop();
    printer.finish();
    if (!printer.at_line_start()) write_stdout("\n");
    throw;
  }
  spinner.stop();
  printer.finish();
  return outcome;
}

}  // namespace

TurnOutcome chat_turn(const ApiClient& client, const SessionSettings& s, const std::atomic<bool>* cancel) {
  api::ChatRequest req;
  req.model = s.model;
  req.messages = s.messages;
  req.format = s.format;
  req.options = s.options;
  req.think = s.think;
  req.keep_alive = s.keep_alive;

  ResponsePrinter printer(write_stdout, output_style(s));
  TurnOutcome outcome = stream_answer(client, "/api/chat", api::to_json(req), printer, [](const api::Json& line) {
    auto r = api::parse_chat_response(line);
    return Piece{std::move(r.message.role), std::move(r.message.thinking), std::move(r.message.content),
                 std::move(r.message.tool_calls), r.done, r.metrics};
  }, cancel);
  // One blank line after each answer.
  if (printer.wrote()) write_stdout(printer.at_line_start() ? "\n" : "\n\n");
  print_stats(s, outcome);
  return outcome;
}

TurnOutcome generate_once(const ApiClient& client, const SessionSettings& s, const std::string& prompt,
                          const std::atomic<bool>* cancel) {
  api::GenerateRequest req;
  req.model = s.model;
  req.prompt = prompt;
  req.system = s.system;
  req.format = s.format;
  req.options = s.options;
  req.think = s.think;
  req.keep_alive = s.keep_alive;

  ResponsePrinter printer(write_stdout, output_style(s));
  TurnOutcome outcome = stream_answer(client, "/api/generate", api::to_json(req), printer, [](const api::Json& line) {
    auto r = api::parse_generate_response(line);
    return Piece{"", std::move(r.thinking), std::move(r.response), std::move(r.tool_calls), r.done, r.metrics};
  }, cancel);
  // End the answer with a newline; on a terminal leave a blank line, as Ollama does.
  if (printer.wrote() && !printer.at_line_start()) write_stdout("\n");
  if (printer.wrote() && is_terminal(1)) write_stdout("\n");
  print_stats(s, outcome);
  return outcome;
}

}  // namespace corral::cli
