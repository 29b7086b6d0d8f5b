// The structured-output constraint for Ollama's `format` field: "json" (any
// JSON object) or a JSON Schema object (json_schema.h has the subset).
//
//   auto c = grammar::make_json_constraint(request["format"], runner.tokenizer_ptr());
//   completion.constraint = c;   // the runner masks, advances and stops with it
//
// Throws corral::Error for a format that is neither ("invalid format: ...")
// and for schemas outside the subset ("unsupported JSON schema: ..."); the
// server answers 400 with the message. Compiled grammars and their per-state
// token tables are cached per (format, tokenizer), so repeated requests with
// one schema skip the compilation and reuse the tables. Pass the request
// parsed as ordered_json to keep the schema's property order (nlohmann::json
// sorts keys by name).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>

#include "grammar/automaton.h"
#include "grammar/grammar.h"
#include "runner/completion.h"
#include "tokenizer/tokenizer.h"

namespace corral::grammar {

std::shared_ptr<runner::TokenConstraint> make_json_constraint(const nlohmann::ordered_json& format,
                                                              std::shared_ptr<const tokenizer::Tokenizer> tok);
std::shared_ptr<runner::TokenConstraint> make_json_constraint(const nlohmann::json& format,
                                                              std::shared_ptr<const tokenizer::Tokenizer> tok);

// The grammar a format stands for, and its compiled automaton (same errors
// as make_json_constraint).
Grammar format_grammar(const nlohmann::ordered_json& format);
std::shared_ptr<const Automaton> compile_format(const nlohmann::ordered_json& format);

}  // namespace corral::grammar
