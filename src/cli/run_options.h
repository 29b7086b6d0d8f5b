// The values of `corral run`'s flags, checked: --format ("json" or a JSON
// Schema object), --think (bare = true; true, false, low, medium, high, max)
// and --keepalive (a Go duration such as "5m" or "-1s", or whole seconds).
// Errors name the flag and say what is accepted.
#pragma once

#include <string>

#include "api/types.h"

namespace corral::cli {

api::Format parse_format_flag(const std::string& value);
api::Think parse_think_flag(const std::string& value);
api::KeepAlive parse_keepalive_flag(const std::string& value);

}  // namespace corral::cli
