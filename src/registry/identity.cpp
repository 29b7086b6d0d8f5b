// openssh-key-v1 reading and writing, and ed25519 signing through OpenSSL.
#include "registry/identity.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>

#include "util/base64.h"
#include "util/error.h"

namespace corral::registry {
namespace {

constexpr std::string_view kBegin = "-----BEGIN OPENSSH PRIVATE KEY-----";
constexpr std::string_view kEnd = "-----END OPENSSH PRIVATE KEY-----";
constexpr std::string_view kMagic{"openssh-key-v1\0", 15};
constexpr std::string_view kKeyType = "ssh-ed25519";
constexpr std::size_t kMaxKeyFile = 64 * 1024;

struct PkeyDeleter {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};

// Big-endian SSH wire reader over a byte string; every read is bounds checked.
class WireReader {
 public:
  explicit WireReader(std::string_view data) : d_(data) {}
  std::uint32_t u32() {
    if (d_.size() - i_ < 4) fail("ssh key: truncated");
    std::uint32_t v = 0;
    for (int k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(d_[i_++]);
    return v;
  }
  std::string_view str() {
    const std::uint32_t n = u32();
    if (n > d_.size() - i_) fail("ssh key: field of {} bytes runs past the end", n);
    const std::string_view s = d_.substr(i_, n);
    i_ += n;
    return s;
  }
  std::string_view rest() const { return d_.substr(i_); }

 private:
  std::string_view d_;
  std::size_t i_ = 0;
};

void put_u32(std::string& out, std::uint32_t v) {
  for (int k = 3; k >= 0; --k) out += static_cast<char>((v >> (8 * k)) & 0xff);
}
void put_str(std::string& out, std::string_view s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out += s;
}

std::string wire_public_key(const std::array<std::uint8_t, 32>& pub) {
  std::string blob;
  put_str(blob, kKeyType);
  put_str(blob, std::string_view(reinterpret_cast<const char*>(pub.data()), pub.size()));
  return blob;
}

Pkey private_key(const std::array<std::uint8_t, 32>& seed) {
  Pkey k(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  if (!k) fail("ssh key: OpenSSL rejected the ed25519 private key");
  return k;
}

std::array<std::uint8_t, 32> derive_public(const std::array<std::uint8_t, 32>& seed) {
  const Pkey k = private_key(seed);
  std::array<std::uint8_t, 32> pub{};
  std::size_t len = pub.size();
  if (EVP_PKEY_get_raw_public_key(k.get(), pub.data(), &len) != 1 || len != pub.size())
    fail("ssh key: cannot derive the ed25519 public key");
  return pub;
}

template <std::size_t N>
std::array<std::uint8_t, N> to_array(std::string_view s) {
  std::array<std::uint8_t, N> a{};
  std::memcpy(a.data(), s.data(), N);
  return a;
}

}  // namespace

Identity Identity::parse(std::string_view pem) {
  if (pem.size() > kMaxKeyFile) fail("ssh key: file larger than {} bytes", kMaxKeyFile);
  const auto b = pem.find(kBegin);
  const auto e = pem.find(kEnd);
  if (b == std::string_view::npos || e == std::string_view::npos || e < b)
    fail("ssh key: not an OpenSSH private key (no \"{}\" block)", kBegin);
  std::string text;
  for (const char c : pem.substr(b + kBegin.size(), e - b - kBegin.size()))
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') text += c;
  const auto raw = base64_decode(text);
  if (!raw) fail("ssh key: the key block is not valid base64");
  std::string_view data = *raw;
  if (data.substr(0, kMagic.size()) != kMagic) fail("ssh key: not an openssh-key-v1 key");
  WireReader r(data.substr(kMagic.size()));
  const std::string_view cipher = r.str();
  const std::string_view kdf = r.str();
  (void)r.str();  // kdf options
  if (cipher != "none" || kdf != "none") fail("ssh key: encrypted keys are not supported (cipher \"{}\")", cipher);
  if (const std::uint32_t n = r.u32(); n != 1) fail("ssh key: file holds {} keys, expected 1", n);
  WireReader pub(r.str());
  if (pub.str() != kKeyType) fail("ssh key: not an ed25519 key");
  const std::string_view pk = pub.str();
  if (pk.size() != 32) fail("ssh key: ed25519 public key of {} bytes", pk.size());
  WireReader priv(r.str());
  if (priv.u32() != priv.u32()) fail("ssh key: check bytes differ (wrong passphrase or corrupt file)");
  if (priv.str() != kKeyType) fail("ssh key: private key is not ed25519");
  const std::string_view pk2 = priv.str();
  const std::string_view sk = priv.str();
  if (pk2 != pk || sk.size() != 64 || sk.substr(32) != pk) fail("ssh key: private and public parts do not match");
  Identity id;
  id.seed_ = to_array<32>(sk.substr(0, 32));
  id.public_ = to_array<32>(pk);
  if (derive_public(id.seed_) != id.public_) fail("ssh key: the public key does not belong to the private key");
  id.finish();
  return id;
}

Identity Identity::generate() {
  Identity id;
  if (RAND_bytes(id.seed_.data(), static_cast<int>(id.seed_.size())) != 1) fail("ssh key: no random bytes");
  id.public_ = derive_public(id.seed_);
  id.finish();
  return id;
}

void Identity::finish() { public_b64_ = base64_encode(wire_public_key(public_)); }

std::string Identity::authorized_key() const { return std::string(kKeyType) + " " + public_b64_; }

std::string Identity::sign_raw(std::string_view message) const {
  const Pkey k = private_key(seed_);
  std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, k.get()) != 1) fail("ed25519: sign init failed");
  std::string sig(64, '\0');
  std::size_t len = sig.size();
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      len != 64)
    fail("ed25519: signing failed");
  return sig;
}

