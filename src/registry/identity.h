// The ed25519 identity Ollama signs registry token requests with: an
// unencrypted OpenSSH private key ("openssh-key-v1", ~/.ollama/id_ed25519)
// read with bounds checks (OpenSSL cannot read this format), signatures in
// Ollama's "<base64 ssh public key blob>:<base64 signature>" form, and
// creation of a new key pair in the same format (Ollama's server makes one
// at start-up when none exists).
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace corral::registry {

class Identity {
 public:
  // From the text of an OpenSSH private key file; Error naming the problem
  // (not ed25519, encrypted, malformed, public/private mismatch).
  static Identity parse(std::string_view pem);
  // A fresh random key pair.
  static Identity generate();

  // Base64 of the SSH wire public key (the 2nd field of the .pub line).
  const std::string& public_key_base64() const { return public_b64_; }
  // "ssh-ed25519 <base64>" (the .pub line without a comment).
  std::string authorized_key() const;
  // Raw 64-byte ed25519 signature of `message`.
  std::string sign_raw(std::string_view message) const;
  // Ollama's Authorization value: "<public key base64>:<base64 signature>".
  std::string authorization(std::string_view message) const;
  // The private key file text (openssh-key-v1, unencrypted, comment `comment`).
  std::string to_openssh_pem(std::string_view comment = "") const;

 private:
  std::array<std::uint8_t, 32> seed_{};
  std::array<std::uint8_t, 32> public_{};
  std::string public_b64_;
  void finish();
};

// The identity at `path`; nullopt when the file does not exist. Error when
// it exists but cannot be used.
std::optional<Identity> load_identity(const std::filesystem::path& path);

// Creates `path` (0600) and `path`.pub (0644) with a new key pair unless
// `path` exists; returns the identity at `path` either way.
Identity ensure_identity(const std::filesystem::path& path);

}  // namespace corral::registry
