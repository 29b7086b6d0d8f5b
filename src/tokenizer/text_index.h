// TextIndex: token text -> id lookup by string_view without allocating
// (open addressing; the texts are copied into one contiguous arena).
// PairIndex: (left id, right id) -> (merge rank, merged id) for BPE merges.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/vocab.h"

namespace corral::tokenizer {

// A fast 64-bit hash of a short byte string (8 bytes at a time).
inline std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 0x9e3779b97f4a7c15ULL ^ s.size();
  const char* p = s.data();
  std::size_t n = s.size();
  while (n >= 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    h = (h ^ v) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  std::uint64_t v = 0;
  std::memcpy(&v, p, n);
  h = (h ^ v) * 0x94d049bb133111ebULL;
  return h ^ (h >> 29);
}

class TextIndex {
 public:
  TextIndex() = default;
  // Indexes texts[i] -> i for every i with include(i); the first of equal texts wins.
  template <typename Include>
  void build(const std::vector<std::string>& texts, Include include) {
    std::size_t cap = 16;
    while (cap < texts.size() * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
    arena_.clear();
    for (std::size_t i = 0; i < texts.size(); ++i)
      if (include(static_cast<TokenId>(i))) insert(texts[i], static_cast<TokenId>(i));
  }
  void build(const std::vector<std::string>& texts) {
    build(texts, [](TokenId) { return true; });
  }
  TokenId find(std::string_view text) const;

 private:
  // The text lives in arena_, next to its neighbours: one memory access to compare.
  struct Slot {
    std::uint32_t tag = 0;  // high bits of the text's hash, compared first
    TokenId id = kNoToken;
    std::uint64_t offset : 40 = 0;
    std::uint64_t length : 24 = 0;
  };
  std::string_view text_of(const Slot& s) const { return {arena_.data() + s.offset, static_cast<std::size_t>(s.length)}; }
  void insert(std::string_view text, TokenId id);
  std::vector<Slot> slots_;
  std::string arena_;
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
