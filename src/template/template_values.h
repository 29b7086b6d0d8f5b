// Conversion of prompt data to the Go values Ollama's templates see: the
// map[string]any of each execution mode, []*templateMessage messages,
// templateTools (printing as JSON), templateArgs tool-call arguments and
// api.ToolProperty schemas, with Go field names for templates and JSON
// names for the json function.
#pragma once

#include <string>
#include <vector>

#include "template/gotmpl/value.h"
#include "template/prompt_data.h"

namespace corral::tmpl {

gotmpl::Value messages_value(const std::vector<Message>& messages);
gotmpl::Value tools_value(const std::vector<Tool>& tools);
gotmpl::Value tool_property_value(const ToolProperty& p);

// api.ToolProperty.ToTypeScriptType for a value of that Go type; "any" otherwise.
std::string typescript_type(const gotmpl::Value& v);

}  // namespace corral::tmpl
