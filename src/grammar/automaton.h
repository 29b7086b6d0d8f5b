// Automaton: a compiled Grammar. Every rule that is matched as a call of its
// own becomes a deterministic automaton over bytes whose states may also call
// other rules (a recursive transition network); small non-recursive rules are
// copied into their callers. All states of all rules share one numbering and
// one transition table indexed by byte class. Immutable; share it between
// matchers and threads.
//
// A matcher (matcher.h) keeps stacks of states: the top state reads the next
// byte; when it is final its rule may end, which pops the stack and resumes
// the caller at the return state of the call.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "grammar/grammar.h"
#include "grammar/nfa.h"

namespace corral::grammar {

class Automaton {
 public:
  static constexpr std::uint32_t kDead = UINT32_MAX;

  struct Call {
    std::uint32_t start;  // first state of the called rule
    std::uint32_t ret;    // state of the caller to resume at
    bool tail;            // `ret` only ends the caller: nothing to resume
  };
  struct State {
    std::uint32_t calls_begin = 0, calls_end = 0;
    bool final = false;      // the rule may end here
    bool has_bytes = false;  // some byte leads on
    bool simple = false;     // has_bytes, no calls, not final
  };

  // Throws corral::Error for a grammar that cannot be compiled (undefined or
  // left-recursive rules, a root that matches nothing, over the limits).
  static std::shared_ptr<const Automaton> compile(const Grammar& g, const CompileLimits& limits = {});

  std::uint32_t start() const { return start_; }
  std::uint32_t next(std::uint32_t s, unsigned char b) const {
    return trans_[std::size_t{s} * n_classes_ + byte_class_[b]];
  }
  const State& state(std::uint32_t s) const { return states_[s]; }
  std::span<const Call> calls(std::uint32_t s) const {
    return {calls_.data() + states_[s].calls_begin, calls_.data() + states_[s].calls_end};
  }
  std::size_t size() const { return states_.size(); }
  std::size_t n_classes() const { return n_classes_; }

 private:
  Automaton() = default;

  std::array<std::uint8_t, 256> byte_class_{};
  std::size_t n_classes_ = 1;
  std::vector<std::uint32_t> trans_;
  std::vector<State> states_;
  std::vector<Call> calls_;
  std::uint32_t start_ = 0;
};

}  // namespace corral::grammar
