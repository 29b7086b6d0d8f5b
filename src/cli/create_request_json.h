// The /api/create body for a store::CreateRequest, with Ollama's field
// names (the store reads this JSON with parse_create_request; the CLI writes
// it). Empty fields are left out; "stream" is true.
#pragma once

#include "api/types.h"
#include "store/create_request.h"

namespace corral::cli {

api::Json create_request_to_json(const store::CreateRequest& r);

}  // namespace corral::cli
