// StackPool: the matcher's stacks as persistent linked lists of automaton
// states that share their tails. A node is (state, parent); equal nodes are
// stored once, so two stacks are equal exactly when their ids are. Node 0 is
// the bottom (the empty stack). A Head is a stack with its top state kept
// apart: the top changes with every byte, the rest only on calls and returns.
#pragma once

#include <cstdint>
#include <vector>

namespace corral::grammar {

struct Head {
  std::uint32_t state;  // top state: reads the next byte
  std::uint32_t rest;   // StackPool node of the states below (kBottom: none)
  bool operator==(const Head&) const = default;
  bool operator<(const Head& o) const { return state != o.state ? state < o.state : rest < o.rest; }
};

class StackPool {
 public:
  static constexpr std::uint32_t kBottom = 0;

  StackPool() { clear(); }

  // The node (state, parent), created if new.
  std::uint32_t push(std::uint32_t state, std::uint32_t parent) {
    const std::uint64_t key = (std::uint64_t{state} << 32) | parent;
    std::size_t i = slot(key);
    while (keys_[i] != kEmpty) {
      if (keys_[i] == key) return values_[i];
      i = (i + 1) & mask_;
    }
    const auto id = static_cast<std::uint32_t>(nodes_.size());
    nodes_.push_back({state, parent});
    keys_[i] = key;
    values_[i] = id;
    if (nodes_.size() * 2 > keys_.size()) grow();
    return id;
  }
  std::uint32_t state(std::uint32_t node) const { return nodes_[node].state; }
  std::uint32_t parent(std::uint32_t node) const { return nodes_[node].parent; }
  std::size_t size() const { return nodes_.size(); }
  void clear() {
    nodes_.assign(1, {UINT32_MAX, 0});
    keys_.assign(1024, kEmpty);
    values_.assign(1024, 0);
    mask_ = keys_.size() - 1;
  }

 private:
  static constexpr std::uint64_t kEmpty = UINT64_MAX;
  struct Node {
    std::uint32_t state, parent;
  };

  std::size_t slot(std::uint64_t key) const {
    key ^= key >> 31;
    key *= 0x9E3779B97F4A7C15ull;
    return static_cast<std::size_t>(key >> 17) & mask_;
  }
  void grow() {
    std::vector<std::uint64_t> keys(keys_.size() * 2, kEmpty);
    std::vector<std::uint32_t> values(keys.size(), 0);
    keys_.swap(keys);
    values_.swap(values);
    mask_ = keys_.size() - 1;
    for (std::size_t j = 0; j < keys.size(); ++j) {
      if (keys[j] == kEmpty) continue;
      std::size_t i = slot(keys[j]);
      while (keys_[i] != kEmpty) i = (i + 1) & mask_;
      keys_[i] = keys[j];
      values_[i] = values[j];
    }
  }

  std::vector<Node> nodes_;
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t mask_ = 0;
};

}  // namespace corral::grammar
