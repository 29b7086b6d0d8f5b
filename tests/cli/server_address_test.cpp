// OLLAMA_HOST as clients read it.
#include <gtest/gtest.h>

#include "cli/server_address.h"

namespace corral::cli {
namespace {

TEST(ServerAddress, Defaults) {
  const auto a = parse_server_address("");
  EXPECT_EQ(a.origin(), "http://127.0.0.1:11434");
  EXPECT_TRUE(a.is_local());
}

TEST(ServerAddress, Forms) {
  EXPECT_EQ(parse_server_address("example.org").origin(), "http://example.org:11434");
  EXPECT_EQ(parse_server_address("example.org:8080").origin(), "http://example.org:8080");
  EXPECT_EQ(parse_server_address(":5000").origin(), "http://127.0.0.1:5000");
  EXPECT_EQ(parse_server_address("0.0.0.0:5000").origin(), "http://127.0.0.1:5000");
  EXPECT_EQ(parse_server_address("[::1]:5000").origin(), "http://[::1]:5000");
  EXPECT_EQ(parse_server_address("http://example.org").origin(), "http://example.org:80");
  EXPECT_EQ(parse_server_address("https://example.org").origin(), "https://example.org:443");
  EXPECT_EQ(parse_server_address("ollama.com").origin(), "https://ollama.com:443");
  EXPECT_EQ(parse_server_address("  \"localhost:9\"  ").origin(), "http://localhost:9");
  const auto p = parse_server_address("http://proxy.local:81/ollama/");
  EXPECT_EQ(p.base_path, "/ollama");
  EXPECT_FALSE(p.is_local());
}

TEST(ServerAddress, BadPortFallsBackWithAWarning) {
  std::string warning;
  const auto a = parse_server_address("127.0.0.1:99999", &warning);
  EXPECT_EQ(a.port, 11434);
  EXPECT_NE(warning.find("99999"), std::string::npos);
}

TEST(ServerAddress, LocalHosts) {
  EXPECT_TRUE(parse_server_address("localhost").is_local());
  EXPECT_TRUE(parse_server_address("127.0.0.2:1").is_local());
  EXPECT_TRUE(parse_server_address("[::1]:1").is_local());
  EXPECT_FALSE(parse_server_address("10.0.0.5").is_local());
}

}  // namespace
}  // namespace corral::cli
