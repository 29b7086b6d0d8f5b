// Go text/template lexer.
#include "template/gotmpl/lexer.h"

#include <utf8proc.h>

#include <cstdio>

#include "template/gotmpl/go_format.h"
#include "util/utf8.h"

namespace corral::gotmpl {

namespace {

constexpr std::string_view kLeftDelim = "{{";
constexpr std::string_view kRightDelim = "}}";
constexpr char32_t kEof = 0xFFFFFFFF;

bool is_space(char32_t r) { return r == U' ' || r == U'\t' || r == U'\r' || r == U'\n'; }

bool is_alnum(char32_t r) {
  if (r == U'_') return true;
  if (r < 0x80) return (r >= U'a' && r <= U'z') || (r >= U'A' && r <= U'Z') || (r >= U'0' && r <= U'9');
  if (r > 0x10FFFF) return false;
  auto c = utf8proc_category(static_cast<utf8proc_int32_t>(r));
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LT ||
         c == UTF8PROC_CATEGORY_LM || c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_ND;
}

bool has_left_trim(std::string_view s) { return s.size() >= 2 && s[0] == '-' && is_space(static_cast<unsigned char>(s[1])); }
bool has_right_trim(std::string_view s) { return s.size() >= 2 && is_space(static_cast<unsigned char>(s[0])) && s[1] == '-'; }

std::size_t right_trim_length(std::string_view s) {
  std::size_t n = s.size();
  while (n > 0 && is_space(static_cast<unsigned char>(s[n - 1]))) --n;
  return s.size() - n;
}

std::size_t left_trim_length(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && is_space(static_cast<unsigned char>(s[n]))) ++n;
  return n;
}

int count_newlines(std::string_view s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// Go's %#U: U+0041 'A'.
std::string sharp_u(char32_t r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(r));
  std::string s = buf;
  if (r <= 0x10FFFF && go_is_print(r)) {
    s += " '";
    utf8::append(s, r);
    s += "'";
  }
  return s;
}

Tok keyword(std::string_view w) {
  if (w == "block") return Tok::Block;
  if (w == "break") return Tok::Break;
  if (w == "continue") return Tok::Continue;
  if (w == "define") return Tok::Define;
  if (w == "else") return Tok::Else;
  if (w == "end") return Tok::End;
  if (w == "if") return Tok::If;
  if (w == "range") return Tok::Range;
  if (w == "nil") return Tok::Nil;
  if (w == "template") return Tok::Template;
  if (w == "with") return Tok::With;
  return Tok::Error;
}

}  // namespace

std::string describe(const Item& item) {
  switch (item.type) {
    case Tok::Eof: return "EOF";
    case Tok::Error: return item.val;
    case Tok::Block: case Tok::Break: case Tok::Continue: case Tok::Dot: case Tok::Define:
    case Tok::Else: case Tok::End: case Tok::If: case Tok::Nil: case Tok::Range:
    case Tok::Template: case Tok::With:
      return "<" + item.val + ">";
    default: break;
  }
  if (item.val.size() > 10) {
    // Go: %.10q... (first ten runes, quoted).
    std::size_t pos = 0;
    int n = 0;
    while (pos < item.val.size() && n < 10) {
      int len = utf8::sequence_length(static_cast<unsigned char>(item.val[pos]));
      pos += len > 0 ? static_cast<std::size_t>(len) : 1;
      ++n;
    }
    if (pos > item.val.size()) pos = item.val.size();
    return go_quote(item.val.substr(0, pos)) + "...";
  }
  return go_quote(item.val);
}

Item Lexer::make(Tok t) {
  Item i{t, start_, std::string(input_.substr(start_, pos_ - start_)), start_line_};
  start_ = pos_;
  start_line_ = line_;
  return i;
}

Item Lexer::error(std::string msg) {
  Item i{Tok::Error, start_, std::move(msg), start_line_};
  done_ = true;
  return i;
}

void Lexer::ignore() {
  line_ += count_newlines(input_.substr(start_, pos_ - start_));
  start_ = pos_;
  start_line_ = line_;
}

char32_t Lexer::peek_rune() const {
  if (pos_ >= input_.size()) return kEof;
  std::size_t p = pos_;
  return utf8::decode(input_, p);
}

char32_t Lexer::next_rune() {
  if (pos_ >= input_.size()) return kEof;
  char32_t r = utf8::decode(input_, pos_);
  if (r == U'\n') ++line_;
  return r;
}

