// GrammarConstraint: masks from the table, a small cache of recent states,
// and the logits update.
#include "grammar/grammar_constraint.h"

#include <algorithm>
#include <bit>
#include <limits>

#include "util/error.h"
#include "util/log.h"

namespace corral::grammar {

GrammarConstraint::GrammarConstraint(std::shared_ptr<const TokenMaskTable> table,
                                     std::shared_ptr<const tokenizer::Tokenizer> tok)
    : table_(std::move(table)), tok_(std::move(tok)), matcher_(table_->automaton_ptr()), builder_(table_) {
  if (!tok_) fail("grammar constraint: no tokenizer");
}

const TokenBits& GrammarConstraint::allowed() {
  const auto& heads = matcher_.heads();
  for (std::size_t i = 0; i < cache_.size(); ++i) {
    const Cached& c = cache_[i];
    if (c.can_end == matcher_.can_end() && c.generation == matcher_.generation() && c.heads == heads) {
      std::rotate(cache_.begin(), cache_.begin() + static_cast<std::ptrdiff_t>(i), cache_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      return cache_.front().bits;
    }
  }
  if (cache_.size() < kCacheSize) cache_.emplace_back();
  std::rotate(cache_.rbegin(), cache_.rbegin() + 1, cache_.rend());  // the oldest (or new) slot to the front
  Cached& c = cache_.front();
  c.heads = heads;
  c.can_end = matcher_.can_end();
  c.generation = matcher_.generation();
  if (c.bits.size() != table_->trie().vocab_size()) c.bits = TokenBits(table_->trie().vocab_size());
  builder_.build(matcher_, c.bits);
  if (c.bits.count() == 0) {
    // No token can go on (a vocabulary without the needed bytes): let the
    // model stop rather than pick a forbidden token.
    log::warn("grammar: no token fits the grammar here; allowing end of generation");
    for (auto id : table_->trie().eog()) c.bits.set(id);
  }
  return c.bits;
}

void GrammarConstraint::apply(std::span<float> logits) {
  const TokenBits& bits = allowed();
  const float ninf = -std::numeric_limits<float>::infinity();
  const auto& words = bits.words();
  const std::size_t n = logits.size();
  const std::size_t covered = std::min(n, bits.size());
  if (bits.count() * 8 < n) {
    // Few allowed: keep their values, clear everything, put them back.
    saved_.clear();
    for (std::size_t w = 0; w < words.size(); ++w)
      for (std::uint64_t x = words[w]; x; x &= x - 1) {
        const std::size_t id = w * 64 + static_cast<std::size_t>(std::countr_zero(x));
        if (id < covered) saved_.push_back(logits[id]);
      }
    std::fill(logits.begin(), logits.end(), ninf);
    std::size_t k = 0;
    for (std::size_t w = 0; w < words.size(); ++w)
      for (std::uint64_t x = words[w]; x; x &= x - 1) {
        const std::size_t id = w * 64 + static_cast<std::size_t>(std::countr_zero(x));
        if (id < covered) logits[id] = saved_[k++];
      }
    return;
  }
  for (std::size_t base = 0; base < covered; base += 64) {
    std::uint64_t off = ~words[base / 64];
    if (covered - base < 64) off &= (std::uint64_t{1} << (covered - base)) - 1;
    for (; off; off &= off - 1) logits[base + static_cast<std::size_t>(std::countr_zero(off))] = ninf;
  }
  std::fill(logits.begin() + static_cast<std::ptrdiff_t>(covered), logits.end(), ninf);
}

void GrammarConstraint::accept(std::int32_t token) {
  if (ended_) return;
  if (!tok_->vocab().valid_id(token)) {
    log::warn("grammar: token {} is not in the vocabulary; ending the constrained output", token);
    ended_ = broken_ = true;
    return;
  }
  if (tok_->is_eog(token)) {
    ended_ = true;
    return;
  }
  if (!matcher_.accept(tok_->piece(token))) {
    log::warn("grammar: token {} does not fit the grammar; ending the constrained output", token);
    ended_ = broken_ = true;
  }
}

bool GrammarConstraint::complete() const { return ended_ || matcher_.finished(); }

std::shared_ptr<GrammarConstraint> make_grammar_constraint(const Grammar& g,
                                                           std::shared_ptr<const tokenizer::Tokenizer> tok) {
  auto trie = TokenTrie::for_tokenizer(tok);
  auto table = std::make_shared<const TokenMaskTable>(Automaton::compile(g), std::move(trie));
  return std::make_shared<GrammarConstraint>(std::move(table), std::move(tok));
}

}  // namespace corral::grammar
