// Streamed answer rendering (see response_printer.h).
#include "cli/response_printer.h"

#include <cstdio>

namespace corral::cli {

namespace {

constexpr const char* kGrey = "\x1b[38;5;245m";
constexpr const char* kBold = "\x1b[1m";
constexpr const char* kReset = "\x1b[0m";

}  // namespace

void write_stdout(std::string_view s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fflush(stdout);
}

ResponsePrinter::ResponsePrinter(Writer out, Style style)
    : out_(std::move(out)), style_(style), wrap_(style.wrap_columns) {}

void ResponsePrinter::emit(std::string_view s) {
  if (s.empty()) return;
  out_(s);
  wrote_ = true;
  at_line_start_ = s.back() == '\n';
}

void ResponsePrinter::thinking(std::string_view text) {
  if (text.empty() || style_.hide_thinking || thinking_done_) return;
  if (!thinking_open_) {
    emit(style_.colors ? std::string(kGrey) + kBold + "Thinking...\n" + kReset + kGrey : std::string("Thinking...\n"));
    thinking_open_ = true;
    wrap_.reset();
  }
  emit(wrap_.feed(text));
  thinking_ended_with_newline_ = text.back() == '\n';
}

void ResponsePrinter::close_thinking() {
  if (!thinking_open_ || thinking_done_) return;
  std::string s = wrap_.flush();
  if (!thinking_ended_with_newline_) s += "\n";
  s += style_.colors ? std::string(kGrey) + kBold + "...done thinking.\n\n" + kReset
                     : std::string("...done thinking.\n\n");
  emit(s);
  thinking_done_ = true;
  wrap_.reset();
}

void ResponsePrinter::content(std::string_view text) {
  if (text.empty()) return;
  close_thinking();
  emit(wrap_.feed(text));
}

void ResponsePrinter::tool_calls(const std::vector<api::ToolCall>& calls) {
  if (calls.empty()) return;
  close_thinking();
  std::string s = wrap_.flush();
  if (!at_line_start_) s += "\n";
  for (const auto& c : calls)
    s += "  Model called a non-existent function '" + c.name + "()' with arguments: " + c.arguments.dump() + "\n";
  emit(s);
  wrap_.reset();
}

void ResponsePrinter::finish() {
  std::string s = wrap_.flush();
  if (thinking_open_ && !thinking_done_ && style_.colors) s += kReset;
  emit(s);
}

}  // namespace corral::cli
