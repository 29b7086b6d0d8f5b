// Multi-line input rules (see input_assembler.h).
#include "cli/input_assembler.h"

namespace corral::cli {

namespace {

constexpr std::string_view kQuotes = R"(""")";

bool cut_suffix(std::string_view& s) {
  if (s.size() >= kQuotes.size() && s.substr(s.size() - kQuotes.size()) == kQuotes) {
    s.remove_suffix(kQuotes.size());
    return true;
  }
  return false;
}

}  // namespace

void InputAssembler::reset() {
  mode_ = Mode::none;
  text_.clear();
}

InputAssembler::Step InputAssembler::feed(std::string_view line) {
  if (mode_ != Mode::none) {
    const bool closed = cut_suffix(line);
    text_ += line;
    if (!closed) {
      text_ += '\n';
      return {Kind::need_more, {}};
    }
    const Kind kind = mode_ == Mode::system ? Kind::system : Kind::message;
    Step step{kind, std::move(text_)};
    reset();
    return step;
  }
  if (line.substr(0, kQuotes.size()) == kQuotes) {
    line.remove_prefix(kQuotes.size());
    const bool closed = cut_suffix(line);
    text_ = std::string(line);
    if (!closed) {
      text_ += '\n';
      mode_ = Mode::prompt;
      return {Kind::need_more, {}};
    }
    Step step{Kind::message, std::move(text_)};
    reset();
    return step;
  }
  if (!line.empty() && line.front() == '/') return {Kind::command, std::string(line)};
  return {Kind::message, std::string(line)};
}

InputAssembler::Step InputAssembler::begin_system(std::string_view rest) {
  if (rest.substr(0, kQuotes.size()) != kQuotes) return {Kind::system, std::string(rest)};
  rest.remove_prefix(kQuotes.size());
  const bool closed = cut_suffix(rest);
  if (closed) return {Kind::system, std::string(rest)};
  text_ = std::string(rest) + "\n";
  mode_ = Mode::system;
  return {Kind::need_more, {}};
}

}  // namespace corral::cli
