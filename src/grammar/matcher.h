// Matcher: incremental matching of bytes against a compiled grammar. Its
// state is the set of stacks (heads) that the text so far can be in, each
// with a top state that reads the next byte, plus whether the text so far is
// a complete match. Bytes that no stack accepts leave the state unchanged.
//
//   Matcher m(Automaton::compile(g));
//   if (m.accept("{\"a\":")) ...;     // all bytes or none
//   m.can_accept("1}");                // would they fit? (state unchanged)
//   m.can_end();                       // is the text so far complete?
//
// One matcher per generation; not thread-safe (the automaton is shared).
#pragma once

#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "grammar/automaton.h"
#include "grammar/stack_pool.h"

namespace corral::grammar {

// Turns a head whose top state may call rules or end its rule into heads
// whose tops read bytes; sets `bottom` when the whole stack can end. Appends
// to `out` (unsorted, maybe with duplicates).
class Expander {
 public:
  void expand(const Automaton& a, StackPool& pool, Head h, std::vector<Head>& out, bool& bottom);

 private:
  std::vector<Head> work_, seen_;
};

// Sorts and removes duplicates in out[from..].
void dedupe_heads(std::vector<Head>& out, std::size_t from);

class Matcher {
 public:
  explicit Matcher(std::shared_ptr<const Automaton> automaton);

  bool accept(std::string_view bytes);
  bool can_accept(std::string_view bytes);
  bool can_end() const { return can_end_; }
  // Complete and nothing more can follow.
  bool finished() const { return can_end_ && heads_.empty(); }
  void reset();

  const Automaton& automaton() const { return *automaton_; }
  const std::shared_ptr<const Automaton>& automaton_ptr() const { return automaton_; }
  const std::vector<Head>& heads() const { return heads_; }
  StackPool& pool() { return pool_; }
  Expander& expander() { return expander_; }
  // Changes when the pool is compacted (node ids are renumbered then).
  std::uint64_t generation() const { return generation_; }

 private:
  bool run(std::string_view bytes, std::vector<Head>& heads, bool& end);
  void compact();

  std::shared_ptr<const Automaton> automaton_;
  StackPool pool_;
  Expander expander_;
  std::vector<Head> heads_, scratch_a_, scratch_b_;
  bool can_end_ = false;
  std::uint64_t generation_ = 0;
  // Compaction runs when the pool outgrows this (twice the live nodes).
  static constexpr std::size_t kCompactAt = std::size_t{1} << 20;
  std::size_t compact_at_ = kCompactAt;
};

}  // namespace corral::grammar
