// Digest validation: the gate between manifest content and file paths.
#include <gtest/gtest.h>

#include "store/digest.h"
#include "util/error.h"

namespace corral::store {
namespace {

const std::string hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST(Digest, Canonical) {
  EXPECT_TRUE(is_canonical_digest("sha256:" + hex64));
  EXPECT_FALSE(is_canonical_digest("sha256-" + hex64));
  EXPECT_FALSE(is_canonical_digest("sha256:" + hex64.substr(1)));
  EXPECT_FALSE(is_canonical_digest("sha256:" + hex64 + "0"));
  EXPECT_FALSE(is_canonical_digest("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(is_canonical_digest("sha512:" + hex64));
  EXPECT_FALSE(is_canonical_digest("sha256:../../../../../../../../../../../../../../../../../etc/passwd"));
  EXPECT_FALSE(is_canonical_digest(""));
}

TEST(Digest, NormalizeAcceptsOllamaRouteForms) {
  EXPECT_EQ(normalize_digest("sha256-" + hex64), "sha256:" + hex64);
  EXPECT_EQ(normalize_digest("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"),
            "sha256:" + hex64);
  EXPECT_FALSE(normalize_digest("sha256_" + hex64));
  EXPECT_FALSE(normalize_digest("SHA256:" + hex64));
  EXPECT_FALSE(normalize_digest("sha256:" + hex64.substr(0, 63) + "g"));
  EXPECT_FALSE(normalize_digest(std::string("sha256:") + std::string(63, 'a') + '\0'));
  EXPECT_FALSE(normalize_digest("sha256:/" + hex64.substr(1)));
}

TEST(Digest, BlobFileName) {
  EXPECT_EQ(blob_file_name("sha256:" + hex64), "sha256-" + hex64);
  EXPECT_THROW(blob_file_name("sha256:../x"), Error);
  EXPECT_THROW(require_digest("sha256:../../etc/passwd"), Error);
  try {
    require_digest("nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("invalid digest format"), std::string::npos);
  }
}

}  // namespace
}  // namespace corral::store
