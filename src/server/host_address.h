// OLLAMA_HOST as Ollama reads it: "host", "host:port", ":port", "[::1]:port",
// "scheme://host[:port][/path]". No port means 11434, except that an
// explicit http:// means 80 and https:// 443. An invalid port falls back to
// the default with a warning.
#pragma once

#include <string>
#include <string_view>

namespace corral::server {

inline constexpr int kDefaultPort = 11434;

struct HostAddress {
  std::string scheme = "http";
  std::string host = "127.0.0.1";  // without brackets for IPv6
  int port = kDefaultPort;

  // "host:port" ("[::1]:port" for IPv6) for URLs and logs.
  std::string host_port() const;
  // True when the address is a loopback one (127.0.0.0/8, ::1, "localhost").
  bool is_loopback() const;
};

HostAddress parse_host(std::string_view value);

}  // namespace corral::server
