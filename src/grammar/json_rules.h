// JsonRules: the rules every JSON grammar shares (any string, number,
// integer, value, object, array), added to a Grammar on first use.
// json_object_grammar(): Ollama's `format: "json"` — any JSON object, with
// no whitespace before or after it (generation ends with the closing brace).
#pragma once

#include <optional>

#include "grammar/grammar.h"

namespace corral::grammar {

class JsonRules {
 public:
  explicit JsonRules(Grammar& g) : g_(g) {}
  RuleId string();
  RuleId number();
  RuleId integer();
  RuleId value();
  RuleId object();
  RuleId array();

 private:
  void add_value_rules();

  Grammar& g_;
  std::optional<RuleId> string_, number_, integer_, value_, object_, array_;
};

Grammar json_object_grammar();
// Any JSON value at the root (the grammar of the empty schema).
Grammar json_value_grammar();

}  // namespace corral::grammar
