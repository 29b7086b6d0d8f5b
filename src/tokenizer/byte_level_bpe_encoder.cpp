// Byte-level BPE encoding with a per-call piece cache.
#include "tokenizer/byte_level_bpe_encoder.h"

#include "tokenizer/bpe_merge.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/pre_config.h"
#include "util/log.h"

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
  for (unsigned b = 0; b < 256; ++b) {
    byte_text_[b] = byte_level::encode(std::string(1, static_cast<char>(b)));
    byte_ids_[b] = index.find(byte_text_[b]);
  }
}

void ByteLevelBpeEncoder::encode(std::string_view text, bool, std::vector<TokenId>& out) const {
  LocalPieceCache local;
  std::vector<TokenId> initial;
  std::string mapped;
  BpeScratch scratch;
  pre_.split(text, [&](std::string_view piece) {
    const std::uint64_t hash = hash_text(piece);
    if (local.find(piece, hash, out)) return;
    const std::size_t before = out.size();
    TokenId whole = kNoToken;
    if (ignore_merges_) {  // one lookup: cheaper than the shared cache
      mapped.clear();
      for (unsigned char b : piece) mapped.append(byte_text_[b]);
      whole = index_.find(mapped);
    }
    if (whole != kNoToken) {
      out.push_back(whole);
    } else if (!shared_cache_.find(piece, hash, out)) {
      initial.clear();
      for (unsigned char b : piece) initial.push_back(byte_ids_[b]);
      bpe_merge(initial, merges_, scratch, out);
      shared_cache_.insert(piece, hash, std::span(out).subspan(before));
    }
    local.insert(piece, hash, std::span(out).subspan(before));
  });
}

}  // namespace corral::tokenizer
