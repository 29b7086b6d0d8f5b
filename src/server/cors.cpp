// The CORS origin policy.
#include "server/cors.h"

namespace corral::server {

CorsPolicy::CorsPolicy(const std::vector<std::string>& extra) {
  for (const auto& o : extra) {
    if (o == "*") allow_all_ = true;
    patterns_.push_back(o);
  }
  for (const char* host : {"localhost", "127.0.0.1", "0.0.0.0"}) {
    for (const char* scheme : {"http", "https"}) {
      patterns_.push_back(std::string(scheme) + "://" + host);
      patterns_.push_back(std::string(scheme) + "://" + host + ":*");
    }
  }
  for (const char* s : {"app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*"})
    patterns_.push_back(s);
}

bool glob_match(std::string_view p, std::string_view t) {
  // Iterative matcher with backtracking on the last '*'.
  std::size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && p[pi] == t[ti]) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool CorsPolicy::origin_allowed(std::string_view origin) const {
  if (allow_all_) return true;
  for (const auto& p : patterns_)
    if (glob_match(p, origin)) return true;
  return false;
}

const char* CorsPolicy::allowed_methods() { return "GET,POST,PUT,PATCH,DELETE,HEAD,OPTIONS"; }

const char* CorsPolicy::allowed_headers() {
  return "Authorization,Content-Type,User-Agent,Accept,X-Requested-With,OpenAI-Beta,x-stainless-arch,"
         "x-stainless-async,x-stainless-custom-poll-interval,x-stainless-helper-method,x-stainless-lang,"
         "x-stainless-os,x-stainless-package-version,x-stainless-poll-helper,x-stainless-retry-count,"
         "x-stainless-runtime,x-stainless-runtime-version,x-stainless-timeout";
}

}  // namespace corral::server
