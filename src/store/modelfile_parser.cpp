// The Modelfile parser: Ollama's character-level state machine, reproduced
// rule for rule (including its line counting, where CR and LF each count as
// a line break, and its error texts).
#include <algorithm>
#include <array>

#include "store/go_format.h"
#include "store/modelfile.h"
#include "util/utf8.h"

namespace corral::store {
namespace {

enum class State { nil, name, value, parameter, message, comment };

constexpr std::string_view kInvalidCommand =
    "command must be one of \"from\", \"license\", \"template\", \"system\", \"adapter\", \"draft\", \"renderer\", "
    "\"parser\", \"parameter\", \"message\", or \"requires\"";
constexpr std::string_view kInvalidRole = "message role must be one of \"system\", \"user\", or \"assistant\"";

bool is_alpha(char32_t r) { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'); }
bool is_digit(char32_t r) { return r >= '0' && r <= '9'; }
bool is_space(char32_t r) { return r == ' ' || r == '\t'; }
bool is_newline(char32_t r) { return r == '\r' || r == '\n'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool instruction_for(std::string_view word, Instruction& out) {
  static const std::array<std::pair<std::string_view, Instruction>, 11> table = {{
      {"from", Instruction::from},
      {"license", Instruction::license},
      {"template", Instruction::template_},
      {"system", Instruction::system},
      {"adapter", Instruction::adapter},
      {"draft", Instruction::draft},
      {"renderer", Instruction::renderer},
      {"parser", Instruction::parser},
      {"parameter", Instruction::parameter},
      {"message", Instruction::message},
      {"requires", Instruction::requires_},
  }};
  const std::string w = lower(word);
  for (const auto& [name, ins] : table)
    if (name == w) {
      out = ins;
      return true;
    }
  return false;
}

std::string_view trim_space(std::string_view s) {
  // Only ' ', '\t', '\r', '\n' can reach the buffer among Go's white space.
  const auto ws = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  while (!s.empty() && ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && ws(s.back())) s.remove_suffix(1);
  return s;
}

// Removes """...""" or "..." quoting; false while the quote is still open.
bool unquote(std::string_view s, std::string& out) {
  if (s.size() >= 3 && s.substr(0, 3) == "\"\"\"") {
    if (s.size() >= 6 && s.substr(s.size() - 3) == "\"\"\"") {
      out = std::string(s.substr(3, s.size() - 6));
      return true;
    }
    return false;
  }
  if (!s.empty() && s[0] == '"') {
    if (s.size() >= 2 && s.back() == '"') {
      out = std::string(s.substr(1, s.size() - 2));
      return true;
    }
    return false;
  }
  out = std::string(s);
  return true;
}

// Decodes the input into code points: UTF-16 (LE/BE) when it starts with a
// BOM, else UTF-8 (an optional BOM dropped, invalid bytes -> U+FFFD).
std::u32string decode_input(std::string_view b) {
  std::u32string out;
  const auto* p = reinterpret_cast<const unsigned char*>(b.data());
  if (b.size() >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF))) {
    const bool le = p[0] == 0xFF;
    std::size_t i = 2;
    auto unit = [&](std::size_t k) -> char32_t {
      return le ? static_cast<char32_t>(p[k] | (p[k + 1] << 8)) : static_cast<char32_t>((p[k] << 8) | p[k + 1]);
    };
    while (i + 1 < b.size()) {
      char32_t u = unit(i);
      i += 2;
      if (u >= 0xD800 && u <= 0xDBFF) {
        if (i + 1 < b.size()) {
          const char32_t lo = unit(i);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            i += 2;
            out.push_back(0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
            continue;
          }
        }
        out.push_back(0xFFFD);
      } else if (u >= 0xDC00 && u <= 0xDFFF) {
        out.push_back(0xFFFD);
      } else {
        out.push_back(u);
      }
    }
    if (i < b.size()) out.push_back(0xFFFD);  // odd trailing byte
    return out;
  }
  std::size_t i = 0;
  if (b.size() >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) i = 3;
  while (i < b.size()) out.push_back(utf8::decode(b, i));
  return out;
}

class Parser {
 public:
  Modelfile run(std::string_view bytes) {
    for (char32_t r : decode_input(bytes)) step(r);
    finish();
    return std::move(file_);
  }

