// Hugging Face tokenizer files -> Vocab, following convert_hf_to_gguf.py.
#include "tokenizer/hf_import.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <functional>
#include <optional>
#include <unordered_map>

#include "tokenizer/pre_config.h"
#include "util/error.h"

namespace corral::tokenizer {

namespace {

using nlohmann::json;

constexpr std::int64_t kMaxVocab = 1 << 22;  // 4M ids; real vocabularies stay below 1M
constexpr std::string_view kSpaceMark = "\xe2\x96\x81";

// Added tokens that should be control tokens although not marked special (convert_hf_to_gguf.py).
bool looks_special(std::string_view t) {
  auto starts = [&](std::string_view p) { return t.size() >= p.size() && t.compare(0, p.size(), p) == 0; };
  auto ends = [&](std::string_view s) { return t.size() >= s.size() && t.compare(t.size() - s.size(), s.size(), s) == 0; };
  if (t == "<pad>" || t == "<mask>" || t == "<2mass>" || t == "[@BOS@]") return true;
  if (starts("<|") && ends("|>")) return true;
  if (starts("<\xef\xbd\x9c") && ends("\xef\xbd\x9c>")) return true;  // <｜...｜> (DeepSeek)
  if (starts("<unused") && ends(">")) return true;
  return false;
}

bool is_byte_token(std::string_view t) {
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'); };
  return t.size() == 6 && t.compare(0, 3, "<0x") == 0 && hex(t[3]) && hex(t[4]) && t[5] == '>';
}

std::string str(const json& j, const char* key, std::string fallback = {}) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}
bool boolean(const json& j, const char* key, bool fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() ? it->get<bool>() : fallback;
}
const json* object_at(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_object() ? &*it : nullptr;
}

// Calls f on `node` and, for Sequence nodes, on each member (depth-first).
template <typename F>
void visit(const json* node, const char* list_key, F&& f, int depth = 0) {
  if (!node || !node->is_object() || depth > 8) return;
  f(*node);
  auto it = node->find(list_key);
  if (str(*node, "type") == "Sequence" && it != node->end() && it->is_array())
    for (const json& child : *it) visit(&child, list_key, f, depth + 1);
}

// The regex list a Hugging Face pre_tokenizer applies, or nullopt if it uses
// a step this implementation cannot express.
std::optional<std::vector<std::string>> pre_tokenizer_regexes(const json* pre) {
  std::vector<std::string> out;
  bool ok = true;
  const std::string gpt2 = pre_config("gpt-2").regexes.at(0);
  visit(pre, "pretokenizers", [&](const json& n) {
    const std::string type = str(n, "type");
    if (type == "Sequence") return;
    if (type == "Split") {
      const json* pattern = object_at(n, "pattern");
      const std::string behavior = str(n, "behavior", "Isolated");
      if (!pattern || boolean(n, "invert", false) || behavior != "Isolated") {
        ok = false;
        return;
      }
      if (pattern->contains("Regex") && (*pattern)["Regex"].is_string()) {
        out.push_back((*pattern)["Regex"].get<std::string>());
      } else if (pattern->contains("String") && (*pattern)["String"].is_string()) {
        std::string quoted = "\\Q" + (*pattern)["String"].get<std::string>() + "\\E";
        out.push_back(quoted);
      } else {
        ok = false;
      }
    } else if (type == "ByteLevel") {
      if (boolean(n, "use_regex", true)) out.push_back(gpt2);
    } else if (type == "Digits") {
      out.push_back(boolean(n, "individual_digits", false) ? "\\p{N}" : "\\p{N}+");
    } else {
      ok = false;
    }
  });
  if (!ok) return std::nullopt;
  return out;
}

// The tokenizer.ggml.pre name whose regexes (and ignore_merges) match.
std::string detect_pre(const json* pre, bool ignore_merges, const std::string& name) {
  auto regexes = pre_tokenizer_regexes(pre);
  static const char* const kPreferred[] = {"llama-bpe",   "qwen2",        "gpt-2",       "smollm",     "gpt-4o",
                                           "tekken",      "dbrx",         "deepseek-llm", "deepseek-coder",
                                           "deepseek-v3", "seed-coder",   "bailingmoe",  "chameleon",  "poro-chat",
                                           "viking",      "falcon",       "default"};
  if (regexes) {
    for (int pass = 0; pass < 2; ++pass) {
      for (const char* candidate : kPreferred) {
        PreConfig c = pre_config(candidate);
        if (c.regexes == *regexes && (pass == 1 || c.ignore_merges == ignore_merges)) return candidate;
      }
    }
  }
  fail("{}: unsupported pre-tokenizer (no known tokenizer.ggml.pre uses the same splitting rules)", name);
}

bool has_node(const json* root, const char* list_key, const std::function<bool(const json&)>& pred) {
  bool found = false;
  visit(root, list_key, [&](const json& n) { found = found || pred(n); });
  return found;
}

bool replaces_space_with_mark(const json& n) {
  if (str(n, "type") != "Replace") return false;
  const json* p = object_at(n, "pattern");
  return p && str(*p, "String") == " " && str(n, "content") == kSpaceMark;
}

struct Assembled {
  std::vector<std::string> tokens;
  std::vector<TokenType> types;
  std::vector<bool> present;
};

// Token texts by id from the model vocab and the added tokens.
void place(Assembled& a, std::int64_t id, std::string text, TokenType type, const std::string& name) {
  if (id < 0 || id >= kMaxVocab) fail("{}: token id {} is out of range", name, id);
  const auto i = static_cast<std::size_t>(id);
  if (i >= a.tokens.size()) {
    a.tokens.resize(i + 1);
    a.types.resize(i + 1, TokenType::UNUSED);
    a.present.resize(i + 1, false);
  }
  a.tokens[i] = std::move(text);
  a.types[i] = type;
  a.present[i] = true;
}

void pad_vocab(Assembled& a, const HfConfig& config) {
  std::size_t n = a.tokens.size();
  if (config.vocab_size && *config.vocab_size > static_cast<std::int64_t>(n) && *config.vocab_size < kMaxVocab)
    n = static_cast<std::size_t>(*config.vocab_size);
  a.tokens.resize(n);
  a.types.resize(n, TokenType::UNUSED);
  a.present.resize(n, false);
  for (std::size_t i = 0; i < n; ++i) {
    if (!a.present[i]) {
      a.tokens[i] = "[PAD" + std::to_string(i) + "]";
      a.types[i] = TokenType::UNUSED;
    }
  }
}

// Special ids from the configs: token texts first, then config.json ids.
void set_special_ids(Vocab& v, const HfConfig& c) {
  std::unordered_map<std::string_view, TokenId> by_text;
  for (std::size_t i = 0; i < v.tokens.size(); ++i) by_text.emplace(v.tokens[i], static_cast<TokenId>(i));
  auto lookup = [&](const std::optional<std::string>& text, TokenId& field) {
    if (!text) return;
    auto it = by_text.find(*text);
    if (it != by_text.end()) field = it->second;
  };
  auto from_id = [&](const std::optional<std::int64_t>& id, TokenId& field) {
    if (field == kNoToken && id && *id >= 0 && *id < static_cast<std::int64_t>(v.tokens.size()))
      field = static_cast<TokenId>(*id);
  };
  lookup(c.bos_token, v.bos);
  lookup(c.eos_token, v.eos);
  lookup(c.unk_token, v.unk);
  lookup(c.pad_token, v.pad);
  lookup(c.sep_token, v.sep);
  lookup(c.cls_token, v.cls);
  lookup(c.mask_token, v.mask);
  from_id(c.bos_id, v.bos);
  from_id(c.eos_id, v.eos);
  from_id(c.pad_id, v.pad);
}

// add_bos/add_eos from a TemplateProcessing post-processor: special tokens
// before / after the sequence in "single".
void template_flags(const json* post, Vocab& v) {
  visit(post, "processors", [&](const json& n) {
    if (str(n, "type") != "TemplateProcessing") return;
    auto single = n.find("single");
    if (single == n.end() || !single->is_array() || single->empty()) return;
    auto special_id = [&](const json& item) -> std::optional<std::string> {
      if (!item.is_object() || !item.contains("SpecialToken")) return std::nullopt;
      const json& s = item["SpecialToken"];
      return s.is_object() ? std::optional<std::string>(str(s, "id")) : std::nullopt;
    };
    auto find_id = [&](const std::string& text) {
      auto it = std::find(v.tokens.begin(), v.tokens.end(), text);
      return it == v.tokens.end() ? kNoToken : static_cast<TokenId>(it - v.tokens.begin());
    };
    if (auto first = special_id(single->front())) {
      v.add_bos = true;
      if (v.bos == kNoToken) v.bos = find_id(*first);
    }
    if (auto last = special_id(single->back()); last && single->size() > 1) {
      v.add_eos = true;
      if (v.eos == kNoToken) v.eos = find_id(*last);
    }
  });
}

std::vector<std::string> read_merges(const json& model, const std::string& name) {
  std::vector<std::string> merges;
  auto it = model.find("merges");
  if (it == model.end()) return merges;
  if (!it->is_array()) fail("{}: model.merges is not a list", name);
  merges.reserve(it->size());
  for (const json& m : *it) {
    if (m.is_string()) {
      merges.push_back(m.get<std::string>());
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      merges.push_back(m[0].get<std::string>() + " " + m[1].get<std::string>());
    } else {
      fail("{}: a merge is neither \"a b\" nor [\"a\", \"b\"]", name);
    }
  }
  return merges;
}

// Scores for a SentencePiece-style vocabulary known only by its merges: a
// merged token scores minus the rank of the first merge producing it.
std::vector<float> scores_from_merges(const Vocab& v) {
  std::unordered_map<std::string_view, std::size_t> by_text;
  for (std::size_t i = 0; i < v.tokens.size(); ++i) by_text.emplace(v.tokens[i], i);
  std::vector<float> scores(v.tokens.size(), 0.0f);
  std::vector<bool> set(v.tokens.size(), false);
  std::string joined;
  for (std::size_t rank = 0; rank < v.merges.size(); ++rank) {
    const std::string& m = v.merges[rank];
    const std::size_t space = m.size() > 1 ? m.find(' ', 1) : std::string::npos;
    if (space == std::string::npos) continue;
    joined.assign(m, 0, space);
    joined.append(m, space + 1);
    auto it = by_text.find(joined);
    if (it == by_text.end() || set[it->second]) continue;
    set[it->second] = true;
    scores[it->second] = -static_cast<float>(rank);
  }
  for (std::size_t i = 0; i < v.tokens.size(); ++i)
    if (v.types[i] == TokenType::UNUSED) scores[i] = -1000.0f;
  return scores;
}

Vocab from_json(const json& j, const HfConfig& config, const std::string& name) {
  if (!j.is_object()) fail("{}: not a JSON object", name);
  const json* model = object_at(j, "model");
  if (!model) fail("{}: no \"model\" object", name);
  std::string type = str(*model, "type");
  if (type.empty()) type = model->contains("merges") ? "BPE" : (model->contains("continuing_subword_prefix") ? "WordPiece" : "");
  if (type != "BPE" && type != "WordPiece")
    fail("{}: unsupported tokenizer model type '{}' (supported: BPE, WordPiece)", name, type);
  const json* vocab = object_at(*model, "vocab");
  if (!vocab) fail("{}: model.vocab is not an object", name);

  const json* normalizer = object_at(j, "normalizer");
  const json* pre = object_at(j, "pre_tokenizer");
  const json* decoder = object_at(j, "decoder");
  auto of_type = [](const char* t) { return [t](const json& n) { return str(n, "type") == t; }; };

  Vocab v;
  bool byte_fallback = boolean(*model, "byte_fallback", false);
  if (type == "WordPiece") {
    v.model = "bert";
  } else {
    const bool byte_level = has_node(pre, "pretokenizers", of_type("ByteLevel")) || has_node(decoder, "decoders", of_type("ByteLevel"));
    const bool spm_style = byte_fallback || has_node(normalizer, "normalizers", replaces_space_with_mark) ||
                           has_node(pre, "pretokenizers", of_type("Metaspace"));
    if (byte_level)
      v.model = "gpt2";
    else if (spm_style)
      v.model = "llama";
    else
      fail("{}: unsupported BPE tokenizer (neither byte-level nor SentencePiece-style)", name);
  }

  const std::string unk_text = str(*model, "unk_token");
  Assembled a;
  for (const auto& [text, id_json] : vocab->items()) {
    if (!id_json.is_number_integer()) fail("{}: the id of token '{}' is not an integer", name, text);
    TokenType t = TokenType::NORMAL;
    std::string stored = text;
    if (v.model == "llama") {
      if (byte_fallback && is_byte_token(text)) t = TokenType::BYTE;
      if (!unk_text.empty() && text == unk_text) t = TokenType::UNKNOWN;
    } else if (v.model == "bert") {
      // GGUF BERT vocabularies: word starts get ▁, continuations lose "##".
      if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
        ;
      else if (text.compare(0, 2, "##") == 0)
        stored = text.substr(2);
      else
        stored = std::string(kSpaceMark) + text;
    }
    place(a, id_json.get<std::int64_t>(), std::move(stored), t, name);
  }
  auto add_token = [&](std::int64_t id, const std::string& content, bool special) {
    TokenType t = special || looks_special(content) ? TokenType::CONTROL : TokenType::USER_DEFINED;
    if (v.model == "llama" && content == unk_text) t = TokenType::UNKNOWN;
    place(a, id, content, t, name);
  };
  if (auto added = j.find("added_tokens"); added != j.end() && added->is_array()) {
    for (const json& t : *added) {
      if (!t.is_object() || !t.contains("id") || !t["id"].is_number_integer()) continue;
      add_token(t["id"].get<std::int64_t>(), str(t, "content"), boolean(t, "special", false));
    }
  }
  for (const HfAddedToken& t : config.added_tokens) {
    if (t.id < static_cast<std::int64_t>(a.present.size()) && a.present[static_cast<std::size_t>(t.id)]) continue;
    add_token(t.id, t.content, t.special);
  }
  pad_vocab(a, config);
  v.tokens = std::move(a.tokens);
  v.types = std::move(a.types);

  if (v.model != "bert") v.merges = read_merges(*model, name);
  if (v.model == "gpt2") {
    v.pre = detect_pre(pre, boolean(*model, "ignore_merges", false), name);
  } else if (v.model == "llama") {
    v.pre = "default";
    v.has_add_space_prefix_key = true;
    v.add_space_prefix = has_node(normalizer, "normalizers", [](const json& n) {
                           return str(n, "type") == "Prepend" && str(n, "prepend") == kSpaceMark;
                         }) ||
                         has_node(pre, "pretokenizers", [](const json& n) {
                           return str(n, "type") == "Metaspace" && str(n, "prepend_scheme", "always") != "never" &&
                                  boolean(n, "add_prefix_space", true);
                         });
    v.scores = scores_from_merges(v);
  }
  set_special_ids(v, config);
  if (v.unk == kNoToken && !unk_text.empty()) {
    auto it = std::find(v.tokens.begin(), v.tokens.end(), unk_text);
    if (it != v.tokens.end()) v.unk = static_cast<TokenId>(it - v.tokens.begin());
  }
  if (v.model == "bert" && v.bos == kNoToken) v.bos = v.cls;
  if (v.model == "llama") v.add_bos = true;
  template_flags(object_at(j, "post_processor"), v);
  if (config.add_bos) v.add_bos = *config.add_bos;
  if (config.add_eos) v.add_eos = *config.add_eos;
  v.chat_template = config.chat_template;
  finish_vocab(v, name);
  return v;
}

}  // namespace

