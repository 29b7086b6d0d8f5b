// tokenizer::Vocab: everything a model file says about its tokenizer, in the
// form GGUF stores it (tokenizer.ggml.* keys): token texts, scores and types,
// BPE merges, special token ids, flags, pre-tokenizer name, chat template.
// Loaders (GGUF, Hugging Face folder) fill it; the GGUF writer reads it back
// out; Tokenizer builds its lookup tables from it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace corral::tokenizer {

using TokenId = std::int32_t;
inline constexpr TokenId kNoToken = -1;

// Token types, numbered as GGUF (and SentencePiece) number them.
enum class TokenType : std::int32_t {
  UNDEFINED = 0,
  NORMAL = 1,
  UNKNOWN = 2,
  CONTROL = 3,
  USER_DEFINED = 4,
  UNUSED = 5,
  BYTE = 6,
};

// The algorithm family, from tokenizer.ggml.model.
enum class ModelKind {
  SentencePiece,  // "llama": score-based merges over characters, byte fallback, ▁ for spaces
  BytePairBPE,    // "gpt2": byte-level BPE with a regex pre-tokenizer
  WordPiece,      // "bert": greedy longest match after BERT normalisation
};

struct Vocab {
  std::string model = "llama";  // tokenizer.ggml.model: "llama", "gpt2" or "bert"
  std::string pre;              // tokenizer.ggml.pre ("" when absent)
  std::vector<std::string> tokens;
  std::vector<float> scores;      // empty, or one per token
  std::vector<TokenType> types;   // one per token
  std::vector<std::string> merges;  // "left right", in rank order

  TokenId bos = kNoToken, eos = kNoToken, eot = kNoToken, eom = kNoToken;
  TokenId unk = kNoToken, sep = kNoToken, pad = kNoToken, mask = kNoToken, cls = kNoToken;
  TokenId fim_pre = kNoToken, fim_suf = kNoToken, fim_mid = kNoToken;
  TokenId fim_pad = kNoToken, fim_rep = kNoToken, fim_sep = kNoToken;

  bool add_bos = false;
  bool add_eos = false;
  bool add_space_prefix = false;
  bool has_add_space_prefix_key = false;  // write tokenizer.ggml.add_space_prefix back only if it was set

  std::string chat_template;  // tokenizer.chat_template ("" when absent)

  // End-of-generation ids (sorted), computed by finish_vocab() as llama.cpp does.
  std::vector<TokenId> eog_ids;

  std::size_t size() const { return tokens.size(); }
  bool valid_id(TokenId id) const { return id >= 0 && static_cast<std::size_t>(id) < tokens.size(); }
  TokenType type(TokenId id) const { return types[static_cast<std::size_t>(id)]; }
  float score(TokenId id) const { return scores.empty() ? 0.0f : scores[static_cast<std::size_t>(id)]; }
  ModelKind kind() const;
};

// Checks sizes and ids (throws Error naming `source`), fills in missing
// scores/types, replaces empty token texts as llama.cpp does, and computes
// eog_ids. Loaders call it last.
void finish_vocab(Vocab& v, std::string_view source);

// The end-of-generation set as llama.cpp computes it: eos, eot, eom,
// fim pad/repo/sep, and every token whose text is one of <|eot_id|>,
// <|im_end|>, <|end|>, <end_of_turn>, <|endoftext|>, <|eom_id|>, <EOT>, ...
std::vector<TokenId> compute_eog_ids(const Vocab& v);

// Ids that llama.cpp treats as CONTROL although the file says otherwise
// (end-of-turn and fill-in-the-middle tokens found by their text).
std::vector<TokenId> control_overrides(const Vocab& v);

std::string_view token_type_name(TokenType t);

}  // namespace corral::tokenizer
