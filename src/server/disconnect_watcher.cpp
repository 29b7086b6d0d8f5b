// Finding a request's socket and polling it for a departed peer.
#include "server/disconnect_watcher.h"

#include <dirent.h>
#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace corral::server {

namespace {

// Address text as httplib writes it (getnameinfo with NI_NUMERICHOST).
bool endpoint(int fd, bool peer, std::string& addr, int& port) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  const int rc = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len)
                      : getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (rc != 0) return false;
  if (ss.ss_family == AF_INET) {
    port = ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  } else if (ss.ss_family == AF_INET6) {
    port = ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  } else {
    return false;
  }
  char host[NI_MAXHOST];
  if (getnameinfo(reinterpret_cast<sockaddr*>(&ss), len, host, sizeof(host), nullptr, 0, NI_NUMERICHOST) != 0)
    return false;
  addr = host;
  return true;
}

}  // namespace

ConnectionWatch::~ConnectionWatch() {
  if (owner_) owner_->remove(this);
}

DisconnectWatcher::DisconnectWatcher(int poll_ms) : poll_ms_(poll_ms) {
  thread_ = std::thread([this] { loop(); });
}

DisconnectWatcher::~DisconnectWatcher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  // Watches still alive (held by responses) must not call back into us.
  std::lock_guard lock(mu_);
  for (auto* w : watches_) w->owner_ = nullptr;
}

int DisconnectWatcher::find_socket(const std::string& local_addr, int local_port, const std::string& remote_addr,
                                   int remote_port) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return -1;
  int found = -1;
  while (dirent* e = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(e->d_name, &end, 10);
    if (end == e->d_name || *end != '\0' || fd == dirfd(dir)) continue;
    struct stat st{};
    if (fstat(static_cast<int>(fd), &st) != 0 || !S_ISSOCK(st.st_mode)) continue;
    std::string la, ra;
    int lp = -1, rp = -1;
    if (!endpoint(static_cast<int>(fd), true, ra, rp) || rp != remote_port || ra != remote_addr) continue;
    if (!endpoint(static_cast<int>(fd), false, la, lp) || lp != local_port || la != local_addr) continue;
    found = static_cast<int>(fd);
    break;
  }
  closedir(dir);
  return found;
}

bool DisconnectWatcher::peer_gone(int fd) {
  pollfd p{fd, static_cast<short>(POLLIN | POLLRDHUP), 0};
  const int rc = ::poll(&p, 1, 0);
  if (rc <= 0) return false;
  if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return true;
  if (p.revents & (POLLIN | POLLRDHUP)) {
    char c;
    const ssize_t n = ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) return true;  // orderly shutdown
    if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR;
    // Pipelined bytes: the client is still there.
  }
  return false;
}

std::shared_ptr<ConnectionWatch> DisconnectWatcher::watch(const httplib::Request& req) {
  const int fd = find_socket(req.local_addr, req.local_port, req.remote_addr, req.remote_port);
  std::shared_ptr<ConnectionWatch> w(new ConnectionWatch(fd >= 0 ? this : nullptr, fd));
  if (fd >= 0) {
    std::lock_guard lock(mu_);
    watches_.push_back(w.get());
  }
  return w;
}

void DisconnectWatcher::remove(ConnectionWatch* w) {
  std::lock_guard lock(mu_);
  watches_.erase(std::remove(watches_.begin(), watches_.end(), w), watches_.end());
}

void DisconnectWatcher::loop() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_));
    if (stop_) break;
    // Polling under the lock: a watch cannot be removed (and its socket
    // closed by httplib afterwards) while its fd is being looked at.
    for (auto* w : watches_)
      if (!w->gone_.load() && peer_gone(w->fd_)) w->gone_ = true;
  }
}

}  // namespace corral::server
