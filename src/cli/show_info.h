// What `corral show MODEL` (and /show info) prints: sections Model,
// Capabilities, Projector, Parameters, Metadata and Tensors (verbose),
// System and License (their first two non-empty lines), each a two-space
// indented title over a borderless table, then a blank line.
#pragma once

#include <string>

#include "api/types.h"

namespace corral::cli {

std::string render_show_info(const api::ShowResponse& r, bool verbose);

// A JSON value as Go's %v prints it (strings bare, numbers shortest, arrays "[a b]").
std::string go_value_string(const api::Json& v);

}  // namespace corral::cli
