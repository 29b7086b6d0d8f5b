// TextIndex: token text -> id lookup by string_view without allocating
// (open addressing over the texts it was built from; the texts must outlive it).
// PairIndex: (left id, right id) -> (merge rank, merged id) for BPE merges.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/vocab.h"

namespace corral::tokenizer {

class TextIndex {
 public:
  TextIndex() = default;
  // Indexes texts[i] -> i for every i with include(i); the first of equal texts wins.
  template <typename Include>
  void build(const std::vector<std::string>& texts, Include include) {
    texts_ = &texts;
    std::size_t cap = 16;
    while (cap < texts.size() * 2) cap <<= 1;
    slots_.assign(cap, kNoToken);
    for (std::size_t i = 0; i < texts.size(); ++i)
      if (include(static_cast<TokenId>(i))) insert(static_cast<TokenId>(i));
  }
  void build(const std::vector<std::string>& texts) {
    build(texts, [](TokenId) { return true; });
  }
  TokenId find(std::string_view text) const;

 private:
  static std::uint64_t hash(std::string_view s);
  void insert(TokenId id);
  const std::vector<std::string>* texts_ = nullptr;
  std::vector<TokenId> slots_;
};

class PairIndex {
 public:
  struct Merge {
    std::int32_t rank = -1;
    TokenId result = kNoToken;
  };
  void reserve(std::size_t n);
  // Keeps the first (lowest-rank) entry for a pair.
  void insert(TokenId left, TokenId right, Merge m);
  Merge find(TokenId left, TokenId right) const {
    if (slots_.empty()) return {};
    const std::uint64_t key = pack(left, right);
    std::size_t i = mix(key) & mask_;
    while (true) {
      const Slot& s = slots_[i];
      if (s.key == key) return s.merge;
      if (s.key == kEmpty) return {};
      i = (i + 1) & mask_;
    }
  }
  std::size_t size() const { return count_; }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  static std::uint64_t pack(TokenId a, TokenId b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
  }
  static std::uint64_t mix(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return k;
  }
  struct Slot {
    std::uint64_t key = kEmpty;
    Merge merge;
  };
  void grow();
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t count_ = 0;
};

}  // namespace corral::tokenizer
