// The functions Ollama adds to Go templates: json (Go encoding/json with
// HTML escaping), currentDate / yesterdayDate (local YYYY-MM-DD; the format
// argument is accepted and ignored) and toTypeScriptType (tool properties).
#pragma once

#include <memory>

#include "template/gotmpl/template.h"

namespace corral::tmpl {

std::shared_ptr<const gotmpl::FuncMap> ollama_functions();

}  // namespace corral::tmpl
