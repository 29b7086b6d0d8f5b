// What a byte-level BPE `tokenizer.ggml.pre` name means: its split regexes
// (llama.cpp's lists, written in the Hugging Face originals' PCRE syntax) and
// the flags llama.cpp attaches to it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace corral::tokenizer {

struct PreConfig {
  std::vector<std::string> regexes;
  bool ignore_merges = false;  // a piece that is a whole token is used as is (Llama 3, Tekken)
  bool add_bos = false;        // llama.cpp's add_bos default for this name
  bool known = true;           // false: unknown name, the default list is used
};

PreConfig pre_config(std::string_view pre);

// The names pre_config() knows (for tests and error messages).
std::vector<std::string> known_pre_names();

}  // namespace corral::tokenizer
