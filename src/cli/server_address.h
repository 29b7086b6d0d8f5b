// Where the CLI finds the server: OLLAMA_HOST read as Ollama's clients read
// it ("host", "host:port", ":port", "[::1]:port", "scheme://host[:port][/path]";
// no port means 11434, except an explicit http:// means 80 and https:// 443;
// a bare "ollama.com" means https://ollama.com:443). A server listening on
// every interface (0.0.0.0, ::, empty host) is reached over loopback.
#pragma once

#include <string>
#include <string_view>

namespace corral::cli {

inline constexpr int kDefaultPort = 11434;

struct ServerAddress {
  std::string scheme = "http";
  std::string host = "127.0.0.1";  // IPv6 without brackets
  int port = kDefaultPort;
  std::string base_path;           // "" or "/prefix" (no trailing slash)

  // "http://127.0.0.1:11434" (IPv6 hosts in brackets), without the base path.
  std::string origin() const;
  // "127.0.0.1:11434" for messages.
  std::string host_port() const;
  // True for loopback addresses and "localhost": a server we may start ourselves.
  bool is_local() const;
};

// Parses an OLLAMA_HOST value (surrounding spaces and quotes are ignored).
// An invalid port falls back to the default; `warning`, when given, receives
// a sentence saying so.
ServerAddress parse_server_address(std::string_view value, std::string* warning = nullptr);

// The address from the OLLAMA_HOST environment variable (default 127.0.0.1:11434).
ServerAddress server_address_from_env();

}  // namespace corral::cli
