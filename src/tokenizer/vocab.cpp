// Vocab checks and the derived end-of-generation set.
#include "tokenizer/vocab.h"

#include <algorithm>
#include <array>
#include <unordered_map>

#include "util/error.h"

namespace corral::tokenizer {

ModelKind Vocab::kind() const {
  if (model == "gpt2") return ModelKind::BytePairBPE;
  if (model == "bert") return ModelKind::WordPiece;
  return ModelKind::SentencePiece;
}

std::string_view token_type_name(TokenType t) {
  switch (t) {
    case TokenType::UNDEFINED: return "undefined";
    case TokenType::NORMAL: return "normal";
    case TokenType::UNKNOWN: return "unknown";
    case TokenType::CONTROL: return "control";
    case TokenType::USER_DEFINED: return "user-defined";
    case TokenType::UNUSED: return "unused";
    case TokenType::BYTE: return "byte";
  }
  return "invalid";
}

namespace {

// Token texts llama.cpp recognises as end of generation.
constexpr std::array<std::string_view, 11> kEogTexts = {
    "<|eot_id|>", "<|im_end|>",  "<|end|>",    "<end_of_turn>", "<|endoftext|>",      "<|eom_id|>",
    "<EOT>",      "_<EOT>",      "<|return|>", "<|call|>",      "<end_of_utterance>",
};
// Text-detected end-of-turn / end-of-message / fill-in-the-middle tokens (llama.cpp's lists).
constexpr std::array<std::string_view, 7> kEotTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "<\xef\xbd\x9c" "end\xe2\x96\x81of\xe2\x96\x81sentence\xef\xbd\x9c>",
};
constexpr std::array<std::string_view, 3> kFimPadTexts = {"<|fim_pad|>", "<fim-pad>", "<PAD>"};
constexpr std::array<std::string_view, 4> kFimRepTexts = {"<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>"};
constexpr std::array<std::string_view, 1> kFimSepTexts = {"<|file_sep|>"};
constexpr std::array<std::string_view, 4> kFimPreTexts = {"<|fim_prefix|>", "<fim-prefix>", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "begin\xef\xbd\x9c>", "<PRE>"};
constexpr std::array<std::string_view, 4> kFimSufTexts = {"<|fim_suffix|>", "<fim-suffix>", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "hole\xef\xbd\x9c>", "<SUF>"};
constexpr std::array<std::string_view, 4> kFimMidTexts = {"<|fim_middle|>", "<fim-middle>", "<\xef\xbd\x9c" "fim\xe2\x96\x81" "end\xef\xbd\x9c>", "<MID>"};

template <std::size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

struct Detected {
  TokenId eot, eom, fim_pre, fim_suf, fim_mid, fim_pad, fim_rep, fim_sep;
};

// One pass over the texts: the lowest id matching each list, unless the file set the id.
Detected detect(const Vocab& v) {
  static constexpr std::array<std::string_view, 1> kEomTexts = {"<|eom_id|>"};
  Detected d{v.eot, v.eom, v.fim_pre, v.fim_suf, v.fim_mid, v.fim_pad, v.fim_rep, v.fim_sep};
  auto consider = [](TokenId& slot, bool match, std::size_t i) {
    if (slot == kNoToken && match) slot = static_cast<TokenId>(i);
  };
  for (std::size_t i = 0; i < v.tokens.size(); ++i) {
    std::string_view t = v.tokens[i];
    if (t.size() < 5 || t.size() > 40 || (t[0] != '<' && t[0] != '_')) continue;
    consider(d.eot, in(kEotTexts, t), i);
    consider(d.eom, in(kEomTexts, t), i);
    consider(d.fim_pre, in(kFimPreTexts, t), i);
    consider(d.fim_suf, in(kFimSufTexts, t), i);
    consider(d.fim_mid, in(kFimMidTexts, t), i);
    consider(d.fim_pad, in(kFimPadTexts, t), i);
    consider(d.fim_rep, in(kFimRepTexts, t), i);
    consider(d.fim_sep, in(kFimSepTexts, t), i);
  }
  return d;
}

}  // namespace

std::vector<TokenId> compute_eog_ids(const Vocab& v) {
  const Detected d = detect(v);
  std::vector<TokenId> out;
  for (TokenId id : {d.fim_pad, d.fim_rep, d.fim_sep, v.eos, d.eot, d.eom})
    if (v.valid_id(id)) out.push_back(id);
  for (std::size_t i = 0; i < v.tokens.size(); ++i)
    if (in(kEogTexts, v.tokens[i])) out.push_back(static_cast<TokenId>(i));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<TokenId> control_overrides(const Vocab& v) {
  const Detected d = detect(v);
  std::vector<TokenId> out;
  // Only ids found by their text are overridden; ids from metadata keep their type.
  auto add_detected = [&](TokenId from_file, TokenId found) {
    if (from_file == kNoToken && v.valid_id(found)) out.push_back(found);
  };
  add_detected(v.eot, d.eot);
  add_detected(v.eom, d.eom);
  add_detected(v.fim_pre, d.fim_pre);
  add_detected(v.fim_suf, d.fim_suf);
  add_detected(v.fim_mid, d.fim_mid);
  add_detected(v.fim_pad, d.fim_pad);
  add_detected(v.fim_rep, d.fim_rep);
  add_detected(v.fim_sep, d.fim_sep);
  for (std::size_t i = 0; i < v.tokens.size(); ++i)
    if (in(kEogTexts, v.tokens[i])) out.push_back(static_cast<TokenId>(i));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

void finish_vocab(Vocab& v, std::string_view source) {
  const std::size_t n = v.tokens.size();
  if (n == 0) fail("{}: the vocabulary has no tokens", source);
  if (n > static_cast<std::size_t>(INT32_MAX)) fail("{}: the vocabulary has too many tokens ({})", source, n);
  if (v.model != "llama" && v.model != "gpt2" && v.model != "bert")
    fail("{}: unsupported tokenizer model '{}' (supported: llama, gpt2, bert)", source, v.model);
  if (!v.scores.empty() && v.scores.size() != n)
    fail("{}: {} token scores for {} tokens", source, v.scores.size(), n);
  if (v.types.empty()) v.types.assign(n, TokenType::NORMAL);
  if (v.types.size() != n) fail("{}: {} token types for {} tokens", source, v.types.size(), n);
  for (auto& t : v.types) {
    auto raw = static_cast<std::int32_t>(t);
    if (raw < 0 || raw > 6) t = TokenType::UNDEFINED;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (v.tokens[i].empty()) v.tokens[i] = "[EMPTY_" + std::to_string(i) + "]";
  // Special ids outside the vocabulary are dropped (llama.cpp warns and ignores them).
  for (TokenId* id : {&v.bos, &v.eos, &v.eot, &v.eom, &v.unk, &v.sep, &v.pad, &v.mask, &v.cls, &v.fim_pre,
                      &v.fim_suf, &v.fim_mid, &v.fim_pad, &v.fim_rep, &v.fim_sep})
    if (*id != kNoToken && !v.valid_id(*id)) *id = kNoToken;
  v.eog_ids = compute_eog_ids(v);
}

}  // namespace corral::tokenizer
