// tokenize / detokenize developer commands.
#include "dev/tokenize_cmd.h"

#include <CLI/CLI.hpp>

#include <cctype>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>

#include "gguf/gguf_file.h"
#include "tokenizer/tokenizer.h"
#include "util/error.h"

namespace corral::dev {

namespace {

std::shared_ptr<const tokenizer::Tokenizer> load(const std::string& model) {
  std::error_code ec;
  if (std::filesystem::is_directory(model, ec)) return tokenizer::Tokenizer::from_hf(model);
  if (!std::filesystem::exists(model, ec)) fail("{}: no such file", model);
  return tokenizer::Tokenizer::from_gguf(gguf::File::open(model));
}

std::string read_all(std::istream& in) {
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

void run_tokenize(const std::string& model, bool add_special, bool parse_special, std::istream& in, std::ostream& out) {
  auto tok = load(model);
  const std::string text = read_all(in);
  const auto ids = tok->encode(text, add_special, parse_special);
  std::string line;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) line += ' ';
    line += std::to_string(ids[i]);
  }
  line += '\n';
  out << line;
}

void run_detokenize(const std::string& model, std::istream& in, std::ostream& out) {
  auto tok = load(model);
  const std::string text = read_all(in);
  std::vector<tokenizer::TokenId> ids;
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[pos]))) {
      ++pos;
      continue;
    }
    std::size_t end = pos;
    while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
    const std::string_view word(text.data() + pos, end - pos);
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc() || ptr != word.data() + word.size()) {
      std::string shown(word.substr(0, 40));
      fail("detokenize: '{}' is not a token id", shown);
    }
    if (value < 0 || value >= static_cast<std::int64_t>(tok->size()))
      fail("detokenize: token id {} is out of range (the vocabulary has {} tokens)", value, tok->size());
    ids.push_back(static_cast<tokenizer::TokenId>(value));
    pos = end;
  }
  out << tok->decode(ids);
  out.flush();
}

void add_tokenize_commands(CLI::App& dev) {
  struct Options {
    std::string model;
    bool add_special = false;
    bool parse_special = false;
  };
  auto opts = std::make_shared<Options>();
  auto* tok = dev.add_subcommand("tokenize", "Print the token ids of the text on stdin");
  tok->add_option("--model,-m", opts->model, "GGUF file (a vocab-only one is enough) or Hugging Face folder")->required();
  tok->add_flag("--add-special", opts->add_special, "Add BOS/EOS as the vocabulary asks");
  tok->add_flag("--parse-special", opts->parse_special, "Turn special tokens written in the text into their ids");
  tok->callback([opts] { run_tokenize(opts->model, opts->add_special, opts->parse_special, std::cin, std::cout); });

  auto detok_model = std::make_shared<std::string>();
  auto* detok = dev.add_subcommand("detokenize", "Print the text of the token ids on stdin");
  detok->add_option("--model,-m", *detok_model, "GGUF file or Hugging Face folder")->required();
  detok->callback([detok_model] { run_detokenize(*detok_model, std::cin, std::cout); });
}

}  // namespace corral::dev
