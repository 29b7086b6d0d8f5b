// Open-addressing tables for token texts and merge pairs.
#include "tokenizer/text_index.h"

namespace corral::tokenizer {

void TextIndex::insert(std::string_view text, TokenId id) {
  if (text.size() >= (1u << 24)) return;  // no token is that long; never indexed
  const std::uint64_t h = hash_text(text);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.id == kNoToken) {
      s.tag = tag;
      s.id = id;
      s.offset = arena_.size();
      s.length = text.size();
      arena_.append(text);
      return;
    }
    if (s.tag == tag && text_of(s) == text) return;  // the first of equal texts wins
  }
}

TokenId TextIndex::find(std::string_view text) const {
  if (slots_.empty()) return kNoToken;
  const std::uint64_t h = hash_text(text);
  const auto tag = static_cast<std::uint32_t>(h >> 32);
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = h & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.id == kNoToken) return kNoToken;
    if (s.tag == tag && text_of(s) == text) return s.id;
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
