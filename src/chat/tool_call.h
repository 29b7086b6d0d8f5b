// A tool call parsed from model output, and the ids Ollama gives them
// ("call_" + 8 characters from [a-z0-9]).
#pragma once

#include <functional>
#include <string>

namespace corral::chat {

struct ToolCall {
  std::string id;
  int index = 0;  // position among the calls of one response
  std::string name;
  std::string arguments = "{}";  // a JSON object (Go encoding: HTML-escaped strings, float64 numbers)
};

// Produces tool-call ids; the default draws from a random device.
using ToolCallIdSource = std::function<std::string()>;
std::string random_tool_call_id();

}  // namespace corral::chat
