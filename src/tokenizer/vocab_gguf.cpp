// tokenizer.ggml.* metadata keys, read and written.
#include "tokenizer/vocab_gguf.h"

#include <optional>
#include <utility>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "tokenizer/pre_config.h"
#include "util/error.h"

namespace corral::tokenizer {

namespace {

struct IdKey {
  const char* key;
  TokenId Vocab::*field;
};

// Key names as GGUF spells them (including "seperator").
constexpr IdKey kIdKeys[] = {
    {"tokenizer.ggml.bos_token_id", &Vocab::bos},        {"tokenizer.ggml.eos_token_id", &Vocab::eos},
    {"tokenizer.ggml.eot_token_id", &Vocab::eot},        {"tokenizer.ggml.eom_token_id", &Vocab::eom},
    {"tokenizer.ggml.unknown_token_id", &Vocab::unk},    {"tokenizer.ggml.seperator_token_id", &Vocab::sep},
    {"tokenizer.ggml.padding_token_id", &Vocab::pad},    {"tokenizer.ggml.mask_token_id", &Vocab::mask},
    {"tokenizer.ggml.cls_token_id", &Vocab::cls},        {"tokenizer.ggml.fim_pre_token_id", &Vocab::fim_pre},
    {"tokenizer.ggml.fim_suf_token_id", &Vocab::fim_suf}, {"tokenizer.ggml.fim_mid_token_id", &Vocab::fim_mid},
    {"tokenizer.ggml.fim_pad_token_id", &Vocab::fim_pad}, {"tokenizer.ggml.fim_rep_token_id", &Vocab::fim_rep},
    {"tokenizer.ggml.fim_sep_token_id", &Vocab::fim_sep},
};

// Older names of the fill-in-the-middle keys.
constexpr std::pair<const char*, TokenId Vocab::*> kDeprecatedIdKeys[] = {
    {"tokenizer.ggml.prefix_token_id", &Vocab::fim_pre},
    {"tokenizer.ggml.suffix_token_id", &Vocab::fim_suf},
    {"tokenizer.ggml.middle_token_id", &Vocab::fim_mid},
};

std::optional<TokenId> read_id(const gguf::File& f, const char* key) {
  auto v = f.get_int(key);
  if (!v) return std::nullopt;
  if (*v < 0 || *v > INT32_MAX) return kNoToken;
  return static_cast<TokenId>(*v);
}

// llama.cpp's defaults for a model family when the file names no ids.
void apply_defaults(Vocab& v) {
  switch (v.kind()) {
    case ModelKind::SentencePiece:
      v.bos = 1, v.eos = 2, v.unk = 0;
      v.add_bos = true, v.add_space_prefix = true;
      break;
    case ModelKind::WordPiece:
      v.bos = 101, v.unk = 100, v.sep = 102, v.pad = 0, v.mask = 103;
      v.add_bos = true;
      break;
    case ModelKind::BytePairBPE:
      v.bos = 11, v.eos = 11;
      v.add_bos = pre_config(v.pre).add_bos;
      break;
  }
}

}  // namespace

Vocab vocab_from_gguf(const gguf::File& f) {
  const std::string& name = f.name();
  Vocab v;
  auto model = f.get_string("tokenizer.ggml.model");
  if (!model) fail("{}: no tokenizer in the file (tokenizer.ggml.model is missing)", name);
  v.model = *model;
  if (v.model != "llama" && v.model != "gpt2" && v.model != "bert")
    fail("{}: unsupported tokenizer model '{}' (supported: llama, gpt2, bert)", name, v.model);
  if (auto pre = f.get_string("tokenizer.ggml.pre")) v.pre = *pre;
  auto tokens = f.get_string_array("tokenizer.ggml.tokens");
  if (!tokens) fail("{}: tokenizer.ggml.tokens is missing", name);
  v.tokens = std::move(*tokens);
  if (auto scores = f.get_float_array("tokenizer.ggml.scores")) v.scores = std::move(*scores);
  if (auto types = f.get_int_array("tokenizer.ggml.token_type")) {
    v.types.reserve(types->size());
    for (std::int64_t t : *types)
      v.types.push_back(t >= 0 && t <= 6 ? static_cast<TokenType>(t) : TokenType::UNDEFINED);
  }
  if (auto merges = f.get_string_array("tokenizer.ggml.merges"))
    v.merges = std::move(*merges);
  else if (v.kind() == ModelKind::BytePairBPE)
    fail("{}: a gpt2 (BPE) vocabulary needs tokenizer.ggml.merges", name);

  apply_defaults(v);
  // An id outside the vocabulary is ignored, keeping the default (as llama.cpp does).
  auto set_id = [&](const char* key, TokenId Vocab::*field) {
    if (auto id = read_id(f, key); id && v.valid_id(*id)) v.*field = *id;
  };
  for (const auto& [key, field] : kDeprecatedIdKeys) set_id(key, field);
  for (const IdKey& k : kIdKeys) set_id(k.key, k.field);
  if (v.kind() == ModelKind::WordPiece && !f.find("tokenizer.ggml.bos_token_id") && v.cls != kNoToken) v.bos = v.cls;
  if (auto b = f.get_bool("tokenizer.ggml.add_bos_token")) v.add_bos = *b;
  if (auto b = f.get_bool("tokenizer.ggml.add_eos_token")) v.add_eos = *b;
  if (auto b = f.get_bool("tokenizer.ggml.add_space_prefix")) {
    v.add_space_prefix = *b;
    v.has_add_space_prefix_key = true;
  }
  if (auto t = f.get_string("tokenizer.chat_template")) v.chat_template = *t;
  finish_vocab(v, name);
  return v;
}

void write_vocab_metadata(const Vocab& v, gguf::Writer& w) {
  using gguf::Value;
  w.set("tokenizer.ggml.model", Value::string(v.model));
  if (!v.pre.empty())
    w.set("tokenizer.ggml.pre", Value::string(v.pre));
  else
    w.remove("tokenizer.ggml.pre");
  w.set("tokenizer.ggml.tokens", Value::string_array(v.tokens));
  if (!v.scores.empty())
    w.set("tokenizer.ggml.scores", Value::f32_array(v.scores));
  else
    w.remove("tokenizer.ggml.scores");
  std::vector<std::int32_t> types;
  types.reserve(v.types.size());
  for (TokenType t : v.types) types.push_back(static_cast<std::int32_t>(t));
  w.set("tokenizer.ggml.token_type", Value::i32_array(types));
  if (!v.merges.empty())
    w.set("tokenizer.ggml.merges", Value::string_array(v.merges));
  else
    w.remove("tokenizer.ggml.merges");
  for (const IdKey& k : kIdKeys) {
    const TokenId id = v.*(k.field);
    // BERT files name the [CLS] token only; the reader makes it the BOS token.
    const bool bos_is_cls = k.field == &Vocab::bos && v.kind() == ModelKind::WordPiece && id == v.cls;
    if (id != kNoToken && !bos_is_cls)
      w.set(k.key, Value::u32(static_cast<std::uint32_t>(id)));
    else
      w.remove(k.key);
  }
  for (const auto& [key, field] : kDeprecatedIdKeys) w.remove(key);
  w.set("tokenizer.ggml.add_bos_token", Value::boolean(v.add_bos));
  w.set("tokenizer.ggml.add_eos_token", Value::boolean(v.add_eos));
  if (v.has_add_space_prefix_key)
    w.set("tokenizer.ggml.add_space_prefix", Value::boolean(v.add_space_prefix));
  else
    w.remove("tokenizer.ggml.add_space_prefix");
  if (!v.chat_template.empty())
    w.set("tokenizer.chat_template", Value::string(v.chat_template));
  else
    w.remove("tokenizer.chat_template");
}

}  // namespace corral::tokenizer
