// Nfa: Thompson construction of the called rules, inlining, pruning of rules
// that match nothing, trimming and the left-recursion check.
#include "grammar/nfa.h"

#include <algorithm>
#include <map>

#include "util/error.h"

namespace corral::grammar {
namespace {

constexpr std::uint64_t kHuge = std::uint64_t{1} << 40;

std::uint64_t sat_add(std::uint64_t a, std::uint64_t b) { return std::min(kHuge, a + b); }
std::uint64_t sat_mul(std::uint64_t a, std::uint64_t b) {
  if (a == 0 || b == 0) return 0;
  return a > kHuge / b ? kHuge : std::min(kHuge, a * b);
}

void collect_refs(const Expr& e, std::uint64_t weight, std::vector<std::pair<RuleId, std::uint64_t>>& out) {
  if (e.kind == Expr::Kind::Ref) out.emplace_back(e.rule, weight);
  const std::uint64_t w = e.kind == Expr::Kind::Repeat && e.max > 1 ? 2 : 1;
  for (const auto& c : e.items) collect_refs(c, sat_mul(weight, w), out);
}

// Tarjan's strongly connected components, iteratively. Returns the rules in
// the order their components complete (callees before callers) and marks
// rules that take part in a cycle.
std::vector<RuleId> callee_first_order(const std::vector<std::vector<RuleId>>& edges, std::vector<bool>& recursive) {
  const std::size_t n = edges.size();
  std::vector<std::int64_t> index(n, -1), low(n, 0);
  std::vector<bool> on_stack(n, false);
  std::vector<RuleId> stack, order;
  std::vector<std::pair<RuleId, std::size_t>> calls;
  std::int64_t next = 0;
  recursive.assign(n, false);
  for (RuleId root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    auto enter = [&](RuleId v) {
      index[v] = low[v] = next++;
      stack.push_back(v);
      on_stack[v] = true;
      calls.emplace_back(v, 0);
    };
    enter(root);
    while (!calls.empty()) {
      auto& [u, i] = calls.back();
      if (i < edges[u].size()) {
        RuleId w = edges[u][i++];
        if (w == u) recursive[u] = true;
        if (index[w] < 0)
          enter(w);
        else if (on_stack[w])
          low[u] = std::min(low[u], index[w]);
        continue;
      }
      const RuleId done = u;
      if (low[done] == index[done]) {
        std::size_t first = stack.size();
        while (stack[first - 1] != done) --first;
        --first;
        const bool cycle = stack.size() - first > 1;
        for (std::size_t k = first; k < stack.size(); ++k) {
          on_stack[stack[k]] = false;
          if (cycle) recursive[stack[k]] = true;
          order.push_back(stack[k]);
        }
        stack.resize(first);
      }
      calls.pop_back();
      if (!calls.empty()) low[calls.back().first] = std::min(low[calls.back().first], low[done]);
    }
  }
  return order;
}

class Builder {
 public:
  Builder(const Grammar& g, const CompileLimits& limits) : g_(g), limits_(limits) {
    const std::size_t n = g.rules().size();
    nfa_.start.assign(n, Nfa::kNone);
    nfa_.final.assign(n, Nfa::kNone);
    decide_inlining();
  }

  Nfa build() {
    const std::size_t n = g_.rules().size();
    if (g_.root() >= n) fail("grammar: the root rule is not defined");
    std::vector<RuleId> work = {g_.root()};
    std::vector<bool> queued(n, false);
    queued[g_.root()] = true;
    while (!work.empty()) {
      RuleId r = work.back();
      work.pop_back();
      const Rule& rule = g_.rule(r);
      if (!rule.defined) fail("grammar: rule '{}' is used but not defined", rule.name);
      const std::uint32_t s = new_state();
      nfa_.start[r] = s;
      const std::uint32_t e = build(rule.body, s);
      nfa_.final[r] = e;
      for (std::size_t i = called_from_; i < called_.size(); ++i)
        if (!queued[called_[i]]) {
          queued[called_[i]] = true;
          work.push_back(called_[i]);
        }
      called_from_ = called_.size();
    }
    return std::move(nfa_);
  }

