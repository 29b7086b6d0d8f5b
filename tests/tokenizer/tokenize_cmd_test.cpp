// corral dev tokenize / detokenize: the fixed command-line interface, called
// in-process and through the corral binary (exit codes, one-line errors).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "dev/tokenize_cmd.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "util/error.h"

namespace corral::dev {
namespace {

std::string tokenize(const std::string& model, const std::string& text, bool add = false, bool parse = false) {
  std::istringstream in(text);
  std::ostringstream out;
  run_tokenize(model, add, parse, in, out);
  return out.str();
}

std::string detokenize(const std::string& model, const std::string& ids) {
  std::istringstream in(ids);
  std::ostringstream out;
  run_detokenize(model, in, out);
  return out.str();
}

TEST(TokenizeCommand, PrintsIdsOnOneLine) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-bpe.gguf");
  const std::string m = path.string();
  EXPECT_EQ(tokenize(m, "Hello world"), "9906 1917\n");
  EXPECT_EQ(tokenize(m, "Hello world", true), "128000 9906 1917\n");
  EXPECT_EQ(tokenize(m, "<|eot_id|>", false, true), "128009\n");
  EXPECT_NE(tokenize(m, "<|eot_id|>", false, false), "128009\n");
  EXPECT_EQ(tokenize(m, ""), "\n");
  EXPECT_EQ(tokenize(m, "Hello world\n"), "9906 1917 198\n");  // stdin is taken exactly
}

TEST(TokenizeCommand, AcceptsAHuggingFaceFolder) {
  CORRAL_SHARED_FILE_OR_SKIP(dir, "models/tolstoy/hf");
  EXPECT_EQ(tokenize(dir.string(), "The prince said", true), "1 365 673 317 384\n");
}

TEST(DetokenizeCommand, PrintsTheText) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-llama-bpe.gguf");
  const std::string m = path.string();
  EXPECT_EQ(detokenize(m, "9906 1917"), "Hello world");
  EXPECT_EQ(detokenize(m, "  9906\n\t1917\n"), "Hello world");
  EXPECT_EQ(detokenize(m, ""), "");
  EXPECT_THROW(detokenize(m, "9906 abc"), Error);
  EXPECT_THROW(detokenize(m, "9906x"), Error);
  EXPECT_THROW(detokenize(m, "-1"), Error);
  EXPECT_THROW(detokenize(m, "128256"), Error);
  EXPECT_THROW(detokenize(m, "99999999999999999999999"), Error);
  EXPECT_THROW(detokenize("/nonexistent/model.gguf", "1"), Error);
  EXPECT_THROW(tokenize("/nonexistent/model.gguf", "x"), Error);
}

struct CommandResult {
  int status;
  std::string out, err;
};

// The corral binary: CORRAL_BINARY, else <build>/corral next to this test's <build>/tests/tokenizer/.
std::string corral_path() {
  std::string p = corral::test::corral_binary();
  std::error_code ec;
  if (p.empty()) p = (std::filesystem::read_symlink("/proc/self/exe", ec).parent_path() / "../../corral").string();
  return std::filesystem::exists(p, ec) ? p : "";
}

CommandResult run(const std::string& args, const std::string& input) {
  corral::test::TempDir tmp;
  corral::test::write_file(tmp / "in", input);
  const std::string cmd = "'" + corral_path() + "' " + args + " <'" + (tmp / "in").string() + "' >'" +
                          (tmp / "out").string() + "' 2>'" + (tmp / "err").string() + "'";
  int status = std::system(cmd.c_str());
  return {status, corral::test::read_file(tmp / "out"), corral::test::read_file(tmp / "err")};
}

TEST(TokenizeBinary, FixedInterface) {
  if (corral_path().empty()) GTEST_SKIP() << "the corral binary is not built (or set CORRAL_BINARY)";
  CORRAL_SHARED_FILE_OR_SKIP(path, "vocab/ggml-vocab-qwen2.gguf");
  const std::string m = "--model '" + path.string() + "'";
  CommandResult r = run("dev tokenize " + m, "Hello world");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "9707 1879\n");
  r = run("dev tokenize --parse-special " + m, "<|im_start|>user");
  EXPECT_EQ(r.out, "151644 872\n");
  r = run("dev detokenize " + m, "9707 1879");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "Hello world");
  r = run("dev detokenize " + m, "9707 hello");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.err, "Error: detokenize: 'hello' is not a token id\n");
  r = run("dev detokenize " + m, "999999");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.err.rfind("Error: ", 0), 0u);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1);
  r = run("dev tokenize --model /nonexistent.gguf", "x");
  EXPECT_NE(r.status, 0);
  EXPECT_EQ(r.err, "Error: /nonexistent.gguf: no such file\n");
}

}  // namespace
}  // namespace corral::dev
