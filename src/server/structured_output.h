// The one call site of structured output: turns a request's `format`
// ("json" or a JSON Schema) into a runner::TokenConstraint for the model's
// vocabulary. Schema problems are 400 errors naming the problem.
#pragma once

#include <memory>

#include "api/types.h"
#include "runner/completion.h"
#include "tokenizer/tokenizer.h"

namespace corral::server {

// nullptr when `format` is none.
std::shared_ptr<runner::TokenConstraint> make_format_constraint(
    const api::Format& format, const std::shared_ptr<const tokenizer::Tokenizer>& tokenizer);

}  // namespace corral::server