 private:
  void decide_inlining() {
    const std::size_t n = g_.rules().size();
    std::vector<std::vector<RuleId>> edges(n);
    std::vector<std::uint64_t> uses(n, 0);
    std::vector<std::pair<RuleId, std::uint64_t>> refs;
    for (RuleId r = 0; r < n; ++r) {
      refs.clear();
      collect_refs(g_.rule(r).body, 1, refs);
      for (auto [to, w] : refs) {
        if (to >= n) fail("grammar: rule '{}' refers to rule #{} which does not exist", g_.rule(r).name, to);
        edges[r].push_back(to);
        uses[to] = sat_add(uses[to], w);
      }
      std::sort(edges[r].begin(), edges[r].end());
      edges[r].erase(std::unique(edges[r].begin(), edges[r].end()), edges[r].end());
    }
    std::vector<bool> recursive;
    const std::vector<RuleId> order = callee_first_order(edges, recursive);
    inline_.assign(n, false);
    size_.assign(n, 1);
    for (RuleId r : order) {
      if (recursive[r]) continue;
      size_[r] = estimate(g_.rule(r).body);
      const Rule& rule = g_.rule(r);
      inline_[r] = !rule.keep_as_call && r != g_.root() && rule.defined &&
                   (size_[r] <= limits_.inline_states || uses[r] <= 1) && size_[r] <= limits_.max_nfa_states;
    }
  }

  std::uint64_t estimate(const Expr& e) const {
    switch (e.kind) {
      case Expr::Kind::Bytes:
        return e.bytes.size();
      case Expr::Kind::Set:
        return 1;
      case Expr::Kind::Ref:
        return inline_[e.rule] ? size_[e.rule] : 1;
      case Expr::Kind::Seq: {
        std::uint64_t s = 0;
        for (const auto& c : e.items) s = sat_add(s, estimate(c));
        return s;
      }
      case Expr::Kind::Alt: {
        std::uint64_t s = 1;
        for (const auto& c : e.items) s = sat_add(s, sat_add(1, estimate(c)));
        return s;
      }
      case Expr::Kind::Repeat: {
        const std::uint64_t copies = e.max == kUnbounded ? std::uint64_t{e.min} + 1 : e.max;
        return sat_add(2, sat_mul(copies, sat_add(1, estimate(e.items[0]))));
      }
    }
    return 1;
  }

  std::uint32_t new_state() {
    if (nfa_.out.size() >= limits_.max_nfa_states)
      fail("grammar too large: more than {} automaton states", limits_.max_nfa_states);
    nfa_.out.emplace_back();
    return static_cast<std::uint32_t>(nfa_.out.size() - 1);
  }

  std::uint32_t set_index(const ByteSet& s) {
    auto [it, added] = set_ids_.emplace(s.words(), static_cast<std::uint32_t>(nfa_.sets.size()));
    if (added) nfa_.sets.push_back(s);
    return it->second;
  }

  void edge(std::uint32_t from, Nfa::EdgeKind k, std::uint32_t to, std::uint32_t arg = 0) {
    nfa_.out[from].push_back({k, to, arg});
  }

