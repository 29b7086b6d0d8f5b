// Part planning and resume-state validation.
#include "registry/part_plan.h"

#include <algorithm>

namespace corral::registry {

std::int64_t choose_part_size(std::int64_t total, std::int64_t parallel_threshold, std::int64_t requested) {
  constexpr std::int64_t kMin = 64ll << 20;
  constexpr std::int64_t kMax = 256ll << 20;
  if (total <= 0) return 1;
  if (total < parallel_threshold) return total;
  if (requested > 0) return std::min(requested, total);
  return std::clamp<std::int64_t>(total / 32, kMin, kMax);
}

std::vector<store::PartialPart> plan_parts(std::int64_t total, std::int64_t part_size) {
  std::vector<store::PartialPart> parts;
  if (total <= 0) return parts;
  part_size = std::max<std::int64_t>(1, part_size);
  for (std::int64_t off = 0; off < total; off += part_size) {
    store::PartialPart p;
    p.n = static_cast<int>(parts.size());
    p.offset = off;
    p.size = std::min(part_size, total - off);
    parts.push_back(p);
  }
  return parts;
}

bool parts_tile(const std::vector<store::PartialPart>& parts, std::int64_t total) {
  if (parts.empty()) return false;
  std::int64_t next = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& p = parts[i];
    if (p.n != static_cast<int>(i) || p.offset != next || p.size <= 0 || p.completed < 0 || p.completed > p.size)
      return false;
    if (p.size > total - next) return false;
    next += p.size;
  }
  return next == total;
}

std::int64_t completed_bytes(const std::vector<store::PartialPart>& parts) {
  std::int64_t sum = 0;
  for (const auto& p : parts) sum += p.completed;
  return sum;
}

}  // namespace corral::registry