bool Lexer::accept(std::string_view valid) {
  if (pos_ < input_.size() && valid.find(input_[pos_]) != std::string_view::npos) {
    if (input_[pos_] == '\n') ++line_;
    ++pos_;
    return true;
  }
  return false;
}

void Lexer::accept_run(std::string_view valid) {
  while (accept(valid)) {
  }
}

bool Lexer::at_terminator() const {
  char32_t r = peek_rune();
  if (is_space(r)) return true;
  switch (r) {
    case kEof: case U'.': case U',': case U'|': case U':': case U')': case U'(': return true;
    default: break;
  }
  return input_.substr(pos_).starts_with(kRightDelim);
}

bool Lexer::at_right_delim(bool& trim) const {
  std::string_view rest = input_.substr(pos_);
  if (has_right_trim(rest) && rest.substr(2).starts_with(kRightDelim)) {
    trim = true;
    return true;
  }
  trim = false;
  return rest.starts_with(kRightDelim);
}

Item Lexer::next_item() {
  if (done_) return Item{Tok::Eof, pos_, "", start_line_};
  Item it = inside_action_ ? lex_inside_action() : lex_text();
  if (it.type == Tok::Eof) done_ = true;
  return it;
}

Item Lexer::lex_text() {
  for (;;) {
    std::size_t x = input_.find(kLeftDelim, pos_);
    if (x == std::string_view::npos) {
      pos_ = input_.size();
      if (pos_ > start_) {
        line_ += count_newlines(input_.substr(start_, pos_ - start_));
        return make(Tok::Text);
      }
      return make(Tok::Eof);
    }
    if (x > pos_) {
      pos_ = x;
      std::size_t trim = 0;
      std::size_t delim_end = pos_ + kLeftDelim.size();
      if (has_left_trim(input_.substr(delim_end))) trim = right_trim_length(input_.substr(start_, pos_ - start_));
      pos_ -= trim;
      line_ += count_newlines(input_.substr(start_, pos_ - start_));
      Item text = make(Tok::Text);
      pos_ += trim;
      ignore();
      if (!text.val.empty()) return text;
    }
    // Left delimiter, possibly a comment.
    pos_ += kLeftDelim.size();
    bool trim_space = has_left_trim(input_.substr(pos_));
    std::size_t after_marker = trim_space ? 2 : 0;
    if (input_.substr(pos_ + after_marker).starts_with("/*")) {
      pos_ += after_marker;
      ignore();
      pos_ += 2;
      std::size_t end = input_.find("*/", pos_);
      if (end == std::string_view::npos) return error("unclosed comment");
      pos_ = end + 2;
      bool trim = false;
      if (!at_right_delim(trim)) return error("comment ends before closing delimiter");
      if (trim) pos_ += 2;
      pos_ += kRightDelim.size();
      if (trim) pos_ += left_trim_length(input_.substr(pos_));
      ignore();
      continue;
    }
    start_ = pos_ - kLeftDelim.size();
    Item delim = make(Tok::LeftDelim);
    inside_action_ = true;
    pos_ += after_marker;
    ignore();
    paren_depth_ = 0;
    return delim;
  }
}

Item Lexer::lex_right_delim() {
  bool trim = false;
  at_right_delim(trim);
  if (trim) {
    pos_ += 2;
    ignore();
  }
  pos_ += kRightDelim.size();
  Item it = make(Tok::RightDelim);
  if (trim) {
    pos_ += left_trim_length(input_.substr(pos_));
    ignore();
  }
  inside_action_ = false;
  return it;
}

Item Lexer::lex_inside_action() {
  bool trim = false;
  if (at_right_delim(trim)) {
    if (paren_depth_ == 0) return lex_right_delim();
    return error("unclosed left paren");
  }
  char32_t r = next_rune();
  if (r == kEof) return error("unclosed action");
  if (is_space(r)) {
    // Put the space back in case it starts " -}}".
    pos_ = start_;
    line_ = start_line_;
    return lex_space();
  }
  switch (r) {
    case U'=': return make(Tok::Assign);
    case U':':
      if (next_rune() != U'=') return error("expected :=");
      return make(Tok::Declare);
    case U'|': return make(Tok::Pipe);
    case U'"': return lex_quote();
    case U'`': return lex_raw_quote();
    case U'$': return lex_field_or_variable(Tok::Variable);
    case U'\'': return lex_char();
    case U'.':
      if (pos_ < input_.size() && (input_[pos_] < '0' || input_[pos_] > '9'))
        return lex_field_or_variable(Tok::Field);
      pos_ = start_;
      return lex_number();
    case U'(':
      ++paren_depth_;
      return make(Tok::LeftParen);
    case U')':
      --paren_depth_;
      if (paren_depth_ < 0) return error("unexpected right paren");
      return make(Tok::RightParen);
    default: break;
  }
  if (r == U'+' || r == U'-' || (r >= U'0' && r <= U'9')) {
    pos_ = start_;
    return lex_number();
  }
  if (is_alnum(r)) {
    pos_ = start_;
    return lex_identifier();
  }
  if (r < 0x80 && r >= 0x20 && r < 0x7F) return make(Tok::Char);
  return error("unrecognized character in action: " + sharp_u(r));
}

