// GrammarConstraint: a runner::TokenConstraint that keeps generated text in
// a grammar's language. apply() sets every token that cannot extend the text
// to -inf; end-of-generation tokens are allowed exactly when the text is a
// complete match. complete() turns true once nothing more can follow (or an
// end-of-generation token was accepted), so the runner stops right there.
// Masks of recently seen states are kept (a long string repeats one state).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "grammar/grammar.h"
#include "grammar/token_masks.h"
#include "runner/completion.h"
#include "tokenizer/tokenizer.h"

namespace corral::grammar {

class GrammarConstraint final : public runner::TokenConstraint {
 public:
  GrammarConstraint(std::shared_ptr<const TokenMaskTable> table, std::shared_ptr<const tokenizer::Tokenizer> tok);

  void apply(std::span<float> logits) override;
  void accept(std::int32_t token) override;
  bool complete() const override;

  // The tokens allowed now (what apply() leaves finite).
  const TokenBits& allowed();
  // The text accepted so far is a complete match.
  bool can_end() const { return matcher_.can_end(); }
  // Accepting a token that did not fit ended the constraint.
  bool broken() const { return broken_; }

 private:
  struct Cached {
    std::vector<Head> heads;
    bool can_end = false;
    std::uint64_t generation = 0;
    TokenBits bits;
  };
  static constexpr std::size_t kCacheSize = 8;

  std::shared_ptr<const TokenMaskTable> table_;
  std::shared_ptr<const tokenizer::Tokenizer> tok_;
  Matcher matcher_;
  MaskBuilder builder_;
  std::vector<Cached> cache_;  // most recent first
  bool ended_ = false, broken_ = false;
  std::vector<float> saved_;
};

// A constraint for any grammar (compiled and masked afresh; see
// json_constraint.h for the cached JSON path).
std::shared_ptr<GrammarConstraint> make_grammar_constraint(const Grammar& g,
                                                           std::shared_ptr<const tokenizer::Tokenizer> tok);

}  // namespace corral::grammar