  // Adds the automaton of `e` starting at `from`; returns its end state.
  std::uint32_t build(const Expr& e, std::uint32_t from) {
    switch (e.kind) {
      case Expr::Kind::Bytes: {
        std::uint32_t cur = from;
        for (char c : e.bytes) {
          std::uint32_t nx = new_state();
          edge(cur, Nfa::EdgeKind::Byte, nx, set_index(ByteSet::single(static_cast<unsigned char>(c))));
          cur = nx;
        }
        return cur;
      }
      case Expr::Kind::Set: {
        std::uint32_t nx = new_state();
        if (!e.set.empty()) edge(from, Nfa::EdgeKind::Byte, nx, set_index(e.set));
        return nx;
      }
      case Expr::Kind::Ref: {
        const Rule& rule = g_.rule(e.rule);
        if (inline_[e.rule] && inline_depth_ < kMaxInlineDepth) {
          if (!rule.defined) fail("grammar: rule '{}' is used but not defined", rule.name);
          ++inline_depth_;
          const std::uint32_t end = build(rule.body, from);
          --inline_depth_;
          return end;
        }
        std::uint32_t nx = new_state();
        edge(from, Nfa::EdgeKind::Call, nx, e.rule);
        called_.push_back(e.rule);
        return nx;
      }
      case Expr::Kind::Seq: {
        std::uint32_t cur = from;
        for (const auto& c : e.items) cur = build(c, cur);
        return cur;
      }
      case Expr::Kind::Alt: {
        std::uint32_t end = new_state();
        for (const auto& c : e.items) {
          std::uint32_t s = new_state();
          edge(from, Nfa::EdgeKind::Eps, s);
          edge(build(c, s), Nfa::EdgeKind::Eps, end);
        }
        return end;
      }
      case Expr::Kind::Repeat: {
        const Expr& x = e.items[0];
        std::uint32_t cur = from;
        for (std::uint32_t i = 0; i < e.min; ++i) cur = build(x, cur);
        if (e.max == kUnbounded) {
          std::uint32_t loop = new_state();
          edge(cur, Nfa::EdgeKind::Eps, loop);
          std::uint32_t body = new_state();
          edge(loop, Nfa::EdgeKind::Eps, body);
          edge(build(x, body), Nfa::EdgeKind::Eps, loop);
          return loop;
        }
        std::uint32_t end = new_state();
        for (std::uint32_t i = e.min; i < e.max; ++i) {
          edge(cur, Nfa::EdgeKind::Eps, end);
          std::uint32_t body = new_state();
          edge(cur, Nfa::EdgeKind::Eps, body);
          cur = build(x, body);
        }
        edge(cur, Nfa::EdgeKind::Eps, end);
        return end;
      }
    }
    return from;
  }

  const Grammar& g_;
  const CompileLimits& limits_;
  Nfa nfa_;
  std::vector<bool> inline_;
  std::vector<std::uint64_t> size_;
  std::vector<RuleId> called_;
  std::size_t called_from_ = 0;
  // Chains of copied rules deeper than this become calls (bounds recursion).
  static constexpr int kMaxInlineDepth = 32;
  int inline_depth_ = 0;
  std::map<std::array<std::uint64_t, 4>, std::uint32_t> set_ids_;
};

// States reachable from `from` through epsilon edges and calls to rules in
// `pass` (skipping over them), calling visit(state) on each.
template <typename Visit>
void walk_empty(const Nfa& nfa, std::uint32_t from, const std::vector<bool>& pass, std::vector<std::uint32_t>& seen_mark,
                std::uint32_t mark, Visit&& visit) {
  std::vector<std::uint32_t> work = {from};
  seen_mark[from] = mark;
  while (!work.empty()) {
    std::uint32_t s = work.back();
    work.pop_back();
    visit(s);
    for (const auto& e : nfa.out[s]) {
      const bool go = e.kind == Nfa::EdgeKind::Eps || (e.kind == Nfa::EdgeKind::Call && pass[e.arg]);
      if (go && seen_mark[e.target] != mark) {
        seen_mark[e.target] = mark;
        work.push_back(e.target);
      }
    }
  }
}

std::vector<RuleId> called_rules(const Nfa& nfa) {
  std::vector<RuleId> r;
  for (RuleId i = 0; i < nfa.start.size(); ++i)
    if (nfa.start[i] != Nfa::kNone) r.push_back(i);
  return r;
}

// Rules that match at least one string; calls to the others are removed.
void prune_unproductive(Nfa& nfa, const Grammar& g) {
  const auto rules = called_rules(nfa);
  std::vector<bool> productive(nfa.start.size(), false);
  std::vector<std::uint32_t> mark(nfa.out.size(), 0);
  std::uint32_t stamp = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
      const RuleId r = *it;
      if (productive[r]) continue;
      ++stamp;
      std::vector<std::uint32_t> work = {nfa.start[r]};
      mark[nfa.start[r]] = stamp;
      bool reached = false;
      while (!work.empty() && !reached) {
        std::uint32_t s = work.back();
        work.pop_back();
        if (s == nfa.final[r]) reached = true;
        for (const auto& e : nfa.out[s]) {
          if (e.kind == Nfa::EdgeKind::Call && !productive[e.arg]) continue;
          if (mark[e.target] != stamp) {
            mark[e.target] = stamp;
            work.push_back(e.target);
          }
        }
      }
      if (reached) productive[r] = changed = true;
    }
  }
  if (!productive[g.root()]) fail("grammar: the root rule '{}' matches nothing", g.rule(g.root()).name);
  for (auto& edges : nfa.out)
    std::erase_if(edges, [&](const Nfa::Edge& e) { return e.kind == Nfa::EdgeKind::Call && !productive[e.arg]; });
  // Trim: keep only edges into states from which the end of their rule is reachable.
  std::vector<std::vector<std::uint32_t>> back(nfa.out.size());
  for (std::uint32_t s = 0; s < nfa.out.size(); ++s)
    for (const auto& e : nfa.out[s]) back[e.target].push_back(s);
  std::vector<std::uint8_t> alive(nfa.out.size(), 0);
  std::vector<std::uint32_t> work;
  for (RuleId r : rules)
    if (productive[r]) {
      alive[nfa.final[r]] = 1;
      work.push_back(nfa.final[r]);
    }
  while (!work.empty()) {
    std::uint32_t s = work.back();
    work.pop_back();
    for (std::uint32_t p : back[s])
      if (!alive[p]) {
        alive[p] = 1;
        work.push_back(p);
      }
  }
  for (auto& edges : nfa.out) std::erase_if(edges, [&](const Nfa::Edge& e) { return !alive[e.target]; });
  for (RuleId r : rules)
    if (!productive[r]) nfa.start[r] = nfa.final[r] = Nfa::kNone;
}

