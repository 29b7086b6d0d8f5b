// Hugging Face's algorithm as the reference: the npm package
// @lenml/tokenizers (a port of transformers' tokenizers) tokenizes
// shared/spec/ollama-compat.md, llama.cpp's test texts and a few edge cases
// with the Llama 3.1, Qwen 3 and Gemma 3 tokenizer.json files; corral's
// tokenizer imported from the same folders must give the same ids
// (add_special=false, parse_special=true, which is Hugging Face's default).
// The package is installed into the build folder at test time; the test
// skips, saying why, when node, npm or the registry is unavailable.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "tokenizer/vocab_test_data.h"

namespace corral::tokenizer::test {
namespace {

using nlohmann::json;

bool have_command(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Whether node can load the package from prefix/node_modules (a complete install).
bool package_loads(const std::string& prefix) {
  const std::string cmd = "NODE_PATH='" + prefix + "/node_modules' node -e \"require('@lenml/tokenizers')\" >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Holds an exclusive flock on a file while in scope.
class FileLock {
 public:
  explicit FileLock(const std::string& path) : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644)) {
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

// The folder holding node_modules/@lenml/tokenizers, installing it if needed; "" on failure.
// The three test cases may run at once (ctest -j): the check and the install happen under
// a file lock, so that no case sees another's half-written install.
std::string reference_package(std::string& why) {
  namespace fs = std::filesystem;
  const std::string prefix = CORRAL_TOKENIZER_NPM_DIR;
  if (!have_command("node") || !have_command("npm")) {
    why = "node or npm is not installed";
    return "";
  }
  std::error_code ec;
  fs::create_directories(fs::path(prefix).parent_path(), ec);
  FileLock lock(prefix + ".lock");
  if (package_loads(prefix)) return prefix;
  fs::remove_all(prefix, ec);  // a broken leftover, if any
  fs::create_directories(prefix, ec);
  const std::string cmd = "timeout 300 npm install --prefix '" + prefix +
                          "' --no-audit --no-fund --loglevel=error @lenml/tokenizers >'" + prefix + ".log' 2>&1";
  if (std::system(cmd.c_str()) != 0 || !package_loads(prefix)) {
    why = "npm install @lenml/tokenizers failed (no network?), see " + prefix + ".log";
    return "";
  }
  return prefix;
}

std::vector<std::string> test_texts() {
  std::vector<std::string> texts;
  if (auto spec = corral::test::shared_file("spec/ollama-compat.md")) texts.push_back(corral::test::read_file(*spec));
  if (auto v = corral::test::shared_file("vocab/ggml-vocab-llama-bpe.gguf"))
    for (const auto& vec : read_vectors(*v)) texts.push_back(vec.text);
  for (const char* t : {"  indented\n    more  ", "a  b   c", "\n\n\n\nx", "<start_of_turn>user\nHi<end_of_turn>\n",
                        "<|im_start|>user\nHi<|im_end|>\n", "<think>\nhm\n</think>\n\n",
                        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>",
                        "\xe2\x96\x81\xe2\x96\x81 literal marks \xe2\x96\x81", "tab\tand\r\nCRLF", "<table><tr><td>x</td>"})
    texts.emplace_back(t);
  texts.push_back(std::string(300, 'x') + " " + std::string(100, '9'));
  return texts;
}

class HfReference : public ::testing::TestWithParam<const char*> {};

TEST_P(HfReference, SameIdsAsHuggingFace) {
  CORRAL_SHARED_FILE_OR_SKIP(dir, std::string("tokenizers/") + GetParam());
  std::string why;
  const std::string package = reference_package(why);
  if (package.empty()) GTEST_SKIP() << "reference tokenizer unavailable: " << why;

  const auto texts = test_texts();
  corral::test::TempDir tmp;
  corral::test::write_file(tmp / "texts.json", json(texts).dump());
  const std::string script = (corral::test::source_dir() / "tests/tokenizer/hf_reference.js").string();
  const std::string cmd = "NODE_PATH='" + package + "/node_modules' node '" + script + "' '" + dir.string() + "' '" +
                          (tmp / "texts.json").string() + "' '" + (tmp / "ids.json").string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const json reference = json::parse(corral::test::read_file(tmp / "ids.json"));
  ASSERT_EQ(reference.size(), texts.size());

  auto tok = cached_hf(dir);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const auto expected = reference[i].get<std::vector<TokenId>>();
    const auto got = tok->encode(texts[i], /*add_special=*/false, /*parse_special=*/true);
    if (got == expected) continue;
    std::size_t k = 0;
    while (k < got.size() && k < expected.size() && got[k] == expected[k]) ++k;
    ADD_FAILURE() << GetParam() << " text " << i << " (" << texts[i].size() << " bytes, '" << texts[i].substr(0, 40)
                  << "'): " << got.size() << " ids vs " << expected.size() << ", first difference at id " << k;
  }
}

INSTANTIATE_TEST_SUITE_P(SharedTokenizers, HfReference, ::testing::Values("llama3_1", "qwen3", "gemma3"));

}  // namespace
}  // namespace corral::tokenizer::test
