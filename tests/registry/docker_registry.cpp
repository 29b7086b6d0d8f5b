// DockerRegistry: config file, fork/exec, readiness probe, shutdown.
#include "registry/docker_registry.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace corral::test {
namespace fs = std::filesystem;

namespace {

// GET /v2/ answered with 200 (a raw socket probe, so the fixture does not
// depend on the code under test).
bool answers(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string req = "GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[64] = {0};
      const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
      ok = n > 12 && std::string(buf, static_cast<std::size_t>(n)).find(" 200 ") != std::string::npos;
    }
  }
  ::close(fd);
  return ok;
}

std::string tail_of(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

}  // namespace

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::optional<fs::path> DockerRegistry::binary() {
  if (const char* env = std::getenv("CORRAL_DOCKER_REGISTRY"); env && *env) {
    if (::access(env, X_OK) == 0) return fs::path(env);
    return std::nullopt;
  }
  for (const char* p : {"/usr/bin/docker-registry", "/usr/local/bin/docker-registry"})
    if (::access(p, X_OK) == 0) return fs::path(p);
  return std::nullopt;
}

DockerRegistry::DockerRegistry() {
  const auto bin = binary();
  if (!bin) throw std::runtime_error("docker-registry is not installed");
  fs::create_directories(storage());
  const fs::path log = dir_.path() / "registry.log";
  for (int tries = 0; tries < 3; ++tries) {
    port_ = free_port();
    const fs::path config = dir_.path() / "config.yml";
    {
      std::ofstream out(config);
      out << "version: 0.1\n"
          << "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
          << "storage:\n  filesystem:\n    rootdirectory: " << storage().string() << "\n"
          << "  delete:\n    enabled: true\n"
          << "http:\n  addr: 127.0.0.1:" << port_ << "\n";
    }
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      ::execl(bin->c_str(), bin->c_str(), "serve", config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (answers(port_)) return;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        break;  // exited (port taken?): try another port
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  throw std::runtime_error("docker-registry did not start; log:\n" + tail_of(log));
}

DockerRegistry::~DockerRegistry() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

}  // namespace corral::test