 private:
  // The per-state transition: next state and the rune to keep (0 = none).
  State transition(char32_t r, char32_t& keep) {
    keep = 0;
    switch (state_) {
      case State::nil:
        if (r == '#') return State::comment;
        if (is_space(r) || is_newline(r)) return State::nil;
        keep = r;
        return State::name;
      case State::name:
        if (is_alpha(r)) {
          keep = r;
          return State::name;
        }
        if (is_space(r)) return State::value;
        throw ModelfileError(line_, fmt::format("(line {}): {}", line_, kInvalidCommand));
      case State::value:
        keep = r;
        return (is_newline(r) || is_space(r)) ? State::nil : State::value;
      case State::parameter:
        if (is_alpha(r) || is_digit(r) || r == '_') {
          keep = r;
          return State::parameter;
        }
        if (is_space(r)) return State::value;
        throw ModelfileError(line_, "unexpected EOF: " + buf_);
      case State::message:
        if (is_alpha(r)) {
          keep = r;
          return State::message;
        }
        if (is_space(r)) return State::value;
        throw ModelfileError(line_, "unexpected EOF: " + buf_);
      case State::comment:
        return is_newline(r) ? State::nil : State::comment;
    }
    return State::nil;
  }

  void emit(std::string value) {
    cmd_.value = std::move(value);
    file_.commands.push_back(cmd_);
    cmd_.name.clear();
  }

  void step(char32_t r) {
    if (is_newline(r)) ++line_;
    char32_t keep = 0;
    State next = transition(r, keep);
    if (next != state_) {
      switch (state_) {
        case State::name: {
          Instruction ins{};
          if (!instruction_for(buf_, ins))
            throw ModelfileError(line_, fmt::format("(line {}): {}", line_, kInvalidCommand));
          cmd_ = ModelfileCommand{};
          cmd_.instruction = ins;
          cmd_.line = start_line_;
          if (ins == Instruction::parameter) next = State::parameter;
          if (ins == Instruction::message) next = State::message;
          break;
        }
        case State::parameter:
          cmd_.name = buf_;
          break;
        case State::message:
          if (buf_ != "system" && buf_ != "user" && buf_ != "assistant")
            throw ModelfileError(line_, fmt::format("(line {}): {}", line_, kInvalidRole));
          cmd_.name = buf_;
          break;
        case State::value: {
          std::string v;
          if (!unquote(trim_space(buf_), v) || is_space(r)) {
            utf8::append(buf_, r);  // inside quotes, or a space within the value
            return;
          }
          emit(std::move(v));
          break;
        }
        case State::nil:
          start_line_ = line_;
          break;
        case State::comment:
          break;
      }
      buf_.clear();
      state_ = next;
    }
    if (keep != 0 && go::is_print(keep)) utf8::append(buf_, keep);
  }

  void finish() {
    switch (state_) {
      case State::nil:
      case State::comment:
        break;
      case State::value: {
        std::string v;
        if (!unquote(trim_space(buf_), v)) throw ModelfileError(line_, "unexpected EOF");
        emit(std::move(v));
        break;
      }
      default:
        throw ModelfileError(line_, "unexpected EOF");
    }
    const bool has_from = std::any_of(file_.commands.begin(), file_.commands.end(),
                                      [](const ModelfileCommand& c) { return c.instruction == Instruction::from; });
    if (!has_from) throw ModelfileError(0, "no FROM line");
  }

  Modelfile file_;
  ModelfileCommand cmd_;
  State state_ = State::nil;
  std::string buf_;
  int line_ = 1;
  int start_line_ = 1;
};

}  // namespace

Modelfile parse_modelfile(std::string_view bytes) { return Parser().run(bytes); }

}  // namespace corral::store
