// REPL history file (see line_history.h).
#include "cli/line_history.h"

#include <cstdlib>
#include <fstream>

namespace corral::cli {

namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

LineHistory::LineHistory(std::filesystem::path file, std::size_t limit) : file_(std::move(file)), limit_(limit) {
  if (file_.empty()) return;
  std::ifstream in(file_);
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (!line.empty()) entries_.push_back(line);
  }
  if (entries_.size() > limit_) entries_.erase(entries_.begin(), entries_.end() - static_cast<std::ptrdiff_t>(limit_));
}

void LineHistory::add(const std::string& raw) {
  const std::string line = trim(raw);
  if (line.empty() || line.find('\n') != std::string::npos) return;
  entries_.push_back(line);
  if (entries_.size() > limit_) entries_.erase(entries_.begin());
  if (saving_) save();
}

bool LineHistory::save() const {
  if (file_.empty()) return false;
  std::error_code ec;
  std::filesystem::create_directories(file_.parent_path(), ec);
  const auto tmp = std::filesystem::path(file_.string() + ".tmp");
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return false;
    for (const auto& e : entries_) out << e << '\n';
    if (!out.flush()) return false;
  }
  std::filesystem::permissions(tmp, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               std::filesystem::perm_options::replace, ec);
  std::filesystem::rename(tmp, file_, ec);
  return !ec;
}

std::filesystem::path default_history_file() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return {};
  return std::filesystem::path(home) / ".ollama" / "history";
}

}  // namespace corral::cli
