// WWW-Authenticate parsing: registry challenges as real registries send
// them, multiple challenges, token68, quoting, and malformed headers.
#include <gtest/gtest.h>

#include "registry/www_authenticate.h"
#include "util/error.h"

namespace corral::registry {
namespace {

TEST(WwwAuthenticate, OllamaRegistryChallenge) {
  const auto c = parse_www_authenticate(
      R"(Bearer realm="https://registry.ollama.ai/v2/token",service="registry.ollama.ai",scope="repository:library/llama3:pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  const auto b = find_bearer(c);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->realm, "https://registry.ollama.ai/v2/token");
  EXPECT_EQ(b->service, "registry.ollama.ai");
  EXPECT_EQ(b->scope, "repository:library/llama3:pull");
}

TEST(WwwAuthenticate, CommaInsideQuotedScopeStaysInTheValue) {
  const auto b = find_bearer(parse_www_authenticate(
      R"(Bearer realm="https://auth.example/token", service="reg", scope="repository:a/b:pull,push")"));
  ASSERT_TRUE(b);
  EXPECT_EQ(b->scope, "repository:a/b:pull,push");
  EXPECT_EQ(b->service, "reg");
}

TEST(WwwAuthenticate, EscapesInQuotedStrings) {
  const auto c = parse_www_authenticate(R"(Bearer realm="https://x/t?a=\"b\"",error="insufficient_scope")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].param("realm"), "https://x/t?a=\"b\"");
  EXPECT_EQ(c[0].param("error"), "insufficient_scope");
}

TEST(WwwAuthenticate, SeveralChallengesAndCaseInsensitiveNames) {
  const auto c = parse_www_authenticate(R"(Basic realm="Registry Realm", BEARER Realm="https://t/token",Service=svc)");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].param("realm"), "Registry Realm");
  EXPECT_EQ(c[1].scheme, "bearer");
  const auto b = find_bearer(c);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->realm, "https://t/token");
  EXPECT_EQ(b->service, "svc");
  EXPECT_EQ(b->scope, "");
}

TEST(WwwAuthenticate, Token68AndBareSchemes) {
  const auto c = parse_www_authenticate("Negotiate abc+/def==, Basic");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "negotiate");
  EXPECT_EQ(c[0].token68, "abc+/def==");
  EXPECT_EQ(c[1].scheme, "basic");
  EXPECT_TRUE(c[1].params.empty());
  EXPECT_FALSE(find_bearer(c));
}

TEST(WwwAuthenticate, BearerWithoutRealmIsNotUsable) {
  EXPECT_FALSE(find_bearer(parse_www_authenticate(R"(Bearer service="x")")));
  EXPECT_FALSE(find_bearer(parse_www_authenticate(R"(Bearer realm="")")));
}

TEST(WwwAuthenticate, MalformedHeadersAreErrors) {
  EXPECT_THROW(parse_www_authenticate(R"(Bearer realm="unterminated)"), Error);
  EXPECT_THROW(parse_www_authenticate(R"(realm="x")"), Error);
  EXPECT_THROW(parse_www_authenticate("Bearer realm=\"x\" junk"), Error);
  EXPECT_THROW(parse_www_authenticate("Bearer realm=\"x\", =y"), Error);
  EXPECT_THROW(parse_www_authenticate("Bearer realm=\"x\", a=\"1\" b=2"), Error);
  EXPECT_THROW(parse_www_authenticate("\"quoted\""), Error);
  EXPECT_THROW(parse_www_authenticate(std::string(kMaxChallengeHeader + 1, 'a')), Error);
  try {
    parse_www_authenticate(R"(Bearer realm="x)");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("WWW-Authenticate"), std::string::npos) << e.what();
  }
}

TEST(WwwAuthenticate, EmptyHeaderHasNoChallenges) {
  EXPECT_TRUE(parse_www_authenticate("").empty());
  EXPECT_TRUE(parse_www_authenticate(" , ,").empty());
}

}  // namespace
}  // namespace corral::registry
