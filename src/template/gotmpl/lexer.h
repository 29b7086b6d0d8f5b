// Tokenizer for Go text/template source, following Go's lexer: text,
// {{ }} actions with "{{- " / " -}}" whitespace trimming, comments, and the
// tokens inside actions (fields, variables, strings, numbers, keywords...).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace corral::gotmpl {

enum class Tok {
  Error, Bool, Char, CharConstant, Complex, Assign, Declare, Eof, Field, Identifier,
  LeftDelim, LeftParen, Number, Pipe, RawString, RightDelim, RightParen, Space, String,
  Text, Variable,
  // keywords
  Block, Break, Continue, Dot, Define, Else, End, If, Nil, Range, Template, With
};

struct Item {
  Tok type = Tok::Eof;
  std::size_t pos = 0;
  std::string val;
  int line = 1;
};

// Go's description of a token in error messages: "<if>", "\"x\"", "EOF".
std::string describe(const Item& item);

class Lexer {
 public:
  explicit Lexer(std::string_view input) : input_(input) {}
  Item next_item();

 private:
  std::string_view input_;
  std::size_t pos_ = 0, start_ = 0;
  int line_ = 1, start_line_ = 1;
  int paren_depth_ = 0;
  bool inside_action_ = false;
  bool done_ = false;

  Item make(Tok t);
  Item error(std::string msg);
  void ignore();
  char32_t peek_rune() const;
  char32_t next_rune();
  bool accept(std::string_view valid);
  void accept_run(std::string_view valid);
  bool at_terminator() const;
  bool at_right_delim(bool& trim) const;

  Item lex_text();
  Item lex_inside_action();
  Item lex_right_delim();
  Item lex_space();
  Item lex_identifier();
  Item lex_field_or_variable(Tok t);
  Item lex_char();
  Item lex_number();
  Item lex_quote();
  Item lex_raw_quote();
  bool scan_number();
};

}  // namespace corral::gotmpl