Vocab vocab_from_tokenizer_json(std::string_view tokenizer_json, const HfConfig& config, const std::string& name) {
  json j = json::parse(tokenizer_json.begin(), tokenizer_json.end(), nullptr, false);
  if (j.is_discarded()) fail("{}: not valid JSON", name);
  try {
    return from_json(j, config, name);
  } catch (const json::exception& e) {
    fail("{}: unexpected structure ({})", name, e.what());
  }
}

Vocab vocab_from_sentencepiece(const SentencePieceModel& m, const HfConfig& config, const std::string& name) {
  Vocab v;
  v.model = "llama";
  v.pre = "default";
  const std::size_t n_pieces = m.pieces.size();
  Assembled a;
  std::vector<float> scores;
  for (std::size_t i = 0; i < n_pieces; ++i) {
    const auto& p = m.pieces[i];
    TokenType t = p.type >= 1 && p.type <= 6 ? static_cast<TokenType>(p.type) : TokenType::NORMAL;
    place(a, static_cast<std::int64_t>(i), p.text, t, name);
  }
  for (const HfAddedToken& t : config.added_tokens) {
    if (t.id < static_cast<std::int64_t>(n_pieces)) continue;  // the model's own pieces keep their types
    place(a, t.id, t.content, t.special || looks_special(t.content) ? TokenType::CONTROL : TokenType::USER_DEFINED, name);
  }
  pad_vocab(a, config);
  v.tokens = std::move(a.tokens);
  v.types = std::move(a.types);
  v.scores.assign(v.tokens.size(), -1000.0f);
  for (std::size_t i = 0; i < n_pieces; ++i) v.scores[i] = m.pieces[i].score;
  v.add_space_prefix = m.add_dummy_prefix;
  v.has_add_space_prefix_key = true;
  set_special_ids(v, config);
  auto trainer_id = [&](std::int32_t id, TokenId& field) {
    if (field == kNoToken && id >= 0 && static_cast<std::size_t>(id) < v.tokens.size()) field = id;
  };
  trainer_id(m.unk_id, v.unk);
  trainer_id(m.bos_id, v.bos);
  trainer_id(m.eos_id, v.eos);
  v.add_bos = config.add_bos.value_or(true);
  v.add_eos = config.add_eos.value_or(false);
  v.chat_template = config.chat_template;
  finish_vocab(v, name);
  return v;
}

}  // namespace corral::tokenizer