std::string Identity::authorization(std::string_view message) const {
  return public_b64_ + ":" + base64_encode(sign_raw(message));
}

std::string Identity::to_openssh_pem(std::string_view comment) const {
  const std::string pub_blob = wire_public_key(public_);
  std::uint32_t check = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&check), sizeof check) != 1) fail("ssh key: no random bytes");
  std::string priv;
  put_u32(priv, check);
  put_u32(priv, check);
  put_str(priv, kKeyType);
  const std::string_view pub(reinterpret_cast<const char*>(public_.data()), public_.size());
  put_str(priv, pub);
  std::string sk(reinterpret_cast<const char*>(seed_.data()), seed_.size());
  sk += pub;
  put_str(priv, sk);
  put_str(priv, comment);
  for (char pad = 1; priv.size() % 8 != 0; ++pad) priv += pad;
  std::string data(kMagic);
  put_str(data, "none");
  put_str(data, "none");
  put_str(data, "");
  put_u32(data, 1);
  put_str(data, pub_blob);
  put_str(data, priv);
  const std::string b64 = base64_encode(data);
  std::string out(kBegin);
  out += '\n';
  for (std::size_t i = 0; i < b64.size(); i += 70) {
    out += b64.substr(i, 70);
    out += '\n';
  }
  out += kEnd;
  out += '\n';
  return out;
}

std::optional<Identity> load_identity(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open: {}", path.string(), std::strerror(errno));
  std::string text(kMaxKeyFile + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  try {
    return Identity::parse(text);
  } catch (const Error& e) {
    fail("{}: {}", path.string(), e.what());
  }
}

Identity ensure_identity(const std::filesystem::path& path) {
  if (auto id = load_identity(path)) return *id;
  std::filesystem::create_directories(path.parent_path());
  const Identity id = Identity::generate();
  const auto write = [](const std::filesystem::path& p, const std::string& text, mode_t mode) {
    const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
      if (errno == EEXIST) return;  // another process made it first
      fail("{}: cannot create: {}", p.string(), std::strerror(errno));
    }
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) fail("{}: cannot write", p.string());
  };
  write(path, id.to_openssh_pem(), 0600);
  write(path.string() + ".pub", id.authorized_key() + "\n", 0644);
  return *load_identity(path);
}

}  // namespace corral::registry
