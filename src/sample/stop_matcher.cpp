// Streaming stop-string matching with hold-back of possible partial matches.
#include "sample/stop_matcher.h"

#include "util/utf8.h"

#include <algorithm>
#include <utility>

namespace corral::sample {

StopMatcher::StopMatcher(std::vector<std::string> stops) : stops_(std::move(stops)) {}

StopResult StopMatcher::push(std::string_view piece) {
  StopResult result;
  if (match_) {
    result.match = match_;
    return result;
  }
  held_.append(piece);

  // held_ had no complete stop string before, so any match ends inside `piece`.
  std::size_t best_end = std::string::npos;
  std::size_t best_start = 0;
  for (std::size_t i = 0; i < stops_.size(); ++i) {
    const std::string& stop = stops_[i];
    if (stop.empty()) continue;
    const std::size_t start = held_.find(stop);
    if (start == std::string::npos) continue;
    const std::size_t end = start + stop.size();
    if (best_end == std::string::npos || end < best_end || (end == best_end && start < best_start)) {
      best_end = end;
      best_start = start;
      match_ = i;
    }
  }
  if (match_) {
    result.text = held_.substr(0, best_start);
    result.match = match_;
    held_.clear();
    return result;
  }

  std::size_t hold = partial_stop_suffix();
  std::string_view releasable(held_.data(), held_.size() - hold);
  hold += utf8::incomplete_tail(releasable);
  result.text = held_.substr(0, held_.size() - hold);
  held_.erase(0, held_.size() - hold);
  return result;
}

std::string StopMatcher::flush() {
  std::string out;
  out.swap(held_);
  return out;
}

std::size_t StopMatcher::partial_stop_suffix() const {
  const std::string_view held(held_);
  std::size_t longest = 0;
  for (const std::string& stop : stops_) {
    const std::size_t max_len = std::min(held.size(), stop.empty() ? 0 : stop.size() - 1);
    for (std::size_t len = max_len; len > longest; --len) {
      if (held.substr(held.size() - len) == std::string_view(stop).substr(0, len)) {
        longest = len;
        break;
      }
    }
  }
  return longest;
}

}  // namespace corral::sample
