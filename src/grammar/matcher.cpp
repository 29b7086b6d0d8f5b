// Matcher: expansion of calls and rule ends, byte steps, pool compaction.
#include "grammar/matcher.h"

#include <algorithm>
#include <unordered_map>

namespace corral::grammar {

void Expander::expand(const Automaton& a, StackPool& pool, Head h, std::vector<Head>& out, bool& bottom) {
  if (a.state(h.state).simple) {
    out.push_back(h);
    return;
  }
  work_.clear();
  seen_.clear();
  work_.push_back(h);
  while (!work_.empty()) {
    const Head cur = work_.back();
    work_.pop_back();
    if (std::find(seen_.begin(), seen_.end(), cur) != seen_.end()) continue;
    seen_.push_back(cur);
    const auto& st = a.state(cur.state);
    if (st.has_bytes) out.push_back(cur);
    for (const auto& c : a.calls(cur.state))
      work_.push_back({c.start, c.tail ? cur.rest : pool.push(c.ret, cur.rest)});
    if (st.final) {
      if (cur.rest == StackPool::kBottom)
        bottom = true;
      else
        work_.push_back({pool.state(cur.rest), pool.parent(cur.rest)});
    }
  }
}

void dedupe_heads(std::vector<Head>& out, std::size_t from) {
  if (out.size() - from < 2) return;
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(from), out.end());
  out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(from), out.end()), out.end());
}

Matcher::Matcher(std::shared_ptr<const Automaton> automaton) : automaton_(std::move(automaton)) { reset(); }

void Matcher::reset() {
  pool_.clear();
  compact_at_ = kCompactAt;
  heads_.clear();
  can_end_ = false;
  expander_.expand(*automaton_, pool_, {automaton_->start(), StackPool::kBottom}, heads_, can_end_);
  dedupe_heads(heads_, 0);
  ++generation_;
}

bool Matcher::run(std::string_view bytes, std::vector<Head>& heads, bool& end) {
  const Automaton& a = *automaton_;
  scratch_a_ = heads_;
  end = can_end_;
  if (bytes.empty()) {
    heads = scratch_a_;
    return true;
  }
  for (char ch : bytes) {
    const auto b = static_cast<unsigned char>(ch);
    scratch_b_.clear();
    end = false;
    for (const Head& h : scratch_a_) {
      const std::uint32_t s = a.next(h.state, b);
      if (s != Automaton::kDead) expander_.expand(a, pool_, {s, h.rest}, scratch_b_, end);
    }
    dedupe_heads(scratch_b_, 0);
    if (scratch_b_.empty() && !end) return false;
    scratch_a_.swap(scratch_b_);
  }
  heads = scratch_a_;
  return true;
}

bool Matcher::accept(std::string_view bytes) {
  std::vector<Head> next;
  bool end = false;
  if (!run(bytes, next, end)) return false;
  heads_ = std::move(next);
  can_end_ = end;
  if (pool_.size() > compact_at_) compact();
  return true;
}

bool Matcher::can_accept(std::string_view bytes) {
  std::vector<Head> next;
  bool end = false;
  return run(bytes, next, end);
}

// Copies the live stacks into a fresh pool (walks and rejected bytes leave
// unused nodes behind).
void Matcher::compact() {
  StackPool fresh;
  std::unordered_map<std::uint32_t, std::uint32_t> moved = {{StackPool::kBottom, StackPool::kBottom}};
  std::vector<std::uint32_t> chain;
  auto copy = [&](std::uint32_t node) {
    chain.clear();
    while (!moved.count(node)) {
      chain.push_back(node);
      node = pool_.parent(node);
    }
    std::uint32_t to = moved[node];
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      to = fresh.push(pool_.state(*it), to);
      moved[*it] = to;
    }
    return to;
  };
  for (auto& h : heads_) h.rest = copy(h.rest);
  dedupe_heads(heads_, 0);
  pool_ = std::move(fresh);
  compact_at_ = std::max(kCompactAt, 2 * pool_.size());
  ++generation_;
}

}  // namespace corral::grammar
