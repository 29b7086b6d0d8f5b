// URL helpers: authority for same-host checks, Location resolution, and Go's
// query encoding (the signed token URL must match Ollama's byte for byte).
#include <gtest/gtest.h>

#include "util/base64.h"
#include "registry/url.h"
#include "util/error.h"

namespace corral::registry {
namespace {

TEST(Url, AuthorityKeepsExplicitPortsOnly) {
  EXPECT_EQ(url_authority("https://registry.ollama.ai/v2/x"), "registry.ollama.ai");
  EXPECT_EQ(url_authority("http://127.0.0.1:5000/v2/"), "127.0.0.1:5000");
  EXPECT_EQ(url_authority("HTTP://LocalHost:80/"), "localhost:80");
  EXPECT_THROW(url_authority("ftp://x/"), Error);
  EXPECT_THROW(url_authority("not a url"), Error);
}

TEST(Url, ResolvesLocations) {
  const std::string base = "http://127.0.0.1:5000/v2/ns/m/blobs/uploads/";
  EXPECT_EQ(resolve_url(base, "/v2/ns/m/blobs/uploads/abc?_state=x"),
            "http://127.0.0.1:5000/v2/ns/m/blobs/uploads/abc?_state=x");
  EXPECT_EQ(resolve_url(base, "https://cdn.example/blob?sig=1"), "https://cdn.example/blob?sig=1");
  EXPECT_EQ(resolve_url(base, "abc"), "http://127.0.0.1:5000/v2/ns/m/blobs/uploads/abc");
  EXPECT_THROW(resolve_url(base, "file:///etc/passwd"), Error);
}

TEST(Url, AppendsQueryParameters) {
  EXPECT_EQ(append_query("http://h/u", "digest", "sha256:ab"), "http://h/u?digest=sha256%3Aab");
  EXPECT_EQ(append_query("http://h/u?_state=x", "digest", "d"), "http://h/u?_state=x&digest=d");
}

TEST(Url, GoQueryEncoding) {
  EXPECT_EQ(query_escape("repository:library/llama3:pull"), "repository%3Alibrary%2Fllama3%3Apull");
  EXPECT_EQ(query_escape("a b~_.-"), "a+b~_.-");
  // url.Values.Encode sorts keys, keeping repeated keys in order.
  EXPECT_EQ(encode_query({{"service", "s"}, {"scope", "b"}, {"scope", "a"}, {"nonce", "n"}, {"ts", "1"}}),
            "nonce=n&scope=b&scope=a&service=s&ts=1");
  const auto q = parse_query("a=1&b=x+y&c=%41%zz&&d");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[1].second, "x y");
  EXPECT_EQ(q[2].second, "A%zz");
  EXPECT_EQ(q[3].first, "d");
}

TEST(Base64, RoundTripsAndRejectsMalformedText) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode_nopad("\xfb\xff"), "-_8");
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_FALSE(base64_decode("Zm9"));
  EXPECT_FALSE(base64_decode("Zm=v"));
  EXPECT_FALSE(base64_decode("Zm9v\n"));
  EXPECT_FALSE(base64_decode("Z==="));
  // Optional padding (image data): a bare final group is accepted, a partial or misplaced pad is not.
  constexpr auto opt = Base64Padding::optional;
  EXPECT_EQ(base64_decode("Zm9", nullptr, opt), "fo");
  EXPECT_EQ(base64_decode("Zm9vYg", nullptr, opt), "foob");
  EXPECT_EQ(base64_decode("Zm9vYg==", nullptr, opt), "foob");
  EXPECT_FALSE(base64_decode("Zm9vYg=", nullptr, opt));
  EXPECT_FALSE(base64_decode("Z", nullptr, opt));
  EXPECT_FALSE(base64_decode("Zm=v", nullptr, opt));
}

}  // namespace
}  // namespace corral::registry
