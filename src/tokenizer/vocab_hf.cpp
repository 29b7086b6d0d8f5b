// Locating and reading the tokenizer files of a Hugging Face folder.
#include "tokenizer/vocab_hf.h"

#include "tokenizer/hf_import.h"
#include "util/error.h"
#include "util/mapped_file.h"

namespace corral::tokenizer {

namespace {

std::string read_text(const std::filesystem::path& p) {
  MappedFile m(p.string());
  return std::string(reinterpret_cast<const char*>(m.data()), m.size());
}

std::string read_if_present(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) ? read_text(p) : std::string();
}

}  // namespace

Vocab vocab_from_hf(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) fail("{}: not a folder", dir.string());
  HfConfig config =
      parse_hf_config(read_if_present(dir / "tokenizer_config.json"), read_if_present(dir / "config.json"), dir.string());
  if (config.chat_template.empty()) config.chat_template = read_if_present(dir / "chat_template.jinja");

  Vocab v;
  if (std::filesystem::is_regular_file(dir / "tokenizer.json", ec)) {
    const auto path = dir / "tokenizer.json";
    v = vocab_from_tokenizer_json(read_text(path), config, path.string());
  } else if (std::filesystem::is_regular_file(dir / "tokenizer.model", ec)) {
    const auto path = dir / "tokenizer.model";
    MappedFile m(path.string());
    v = vocab_from_sentencepiece(parse_sentencepiece_model(m.bytes(), path.string()), config, path.string());
  } else {
    fail("{}: no tokenizer.json or tokenizer.model in the folder", dir.string());
  }
  return v;
}

}  // namespace corral::tokenizer
