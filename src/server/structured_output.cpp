// Structured output: `format` -> grammar::make_json_constraint (src/grammar).
#include "server/structured_output.h"

#include "api/status_error.h"
#include "grammar/json_constraint.h"

namespace corral::server {

std::shared_ptr<runner::TokenConstraint> make_format_constraint(
    const api::Format& format, const std::shared_ptr<const tokenizer::Tokenizer>& tokenizer) {
  if (!format.is_set()) return nullptr;
  const api::Json spec = format.kind == api::Format::Kind::json ? api::Json("json") : format.schema;
  try {
    return grammar::make_json_constraint(spec, tokenizer);
  } catch (const Error& e) {
    throw api::StatusError(400, e.what());
  }
}

}  // namespace corral::server
