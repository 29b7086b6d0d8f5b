// Background server start (see server_autostart.h).
#include "cli/server_autostart.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <thread>

namespace corral::cli {

namespace {

std::string home_relative(const std::filesystem::path& p) {
  const char* home = std::getenv("HOME");
  if (home && *home) {
    const std::string h = home;
    const std::string s = p.string();
    if (s.size() > h.size() && s.compare(0, h.size(), h) == 0 && s[h.size()] == '/') return "~" + s.substr(h.size());
  }
  return p.string();
}

// The last non-empty lines of the log (what a failed server said).
std::string log_tail(const std::filesystem::path& log, std::streamoff from) {
  std::ifstream in(log);
  if (!in) return {};
  in.seekg(from);
  std::string line, last;
  std::vector<std::string> lines;
  while (std::getline(in, line))
    if (!line.empty()) lines.push_back(line);
  const std::size_t n = lines.size() > 3 ? 3 : lines.size();
  for (std::size_t i = lines.size() - n; i < lines.size(); ++i) last += "\n  " + lines[i];
  return last;
}

// Starts `<this executable> serve` detached; returns its pid (or -1 and errno).
pid_t spawn_server(const std::filesystem::path& log) {
  std::error_code ec;
  std::filesystem::create_directories(log.parent_path(), ec);
  const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return -1;
  const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::setsid();
    if (null_fd >= 0) ::dup2(null_fd, 0);
    ::dup2(log_fd, 1);
    ::dup2(log_fd, 2);
    char arg0[] = "corral";
    char arg1[] = "serve";
    char* argv[] = {arg0, arg1, nullptr};
    ::execv("/proc/self/exe", argv);
    std::fprintf(stderr, "corral: cannot run the server: %s\n", std::strerror(errno));
    ::_exit(127);
  }
  const int saved = errno;
  ::close(log_fd);
  if (null_fd >= 0) ::close(null_fd);
  errno = saved;
  return pid;
}

}  // namespace

std::filesystem::path server_log_file() {
  const char* home = std::getenv("HOME");
  if (home && *home) return std::filesystem::path(home) / ".ollama" / "logs" / "server.log";
  return std::filesystem::temp_directory_path() / ("corral-server-" + std::to_string(::getuid()) + ".log");
}

ApiClient connect_to_server(const AutostartOptions& options) {
  ApiClient client(server_address_from_env());
  const ServerAddress& a = client.address();
  if (client.heartbeat()) return client;
  if (!options.may_start) throw ConnectionError("no corral server is running at " + a.host_port());
  if (!a.is_local())
    throw ConnectionError("could not connect to a corral server at " + a.host_port() +
                          " (OLLAMA_HOST); start one there with 'corral serve'");

  const auto log = server_log_file();
  std::error_code ec;
  const auto log_start = static_cast<std::streamoff>(std::filesystem::exists(log, ec) ? std::filesystem::file_size(log, ec) : 0);
  const pid_t pid = spawn_server(log);
  if (pid < 0)
    throw ConnectionError("no corral server is running at " + a.host_port() + " and starting one failed: " +
                          std::strerror(errno));
  std::fprintf(stderr, "Started a corral server in the background on %s (log: %s; stop it with: kill %d)\n",
               a.host_port().c_str(), home_relative(log).c_str(), static_cast<int>(pid));
  std::fflush(stderr);

  const auto deadline = std::chrono::steady_clock::now() + options.wait;
  bool exited = false;
  while (std::chrono::steady_clock::now() < deadline) {
    if (client.heartbeat(std::chrono::milliseconds(500))) return client;
    if (!exited) {
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) exited = true;
    }
    // Another server may have won the race for the port: keep asking a moment.
    if (exited && std::chrono::steady_clock::now() + std::chrono::seconds(2) < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      if (client.heartbeat(std::chrono::milliseconds(500))) return client;
      throw ConnectionError("the corral server started in the background stopped before answering" +
                            log_tail(log, log_start) + "\n(full log: " + log.string() + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw ConnectionError("the corral server started in the background (pid " + std::to_string(pid) +
                        ") did not answer at " + a.host_port() + " within " +
                        std::to_string(options.wait.count() / 1000) + " s (log: " + log.string() + ")");
}

}  // namespace corral::cli
