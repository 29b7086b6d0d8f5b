// Open-addressing tables for token texts and merge pairs.
#include "tokenizer/text_index.h"

namespace corral::tokenizer {

std::uint64_t TextIndex::hash(std::string_view s) {
  // FNV-1a, 64-bit: short keys, good enough spread with linear probing.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h ^ (h >> 29);
}

void TextIndex::insert(TokenId id) {
  const std::string& text = (*texts_)[static_cast<std::size_t>(id)];
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash(text) & mask;
  while (slots_[i] != kNoToken) {
    if ((*texts_)[static_cast<std::size_t>(slots_[i])] == text) return;  // keep the first
    i = (i + 1) & mask;
  }
  slots_[i] = id;
}

TokenId TextIndex::find(std::string_view text) const {
  if (slots_.empty()) return kNoToken;
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash(text) & mask;
  while (true) {
    TokenId id = slots_[i];
    if (id == kNoToken) return kNoToken;
    if ((*texts_)[static_cast<std::size_t>(id)] == text) return id;
    i = (i + 1) & mask;
  }
}

void PairIndex::reserve(std::size_t n) {
  std::size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  if (cap <= slots_.size()) return;
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(cap, Slot{});
  mask_ = cap - 1;
  count_ = 0;
  for (const Slot& s : old)
    if (s.key != kEmpty) insert(static_cast<TokenId>(s.key >> 32), static_cast<TokenId>(s.key & 0xffffffffu), s.merge);
}

void PairIndex::grow() { reserve(slots_.empty() ? 8 : slots_.size()); }

void PairIndex::insert(TokenId left, TokenId right, Merge m) {
  if ((count_ + 1) * 2 > slots_.size()) grow();
  const std::uint64_t key = pack(left, right);
  std::size_t i = mix(key) & mask_;
  while (slots_[i].key != kEmpty) {
    if (slots_[i].key == key) return;  // the lower rank was inserted first
    i = (i + 1) & mask_;
  }
  slots_[i].key = key;
  slots_[i].merge = m;
  ++count_;
}

}  // namespace corral::tokenizer
