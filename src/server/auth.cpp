// Bearer-token checking.
#include "server/auth.h"

namespace corral::server {

namespace {

bool equal_constant_time(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
}

}  // namespace

bool ApiKeyAuth::authorized(std::string_view header) const {
  if (!enabled()) return true;
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size()) return false;
  std::string_view scheme = header.substr(0, kBearer.size());
  // The scheme is case-insensitive (RFC 7235).
  for (std::size_t i = 0; i < kBearer.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(scheme[i])) != std::tolower(static_cast<unsigned char>(kBearer[i])))
      return false;
  std::string_view token = header.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  bool ok = false;
  for (const auto& k : keys_) ok |= equal_constant_time(token, k);
  return ok;
}

bool ApiKeyAuth::is_public(std::string_view method, std::string_view path) {
  return path == "/" && (method == "GET" || method == "HEAD");
}

}  // namespace corral::server
