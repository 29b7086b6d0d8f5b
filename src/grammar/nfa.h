// Nfa: the first compilation step of a Grammar (internal to automaton.cpp).
// Each rule that stays a call gets a Thompson-style automaton with byte-class
// edges, epsilon edges and call edges; small non-recursive rules are copied
// into their callers. Then rules that match nothing are cut off, states that
// cannot reach the end of their rule are trimmed, and left recursion (which a
// pushdown matcher cannot run) is rejected.
#pragma once

#include <cstdint>
#include <vector>

#include "grammar/byte_set.h"
#include "grammar/grammar.h"

namespace corral::grammar {

struct CompileLimits {
  std::size_t max_nfa_states = 400000;
  std::size_t max_dfa_states = 200000;
  // Non-recursive rules up to this many NFA states are copied into callers.
  std::size_t inline_states = 48;
};

struct Nfa {
  enum class EdgeKind : std::uint8_t { Eps, Byte, Call };
  struct Edge {
    EdgeKind kind;
    std::uint32_t target;
    std::uint32_t arg;  // Byte: index into sets; Call: rule id
  };
  std::vector<std::vector<Edge>> out;  // per state
  std::vector<ByteSet> sets;
  // Per rule id: start/final state (kNone when the rule was inlined or is unused).
  static constexpr std::uint32_t kNone = UINT32_MAX;
  std::vector<std::uint32_t> start, final;
  std::vector<bool> nullable;  // per rule id (called rules only)
};

// Builds, prunes and checks the automaton. Throws Error for undefined or
// left-recursive rules, a root that matches nothing, or a grammar over the limits.
Nfa build_nfa(const Grammar& g, const CompileLimits& limits);

}  // namespace corral::grammar
