// Test helpers: whole-text matching against grammars and formats.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "grammar/automaton.h"
#include "grammar/grammar.h"
#include "grammar/json_constraint.h"
#include "grammar/matcher.h"

namespace corral::grammar::test {

// True when `text` is a complete match of the automaton.
inline bool matches(const std::shared_ptr<const Automaton>& a, const std::string& text) {
  Matcher m(a);
  return m.accept(text) && m.can_end();
}

// True when `text` can be extended to a match (a viable prefix).
inline bool is_prefix(const std::shared_ptr<const Automaton>& a, const std::string& text) {
  Matcher m(a);
  return m.accept(text);
}

inline std::shared_ptr<const Automaton> compile_format(const std::string& format_json) {
  return Automaton::compile(format_grammar(nlohmann::ordered_json::parse(format_json)));
}

}  // namespace corral::grammar::test
