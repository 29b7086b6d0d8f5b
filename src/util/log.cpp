// Implementation of the stderr logger: one line per message, serialized.
#include "util/log.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace corral::log {
namespace {

Level initial_level() {
  const char* dbg = std::getenv("OLLAMA_DEBUG");
  if (dbg && *dbg && std::string_view(dbg) != "0" && std::string_view(dbg) != "false") return Level::debug;
  return Level::info;
}

std::atomic<Level>& current() {
  static std::atomic<Level> lvl{initial_level()};
  return lvl;
}

}  // namespace

void set_level(Level l) { current().store(l); }
Level level() { return current().load(std::memory_order_relaxed); }

void write(Level l, std::string_view message) {
  static std::mutex mu;
  static const char* names[] = {"DEBUG", "INFO", "WARN", "ERROR", ""};
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
  std::lock_guard lock(mu);
  std::fprintf(stderr, "%s %s %.*s\n", stamp, names[static_cast<int>(l)], static_cast<int>(message.size()),
               message.data());
}

}  // namespace corral::log
