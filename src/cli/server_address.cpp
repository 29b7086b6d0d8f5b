// OLLAMA_HOST parsing for clients (see server_address.h).
#include "cli/server_address.h"

#include <cstdlib>
#include <cstdio>

namespace corral::cli {

namespace {

std::string_view trim_spaces_and_quotes(std::string_view s) {
  auto is_strip = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\''; };
  while (!s.empty() && is_strip(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_strip(s.back())) s.remove_suffix(1);
  return s;
}

// Parses a decimal port 0..65535; -1 when it is not one.
int parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return -1;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v <= 65535 ? v : -1;
}

// net.SplitHostPort: "host:port", "[v6]:port". False when there is no port part.
bool split_host_port(std::string_view hp, std::string& host, std::string& port) {
  if (!hp.empty() && hp.front() == '[') {
    const auto close = hp.find(']');
    if (close == std::string_view::npos || close + 1 >= hp.size() || hp[close + 1] != ':') return false;
    host = std::string(hp.substr(1, close - 1));
    port = std::string(hp.substr(close + 2));
    return true;
  }
  const auto colon = hp.rfind(':');
  if (colon == std::string_view::npos) return false;
  if (hp.find(':') != colon) return false;  // a bare IPv6 address has several colons
  host = std::string(hp.substr(0, colon));
  port = std::string(hp.substr(colon + 1));
  return true;
}

}  // namespace

std::string ServerAddress::origin() const {
  const bool v6 = host.find(':') != std::string::npos;
  return scheme + "://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

std::string ServerAddress::host_port() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

bool ServerAddress::is_local() const {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

ServerAddress parse_server_address(std::string_view value, std::string* warning) {
  std::string_view s = trim_spaces_and_quotes(value);
  ServerAddress a;
  int default_port = kDefaultPort;
  std::string_view hostport = s;
  if (const auto sep = s.find("://"); sep != std::string_view::npos) {
    a.scheme = std::string(s.substr(0, sep));
    hostport = s.substr(sep + 3);
    if (a.scheme == "http") default_port = 80;
    if (a.scheme == "https") default_port = 443;
  } else if (s == "ollama.com") {
    a.scheme = "https";
    hostport = "ollama.com:443";
  }
  std::string_view path;
  if (const auto slash = hostport.find('/'); slash != std::string_view::npos) {
    path = hostport.substr(slash + 1);
    hostport = hostport.substr(0, slash);
  }
  std::string host, port;
  if (split_host_port(hostport, host, port)) {
    a.host = host;
    const int p = parse_port(port);
    if (p < 0) {
      if (warning) *warning = "invalid port \"" + port + "\" in OLLAMA_HOST, using " + std::to_string(default_port);
      a.port = default_port;
    } else {
      a.port = p;
    }
  } else {
    std::string_view h = hostport;
    if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    a.host = h.empty() ? "127.0.0.1" : std::string(h);
    a.port = default_port;
  }
  // A server bound to every interface is reached over loopback.
  if (a.host.empty() || a.host == "0.0.0.0") a.host = "127.0.0.1";
  if (a.host == "::") a.host = "::1";
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (!path.empty()) a.base_path = "/" + std::string(path);
  return a;
}

ServerAddress server_address_from_env() {
  const char* v = std::getenv("OLLAMA_HOST");
  std::string warning;
  ServerAddress a = parse_server_address(v ? v : "", &warning);
  if (!warning.empty()) std::fprintf(stderr, "Warning: %s\n", warning.c_str());
  return a;
}

}  // namespace corral::cli
