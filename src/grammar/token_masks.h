// Token masks: which tokens of a vocabulary may come next in a matcher state.
//
// A state is a set of stacks; what a token does to a stack depends mostly on
// the top state alone. So, per automaton state T (lazily, shared by all
// matchers of one automaton and vocabulary), a walk of the token trie from
// the stack [T] finds the tokens accepted without leaving T's rule (valid
// whatever lies below) and the trie nodes where T's rule can end (exits).
// At run time a state's mask is the union, over its stacks, of the accepted
// tokens of the top state, plus a walk of each exit's subtree from the real
// caller below it. Walks skip every subtree whose prefix is rejected.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "grammar/matcher.h"
#include "grammar/token_trie.h"

namespace corral::grammar {

// A set of token ids as a bitset.
class TokenBits {
 public:
  explicit TokenBits(std::size_t n = 0) : words_((n + 63) / 64, 0), n_(n) {}
  void set(std::int32_t id) { words_[static_cast<std::size_t>(id) >> 6] |= std::uint64_t{1} << (id & 63); }
  bool test(std::int32_t id) const { return (words_[static_cast<std::size_t>(id) >> 6] >> (id & 63)) & 1; }
  void clear() { std::fill(words_.begin(), words_.end(), 0); }
  std::size_t count() const;
  std::size_t size() const { return n_; }
  std::vector<std::uint64_t>& words() { return words_; }
  const std::vector<std::uint64_t>& words() const { return words_; }
  bool operator==(const TokenBits&) const = default;

 private:
  std::vector<std::uint64_t> words_;
  std::size_t n_;
};

// Walks trie subtrees with a set of stacks.
class TrieWalker {
 public:
  // Visits the nodes below `node` (whose path has been read already and left
  // the stacks `start`), calling visit(i, alive, bottom) for each node i
  // reached: alive when some stack can go on after its bytes, bottom when a
  // whole stack ended with them. Subtrees of nodes that are not alive are
  // skipped.
  template <typename Visit>
  void walk(const Automaton& a, StackPool& pool, const TokenTrie& trie, std::uint32_t node, std::span<const Head> start,
            Visit&& visit);

 private:
  std::vector<Head> arena_;
  std::vector<std::size_t> level_;
  Expander expander_;
};

class TokenMaskTable {
 public:
  TokenMaskTable(std::shared_ptr<const Automaton> automaton, std::shared_ptr<const TokenTrie> trie);

  struct Entry {
    std::vector<std::int32_t> sparse;  // accepted tokens, when few
    std::vector<std::uint64_t> dense;  // accepted tokens as bits, when many
    std::vector<std::uint32_t> exits;  // trie nodes where the state's rule can end
  };
  // The entry of a top state, computed on first use. Thread-safe.
  const Entry& entry(std::uint32_t state) const;

  const Automaton& automaton() const { return *automaton_; }
  const std::shared_ptr<const Automaton>& automaton_ptr() const { return automaton_; }
  const TokenTrie& trie() const { return *trie_; }
  // States computed so far.
  std::size_t computed() const;

 private:
  std::unique_ptr<Entry> compute(std::uint32_t state) const;

  std::shared_ptr<const Automaton> automaton_;
  std::shared_ptr<const TokenTrie> trie_;
  mutable std::mutex mu_;
  mutable std::vector<std::unique_ptr<Entry>> entries_;
  mutable std::size_t computed_ = 0;
  mutable TrieWalker walker_;
  mutable StackPool pool_;
};

// Fills `out` with the tokens allowed next in the matcher's state (EOG ids
// when it can end). `out` must have the vocabulary's size.
class MaskBuilder {
 public:
  explicit MaskBuilder(std::shared_ptr<const TokenMaskTable> table) : table_(std::move(table)) {}
  void build(Matcher& m, TokenBits& out);

 private:
  std::shared_ptr<const TokenMaskTable> table_;
  TrieWalker walker_;
  std::vector<Head> cont_;
};

template <typename Visit>
void TrieWalker::walk(const Automaton& a, StackPool& pool, const TokenTrie& trie, std::uint32_t node,
                      std::span<const Head> start, Visit&& visit) {
  const std::size_t d0 = trie.depth(node);
  if (level_.size() < trie.max_depth() + 2) level_.resize(trie.max_depth() + 2);
  arena_.assign(start.begin(), start.end());
  level_[d0] = 0;
  level_[d0 + 1] = arena_.size();
  const std::uint32_t stop = trie.end(node);
  std::uint32_t i = node + 1;
  while (i < stop) {
    const std::size_t d = trie.depth(i);
    const unsigned char b = trie.byte(i);
    const std::size_t pb = level_[d - 1], pe = level_[d];
    arena_.resize(pe);
    bool bottom = false;
    for (std::size_t k = pb; k < pe; ++k) {
      const Head h = arena_[k];
      const std::uint32_t s = a.next(h.state, b);
      if (s == Automaton::kDead) continue;
      if (a.state(s).simple)
        arena_.push_back({s, h.rest});
      else
        expander_.expand(a, pool, {s, h.rest}, arena_, bottom);
    }
    dedupe_heads(arena_, pe);
    level_[d + 1] = arena_.size();
    const bool alive = arena_.size() > pe;
    visit(i, alive, bottom);
    i = alive ? i + 1 : trie.end(i);
  }
}

}  // namespace corral::grammar