void compute_nullable(Nfa& nfa) {
  const auto rules = called_rules(nfa);
  nfa.nullable.assign(nfa.start.size(), false);
  std::vector<std::uint32_t> mark(nfa.out.size(), 0);
  std::uint32_t stamp = 0;
  for (bool changed = true; changed;) {
    changed = false;
    for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
      const RuleId r = *it;
      if (nfa.nullable[r]) continue;
      bool reached = false;
      walk_empty(nfa, nfa.start[r], nfa.nullable, mark, ++stamp, [&](std::uint32_t s) {
        if (s == nfa.final[r]) reached = true;
      });
      if (reached) nfa.nullable[r] = changed = true;
    }
  }
}

// A rule that can call itself before reading a byte would make the matcher
// loop forever.
void check_left_recursion(const Nfa& nfa, const Grammar& g) {
  const auto rules = called_rules(nfa);
  const std::size_t n = nfa.start.size();
  std::vector<std::vector<RuleId>> left(n);
  std::vector<std::uint32_t> mark(nfa.out.size(), 0);
  std::uint32_t stamp = 0;
  for (RuleId r : rules) {
    walk_empty(nfa, nfa.start[r], nfa.nullable, mark, ++stamp, [&](std::uint32_t s) {
      for (const auto& e : nfa.out[s])
        if (e.kind == Nfa::EdgeKind::Call) left[r].push_back(e.arg);
    });
  }
  std::vector<std::uint8_t> color(n, 0);  // 0 new, 1 on the path, 2 done
  for (RuleId r : rules) {
    if (color[r]) continue;
    std::vector<std::pair<RuleId, std::size_t>> path = {{r, 0}};
    color[r] = 1;
    while (!path.empty()) {
      auto& [u, i] = path.back();
      if (i < left[u].size()) {
        RuleId w = left[u][i++];
        if (color[w] == 1) fail("grammar: rule '{}' is left-recursive (it can call itself before reading any byte)", g.rule(w).name);
        if (color[w] == 0) {
          color[w] = 1;
          path.emplace_back(w, 0);
        }
        continue;
      }
      color[u] = 2;
      path.pop_back();
    }
  }
}

}  // namespace

Nfa build_nfa(const Grammar& g, const CompileLimits& limits) {
  Nfa nfa = Builder(g, limits).build();
  prune_unproductive(nfa, g);
  compute_nullable(nfa);
  check_left_recursion(nfa, g);
  return nfa;
}

}  // namespace corral::grammar
