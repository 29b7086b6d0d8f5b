// Random tool-call ids.
#include "chat/tool_call.h"

#include <mutex>
#include <random>

namespace corral::chat {

std::string random_tool_call_id() {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  static std::mutex mu;
  static std::mt19937_64 rng{std::random_device{}()};
  std::lock_guard<std::mutex> lock(mu);
  std::uniform_int_distribution<int> pick(0, 35);
  std::string id = "call_";
  for (int i = 0; i < 8; ++i) id += kLetters[pick(rng)];
  return id;
}

}  // namespace corral::chat
