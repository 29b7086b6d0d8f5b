// CORS as Ollama configures gin-contrib/cors: allowed origins are
// OLLAMA_ORIGINS plus localhost/127.0.0.1/0.0.0.0 (http/https, any port) and
// the app://, file://, tauri://, vscode-webview://, vscode-file:// schemes;
// a "*" in a pattern matches any run of characters. A request whose Origin
// is not allowed is refused (403, empty body); an allowed preflight
// (OPTIONS) is answered 204 with the allowed methods and headers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace corral::server {

class CorsPolicy {
 public:
  explicit CorsPolicy(const std::vector<std::string>& extra_origins);

  bool allow_all() const { return allow_all_; }
  bool origin_allowed(std::string_view origin) const;
  const std::vector<std::string>& patterns() const { return patterns_; }

  static const char* allowed_methods();
  static const char* allowed_headers();

 private:
  std::vector<std::string> patterns_;
  bool allow_all_ = false;
};

// Glob match where '*' matches any (possibly empty) run of characters.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace corral::server
