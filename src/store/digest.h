// Content digests as Ollama writes them: "sha256:<64 lowercase hex>". Every
// digest that reaches a file path passes through here first, so a crafted
// digest can never name a file outside blobs/ (CVE-2024-37032).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace corral::store {

// True only for the canonical form "sha256:" + 64 lowercase hex digits, the
// form manifests carry. Anything else (other separators, upper case, extra
// characters, "../") is rejected.
bool is_canonical_digest(std::string_view digest);

// Accepts what Ollama's blob routes accept, `sha256[:-][0-9a-fA-F]{64}`, and
// returns the canonical form; nullopt for anything else.
std::optional<std::string> normalize_digest(std::string_view digest);

// Canonical digest or Error("invalid digest format: ...").
std::string require_digest(std::string_view digest);

// "sha256:<hex>" for a 64-hex SHA-256 string.
std::string digest_from_hex(std::string_view hex);

// The 64 hex digits of a canonical digest.
std::string_view digest_hex(std::string_view canonical_digest);

// The blob file name: "sha256-<hex>".
std::string blob_file_name(std::string_view canonical_digest);

}  // namespace corral::store
