// FakeHttpServer: a tiny HTTP/1.1 server on 127.0.0.1 for registry tests,
// with full control over what goes on the wire: status, headers, a body
// that can be cut short, declared longer than sent, throttled or stalled.
// One request per connection (Connection: close). It records every request
// and counts the body bytes it sent.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace corral::test {

struct FakeRequest {
  std::string method;
  std::string target;  // path and query as sent
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;  // names lower case
  std::string body;
  std::string header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct FakeResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::int64_t declared_length = -1;  // Content-Length sent (-1: body size)
  std::int64_t cut_after = -1;        // close after this many body bytes (-1: all)
  std::size_t chunk_size = 64 * 1024;
  std::chrono::milliseconds chunk_delay{0};        // between body chunks
  std::chrono::milliseconds stall_before_body{0};  // after the headers
};

using FakeHandler = std::function<FakeResponse(const FakeRequest&)>;

class FakeHttpServer {
 public:
  explicit FakeHttpServer(FakeHandler handler);
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  int port() const { return port_; }
  // "http://<host>:<port>"; "localhost" reaches the same server under another host name.
  std::string url(const std::string& host = "127.0.0.1") const;
  std::string authority(const std::string& host = "127.0.0.1") const;

  std::int64_t body_bytes_sent() const { return sent_.load(); }
  // Connections still being served (a killed client's may linger a moment).
  int active_connections() const { return active_.load(); }
  void reset_counters();
  std::vector<FakeRequest> requests() const;

 private:
  void accept_loop();
  void serve(int fd);

  FakeHandler handler_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::int64_t> sent_{0};
  std::atomic<int> active_{0};
  mutable std::mutex mu_;
  std::vector<FakeRequest> log_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

// Answers a GET/HEAD for `data` honouring "Range: bytes=a-b" (206 with
// Content-Range), else 200.
FakeResponse serve_bytes(const FakeRequest& req, const std::string& data);

// Parses "bytes=a-b" / "bytes=a-"; nullopt when absent or malformed.
std::optional<std::pair<std::int64_t, std::int64_t>> parse_range(const std::string& header, std::int64_t size);

}  // namespace corral::test
