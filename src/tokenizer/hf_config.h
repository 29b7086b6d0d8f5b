// HfConfig: what the tokenizer import needs from a Hugging Face folder's
// tokenizer_config.json (special token texts, add_bos/eos flags, chat
// template, added tokens) and config.json (vocab_size, bos/eos ids).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::tokenizer {

struct HfAddedToken {
  std::int64_t id = 0;
  std::string content;
  bool special = false;
};

struct HfConfig {
  std::optional<std::string> bos_token, eos_token, unk_token, pad_token, sep_token, cls_token, mask_token;
  std::optional<bool> add_bos, add_eos;
  std::string chat_template;
  std::vector<HfAddedToken> added_tokens;  // tokenizer_config.json "added_tokens_decoder"
  // From config.json.
  std::optional<std::int64_t> bos_id, eos_id, pad_id;
  std::optional<std::int64_t> vocab_size;
};

// Reads the JSON texts (either may be empty). Throws Error naming `name`.
HfConfig parse_hf_config(std::string_view tokenizer_config_json, std::string_view config_json, const std::string& name);

}  // namespace corral::tokenizer
