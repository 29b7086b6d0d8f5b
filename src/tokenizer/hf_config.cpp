// tokenizer_config.json / config.json fields for the tokenizer import.
#include "tokenizer/hf_config.h"

#include <nlohmann/json.hpp>

#include <cstdlib>

#include "util/error.h"

namespace corral::tokenizer {

namespace {

using nlohmann::json;

// A special token is written as "text" or {"content": "text", ...}.
std::optional<std::string> token_text(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object()) {
    auto c = it->find("content");
    if (c != it->end() && c->is_string()) return c->get<std::string>();
  }
  return std::nullopt;
}

std::optional<bool> flag(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return std::nullopt;
  return it->get<bool>();
}

// An id, or the first of a list of ids (config.json's eos_token_id may be a list).
std::optional<std::int64_t> id_value(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_array() && !it->empty() && (*it)[0].is_number_integer()) return (*it)[0].get<std::int64_t>();
  return std::nullopt;
}

json parse_object(std::string_view text, const std::string& name, const char* file) {
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) fail("{}: {} is not valid JSON", name, file);
  if (!j.is_object()) fail("{}: {} is not a JSON object", name, file);
  return j;
}

}  // namespace

HfConfig parse_hf_config(std::string_view tokenizer_config_json, std::string_view config_json, const std::string& name) {
  HfConfig c;
  if (!tokenizer_config_json.empty()) {
    json j = parse_object(tokenizer_config_json, name, "tokenizer_config.json");
    c.bos_token = token_text(j, "bos_token");
    c.eos_token = token_text(j, "eos_token");
    c.unk_token = token_text(j, "unk_token");
    c.pad_token = token_text(j, "pad_token");
    c.sep_token = token_text(j, "sep_token");
    c.cls_token = token_text(j, "cls_token");
    c.mask_token = token_text(j, "mask_token");
    c.add_bos = flag(j, "add_bos_token");
    c.add_eos = flag(j, "add_eos_token");
    if (auto t = j.find("chat_template"); t != j.end()) {
      if (t->is_string()) {
        c.chat_template = t->get<std::string>();
      } else if (t->is_array()) {
        // [{"name": "default", "template": "..."}, ...]: the default one, else the first.
        for (const json& e : *t) {
          if (!e.is_object() || !e.contains("template") || !e["template"].is_string()) continue;
          bool is_default = e.contains("name") && e["name"] == "default";
          if (c.chat_template.empty() || is_default) c.chat_template = e["template"].get<std::string>();
          if (is_default) break;
        }
      }
    }
    if (auto d = j.find("added_tokens_decoder"); d != j.end() && d->is_object()) {
      for (const auto& [key, tok] : d->items()) {
        if (!tok.is_object()) continue;
        auto content = tok.find("content");
        if (content == tok.end() || !content->is_string()) continue;
        char* end = nullptr;
        long long id = std::strtoll(key.c_str(), &end, 10);
        if (key.empty() || *end != '\0' || id < 0) continue;
        HfAddedToken a;
        a.id = id;
        a.content = content->get<std::string>();
        auto special = tok.find("special");
        a.special = special != tok.end() && special->is_boolean() && special->get<bool>();
        c.added_tokens.push_back(std::move(a));
      }
    }
  }
  if (!config_json.empty()) {
    json j = parse_object(config_json, name, "config.json");
    // Multimodal configs keep the language model's settings in "text_config".
    const json* src = &j;
    if (auto t = j.find("text_config"); t != j.end() && t->is_object() && !j.contains("vocab_size")) src = &*t;
    c.bos_id = id_value(*src, "bos_token_id");
    c.eos_id = id_value(*src, "eos_token_id");
    c.pad_id = id_value(*src, "pad_token_id");
    if (auto v = src->find("vocab_size"); v != src->end() && v->is_number_integer()) c.vocab_size = v->get<std::int64_t>();
  }
  return c;
}

}  // namespace corral::tokenizer
