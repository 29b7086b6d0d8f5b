// TokenTrie: the byte strings of a vocabulary's text tokens as a trie laid
// out in depth-first order, so that a walk can skip a whole subtree (every
// token that starts with a rejected prefix) by jumping to its end. Built once
// per tokenizer (for_tokenizer caches it); immutable.
//
// Only tokens that stand for text take part (types NORMAL and BYTE with a
// non-empty piece); control, user-defined, unused and unknown tokens never
// fit a grammar. End-of-generation ids are listed apart.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "tokenizer/tokenizer.h"

namespace corral::grammar {

class TokenTrie {
 public:
  explicit TokenTrie(const tokenizer::Tokenizer& tok);
  // The trie of `tok`, built on first use and kept while `tok` lives.
  static std::shared_ptr<const TokenTrie> for_tokenizer(const std::shared_ptr<const tokenizer::Tokenizer>& tok);

  // Node 0 is the root (the empty prefix); node i's subtree is [i, end(i)).
  std::size_t size() const { return bytes_.size(); }
  std::uint8_t byte(std::size_t i) const { return bytes_[i]; }
  std::uint16_t depth(std::size_t i) const { return depth_[i]; }
  std::uint32_t end(std::size_t i) const { return end_[i]; }
  // Tokens whose bytes are exactly the path to node i.
  std::span<const std::int32_t> tokens(std::size_t i) const {
    return {tokens_.data() + tok_begin_[i], tokens_.data() + tok_begin_[i + 1]};
  }
  std::size_t max_depth() const { return max_depth_; }
  std::size_t vocab_size() const { return vocab_size_; }
  std::size_t text_tokens() const { return tokens_.size(); }
  const std::vector<std::int32_t>& eog() const { return eog_; }

 private:
  std::vector<std::uint8_t> bytes_;
  std::vector<std::uint16_t> depth_;
  std::vector<std::uint32_t> end_;
  std::vector<std::uint32_t> tok_begin_;  // size() + 1 entries
  std::vector<std::int32_t> tokens_;
  std::vector<std::int32_t> eog_;
  std::size_t max_depth_ = 0;
  std::size_t vocab_size_ = 0;
};

}  // namespace corral::grammar
