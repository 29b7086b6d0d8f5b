// FakeHttpServer: accept loop, request parsing, controlled responses.
#include "registry/fake_http_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace corral::test {
namespace {

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 206:
      return "Partial Content";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 416:
      return "Range Not Satisfiable";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

bool send_all(int fd, const char* data, std::size_t len) {
  while (len > 0) {
    const ssize_t n = ::send(fd, data, len, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    len -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

FakeHttpServer::FakeHttpServer(FakeHandler handler) : handler_(std::move(handler)) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listen_fd_ < 0) throw std::runtime_error("socket failed");
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 64) != 0)
    throw std::runtime_error("bind/listen failed");
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FakeHttpServer::~FakeHttpServer() {
  stop_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& t : workers) t.join();
}

std::string FakeHttpServer::url(const std::string& host) const { return "http://" + authority(host); }
std::string FakeHttpServer::authority(const std::string& host) const { return host + ":" + std::to_string(port_); }

void FakeHttpServer::reset_counters() {
  sent_ = 0;
  std::lock_guard<std::mutex> lock(mu_);
  log_.clear();
}

std::vector<FakeRequest> FakeHttpServer::requests() const {
  std::lock_guard<std::mutex> lock(mu_);
  return log_;
}

void FakeHttpServer::accept_loop() {
  while (!stop_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    std::lock_guard<std::mutex> lock(mu_);
    ++active_;
    workers_.emplace_back([this, fd] {
      serve(fd);
      ::close(fd);
      --active_;
    });
  }
}

void FakeHttpServer::serve(int fd) {
  // Request line and headers.
  std::string in;
  char buf[16384];
  std::size_t head_end = std::string::npos;
  while (head_end == std::string::npos && in.size() < (1u << 20)) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      if (stop_) return;
      continue;
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    in.append(buf, static_cast<std::size_t>(n));
    head_end = in.find("\r\n\r\n");
  }
  if (head_end == std::string::npos) return;
  FakeRequest req;
  {
    const std::string head = in.substr(0, head_end);
    std::size_t pos = head.find("\r\n");
    const std::string line = head.substr(0, pos);
    const auto sp1 = line.find(' ');
    const auto sp2 = line.find(' ', sp1 + 1);
    req.method = line.substr(0, sp1);
    req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    const auto q = req.target.find('?');
    req.path = req.target.substr(0, q);
    req.query = q == std::string::npos ? "" : req.target.substr(q + 1);
    while (pos != std::string::npos && pos < head.size()) {
      const std::size_t next = head.find("\r\n", pos + 2);
      const std::string h = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      const auto colon = h.find(':');
      if (colon != std::string::npos) {
        std::string v = h.substr(colon + 1);
        while (!v.empty() && v.front() == ' ') v.erase(v.begin());
        req.headers[lower(h.substr(0, colon))] = v;
      }
      pos = next;
    }
  }
  // Body (Content-Length only; the client under test always sends one).
  req.body = in.substr(head_end + 4);
  const std::size_t want = req.headers.count("content-length") ? std::stoull(req.headers["content-length"]) : 0;
  while (req.body.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      if (stop_) return;
      continue;
    }
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    req.body.append(buf, static_cast<std::size_t>(n));
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    log_.push_back(req);
  }
  const FakeResponse resp = handler_(req);
  const std::int64_t declared =
      resp.declared_length >= 0 ? resp.declared_length : static_cast<std::int64_t>(resp.body.size());
  std::string head = "HTTP/1.1 " + std::to_string(resp.status) + " " + reason(resp.status) + "\r\n";
  bool has_length = false;
  for (const auto& [k, v] : resp.headers) {
    head += k + ": " + v + "\r\n";
    if (lower(k) == "content-length") has_length = true;
  }
  if (!has_length) head += "Content-Length: " + std::to_string(declared) + "\r\n";
  head += "Connection: close\r\n\r\n";
  if (!send_all(fd, head.data(), head.size())) return;
  if (req.method == "HEAD") return;
  const auto sleep_checked = [this](std::chrono::milliseconds d) {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!stop_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  if (resp.stall_before_body.count() > 0) sleep_checked(resp.stall_before_body);
  std::size_t limit = resp.body.size();
  if (resp.cut_after >= 0) limit = std::min(limit, static_cast<std::size_t>(resp.cut_after));
  for (std::size_t off = 0; off < limit && !stop_;) {
    const std::size_t n = std::min(resp.chunk_size, limit - off);
    if (!send_all(fd, resp.body.data() + off, n)) return;
    sent_ += static_cast<std::int64_t>(n);
    off += n;
    if (resp.chunk_delay.count() > 0 && off < limit) sleep_checked(resp.chunk_delay);
  }
  ::shutdown(fd, SHUT_WR);
}

std::optional<std::pair<std::int64_t, std::int64_t>> parse_range(const std::string& header, std::int64_t size) {
  if (header.rfind("bytes=", 0) != 0) return std::nullopt;
  const std::string spec = header.substr(6);
  const auto dash = spec.find('-');
  if (dash == std::string::npos || dash == 0) return std::nullopt;
  const std::int64_t a = std::stoll(spec.substr(0, dash));
  std::int64_t b = size - 1;
  if (dash + 1 < spec.size()) b = std::min(b, static_cast<std::int64_t>(std::stoll(spec.substr(dash + 1))));
  if (a > b || a >= size) return std::nullopt;
  return std::make_pair(a, b);
}

FakeResponse serve_bytes(const FakeRequest& req, const std::string& data) {
  FakeResponse r;
  const auto size = static_cast<std::int64_t>(data.size());
  if (auto range = parse_range(req.header("range"), size)) {
    r.status = 206;
    r.body =
        data.substr(static_cast<std::size_t>(range->first), static_cast<std::size_t>(range->second - range->first + 1));
    r.headers.emplace_back("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                std::to_string(range->second) + "/" + std::to_string(size));
  } else {
    r.body = data;
  }
  r.headers.emplace_back("Content-Type", "application/octet-stream");
  if (req.method == "HEAD") r.declared_length = static_cast<std::int64_t>(r.body.size());
  return r;
}

}  // namespace corral::test
