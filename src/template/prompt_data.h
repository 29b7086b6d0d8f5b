// The request data Ollama renders into prompts: chat messages (with tool
// calls and images), tool definitions (api.Tool with its JSON-schema
// properties), the think setting, and the Values one template execution
// sees. Plain structs: the server fills them from request JSON
// (request_json.h) or builds them directly.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace corral::tmpl {

struct ToolCall {
  std::string id;                // "call_xxxxxxxx"; may be empty
  int index = 0;
  std::string name;
  std::string arguments = "{}";  // a JSON object, as text
};

struct Message {
  std::string role;  // system, user, assistant, tool (or anything else)
  std::string content;
  std::string thinking;
  std::vector<std::string> images;  // raw image bytes
  std::vector<ToolCall> tool_calls;
  std::string tool_name;
  std::string tool_call_id;
};

struct NamedProperty;

// api.ToolProperty. JSON-valued members ("any" in Go) hold JSON text, "" = absent.
struct ToolProperty {
  std::vector<ToolProperty> any_of;
  std::vector<std::string> type;  // "string" or a union ["string","null"]
  std::string items;
  std::string description;
  std::vector<std::string> enum_values;  // each a JSON value
  bool has_properties = false;
  std::vector<NamedProperty> properties;  // in request order
  std::vector<std::string> required;
};

// One entry of a "properties" object.
struct NamedProperty {
  std::string name;
  ToolProperty property;
};

struct ToolFunctionParameters {
  std::string type;
  std::string defs;   // JSON text of "$defs"
  std::string items;  // JSON text
  std::vector<std::string> required;
  bool has_properties = false;
  std::vector<NamedProperty> properties;
};

struct ToolFunction {
  std::string name;
  std::string description;
  ToolFunctionParameters parameters;
};

struct Tool {
  std::string type = "function";
  std::string items;  // JSON text
  ToolFunction function;
};

// The request's `think`: absent, a bool, or a level ("low"/"medium"/"high"/"max").
struct ThinkSetting {
  enum class Kind { Unset, Bool, Level };
  Kind kind = Kind::Unset;
  bool value = false;
  std::string level;

  static ThinkSetting from_bool(bool b) { return {Kind::Bool, b, ""}; }
  static ThinkSetting from_level(std::string l) { return {Kind::Level, false, std::move(l)}; }
  bool is_set() const { return kind != Kind::Unset; }
  // True when thinking is requested (true or a known level).
  bool enabled() const {
    if (kind == Kind::Bool) return value;
    if (kind == Kind::Level) return level == "high" || level == "medium" || level == "low" || level == "max";
    return false;
  }
  // .ThinkLevel: the level, "medium" for true, "" for false/unset.
  std::string level_name() const {
    if (kind == Kind::Level) return level;
    if (kind == Kind::Bool && value) return "medium";
    return "";
  }
};

// What one execution of a prompt template receives (Ollama's template.Values).
struct Values {
  std::vector<Message> messages;
  std::vector<Tool> tools;
  std::string prompt;  // FIM (with suffix) only
  std::string suffix;
  bool think = false;
  std::string think_level;
  bool is_think_set = false;
  bool force_legacy = false;  // render turn by turn even if the template uses .Messages (tests)

  void set_think(const ThinkSetting& t) {
    think = t.enabled();
    think_level = t.level_name();
    is_think_set = t.is_set();
  }
};

}  // namespace corral::tmpl
