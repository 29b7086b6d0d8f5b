// JsonRules: the generic JSON rules and the "json" format grammar.
#include "grammar/json_rules.h"

#include "grammar/json_pieces.h"

namespace corral::grammar {

RuleId JsonRules::string() {
  if (!string_) string_ = g_.add(g_.fresh_name("string"), seq({lit("\""), star(json::string_char()), lit("\"")}), true);
  return *string_;
}

RuleId JsonRules::number() {
  if (!number_) number_ = g_.add(g_.fresh_name("number"), json::number());
  return *number_;
}

RuleId JsonRules::integer() {
  if (!integer_) integer_ = g_.add(g_.fresh_name("integer"), json::integer());
  return *integer_;
}

RuleId JsonRules::value() {
  add_value_rules();
  return *value_;
}

RuleId JsonRules::object() {
  add_value_rules();
  return *object_;
}

RuleId JsonRules::array() {
  add_value_rules();
  return *array_;
}

void JsonRules::add_value_rules() {
  if (value_) return;
  value_ = g_.declare(g_.fresh_name("value"));
  object_ = g_.declare(g_.fresh_name("object"));
  array_ = g_.declare(g_.fresh_name("array"));
  const RuleId str = string();
  Expr member = seq({ref(str), json::ws(), lit(":"), json::ws(), ref(*value_), json::ws()});
  Expr more_members = star(seq({lit(","), json::ws(), member}));
  g_.define(*object_, seq({lit("{"), json::ws(), opt(seq({member, std::move(more_members)})), lit("}")}));
  Expr element = seq({ref(*value_), json::ws()});
  Expr more_elements = star(seq({lit(","), json::ws(), element}));
  g_.define(*array_, seq({lit("["), json::ws(), opt(seq({element, std::move(more_elements)})), lit("]")}));
  g_.define(*value_, alt({ref(*object_), ref(*array_), ref(str), ref(number()), lit("true"), lit("false"), lit("null")}));
}

Grammar json_object_grammar() {
  Grammar g;
  JsonRules rules(g);
  g.set_root(rules.object());
  return g;
}

Grammar json_value_grammar() {
  Grammar g;
  JsonRules rules(g);
  g.set_root(rules.value());
  return g;
}

}  // namespace corral::grammar
