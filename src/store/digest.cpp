// Digest validation and the digest <-> blob file name mapping.
#include "store/digest.h"

#include "util/error.h"

namespace corral::store {
namespace {

constexpr std::size_t kHexLen = 64;
constexpr std::string_view kPrefix = "sha256";

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }
bool is_any_hex(char c) { return is_lower_hex(c) || (c >= 'A' && c <= 'F'); }

}  // namespace

bool is_canonical_digest(std::string_view d) {
  if (d.size() != kPrefix.size() + 1 + kHexLen) return false;
  if (d.substr(0, kPrefix.size()) != kPrefix || d[kPrefix.size()] != ':') return false;
  for (char c : d.substr(kPrefix.size() + 1))
    if (!is_lower_hex(c)) return false;
  return true;
}

std::optional<std::string> normalize_digest(std::string_view d) {
  if (d.size() != kPrefix.size() + 1 + kHexLen) return std::nullopt;
  if (d.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const char sep = d[kPrefix.size()];
  if (sep != ':' && sep != '-') return std::nullopt;
  std::string out = "sha256:";
  for (char c : d.substr(kPrefix.size() + 1)) {
    if (!is_any_hex(c)) return std::nullopt;
    out.push_back(c >= 'A' && c <= 'F' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

std::string require_digest(std::string_view d) {
  if (auto n = normalize_digest(d)) return *n;
  std::string shown(d.substr(0, 100));
  for (char& c : shown)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  fail("invalid digest format: \"{}\" (want sha256:<64 hex digits>)", shown);
}

std::string digest_from_hex(std::string_view hex) {
  std::string d = "sha256:";
  d.append(hex);
  if (!is_canonical_digest(d)) fail("invalid sha256 hex digest \"{}\"", hex.substr(0, 100));
  return d;
}

std::string_view digest_hex(std::string_view canonical_digest) {
  return canonical_digest.substr(kPrefix.size() + 1);
}

std::string blob_file_name(std::string_view canonical_digest) {
  if (!is_canonical_digest(canonical_digest)) fail("invalid digest format: \"{}\"", canonical_digest.substr(0, 100));
  std::string name = "sha256-";
  name.append(digest_hex(canonical_digest));
  return name;
}

}  // namespace corral::store
