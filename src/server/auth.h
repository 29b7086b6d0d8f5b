// Optional API-key authentication (corral's addition; Ollama has none): when
// CORRAL_API_KEYS lists bearer tokens, every request except the liveness
// route (GET/HEAD /) and CORS preflights must carry
// "Authorization: Bearer <one of them>". Comparison is constant-time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace corral::server {

class ApiKeyAuth {
 public:
  explicit ApiKeyAuth(std::vector<std::string> keys) : keys_(std::move(keys)) {}
  bool enabled() const { return !keys_.empty(); }
  // True when auth is off, or the Authorization header carries a known key.
  bool authorized(std::string_view authorization_header) const;
  // Routes reachable without a key.
  static bool is_public(std::string_view method, std::string_view path);

 private:
  std::vector<std::string> keys_;
};

}  // namespace corral::server
