// The DNS-rebinding guard Ollama applies when it listens on a loopback
// address: the request's Host must be empty, "localhost", the machine's
// hostname, *.localhost, *.local, *.internal, or an IP address that is
// loopback, private, unspecified or assigned to this machine. Other hosts
// get 403. Listening on any other address accepts every Host.
#pragma once

#include <string>
#include <string_view>

namespace corral::server {

class HostGuard {
 public:
  // `active`: the listener is on a loopback address.
  explicit HostGuard(bool active);
  bool active() const { return active_; }
  // `host_header` may carry a port ("localhost:11434", "[::1]:11434").
  bool allowed(std::string_view host_header) const;

 private:
  bool active_;
  std::string hostname_;
};

// The host part of a Host header, without port or IPv6 brackets.
std::string strip_port(std::string_view host_header);

}  // namespace corral::server
