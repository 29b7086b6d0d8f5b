// Reading prompt data from API request JSON: /api/chat messages (role
// lower-cased, base64 images decoded, tool-call arguments kept as JSON
// text in request order) and tool definitions (OpenAI function schema).
// Throws corral::Error naming the offending field.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <vector>

#include "template/prompt_data.h"

namespace corral::tmpl {

Message message_from_json(const nlohmann::ordered_json& j);
std::vector<Message> messages_from_json(const nlohmann::ordered_json& j);
ToolCall tool_call_from_json(const nlohmann::ordered_json& j);
Tool tool_from_json(const nlohmann::ordered_json& j);
std::vector<Tool> tools_from_json(const nlohmann::ordered_json& j);
ToolProperty tool_property_from_json(const nlohmann::ordered_json& j);

}  // namespace corral::tmpl
