// Byte-level BPE encoding with a per-call piece cache.
#include "tokenizer/byte_level_bpe_encoder.h"

#include <unordered_map>

#include "tokenizer/bpe_merge.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/pre_config.h"
#include "util/log.h"
#include "util/utf8.h"

namespace corral::tokenizer {

namespace {

PreConfig checked_pre_config(const Vocab& vocab) {
  PreConfig c = pre_config(vocab.pre);
  if (!c.known) log::warn("tokenizer: unknown pre-tokenizer '{}', using the default regexes", vocab.pre);
  return c;
}

}  // namespace

ByteLevelBpeEncoder::ByteLevelBpeEncoder(const Vocab& vocab, const TextIndex& index)
    : index_(index), pre_(checked_pre_config(vocab).regexes), ignore_merges_(pre_config(vocab.pre).ignore_merges) {
  merges_ = build_pair_index(vocab.merges, index);
  for (unsigned b = 0; b < 256; ++b)
    byte_ids_[b] = index.find(byte_level::encode(std::string(1, static_cast<char>(b))));
}

void ByteLevelBpeEncoder::encode(std::string_view text, bool, std::vector<TokenId>& out) const {
  struct Span {
    std::uint32_t begin, size;
  };
  std::unordered_map<std::string_view, Span> cache;
  std::vector<TokenId> cached;  // ids of cached pieces, back to back
  std::vector<TokenId> initial;
  std::string mapped;
  BpeScratch scratch;
  pre_.split(text, [&](std::string_view piece) {
    if (auto it = cache.find(piece); it != cache.end()) {
      out.insert(out.end(), cached.begin() + it->second.begin, cached.begin() + it->second.begin + it->second.size);
      return;
    }
    const std::size_t before = out.size();
    TokenId whole = kNoToken;
    if (ignore_merges_) {
      mapped.clear();
      for (unsigned char b : piece) utf8::append(mapped, byte_level::to_code_point(b));
      whole = index_.find(mapped);
    }
    if (whole != kNoToken) {
      out.push_back(whole);
    } else {
      initial.clear();
      for (unsigned char b : piece) initial.push_back(byte_ids_[b]);
      bpe_merge(initial, merges_, scratch, out);
    }
    if (piece.size() <= 256) {
      cache.emplace(piece, Span{static_cast<std::uint32_t>(cached.size()), static_cast<std::uint32_t>(out.size() - before)});
      cached.insert(cached.end(), out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
    }
  });
}

}  // namespace corral::tokenizer
