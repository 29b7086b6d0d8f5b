// Modelfile -> CreateRequest: FROM paths vs names, directories, parameters,
// REQUIRES, and the /api/create JSON reader.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/create_request.h"
#include "store/modelfile_request.h"
#include "testutil/temp_dir.h"
#include "util/error.h"
#include "util/sha256.h"

namespace corral::store {
namespace {

namespace fs = std::filesystem;

ModelfileRequest build(const std::string& text, const fs::path& dir) {
  return modelfile_to_request(parse_modelfile(text), {.base_dir = dir});
}

std::string error_of(const std::string& text, const fs::path& dir = ".") {
  try {
    build(text, dir);
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(ModelfileRequest, FromNameAndParameters) {
  test::TempDir dir;
  const auto r = build(
      "FROM llama3.2\nPARAMETER temperature 0.7\nPARAMETER num_ctx 8192\nPARAMETER stop \"<|eot_id|>\"\n"
      "PARAMETER stop <|start_header_id|>\nPARAMETER mirostat 1\nSYSTEM \"\"\"You are Mario.\"\"\"\n"
      "MESSAGE user Is Toronto in Canada?\nMESSAGE assistant yes\nLICENSE MIT\nLICENSE Apache\nREQUIRES v0.14.0\n",
      dir.path());
  EXPECT_EQ(r.request.from, "llama3.2");
  EXPECT_TRUE(r.request.files.empty());
  EXPECT_EQ(r.request.parameters,
            nlohmann::json::parse(R"({"temperature":0.7,"num_ctx":8192,"stop":["<|eot_id|>","<|start_header_id|>"]})"));
  EXPECT_EQ(r.warnings, std::vector<std::string>{"warning: parameter mirostat is deprecated"});
  EXPECT_EQ(r.request.system, "You are Mario.");
  ASSERT_EQ(r.request.messages.size(), 2u);
  EXPECT_EQ(r.request.messages[1].role, "assistant");
  EXPECT_EQ(r.request.messages[1].content, "yes");
  EXPECT_EQ(r.request.license, (std::vector<std::string>{"MIT", "Apache"}));
  EXPECT_EQ(r.request.requires_version, "0.14.0");
}

TEST(ModelfileRequest, FromExistingFileBecomesFiles) {
  test::TempDir dir;
  test::write_file(dir / "model.gguf", "GGUF....");
  fs::create_directories(dir / "sub");
  const auto r = build("FROM ./model.gguf\nADAPTER model.gguf\n", dir.path() / "sub" / "..");
  EXPECT_TRUE(r.request.from.empty());
  ASSERT_EQ(r.request.files.size(), 1u);
  EXPECT_EQ(r.request.files.at("model.gguf"), "sha256:" + sha256_hex("GGUF...."));
  EXPECT_EQ(r.local_files.at("model.gguf"), dir.path() / "model.gguf");
  EXPECT_EQ(r.request.adapters.at("model.gguf"), "sha256:" + sha256_hex("GGUF...."));
}

TEST(ModelfileRequest, DirectoryContributesWeightsConfigsAndTokenizer) {
  test::TempDir dir;
  const fs::path m = dir / "hf";
  fs::create_directories(m / "nested");
  for (const char* f : {"model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "config.json",
                        "tokenizer.json", "tokenizer.model", "README.md", "nested/config.json"})
    test::write_file(m / f, f);
  const auto r = build("FROM ./hf\n", dir.path());
  std::vector<std::string> names;
  for (const auto& [k, v] : r.request.files) names.push_back(k);
  EXPECT_EQ(names, (std::vector<std::string>{"config.json", "model-00001-of-00002.safetensors",
                                             "model-00002-of-00002.safetensors", "nested/config.json",
                                             "tokenizer.json", "tokenizer.model"}));
  fs::create_directories(dir / "empty");
  EXPECT_EQ(error_of("FROM ./empty\n", dir.path()), "no Modelfile or safetensors files found");
}

TEST(ModelfileRequest, SymlinkOutsideTheDirectoryIsRejected) {
  test::TempDir dir;
  fs::create_directories(dir / "m");
  test::write_file(dir / "outside.gguf", "x");
  fs::create_symlink(dir / "outside.gguf", dir / "m" / "model.gguf");
  EXPECT_EQ(error_of("FROM ./m\n", dir.path()), "insecure path: ../outside.gguf");
}

TEST(ModelfileRequest, Errors) {
  EXPECT_EQ(error_of("FROM x\nREQUIRES 0.14\n"), "<no error>");
  EXPECT_EQ(error_of("FROM x\nREQUIRES banana\n"), "requires must be a valid semver (e.g. 0.14.0)");
  EXPECT_EQ(error_of("FROM x\nREQUIRES 01.2.3\n"), "requires must be a valid semver (e.g. 0.14.0)");
  EXPECT_EQ(error_of("FROM x\nPARAMETER num_ctx big\n"), "invalid int value [big]");
  EXPECT_EQ(error_of("FROM x\nPARAMETER numa true\n"), "unknown parameter 'numa'");
  EXPECT_NE(error_of("FROM x\nADAPTER ./missing.gguf\n").find("no such file"), std::string::npos);
}

TEST(ModelfileRequest, Semver) {
  for (const char* ok : {"v1", "v1.2", "v0.14.0", "v1.2.3-rc.1", "v1.2.3+build.5", "v1.2.3-alpha-1+x"})
    EXPECT_TRUE(is_valid_semver(ok)) << ok;
  for (const char* bad : {"1.2.3", "v", "v1.2.3.4", "v1.2-rc1", "v01.2.3", "v1.2.3-01", "v1.2.3-", "v1..3"})
    EXPECT_FALSE(is_valid_semver(bad)) << bad;
}

TEST(ModelfileRequest, ExpandPath) {
  EXPECT_EQ(expand_modelfile_path("/abs/./x/../y", "/base"), fs::path("/abs/y"));
  EXPECT_EQ(expand_modelfile_path("rel/m.gguf", "/base"), fs::path("/base/rel/m.gguf"));
  if (const char* home = std::getenv("HOME")) {
    EXPECT_EQ(expand_modelfile_path("~/m", "/base"), fs::path(home) / "m");
  }
}

TEST(CreateRequestJson, ReadsOllamaFields) {
  const auto body = nlohmann::json::parse(R"({
    "name": "legacy-name", "from": "llama3.2",
    "files": {"model.gguf": "sha256-)" + std::string(64, 'A') + R"("},
    "license": "MIT", "quantization": "q4_K_M",
    "parameters": {"temperature": 0.5},
    "messages": [{"role": "USER", "content": "hi"}],
    "info": {"model_family": "llama", "context_length": 4096}
  })");
  const CreateRequest r = parse_create_request(body);
  EXPECT_EQ(r.model, "legacy-name");
  EXPECT_EQ(r.files.at("model.gguf"), "sha256:" + std::string(64, 'a'));
  EXPECT_EQ(r.license, std::vector<std::string>{"MIT"});
  EXPECT_EQ(r.quantize, "q4_K_M");
  EXPECT_EQ(r.messages.at(0).role, "user");
  ASSERT_TRUE(r.info);
  EXPECT_EQ(r.info->context_length, 4096);
}

TEST(CreateRequestJson, RejectsBadFilesAndDigests) {
  auto err = [](const std::string& json) -> std::string {
    try {
      parse_create_request(nlohmann::json::parse(json));
    } catch (const Error& e) {
      return e.what();
    }
    return "<no error>";
  };
  const std::string d = "sha256:" + std::string(64, 'b');
  EXPECT_EQ(err(R"({"files":{"/etc/passwd":")" + d + R"("}})"), "file path must be relative");
  EXPECT_EQ(err(R"({"files":{"../x.gguf":")" + d + R"("}})"), "file path must be relative");
  EXPECT_EQ(err(R"({"files":{"a/./b":")" + d + R"("}})"), "file path must be relative");
  EXPECT_EQ(err(R"({"files":{"a.gguf":""}})"), "invalid digest format");
  EXPECT_NE(err(R"({"files":{"a.gguf":"sha256:../../x"}})").find("invalid digest format"), std::string::npos);
  EXPECT_EQ(err(R"({"info":{"context_length":-1}})"), "info field \"context_length\" must be a non-negative integer");
  EXPECT_EQ(err(R"({"info":{"model_family":3}})"), "info field \"model_family\" must be a string");
  EXPECT_TRUE(is_valid_relative_file_name("a/b.gguf"));
  EXPECT_FALSE(is_valid_relative_file_name("a//b"));
  EXPECT_FALSE(is_valid_relative_file_name(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace corral::store
