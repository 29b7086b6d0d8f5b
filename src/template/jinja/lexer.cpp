// Jinja2 lexer (whitespace control rules of jinja2/lexer.py).
#include "template/jinja/lexer.h"

#include <fmt/format.h>

#include "util/error.h"
#include "util/utf8.h"

namespace corral::jinja {

namespace {

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string normalize_newlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

class Lexer {
 public:
  Lexer(std::string_view src, const LexOptions& o) : opt_(o) {
    src_ = normalize_newlines(src);
    if (!opt_.keep_trailing_newline && !src_.empty() && src_.back() == '\n') src_.pop_back();
  }

  std::vector<Token> run() {
    bool line_starting = true;
    while (pos_ < src_.size()) {
      std::size_t p = find_tag(pos_);
      std::string text = src_.substr(pos_, (p == std::string::npos ? src_.size() : p) - pos_);
      if (p == std::string::npos) {
        emit_data(text);
        pos_ = src_.size();
        break;
      }
      char kind = src_[p + 1];
      char sign = p + 2 < src_.size() ? src_[p + 2] : '\0';
      bool has_sign = sign == '-' || sign == '+';
      if (sign == '-') {
        std::size_t n = text.size();
        while (n > 0 && is_ws(text[n - 1])) --n;
        text.resize(n);
      } else if (sign != '+' && opt_.lstrip_blocks && kind != '{') {
        std::size_t l_pos = text.rfind('\n');
        l_pos = l_pos == std::string::npos ? 0 : l_pos + 1;
        if (l_pos > 0 || line_starting) {
          bool all_ws = l_pos < text.size();
          for (std::size_t i = l_pos; i < text.size(); ++i)
            if (!is_ws(text[i])) all_ws = false;
          if (all_ws) text.resize(l_pos);
        }
      }
      emit_data(text);
      line_ = line_at(p);
      pos_ = p + 2 + (has_sign ? 1 : 0);
      if (kind == '#') {
        line_starting = lex_comment();
      } else if (kind == '%' && lex_raw(p)) {
        line_starting = !out_.empty() && last_consumed_newline_;
      } else {
        line_starting = lex_tag(kind == '{');
      }
    }
    out_.push_back({TokenType::Eof, "", line_at(src_.size())});
    return std::move(out_);
  }

 private:
  LexOptions opt_;
  std::string src_;
  std::size_t pos_ = 0;
  int line_ = 1;
  std::vector<Token> out_;
  bool last_consumed_newline_ = false;

  [[noreturn]] void error(const std::string& msg, int line) { fail("jinja: line {}: {}", line, msg); }

  // Line of byte p; positions are asked for in increasing order, so count incrementally.
  int line_at(std::size_t p) {
    if (p < counted_pos_) counted_pos_ = 0, counted_line_ = 1;
    for (; counted_pos_ < p && counted_pos_ < src_.size(); ++counted_pos_) counted_line_ += src_[counted_pos_] == '\n';
    return counted_line_;
  }
  std::size_t counted_pos_ = 0;
  int counted_line_ = 1;

  std::size_t find_tag(std::size_t from) const {
    for (std::size_t i = from; i + 1 < src_.size(); ++i)
      if (src_[i] == '{' && (src_[i + 1] == '{' || src_[i + 1] == '%' || src_[i + 1] == '#')) return i;
    return std::string::npos;
  }

  void emit_data(const std::string& text) {
    if (!text.empty()) out_.push_back({TokenType::Data, text, line_});
  }

  // After a closing delimiter: "-" eats all whitespace, trim_blocks eats one newline.
  bool after_close(char sign, bool block) {
    std::size_t start = pos_;
    if (sign == '-') {
      while (pos_ < src_.size() && is_ws(src_[pos_])) ++pos_;
    } else if (sign != '+' && block && opt_.trim_blocks && pos_ < src_.size() && src_[pos_] == '\n') {
      ++pos_;
    }
    if (pos_ > start) return src_[pos_ - 1] == '\n';
    return false;
  }

