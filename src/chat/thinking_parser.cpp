// Ollama's thinking state machine (thinking/parser.go).
#include "chat/thinking_parser.h"

#include "template/template_inspect.h"
#include "template/text_util.h"

namespace corral::chat {

ThinkingParser::ThinkingParser(std::string opening, std::string closing)
    : opening_(std::move(opening)), closing_(std::move(closing)) {}

std::optional<ThinkingParser> ThinkingParser::for_request(const tmpl::PromptTemplate& t, const tmpl::ThinkSetting& think,
                                                          std::string_view rendered_prompt) {
  if (!think.enabled()) return std::nullopt;
  auto [open, close] = tmpl::infer_thinking_tags(t.go());
  if (open.empty() || close.empty()) return std::nullopt;
  ThinkingParser p(open, close);
  if (tmpl::go_trim_space(rendered_prompt).ends_with(open)) p.add(open);
  return p;
}

// Longest suffix of s that is a prefix of delim.
static std::size_t overlap(std::string_view s, std::string_view delim) {
  std::size_t max = std::min(s.size(), delim.size());
  for (std::size_t i = max; i > 0; --i)
    if (s.ends_with(delim.substr(0, i))) return i;
  return 0;
}

bool ThinkingParser::eat(Output& out) {
  switch (state_) {
    case State::LookingForOpening: {
      std::string_view trimmed = tmpl::go_trim_left_space(std::string_view(acc_).substr(blank_prefix_));
      blank_prefix_ = acc_.size() - trimmed.size();
      if (!opening_.empty() && trimmed.starts_with(opening_)) {
        std::string after(tmpl::go_trim_left_space(trimmed.substr(opening_.size())));
        acc_ = after;
        state_ = after.empty() ? State::StartedEatingWhitespace : State::Thinking;
        return true;
      }
      if (std::string_view(opening_).starts_with(trimmed)) return false;  // partial opening tag or whitespace
      state_ = State::Done;
      out.content += acc_;
      acc_.clear();
      return false;
    }
    case State::StartedEatingWhitespace: {
      std::string trimmed(tmpl::go_trim_left_space(acc_));
      acc_.clear();
      if (trimmed.empty()) return false;
      state_ = State::Thinking;
      acc_ = std::move(trimmed);
      return true;
    }
    case State::Thinking: {
      if (std::size_t at = acc_.find(closing_); at != std::string::npos) {
        out.thinking += acc_.substr(0, at);
        std::string remaining(tmpl::go_trim_left_space(std::string_view(acc_).substr(at + closing_.size())));
        acc_.clear();
        state_ = remaining.empty() ? State::DoneEatingWhitespace : State::Done;
        out.content += remaining;
        return false;
      }
      if (std::size_t n = overlap(acc_, closing_); n > 0) {
        out.thinking += acc_.substr(0, acc_.size() - n);
        acc_.erase(0, acc_.size() - n);
        return false;
      }
      out.thinking += acc_;
      acc_.clear();
      return false;
    }
    case State::DoneEatingWhitespace: {
      std::string trimmed(tmpl::go_trim_left_space(acc_));
      acc_.clear();
      if (!trimmed.empty()) state_ = State::Done;
      out.content += trimmed;
      return false;
    }
    case State::Done:
      out.content += acc_;
      acc_.clear();
      return false;
  }
  return false;
}

ThinkingParser::Output ThinkingParser::add(std::string_view chunk) {
  acc_.append(chunk);
  Output out;
  while (eat(out)) {
  }
  return out;
}

ThinkingParser::Output ThinkingParser::finish() {
  Output out;
  if (state_ == State::Thinking)
    out.thinking = std::move(acc_);
  else if (state_ == State::LookingForOpening || state_ == State::Done)
    out.content = std::move(acc_);
  acc_.clear();
  return out;
}

}  // namespace corral::chat
