// Piece caches for byte-level BPE.
#include "tokenizer/piece_cache.h"

namespace corral::tokenizer {

bool PieceCache::find(std::string_view piece, std::uint64_t hash, std::vector<TokenId>& out) const {
  Shard& s = shards_[(hash >> 40) % kShards];
  std::lock_guard lock(s.mutex);
  auto it = s.map.find(piece);
  if (it == s.map.end()) return false;
  out.insert(out.end(), it->second.begin(), it->second.end());
  return true;
}

void PieceCache::insert(std::string_view piece, std::uint64_t hash, std::span<const TokenId> ids) const {
  if (piece.size() > kMaxPieceBytes) return;
  Shard& s = shards_[(hash >> 40) % kShards];
  std::lock_guard lock(s.mutex);
  if (s.map.size() >= kShardCapacity) s.map.clear();
  s.map.try_emplace(std::string(piece), ids.begin(), ids.end());
}

bool LocalPieceCache::find(std::string_view piece, std::uint64_t hash, std::vector<TokenId>& out) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (!s.used) return false;
    if (s.hash == hash && s.piece == piece) {
      out.insert(out.end(), ids_.begin() + s.begin, ids_.begin() + s.begin + s.count);
      return true;
    }
  }
}

void LocalPieceCache::insert(std::string_view piece, std::uint64_t hash, std::span<const TokenId> ids) {
  if ((used_ + 1) * 2 > slots_.size()) grow();
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = hash & mask;
  while (slots_[i].used) {
    if (slots_[i].hash == hash && slots_[i].piece == piece) return;
    i = (i + 1) & mask;
  }
  slots_[i] = Slot{hash, piece, static_cast<std::uint32_t>(ids_.size()), static_cast<std::uint32_t>(ids.size()), true};
  ids_.insert(ids_.end(), ids.begin(), ids.end());
  ++used_;
}

void LocalPieceCache::grow() {
  std::vector<Slot> old(slots_.size() * 2);
  old.swap(slots_);
  const std::size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (!s.used) continue;
    std::size_t i = s.hash & mask;
    while (slots_[i].used) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

}  // namespace corral::tokenizer
