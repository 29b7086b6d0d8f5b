// Responses validated against Ollama's own OpenAPI description
// (shared/spec/ollama-openapi.yaml) by openapi_check.py (PyYAML +
// jsonschema); skips, saying why, when either is missing.
#include <gtest/gtest.h>

#include <cstdio>

#include "shared_models.h"
#include "test_server.h"
#include "testutil/shared_data.h"

namespace corral::server::test {
namespace {

TEST(OpenApi, ResponsesMatchOllamasSchemas) {
  CORRAL_SHARED_FILE_OR_SKIP(spec, "spec/ollama-openapi.yaml");
  corral::test::TempDir dir;
  const auto models = dir / "models";
  add_model(models, dir.path(), "tiny");
  add_model(models, dir.path(), "plain", "");
  TestServer s(models);
  const auto script = corral::test::source_dir() / "tests" / "server" / "openapi_check.py";
  const std::string cmd = "python3 '" + script.string() + "' http://127.0.0.1:" + std::to_string(s.port()) + " '" +
                          spec.string() + "' 2>&1";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int rc = ::pclose(p);
  const int code = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  if (code == 77 || code == 127) GTEST_SKIP() << "python3 with PyYAML and jsonschema is needed: " << out;
  EXPECT_EQ(code, 0) << out;
}

}  // namespace
}  // namespace corral::server::test
