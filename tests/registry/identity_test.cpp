// The ed25519 identity: keys made by ssh-keygen load, signatures verify
// against the .pub line with OpenSSL, keys we create are read back by
// ssh-keygen, and broken or encrypted key files give clear errors.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "registry/identity.h"
#include "testutil/temp_dir.h"
#include "util/error.h"

namespace corral::registry {
namespace {

namespace fs = std::filesystem;

bool have_ssh_keygen() { return std::system("ssh-keygen -? >/dev/null 2>&1; command -v ssh-keygen >/dev/null") == 0; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string field(const std::string& line, int i) {
  std::istringstream in(line);
  std::string f;
  for (int k = 0; k <= i; ++k) in >> f;
  return f;
}

// Verifies an ed25519 signature with the key from an authorized_keys line,
// decoding with OpenSSL (independently of the code under test).
bool verify(const std::string& pub_line, const std::string& message, const std::string& sig_b64) {
  const auto decode = [](const std::string& b64) {
    std::string out(b64.size(), '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
    if (n < 0) return std::string();
    std::size_t pad = 0;
    while (pad < b64.size() && b64[b64.size() - 1 - pad] == '=') ++pad;
    out.resize(static_cast<std::size_t>(n) - pad);
    return out;
  };
  const std::string blob = decode(field(pub_line, 1));
  const std::string sig = decode(sig_b64);
  if (blob.size() != 4 + 11 + 4 + 32 || sig.size() != 64) return false;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(blob.data() + 19),
                                  32),
      EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!key || !ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

TEST(Identity, ReadsSshKeygenKeysAndSignsVerifiably) {
  if (!have_ssh_keygen()) GTEST_SKIP() << "ssh-keygen not installed";
  test::TempDir dir;
  const fs::path key = dir / "id_ed25519";
  ASSERT_EQ(std::system(("ssh-keygen -q -t ed25519 -N '' -C test@corral -f " + key.string()).c_str()), 0);
  const auto id = load_identity(key);
  ASSERT_TRUE(id);
  const std::string pub = slurp(key.string() + ".pub");
  EXPECT_EQ(id->public_key_base64(), field(pub, 1));
  EXPECT_EQ(id->authorized_key(), field(pub, 0) + " " + field(pub, 1));

  const std::string msg = "GET,https://registry.ollama.ai/v2/token?nonce=x&scope=s&service=r&ts=1,abc";
  const std::string auth = id->authorization(msg);
  const auto colon = auth.find(':');
  ASSERT_NE(colon, std::string::npos);
  EXPECT_EQ(auth.substr(0, colon), field(pub, 1));
  EXPECT_TRUE(verify(pub, msg, auth.substr(colon + 1)));
  EXPECT_FALSE(verify(pub, msg + "x", auth.substr(colon + 1)));
}

TEST(Identity, CreatedKeysAreValidOpenSshKeys) {
  test::TempDir dir;
  const fs::path key = dir / "sub" / "id_ed25519";
  const Identity id = ensure_identity(key);
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(slurp(key.string() + ".pub"), id.authorized_key() + "\n");
  // A second call keeps the key.
  EXPECT_EQ(ensure_identity(key).public_key_base64(), id.public_key_base64());
  if (!have_ssh_keygen()) GTEST_SKIP() << "ssh-keygen not installed (format not cross-checked)";
  const fs::path out = dir / "derived.pub";
  ASSERT_EQ(std::system(("ssh-keygen -y -f " + key.string() + " > " + out.string()).c_str()), 0);
  EXPECT_EQ(field(slurp(out), 1), id.public_key_base64());
  EXPECT_TRUE(verify(slurp(out), "hello", id.authorization("hello").substr(id.public_key_base64().size() + 1)));
}

TEST(Identity, RejectsUnusableKeyFiles) {
  test::TempDir dir;
  EXPECT_FALSE(load_identity(dir / "absent"));
  const auto expect_error = [&](const std::string& text, const std::string& needle) {
    test::write_file(dir / "k", text);
    try {
      load_identity(dir / "k");
      ADD_FAILURE() << "accepted: " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  expect_error("garbage", "not an OpenSSH private key");
  expect_error("-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----\n", "base64");
  expect_error("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "openssh-key-v1");
  // A valid key with its body cut short.
  const std::string pem = Identity::generate().to_openssh_pem();
  std::string body;
  for (std::size_t i = pem.find('\n') + 1; i < pem.size() && pem[i] != '-'; ++i)
    if (pem[i] != '\n') body += pem[i];
  expect_error("-----BEGIN OPENSSH PRIVATE KEY-----\n" + body.substr(0, 100) + "\n-----END OPENSSH PRIVATE KEY-----\n",
               "runs past the end");
  if (!have_ssh_keygen()) return;
  const fs::path enc = dir / "enc";
  ASSERT_EQ(std::system(("ssh-keygen -q -t ed25519 -N secret -f " + enc.string()).c_str()), 0);
  try {
    load_identity(enc);
    ADD_FAILURE() << "accepted an encrypted key";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("encrypted"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace corral::registry
