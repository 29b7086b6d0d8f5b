// PieceCache: pre-tokenizer piece -> token ids, remembered across encode()
// calls and shared by all threads (sharded mutexes; a full shard is emptied
// and refilled, so memory stays bounded). LocalPieceCache: the same within
// one call, without locks, keyed by views into the text being encoded.
#pragma once

#include <array>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tokenizer/text_index.h"
#include "tokenizer/vocab.h"

namespace corral::tokenizer {

class PieceCache {
 public:
  static constexpr std::size_t kMaxPieceBytes = 64;  // longer pieces are not cached
  // Appends the cached ids of `piece` to out; false if not cached.
  bool find(std::string_view piece, std::uint64_t hash, std::vector<TokenId>& out) const;
  void insert(std::string_view piece, std::uint64_t hash, std::span<const TokenId> ids) const;

 private:
  static constexpr std::size_t kShards = 32;
  static constexpr std::size_t kShardCapacity = 4096;
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return hash_text(s); }
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, std::vector<TokenId>, Hash, std::equal_to<>> map;
  };
  mutable std::array<Shard, kShards> shards_;
};

class LocalPieceCache {
 public:
  LocalPieceCache() : slots_(1024) {}
  bool find(std::string_view piece, std::uint64_t hash, std::vector<TokenId>& out) const;
  void insert(std::string_view piece, std::uint64_t hash, std::span<const TokenId> ids);

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::string_view piece;
    std::uint32_t begin = 0, count = 0;
    bool used = false;
  };
  void grow();
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
  std::vector<TokenId> ids_;
};

}  // namespace corral::tokenizer
