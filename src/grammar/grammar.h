// Grammar: a context-free grammar over bytes, written as rules whose bodies
// are expressions (literal bytes, byte classes, rule references, sequences,
// alternatives, bounded or unbounded repetition), in the spirit of GBNF.
// It is only a description: compile it (automaton.h) to match text.
//
//   Grammar g;
//   RuleId digits = g.add("digits", plus(set(ByteSet::range('0', '9'))));
//   g.set_root(g.add("root", seq({lit("["), ref(digits), lit("]")})));
//   std::puts(g.to_text().c_str());   // root ::= "[" digits "]" ...
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "grammar/byte_set.h"

namespace corral::grammar {

using RuleId = std::uint32_t;
inline constexpr std::uint32_t kUnbounded = UINT32_MAX;

struct Expr {
  enum class Kind : std::uint8_t {
    Bytes,   // the literal byte string `bytes` ("" matches the empty string)
    Set,     // one byte from `set`
    Ref,     // the rule `rule`
    Seq,     // `items` one after another
    Alt,     // one of `items` (no items: matches nothing)
    Repeat,  // items[0], min..max times (max may be kUnbounded)
  };
  Kind kind = Kind::Bytes;
  std::string bytes;
  ByteSet set;
  RuleId rule = 0;
  std::uint32_t min = 0, max = 0;
  std::vector<Expr> items;
};

// Builders.
Expr lit(std::string_view bytes);
Expr set(ByteSet s);
Expr ref(RuleId r);
Expr seq(std::vector<Expr> items);
Expr alt(std::vector<Expr> items);
Expr repeat(Expr e, std::uint32_t min, std::uint32_t max);
inline Expr opt(Expr e) { return repeat(std::move(e), 0, 1); }
inline Expr star(Expr e) { return repeat(std::move(e), 0, kUnbounded); }
inline Expr plus(Expr e) { return repeat(std::move(e), 1, kUnbounded); }
inline Expr empty() { return lit(""); }
inline Expr nothing() { return alt({}); }

struct Rule {
  std::string name;
  Expr body;
  bool defined = false;
  // Always matched as a call of its own, never copied into the rules that
  // use it (the compiler otherwise copies small non-recursive rules in).
  bool keep_as_call = false;
};

class Grammar {
 public:
  // Declares a rule to define later (for recursion); names must be unique.
  RuleId declare(std::string name, bool keep_as_call = false);
  void define(RuleId id, Expr body);
  RuleId add(std::string name, Expr body, bool keep_as_call = false);
  void set_root(RuleId id) { root_ = id; }

  RuleId root() const { return root_; }
  const std::vector<Rule>& rules() const { return rules_; }
  const Rule& rule(RuleId id) const { return rules_.at(id); }
  bool has_rule(std::string_view name) const;
  // A name not used yet, made from `base`.
  std::string fresh_name(std::string_view base) const;

  // Expression nodes and literal bytes in all rules (repetitions counted once).
  std::size_t size() const;
  // GBNF-like text, one rule per line, the root first.
  std::string to_text() const;

 private:
  std::vector<Rule> rules_;
  std::unordered_map<std::string, RuleId> names_;
  RuleId root_ = 0;
};

// Size of one expression as Grammar::size() counts it.
std::size_t expr_size(const Expr& e);
// GBNF-like text of one expression (rule names from `g`).
std::string expr_text(const Grammar& g, const Expr& e);

}  // namespace corral::grammar