  bool lex_comment() {
    int line = line_;
    std::size_t end = src_.find("#}", pos_);
    if (end == std::string::npos) error("Missing end of comment tag", line);
    char sign = end > pos_ && (src_[end - 1] == '-' || src_[end - 1] == '+') ? src_[end - 1] : '\0';
    pos_ = end + 2;
    bool nl = after_close(sign, true);
    return nl;
  }

  // {% raw %}...{% endraw %}; false if the tag at p is not a raw tag.
  bool lex_raw(std::size_t p) {
    std::size_t i = pos_;
    while (i < src_.size() && is_ws(src_[i])) ++i;
    if (src_.compare(i, 3, "raw") != 0) return false;
    i += 3;
    while (i < src_.size() && is_ws(src_[i])) ++i;
    char sign = '\0';
    if (i < src_.size() && src_[i] == '-') sign = '-', ++i;
    if (src_.compare(i, 2, "%}") != 0) return false;
    pos_ = i + 2;
    if (sign == '-')
      while (pos_ < src_.size() && is_ws(src_[pos_])) ++pos_;
    // Find {%[-+]? endraw [-+]?%}
    for (std::size_t s = src_.find("{%", pos_); s != std::string::npos; s = src_.find("{%", s + 2)) {
      std::size_t j = s + 2;
      char open_sign = '\0';
      if (j < src_.size() && (src_[j] == '-' || src_[j] == '+')) open_sign = src_[j++];
      while (j < src_.size() && is_ws(src_[j])) ++j;
      if (src_.compare(j, 6, "endraw") != 0) continue;
      j += 6;
      while (j < src_.size() && is_ws(src_[j])) ++j;
      char close_sign = '\0';
      if (j < src_.size() && (src_[j] == '-' || src_[j] == '+')) close_sign = src_[j++];
      if (src_.compare(j, 2, "%}") != 0) continue;
      std::string body = src_.substr(pos_, s - pos_);
      if (open_sign == '-') {
        std::size_t n = body.size();
        while (n > 0 && is_ws(body[n - 1])) --n;
        body.resize(n);
      }
      line_ = line_at(pos_);
      emit_data(body);
      pos_ = j + 2;
      last_consumed_newline_ = after_close(close_sign, true);
      return true;
    }
    error("Missing end of raw directive", line_at(p));
  }

  // Expression tokens up to the closing delimiter. Returns whether the
  // consumed text ended with a newline (for lstrip_blocks' line start).
  bool lex_tag(bool variable) {
    out_.push_back({variable ? TokenType::VarBegin : TokenType::BlockBegin, "", line_});
    const char close = variable ? '}' : '%';
    int depth = 0;  // brackets: a "}" inside {...} is not the end
    for (;;) {
      while (pos_ < src_.size() && is_ws(src_[pos_])) {
        if (src_[pos_] == '\n') ++line_;
        ++pos_;
      }
      if (pos_ >= src_.size()) error(variable ? "unexpected end of template, expected '}}'" : "unexpected end of template, expected '%}'", line_);
      char c = src_[pos_];
      // Closing delimiter (only when brackets are balanced), possibly with a sign.
      if (depth == 0) {
        const std::string end_tag = std::string(1, close) + "}";
        char sign = '\0';
        std::size_t q = pos_;
        if ((c == '-' || (c == '+' && !variable)) && src_.compare(q + 1, 2, end_tag) == 0) {
          sign = c;
          ++q;
        }
        if (src_.compare(q, 2, end_tag) == 0) {
          out_.push_back({variable ? TokenType::VarEnd : TokenType::BlockEnd, "", line_});
          pos_ = q + 2;
          return after_close(sign, !variable);
        }
      }
      if (is_name_start(c)) {
        std::size_t s = pos_;
        while (pos_ < src_.size() && is_name_char(src_[pos_])) ++pos_;
        out_.push_back({TokenType::Name, src_.substr(s, pos_ - s), line_});
        continue;
      }
      if (is_digit(c)) {
        lex_number();
        continue;
      }
      if (c == '\'' || c == '"') {
        lex_string(c);
        continue;
      }
      static const char* ops[] = {"//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]",
                                  "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"};
      bool matched = false;
      for (const char* op : ops) {
        std::size_t n = std::char_traits<char>::length(op);
        if (src_.compare(pos_, n, op) == 0) {
          std::string o(op);
          if (o == "(" || o == "[" || o == "{") ++depth;
          if (o == ")" || o == "]" || o == "}") {
            if (depth == 0) error(fmt::format("unexpected '{}'", o), line_);
            --depth;
          }
          out_.push_back({TokenType::Op, o, line_});
          pos_ += n;
          matched = true;
          break;
        }
      }
      if (!matched) {
        std::size_t p = pos_;
        char32_t cp = utf8::decode(src_, p);
        std::string ch;
        utf8::append(ch, cp);
        error(fmt::format("unexpected char '{}' at {}", ch, pos_), line_);
      }
    }
  }

