// Host-header checking against DNS rebinding.
#include "server/host_guard.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace corral::server {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_private_v4(std::uint32_t a) {
  return (a >> 24) == 10 || (a >> 20) == ((172u << 4) | 1u) || (a >> 16) == ((192u << 8) | 168u);
}

bool assigned_locally(int family, const void* addr) {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return false;
  bool found = false;
  for (ifaddrs* i = list; i && !found; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != family) continue;
    if (family == AF_INET) {
      found = std::memcmp(&reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, addr, sizeof(in_addr)) == 0;
    } else {
      found = std::memcmp(&reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr, addr, sizeof(in6_addr)) == 0;
    }
  }
  freeifaddrs(list);
  return found;
}

}  // namespace

std::string strip_port(std::string_view h) {
  if (!h.empty() && h.front() == '[') {
    const auto close = h.find(']');
    return std::string(close == std::string_view::npos ? h.substr(1) : h.substr(1, close - 1));
  }
  const auto colon = h.rfind(':');
  if (colon != std::string_view::npos && h.find(':') == colon) return std::string(h.substr(0, colon));
  return std::string(h);
}

HostGuard::HostGuard(bool active) : active_(active) {
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) == 0) hostname_ = lower(buf);
}

bool HostGuard::allowed(std::string_view host_header) const {
  if (!active_) return true;
  const std::string host = lower(strip_port(host_header));
  if (host.empty() || host == "localhost" || (!hostname_.empty() && host == hostname_)) return true;
  if (ends_with(host, ".localhost") || ends_with(host, ".local") || ends_with(host, ".internal")) return true;
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    const std::uint32_t a = ntohl(v4.s_addr);
    if ((a >> 24) == 127 || a == 0 || is_private_v4(a)) return true;
    return assigned_locally(AF_INET, &v4);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_LOOPBACK(&v6) || IN6_IS_ADDR_UNSPECIFIED(&v6)) return true;
    if ((v6.s6_addr[0] & 0xfe) == 0xfc) return true;  // fc00::/7 unique local (Go's IsPrivate)
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
      const std::uint32_t a = (std::uint32_t{v6.s6_addr[12]} << 24) | (std::uint32_t{v6.s6_addr[13]} << 16) |
                              (std::uint32_t{v6.s6_addr[14]} << 8) | v6.s6_addr[15];
      if ((a >> 24) == 127 || a == 0 || is_private_v4(a)) return true;
    }
    return assigned_locally(AF_INET6, &v6);
  }
  return false;
}

}  // namespace corral::server
