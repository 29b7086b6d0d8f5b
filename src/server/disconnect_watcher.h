// DisconnectWatcher: notices that an HTTP client has gone away while its
// request is queued, loading, evaluating the prompt or generating, so the
// work can be cancelled (within one token). cpp-httplib 0.11 gives handlers
// no view of the connection, so the watcher finds the request's socket by
// its address pair (local and remote address and port, which are unique
// among open connections and stay valid while the handler runs) and polls
// it from one background thread: a peer that closed or reset its end makes
// the watch's flag true. Pipelined data on the socket counts as alive.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
struct Request;
}

namespace corral::server {

class DisconnectWatcher;

// One watched connection. gone() becomes true once the peer has left (or
// cancel() was called). Destroying it stops the watch; it must be destroyed
// before the connection is closed (it lives no longer than the response).
class ConnectionWatch {
 public:
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;
  bool gone() const { return gone_.load(); }
  const std::atomic<bool>* flag() const { return &gone_; }
  void cancel() { gone_ = true; }
  int fd() const { return fd_; }

 private:
  friend class DisconnectWatcher;
  ConnectionWatch(DisconnectWatcher* owner, int fd) : owner_(owner), fd_(fd) {}
  DisconnectWatcher* owner_;
  int fd_;
  std::atomic<bool> gone_{false};
};

class DisconnectWatcher {
 public:
  explicit DisconnectWatcher(int poll_ms = 20);
  ~DisconnectWatcher();

  // Starts watching the connection `req` arrived on. When its socket cannot
  // be found the watch simply never fires (work then stops at the next write).
  std::shared_ptr<ConnectionWatch> watch(const httplib::Request& req);

  // The socket of a connection from its address pair, -1 if not found.
  static int find_socket(const std::string& local_addr, int local_port, const std::string& remote_addr,
                         int remote_port);
  // True when the peer of a connected socket has closed or reset it.
  static bool peer_gone(int fd);

 private:
  friend class ConnectionWatch;
  void remove(ConnectionWatch* w);
  void loop();

  int poll_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ConnectionWatch*> watches_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace corral::server
