// Parsing OLLAMA_HOST.
#include "server/host_address.h"

#include <arpa/inet.h>

#include <charconv>

#include "util/log.h"

namespace corral::server {

std::string HostAddress::host_port() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

bool HostAddress::is_loopback() const {
  if (host == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) return IN6_IS_ADDR_LOOPBACK(&v6);
  return false;
}

HostAddress parse_host(std::string_view raw) {
  HostAddress out;
  std::string_view s = raw;
  while (!s.empty() && (s.front() == ' ' || s.front() == '"' || s.front() == '\'')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '"' || s.back() == '\'')) s.remove_suffix(1);
  int default_port = kDefaultPort;
  if (auto p = s.find("://"); p != std::string_view::npos) {
    out.scheme = std::string(s.substr(0, p));
    s.remove_prefix(p + 3);
    if (out.scheme == "http") default_port = 80;
    else if (out.scheme == "https") default_port = 443;
  }
  if (auto slash = s.find('/'); slash != std::string_view::npos) s = s.substr(0, slash);  // path ignored
  std::string_view host = s, port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close != std::string_view::npos) {
      host = s.substr(1, close - 1);
      if (close + 1 < s.size() && s[close + 1] == ':') port = s.substr(close + 2);
    }
  } else if (auto colon = s.rfind(':'); colon != std::string_view::npos && s.find(':') == colon) {
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  // ":port" binds every interface.
  out.host = host.empty() ? (s.empty() ? "127.0.0.1" : "0.0.0.0") : std::string(host);
  if (s.empty()) out.host = "127.0.0.1";
  out.port = default_port;
  if (!port.empty()) {
    int p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || ptr != port.data() + port.size() || p < 0 || p > 65535) {
      log::warn("invalid port in OLLAMA_HOST {:?}, using {}", std::string(raw), default_port);
    } else {
      out.port = p;
    }
  }
  return out;
}

}  // namespace corral::server
