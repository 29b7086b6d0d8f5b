// Token masks: per-state tables and the run-time union over stacks.
#include "grammar/token_masks.h"

#include <algorithm>
#include <bit>

namespace corral::grammar {

std::size_t TokenBits::count() const {
  std::size_t n = 0;
  for (auto w : words_) n += static_cast<std::size_t>(std::popcount(w));
  return n;
}

TokenMaskTable::TokenMaskTable(std::shared_ptr<const Automaton> automaton, std::shared_ptr<const TokenTrie> trie)
    : automaton_(std::move(automaton)), trie_(std::move(trie)), entries_(automaton_->size()) {}

const TokenMaskTable::Entry& TokenMaskTable::entry(std::uint32_t state) const {
  std::lock_guard lock(mu_);
  auto& e = entries_.at(state);
  if (!e) {
    e = compute(state);
    ++computed_;
  }
  return *e;
}

std::size_t TokenMaskTable::computed() const {
  std::lock_guard lock(mu_);
  return computed_;
}

std::unique_ptr<TokenMaskTable::Entry> TokenMaskTable::compute(std::uint32_t state) const {
  const TokenTrie& t = *trie_;
  auto e = std::make_unique<Entry>();
  std::vector<std::int32_t> accepted;
  pool_.clear();
  const Head start = {state, StackPool::kBottom};
  walker_.walk(*automaton_, pool_, t, 0, std::span<const Head>(&start, 1), [&](std::uint32_t i, bool alive, bool bottom) {
    if (bottom) e->exits.push_back(i);
    if (alive)
      for (auto id : t.tokens(i)) accepted.push_back(id);
  });
  if (accepted.size() * 32 < t.vocab_size()) {
    std::sort(accepted.begin(), accepted.end());
    e->sparse = std::move(accepted);
  } else {
    e->dense.assign((t.vocab_size() + 63) / 64, 0);
    for (auto id : accepted) e->dense[static_cast<std::size_t>(id) >> 6] |= std::uint64_t{1} << (id & 63);
  }
  return e;
}

void MaskBuilder::build(Matcher& m, TokenBits& out) {
  const TokenMaskTable& table = *table_;
  const TokenTrie& t = table.trie();
  const Automaton& a = m.automaton();
  out.clear();
  auto& words = out.words();
  for (const Head& h : m.heads()) {
    const auto& e = table.entry(h.state);
    if (!e.dense.empty())
      for (std::size_t w = 0; w < words.size(); ++w) words[w] |= e.dense[w];
    else
      for (auto id : e.sparse) out.set(id);
    if (e.exits.empty()) continue;
    // Where the top rule ends, the caller below it goes on.
    cont_.clear();
    bool cont_end = false;
    if (h.rest == StackPool::kBottom)
      cont_end = true;
    else
      m.expander().expand(a, m.pool(), {m.pool().state(h.rest), m.pool().parent(h.rest)}, cont_, cont_end);
    dedupe_heads(cont_, 0);
    for (std::uint32_t n : e.exits) {
      if (!cont_.empty() || cont_end)
        for (auto id : t.tokens(n)) out.set(id);
      if (cont_.empty()) continue;
      walker_.walk(a, m.pool(), t, n, cont_, [&](std::uint32_t i, bool alive, bool bottom) {
        if (alive || bottom)
          for (auto id : t.tokens(i)) out.set(id);
      });
    }
  }
  if (m.can_end())
    for (auto id : t.eog()) out.set(id);
}

}  // namespace corral::grammar