Item Lexer::lex_space() {
  int spaces = 0;
  while (is_space(peek_rune())) {
    next_rune();
    ++spaces;
  }
  std::string_view before = input_.substr(pos_ - 1);
  if (has_right_trim(before) && before.substr(2).starts_with(kRightDelim)) {
    --pos_;  // before the space of " -}}"
    if (input_[pos_] == '\n') --line_;
    if (spaces == 1) return lex_right_delim();
  }
  return make(Tok::Space);
}

Item Lexer::lex_identifier() {
  while (is_alnum(peek_rune())) next_rune();
  std::string_view word = input_.substr(start_, pos_ - start_);
  if (!at_terminator()) return error("bad character " + sharp_u(peek_rune()));
  Tok kw = keyword(word);
  if (kw != Tok::Error) return make(kw);
  if (word == "true" || word == "false") return make(Tok::Bool);
  return make(Tok::Identifier);
}

Item Lexer::lex_field_or_variable(Tok t) {
  if (at_terminator()) return make(t == Tok::Variable ? Tok::Variable : Tok::Dot);
  while (is_alnum(peek_rune())) next_rune();
  if (!at_terminator()) return error("bad character " + sharp_u(peek_rune()));
  return make(t);
}

Item Lexer::lex_char() {
  for (;;) {
    char32_t r = next_rune();
    if (r == U'\\') {
      r = next_rune();
      if (r != kEof && r != U'\n') continue;
      return error("unterminated character constant");
    }
    if (r == kEof || r == U'\n') return error("unterminated character constant");
    if (r == U'\'') break;
  }
  return make(Tok::CharConstant);
}

bool Lexer::scan_number() {
  accept("+-");
  std::string_view digits = "0123456789_";
  bool decimal = true, hex = false;
  if (accept("0")) {
    if (accept("xX")) {
      digits = "0123456789abcdefABCDEF_";
      decimal = false;
      hex = true;
    } else if (accept("oO")) {
      digits = "01234567_";
      decimal = false;
    } else if (accept("bB")) {
      digits = "01_";
      decimal = false;
    }
  }
  accept_run(digits);
  if (accept(".")) accept_run(digits);
  if (decimal && accept("eE")) {
    accept("+-");
    accept_run("0123456789_");
  }
  if (hex && accept("pP")) {
    accept("+-");
    accept_run("0123456789_");
  }
  accept("i");
  if (is_alnum(peek_rune())) {
    next_rune();
    return false;
  }
  return true;
}

Item Lexer::lex_number() {
  if (!scan_number()) return error("bad number syntax: " + go_quote(input_.substr(start_, pos_ - start_)));
  char32_t sign = peek_rune();
  if (sign == U'+' || sign == U'-') {
    if (!scan_number() || input_[pos_ - 1] != 'i')
      return error("bad number syntax: " + go_quote(input_.substr(start_, pos_ - start_)));
    return make(Tok::Complex);
  }
  return make(Tok::Number);
}

Item Lexer::lex_quote() {
  for (;;) {
    char32_t r = next_rune();
    if (r == U'\\') {
      r = next_rune();
      if (r != kEof && r != U'\n') continue;
      return error("unterminated quoted string");
    }
    if (r == kEof || r == U'\n') return error("unterminated quoted string");
    if (r == U'"') break;
  }
  return make(Tok::String);
}

Item Lexer::lex_raw_quote() {
  for (;;) {
    char32_t r = next_rune();
    if (r == kEof) return error("unterminated raw quoted string");
    if (r == U'`') break;
  }
  return make(Tok::RawString);
}

}  // namespace corral::gotmpl
