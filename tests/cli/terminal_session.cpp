// TerminalSession over tmux (see terminal_session.h).
#include "cli/terminal_session.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "cli/process.h"

namespace corral::test {

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

}  // namespace

bool TerminalSession::available() {
  return run_process({"tmux", "-V"}, {}, {}, std::chrono::seconds(10)).exit_code == 0;
}

TerminalSession::TerminalSession(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                                 int width, int height) {
  socket_ = (dir_.path() / "tmux.sock").string();
  const auto conf = dir_.path() / "tmux.conf";
  std::ofstream(conf) << "set -g remain-on-exit on\nset -g history-limit 5000\nset -g status off\n";
  std::string command = "exec env";
  for (const auto& [k, v] : env) command += " " + shell_quote(k + "=" + v);
  for (const auto& a : argv) command += " " + shell_quote(a);
  const auto r = run_process({"tmux", "-S", socket_, "-f", conf.string(), "new-session", "-d", "-x",
                              std::to_string(width), "-y", std::to_string(height), command},
                             {{"LANG", "C.UTF-8"}}, {}, std::chrono::seconds(20));
  if (r.exit_code != 0) throw std::runtime_error("tmux new-session failed: " + r.err);
}

TerminalSession::~TerminalSession() { tmux({"kill-server"}); }

std::string TerminalSession::tmux(const std::vector<std::string>& args) const {
  std::vector<std::string> argv{"tmux", "-S", socket_};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {}, {}, std::chrono::seconds(20)).out;
}

void TerminalSession::type(const std::string& text) { tmux({"send-keys", "-l", text}); }
void TerminalSession::key(const std::string& name) { tmux({"send-keys", name}); }
void TerminalSession::paste(const std::string& text) {
  tmux({"set-buffer", "-b", "corral-test", "--", text});
  tmux({"paste-buffer", "-p", "-d", "-b", "corral-test"});
}

std::vector<std::string> TerminalSession::screen() const {
  std::vector<std::string> rows;
  std::istringstream in(tmux({"capture-pane", "-p", "-S", "-"}));
  std::string row;
  while (std::getline(in, row)) {
    while (!row.empty() && row.back() == ' ') row.pop_back();
    rows.push_back(row);
  }
  return rows;
}

std::string TerminalSession::screen_text() const {
  std::string s;
  for (const auto& r : screen()) s += r + "\n";
  return s;
}

bool TerminalSession::wait_for(const std::function<bool(const std::string&)>& pred,
                               std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (pred(screen_text())) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

bool TerminalSession::exited() const {
  std::string s = tmux({"display-message", "-p", "#{pane_dead}"});
  return s.rfind("1", 0) == 0;
}

std::size_t count_of(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + needle.size())) ++n;
  return n;
}

}  // namespace corral::test
