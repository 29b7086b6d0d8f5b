// Automaton: subset construction of each called rule's NFA over byte classes
// (bytes that no set of the grammar tells apart share one class).
#include "grammar/automaton.h"

#include <algorithm>
#include <unordered_map>

#include "util/error.h"

namespace corral::grammar {
namespace {

struct VecHash {
  std::size_t operator()(const std::vector<std::uint32_t>& v) const {
    std::uint64_t h = 1469598103934665603ull;
    for (auto x : v) h = (h ^ x) * 1099511628211ull;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
};

class Determinizer {
 public:
  Determinizer(const Nfa& nfa, const CompileLimits& limits) : nfa_(nfa), limits_(limits), mark_(nfa.out.size(), 0) {
    is_final_.assign(nfa.out.size(), false);
    for (auto f : nfa.final)
      if (f != Nfa::kNone) is_final_[f] = true;
    make_classes();
  }

  void run(std::uint32_t root_start, std::array<std::uint8_t, 256>& byte_class, std::size_t& n_classes,
           std::vector<std::uint32_t>& trans, std::vector<Automaton::State>& states,
           std::vector<Automaton::Call>& calls, std::uint32_t& start) {
    start = id_of({root_start});
    std::vector<std::vector<std::uint32_t>> buckets(n_classes_);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> call_edges;  // (rule, target)
    for (std::uint32_t d = 0; d < subsets_.size(); ++d) {
      const std::vector<std::uint32_t> subset = subsets_[d];
      for (auto& b : buckets) b.clear();
      call_edges.clear();
      Automaton::State st;
      for (std::uint32_t s : subset) {
        if (is_final_[s]) st.final = true;
        for (const auto& e : nfa_.out[s]) {
          if (e.kind == Nfa::EdgeKind::Byte) {
            for (std::uint8_t c : set_classes_[e.arg]) buckets[c].push_back(e.target);
          } else if (e.kind == Nfa::EdgeKind::Call) {
            call_edges.emplace_back(e.arg, e.target);
          }
        }
      }
      if ((std::size_t{d} + 1) * n_classes_ > kMaxTransitions)
        fail("grammar too large: more than {} automaton transitions", kMaxTransitions);
      trans.resize((std::size_t{d} + 1) * n_classes_, Automaton::kDead);
      for (std::size_t c = 0; c < n_classes_; ++c) {
        if (buckets[c].empty()) continue;
        const std::uint32_t to = id_of(buckets[c]);
        trans[std::size_t{d} * n_classes_ + c] = to;
        st.has_bytes = true;
      }
      std::sort(call_edges.begin(), call_edges.end());
      st.calls_begin = static_cast<std::uint32_t>(calls.size());
      for (std::size_t i = 0; i < call_edges.size();) {
        std::size_t j = i;
        std::vector<std::uint32_t> targets;
        while (j < call_edges.size() && call_edges[j].first == call_edges[i].first) targets.push_back(call_edges[j++].second);
        const std::uint32_t callee = id_of({nfa_.start[call_edges[i].first]});
        calls.push_back({callee, id_of(targets), false});
        i = j;
      }
      st.calls_end = static_cast<std::uint32_t>(calls.size());
      states.push_back(st);
    }
    for (auto& s : states) s.simple = s.has_bytes && !s.final && s.calls_begin == s.calls_end;
    for (auto& c : calls) {
      const auto& r = states[c.ret];
      c.tail = r.final && !r.has_bytes && r.calls_begin == r.calls_end;
    }
    byte_class = byte_class_;
    n_classes = n_classes_;
  }

 private:
  static constexpr std::size_t kMaxTransitions = std::size_t{1} << 24;

  void make_classes() {
    byte_class_.fill(0);
    n_classes_ = 1;
    for (const auto& set : nfa_.sets) {
      std::array<int, 512> remap;
      remap.fill(-1);
      std::array<std::uint8_t, 256> next{};
      int count = 0;
      for (int b = 0; b < 256; ++b) {
        const int key = byte_class_[b] * 2 + (set.has(static_cast<unsigned char>(b)) ? 1 : 0);
        if (remap[key] < 0) remap[key] = count++;
        next[b] = static_cast<std::uint8_t>(remap[key]);
      }
      byte_class_ = next;
      n_classes_ = static_cast<std::size_t>(count);
    }
    std::vector<int> rep(n_classes_, -1);
    for (int b = 0; b < 256; ++b)
      if (rep[byte_class_[b]] < 0) rep[byte_class_[b]] = b;
    set_classes_.resize(nfa_.sets.size());
    for (std::size_t i = 0; i < nfa_.sets.size(); ++i)
      for (std::size_t c = 0; c < n_classes_; ++c)
        if (nfa_.sets[i].has(static_cast<unsigned char>(rep[c]))) set_classes_[i].push_back(static_cast<std::uint8_t>(c));
  }

  // The DFA state for the epsilon closure of `seeds`.
  std::uint32_t id_of(std::vector<std::uint32_t> seeds) {
    ++stamp_;
    std::vector<std::uint32_t> closure;
    for (auto s : seeds)
      if (mark_[s] != stamp_) {
        mark_[s] = stamp_;
        closure.push_back(s);
      }
    for (std::size_t i = 0; i < closure.size(); ++i)
      for (const auto& e : nfa_.out[closure[i]])
        if (e.kind == Nfa::EdgeKind::Eps && mark_[e.target] != stamp_) {
          mark_[e.target] = stamp_;
          closure.push_back(e.target);
        }
    std::sort(closure.begin(), closure.end());
    auto it = ids_.find(closure);
    if (it != ids_.end()) return it->second;
    if (subsets_.size() >= limits_.max_dfa_states)
      fail("grammar too large: more than {} automaton states", limits_.max_dfa_states);
    const auto id = static_cast<std::uint32_t>(subsets_.size());
    subsets_.push_back(closure);
    ids_.emplace(std::move(closure), id);
    return id;
  }

  const Nfa& nfa_;
  const CompileLimits& limits_;
  std::vector<bool> is_final_;
  std::array<std::uint8_t, 256> byte_class_{};
  std::size_t n_classes_ = 1;
  std::vector<std::vector<std::uint8_t>> set_classes_;
  std::vector<std::vector<std::uint32_t>> subsets_;
  std::unordered_map<std::vector<std::uint32_t>, std::uint32_t, VecHash> ids_;
  std::vector<std::uint32_t> mark_;
  std::uint32_t stamp_ = 0;
};

}  // namespace

std::shared_ptr<const Automaton> Automaton::compile(const Grammar& g, const CompileLimits& limits) {
  const Nfa nfa = build_nfa(g, limits);
  std::shared_ptr<Automaton> a(new Automaton());
  Determinizer d(nfa, limits);
  d.run(nfa.start[g.root()], a->byte_class_, a->n_classes_, a->trans_, a->states_, a->calls_, a->start_);
  return a;
}

}  // namespace corral::grammar
