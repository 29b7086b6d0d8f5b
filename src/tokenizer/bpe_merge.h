// The BPE merge loop shared by byte-level BPE and merge-ranked SentencePiece:
// repeatedly merges the adjacent pair with the lowest merge rank (leftmost
// first on ties) until no listed pair is left. A priority queue with lazy
// invalidation keeps long words O(n log n).
#pragma once

#include <span>
#include <vector>

#include "tokenizer/text_index.h"
#include "tokenizer/vocab.h"

namespace corral::tokenizer {

// Reusable buffers, so that merging many words allocates nothing.
struct BpeScratch {
  struct Symbol {
    TokenId id;
    std::int32_t prev, next;
  };
  struct Candidate {
    std::int32_t rank;
    std::int32_t left, right;
    TokenId left_id, right_id, result;
  };
  std::vector<Symbol> symbols;
  std::vector<Candidate> heap;
};

// Merges `initial` (token ids; kNoToken entries never merge and are dropped)
// and appends the resulting ids to `out`.
void bpe_merge(std::span<const TokenId> initial, const PairIndex& merges, BpeScratch& scratch,
               std::vector<TokenId>& out);

// Builds the pair index from "left right" merge strings; merges naming a
// text that is not a token (or whose result is not one) are skipped.
PairIndex build_pair_index(const std::vector<std::string>& merges, const TextIndex& tokens);

}  // namespace corral::tokenizer