  void digits_with_underscores() {
    while (pos_ < src_.size() && (is_digit(src_[pos_]) || (src_[pos_] == '_' && pos_ + 1 < src_.size() && is_digit(src_[pos_ + 1]))))
      ++pos_;
  }

  void lex_number() {
    std::size_t s = pos_;
    digits_with_underscores();
    bool is_float = false;
    if (pos_ + 1 < src_.size() && src_[pos_] == '.' && is_digit(src_[pos_ + 1])) {
      is_float = true;
      ++pos_;
      digits_with_underscores();
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      std::size_t q = pos_ + 1;
      if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) ++q;
      if (q < src_.size() && is_digit(src_[q])) {
        is_float = true;
        pos_ = q;
        digits_with_underscores();
      }
    }
    std::string text;
    for (std::size_t i = s; i < pos_; ++i)
      if (src_[i] != '_') text += src_[i];
    out_.push_back({is_float ? TokenType::Float : TokenType::Int, text, line_});
  }

  // Python's unicode-escape decoding of a string literal's body.
  void lex_string(char quote) {
    int line = line_;
    ++pos_;
    std::string out;
    for (;;) {
      if (pos_ >= src_.size()) error("unexpected end of string", line);
      char c = src_[pos_];
      if (c == quote) {
        ++pos_;
        break;
      }
      if (c == '\n') ++line_;
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      if (pos_ + 1 >= src_.size()) error("unexpected end of string", line);
      char e = src_[pos_ + 1];
      pos_ += 2;
      switch (e) {
        case '\n': break;  // line continuation
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'v': out += '\v'; break;
        case 'x':
        case 'u':
        case 'U': {
          int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          std::uint32_t v = 0;
          for (int i = 0; i < n; ++i) {
            int h = pos_ < src_.size() ? hexval(src_[pos_]) : -1;
            if (h < 0) error("invalid escape in string literal", line);
            v = v * 16 + static_cast<std::uint32_t>(h);
            ++pos_;
          }
          if (v > 0x10FFFF) error("invalid escape in string literal", line);
          utf8::append(out, static_cast<char32_t>(v));
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            std::uint32_t v = static_cast<std::uint32_t>(e - '0');
            for (int i = 0; i < 2 && pos_ < src_.size() && src_[pos_] >= '0' && src_[pos_] <= '7'; ++i)
              v = v * 8 + static_cast<std::uint32_t>(src_[pos_++] - '0');
            utf8::append(out, static_cast<char32_t>(v));
          } else {
            out += '\\';
            out += e;
          }
      }
    }
    out_.push_back({TokenType::String, out, line});
  }
};

}  // namespace

std::vector<Token> tokenize(std::string_view source, const LexOptions& options) {
  Lexer l(source, options);
  return l.run();
}

}  // namespace corral::jinja
