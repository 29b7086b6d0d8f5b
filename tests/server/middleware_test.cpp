// CORS origins, the Host guard, API keys, OLLAMA_HOST parsing and the
// environment-driven ServerConfig.
#include <gtest/gtest.h>

#include <map>

#include "server/auth.h"
#include "server/cors.h"
#include "server/host_address.h"
#include "server/host_guard.h"
#include "server/server_config.h"

namespace corral::server {
namespace {

TEST(Cors, DefaultOriginsAndWildcards) {
  CorsPolicy p({});
  EXPECT_TRUE(p.origin_allowed("http://localhost"));
  EXPECT_TRUE(p.origin_allowed("http://localhost:3000"));
  EXPECT_TRUE(p.origin_allowed("https://127.0.0.1:8443"));
  EXPECT_TRUE(p.origin_allowed("app://obsidian.md"));
  EXPECT_TRUE(p.origin_allowed("vscode-webview://abc"));
  EXPECT_FALSE(p.origin_allowed("http://evil.com"));
  EXPECT_FALSE(p.origin_allowed("http://localhost.evil.com"));
  EXPECT_FALSE(p.origin_allowed("chrome-extension://abc"));
  CorsPolicy q({"chrome-extension://*", "https://*.example.com"});
  EXPECT_TRUE(q.origin_allowed("chrome-extension://abc"));
  EXPECT_TRUE(q.origin_allowed("https://app.example.com"));
  EXPECT_FALSE(q.origin_allowed("https://example.org"));
  EXPECT_TRUE(CorsPolicy({"*"}).origin_allowed("http://anything"));
}

TEST(Glob, Matches) {
  EXPECT_TRUE(glob_match("a*c", "abbbc"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_FALSE(glob_match("a*c", "abcd"));
  EXPECT_TRUE(glob_match("*.x*", "a.b.xy"));
}

TEST(HostGuard, LoopbackListenerChecksHost) {
  HostGuard g(true);
  for (const char* ok : {"", "localhost", "localhost:11434", "127.0.0.1:11434", "[::1]:11434", "foo.localhost",
                         "box.local", "svc.internal", "10.1.2.3", "192.168.1.5:80", "172.16.0.1", "0.0.0.0"})
    EXPECT_TRUE(g.allowed(ok)) << ok;
  for (const char* bad : {"evil.com", "evil.com:11434", "8.8.8.8", "localhost.evil.com", "172.32.0.1"})
    EXPECT_FALSE(g.allowed(bad)) << bad;
  EXPECT_TRUE(HostGuard(false).allowed("evil.com"));
}

TEST(Auth, BearerKeys) {
  ApiKeyAuth off({});
  EXPECT_TRUE(off.authorized(""));
  ApiKeyAuth a({"k1", "secret-2"});
  EXPECT_TRUE(a.authorized("Bearer secret-2"));
  EXPECT_TRUE(a.authorized("bearer k1"));
  EXPECT_FALSE(a.authorized("Bearer k"));
  EXPECT_FALSE(a.authorized("Bearer k1x"));
  EXPECT_FALSE(a.authorized("Basic k1"));
  EXPECT_FALSE(a.authorized(""));
  EXPECT_TRUE(ApiKeyAuth::is_public("GET", "/"));
  EXPECT_FALSE(ApiKeyAuth::is_public("GET", "/api/tags"));
}

TEST(HostAddress, OllamaForms) {
  auto h = parse_host("0.0.0.0");
  EXPECT_EQ(h.host, "0.0.0.0");
  EXPECT_EQ(h.port, 11434);
  h = parse_host(":8080");
  EXPECT_EQ(h.host, "0.0.0.0");
  EXPECT_EQ(h.port, 8080);
  h = parse_host("http://example.com");
  EXPECT_EQ(h.port, 80);
  h = parse_host("https://example.com");
  EXPECT_EQ(h.port, 443);
  h = parse_host("[::1]:9000");
  EXPECT_EQ(h.host, "::1");
  EXPECT_EQ(h.port, 9000);
  EXPECT_TRUE(h.is_loopback());
  h = parse_host("\"127.0.0.1:1234\"");
  EXPECT_EQ(h.host, "127.0.0.1");
  EXPECT_EQ(h.port, 1234);
  h = parse_host("localhost:notaport");
  EXPECT_EQ(h.port, 11434);
  EXPECT_TRUE(parse_host("127.0.0.9").is_loopback());
  EXPECT_FALSE(parse_host("0.0.0.0").is_loopback());
}

TEST(ServerConfig, ReadsEnvironmentWithOllamaDefaults) {
  std::map<std::string, std::string> env;
  auto get = [&](const char* k) -> std::optional<std::string> {
    auto it = env.find(k);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
  env["OLLAMA_MODELS"] = "/tmp/x";
  auto c = ServerConfig::from_env(get);
  EXPECT_EQ(c.listen.port, 11434);
  EXPECT_EQ(c.max_loaded_models, 3);
  EXPECT_EQ(c.num_parallel, 1);
  EXPECT_EQ(c.max_queue, 512);
  EXPECT_EQ(c.keep_alive.value, std::chrono::minutes(5));
  EXPECT_EQ(c.context_length, 4096);
  EXPECT_TRUE(c.api_keys.empty());
  env = {{"OLLAMA_MODELS", "/tmp/x"}, {"OLLAMA_HOST", "0.0.0.0:9999"}, {"OLLAMA_KEEP_ALIVE", "3600"},
         {"OLLAMA_NUM_PARALLEL", "4"}, {"OLLAMA_MAX_QUEUE", " 7 "}, {"OLLAMA_MAX_LOADED_MODELS", "2"},
         {"OLLAMA_ORIGINS", "a://x, b://*"}, {"OLLAMA_KV_CACHE_TYPE", "q8_0"}, {"OLLAMA_CONTEXT_LENGTH", "8192"},
         {"OLLAMA_NOPRUNE", "1"}, {"OLLAMA_DEBUG", "false"}, {"CORRAL_API_KEYS", "k1,k2"}};
  c = ServerConfig::from_env(get);
  EXPECT_EQ(c.listen.port, 9999);
  EXPECT_EQ(c.keep_alive.value, std::chrono::hours(1));
  EXPECT_EQ(c.num_parallel, 4);
  EXPECT_EQ(c.max_queue, 7);
  EXPECT_EQ(c.max_loaded_models, 2);
  EXPECT_EQ(c.origins, (std::vector<std::string>{"a://x", "b://*"}));
  EXPECT_EQ(c.kv_type, kernels::KvType::q8_0);
  EXPECT_EQ(c.context_length, 8192);
  EXPECT_TRUE(c.noprune);
  EXPECT_FALSE(c.debug);
  EXPECT_EQ(c.api_keys, (std::vector<std::string>{"k1", "k2"}));
  EXPECT_TRUE(env_bool("yes-ish"));  // Go: unparsable non-empty counts as true
  EXPECT_FALSE(env_bool("F"));
}

}  // namespace
}  // namespace corral::server
