// SpecialSplitter: finds special-token texts (control, user-defined, unknown
// tokens) written inside a text, leftmost-longest, and cuts the text into
// plain-text fragments and token ids. A trie over the token texts makes
// this one pass over the text.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/vocab.h"

namespace corral::tokenizer {

struct Fragment {
  std::string_view text;   // plain text (empty when this is a token)
  TokenId token = kNoToken;  // a matched special token
  bool is_token() const { return token != kNoToken; }
};

class SpecialSplitter {
 public:
  // `types` are the effective token types. Control and unknown tokens are
  // matched only when parse_special is set; user-defined tokens always.
  SpecialSplitter(const std::vector<std::string>& tokens, const std::vector<TokenType>& types);

  void split(std::string_view text, bool parse_special, std::vector<Fragment>& out) const;

 private:
  struct Node {
    std::uint32_t first_edge = 0;
    std::uint32_t n_edges = 0;
    TokenId token = kNoToken;
    bool always = false;  // user-defined: matched even without parse_special
  };
  struct Edge {
    unsigned char byte;
    std::uint32_t child;
  };
  // Longest match at text[pos...]: its length (0 if none) and token.
  std::size_t match_at(std::string_view text, std::size_t pos, bool parse_special, TokenId& token) const;

  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::array<std::uint8_t, 256> first_byte_{};  // 1: some token starts with this byte; 2: a user-defined one
};

}  // namespace corral::tokenizer
