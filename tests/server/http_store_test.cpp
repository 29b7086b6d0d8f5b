// Model management over HTTP: blob upload (digest checked), create from
// uploaded files and from an existing model (progress stream ending in
// success), copy, delete; and the middleware: CORS, the Host guard and API
// keys.
#include <gtest/gtest.h>

#include "dev/model_generator.h"
#include "shared_models.h"
#include "test_server.h"
#include "testutil/shared_data.h"
#include "util/sha256.h"

namespace corral::server::test {
namespace {

std::string read_all(const std::filesystem::path& p) { return corral::test::read_file(p); }

// A GGUF whose Jinja chat_template matches no known template: with no Go
// template in the model, prompts render through the Jinja template.
TEST(HttpStore, JinjaChatTemplateRendersWhenTheModelHasNoGoTemplate) {
  corral::test::TempDir dir;
  TestServer s(dir / "models");
  dev::ModelSpec spec;
  spec.threads = 1;
  spec.vocab_size = 300;
  // (Long enough that no named template is within Ollama's edit distance of 100.)
  spec.chat_template =
      "{#- A template of this test only: every role in brackets, upper case, then the trimmed content, one message "
      "per line; the assistant's turn is announced at the end when a generation prompt is asked for. -#}"
      "{{ bos_token }}{% for m in messages %}[{{ m['role'] | upper }}] {{ m['content'] | trim }}\n{% endfor %}"
      "{% if add_generation_prompt %}[ASSISTANT]{% endif %}";
  dev::generate_model(spec, (dir / "j.gguf").string());
  const std::string bytes = read_all(dir / "j.gguf");
  const std::string digest = "sha256:" + sha256_hex(bytes);
  ASSERT_EQ(s.post("/api/blobs/" + digest, bytes).status, 201);
  auto r = s.post("/api/create", Json{{"model", "jinja"}, {"files", {{"j.gguf", digest}}}, {"stream", false}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(s.post("/api/show", Json{{"model", "jinja"}}).json().value("template", ""), "{{ .Prompt }}");  // as Ollama shows it

  r = s.post("/api/chat", Json{{"model", "jinja"}, {"_debug_render_only", true},
                               {"messages", Json::array({{{"role", "system"}, {"content", " Be brief. "}},
                                                         {{"role", "user"}, {"content", "Hello"}}})}});
  ASSERT_EQ(r.status, 200) << r.body;
  // bos_token is the vocabulary's BOS text (token 1 of the synthetic vocabulary).
  const std::string rendered = r.json()["_debug_info"]["rendered_template"];
  EXPECT_NE(rendered.find("[SYSTEM] Be brief.\n[USER] Hello\n[ASSISTANT]"), std::string::npos) << rendered;
  r = s.post("/api/generate", Json{{"model", "jinja"}, {"prompt", "Hi"}, {"_debug_render_only", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.json()["_debug_info"]["rendered_template"].get<std::string>().find("[USER] Hi\n[ASSISTANT]"),
            std::string::npos)
      << r.body;
  // A real answer goes through the same prompt.
  r = s.post("/api/chat", Json{{"model", "jinja"}, {"stream", false}, {"options", {{"num_predict", 3}}},
                               {"messages", Json::array({{{"role", "user"}, {"content", "Hello"}}})}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_GT(r.json()["prompt_eval_count"].get<int>(), 4);
}

TEST(HttpStore, UploadCreateCopyDelete) {
  corral::test::TempDir dir;
  TestServer s(dir / "models");
  dev::ModelSpec spec;
  spec.threads = 1;
  spec.vocab_size = 300;
  dev::generate_model(spec, (dir / "m.gguf").string());
  const std::string bytes = read_all(dir / "m.gguf");
  const std::string digest = "sha256:" + sha256_hex(bytes);

  EXPECT_EQ(s.head("/api/blobs/" + digest).status, 404);
  EXPECT_EQ(s.head("/api/blobs/sha256:123").status, 400);
  auto wrong = s.post("/api/blobs/sha256:" + std::string(64, 'a'), bytes);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.json()["error"].get<std::string>().find("digest mismatch"), std::string::npos);
  EXPECT_EQ(s.post("/api/blobs/" + digest, bytes).status, 201);
  EXPECT_EQ(s.head("/api/blobs/" + digest).status, 200);
  EXPECT_EQ(s.post("/api/blobs/" + digest, bytes).status, 200);  // already there

  auto r = s.post("/api/create", Json{{"model", "made"}, {"files", {{"m.gguf", digest}}}, {"system", "Be kind."},
                                      {"parameters", {{"temperature", 0.5}, {"stop", {"<|end|>"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto lines = TestServer::ndjson(r.body);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["status"], "success");
  bool wrote_manifest = false;
  for (const auto& l : lines) wrote_manifest |= l["status"] == "writing manifest";
  EXPECT_TRUE(wrote_manifest);
  auto show = s.post("/api/show", Json{{"model", "made"}}).json();
  EXPECT_EQ(show["system"], "Be kind.");
  EXPECT_NE(show["parameters"].get<std::string>().find("temperature"), std::string::npos);

  r = s.post("/api/create", Json{{"model", "derived"}, {"from", "made"}, {"system", "Other."}, {"stream", false}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["status"], "success");
  EXPECT_EQ(s.post("/api/show", Json{{"model", "derived"}}).json()["system"], "Other.");
  auto none = s.post("/api/create", Json{{"model", "x"}});
  EXPECT_EQ(none.status, 400);
  EXPECT_EQ(none.json()["error"], "neither 'from' or 'files' was specified");
  EXPECT_EQ(s.post("/api/create", Json{{"model", "bad name!"}, {"from", "made"}}).status, 400);

  EXPECT_EQ(s.post("/api/copy", Json{{"source", "made"}, {"destination", "ns/copied:v1"}}).status, 200);
  std::vector<std::string> names;
  const Json tags = s.get("/api/tags").json();
  for (const auto& m : tags["models"]) names.push_back(m["name"]);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"derived:latest", "made:latest", "ns/copied:v1"}));

  EXPECT_EQ(s.del("/api/delete", Json{{"model", "made"}}.dump()).status, 200);
  EXPECT_EQ(s.del("/api/delete", Json{{"name", "ns/copied:v1"}}.dump()).status, 200);
  // The weights are still used by "derived".
  EXPECT_EQ(s.head("/api/blobs/" + digest).status, 200);
  EXPECT_EQ(s.post("/api/generate", Json{{"model", "derived"}, {"prompt", "x"}, {"stream", false},
                                         {"options", {{"num_predict", 2}}}}).status, 200);
}

TEST(HttpMiddleware, CorsPreflightAndOrigins) {
  TestServer s(shared_models_dir());
  auto pre = s.options("/api/chat", {{"Origin", "http://localhost:5173"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(pre.status, 204);
  auto allowed = s.get("/api/version", {{"Origin", "http://127.0.0.1:3000"}});
  EXPECT_EQ(allowed.status, 200);
  auto denied = s.get("/api/version", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.body, "");
  TestServer open(shared_models_dir(), [](ServerConfig& c) { c.origins = {"https://*.example"}; });
  EXPECT_EQ(open.get("/api/version", {{"Origin", "https://app.example"}}).status, 200);
}

TEST(HttpMiddleware, HostGuardOnLoopback) {
  TestServer s(shared_models_dir());
  EXPECT_EQ(s.get("/api/version", {{"Host", "localhost:11434"}}).status, 200);
  EXPECT_EQ(s.get("/api/version", {{"Host", "attacker.com"}}).status, 403);
}

TEST(HttpMiddleware, ApiKeys) {
  TestServer s(shared_models_dir(), [](ServerConfig& c) { c.api_keys = {"sekret"}; });
  EXPECT_EQ(s.get("/").status, 200);
  auto r = s.get("/api/tags");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["error"], "unauthorized: a valid API key is required");
  EXPECT_EQ(s.get("/api/tags", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(s.get("/api/tags", {{"Authorization", "Bearer sekret"}}).status, 200);
  r = s.get("/v1/models");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["error"]["type"], "invalid_request_error");
}

}  // namespace
}  // namespace corral::server::test
