// Tokenizer for Jinja2 templates as Hugging Face configures them
// (trim_blocks and lstrip_blocks on, keep_trailing_newline off): data text,
// {{ }} / {% %} tags with "-" / "+" whitespace control, {# #} comments,
// {% raw %} blocks, and the tokens of expressions inside tags.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace corral::jinja {

enum class TokenType { Data, VarBegin, VarEnd, BlockBegin, BlockEnd, Name, Int, Float, String, Op, Eof };

struct Token {
  TokenType type = TokenType::Eof;
  std::string value;  // data text, name, decoded string, operator, number text
  int line = 1;
};

struct LexOptions {
  bool trim_blocks = true;
  bool lstrip_blocks = true;
  bool keep_trailing_newline = false;
};

// Splits a whole template into tokens; throws corral::Error on bad syntax.
std::vector<Token> tokenize(std::string_view source, const LexOptions& options = {});

}  // namespace corral::jinja
