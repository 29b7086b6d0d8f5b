// Template-derived capabilities and the Jinja-vs-Go template preference.
#include "template/capabilities.h"

#include <algorithm>

#include "template/template_inspect.h"

namespace corral::tmpl {

namespace {
bool has(std::string_view s, std::string_view sub) { return s.find(sub) != std::string_view::npos; }
bool contains(const std::vector<std::string>& v, std::string_view x) { return std::find(v.begin(), v.end(), x) != v.end(); }
}  // namespace

std::vector<std::string> go_template_capabilities(const PromptTemplate& t) {
  std::vector<std::string> caps;
  if (t.uses("tools")) caps.push_back("tools");
  if (t.uses("suffix")) caps.push_back("insert");
  auto [open, close] = infer_thinking_tags(t.go());
  if (!open.empty() && !close.empty()) caps.push_back("thinking");
  return caps;
}

bool chat_template_has_tool_support(std::string_view j) { return has(j, "tools") || has(j, "tool_call"); }

bool chat_template_has_tool_round_trip(std::string_view j) {
  if (!chat_template_has_tool_support(j)) return false;
  bool calls = has(j, "tool_calls") || has(j, "assistant_tool_call");
  return calls && (has(j, "tool_response") || has(j, "tool_results") || has(j, "role'] == 'tool'") ||
                   has(j, "role'] == \"tool\"") || has(j, "role\"] == 'tool'") || has(j, "role\"] == \"tool\"") ||
                   has(j, "message.role == 'tool'") || has(j, "message.role == \"tool\"") || has(j, "ipython"));
}

bool chat_template_has_thinking_support(std::string_view j) {
  if (has(j, "<think>") && has(j, "</think>")) return true;
  return (has(j, "content.split('</think>')") || has(j, "content.split(\"</think>\")")) &&
         !has(j, "reasoning_content") && !has(j, "<SPECIAL_12>");
}

std::vector<std::string> chat_template_capabilities(std::string_view j) {
  std::vector<std::string> caps;
  if (j.empty()) return caps;
  if (chat_template_has_tool_support(j)) caps.push_back("tools");
  if (chat_template_has_thinking_support(j)) caps.push_back("thinking");
  return caps;
}

bool go_template_has_tool_round_trip(const PromptTemplate& t) {
  if (!t.uses("tools") || !t.uses("toolcalls")) return false;
  return t.contains("eq .Role \"tool\"") || t.contains("tool_response") || t.contains("TOOL_RESULTS");
}

bool should_prefer_chat_template(std::string_view jinja, const PromptTemplate& go) {
  auto jc = chat_template_capabilities(jinja);
  auto gc = go_template_capabilities(go);
  if (jc.size() > gc.size()) return !go_template_has_tool_round_trip(go) || chat_template_has_tool_round_trip(jinja);
  bool same = jc.size() == gc.size() && std::all_of(jc.begin(), jc.end(), [&](const auto& c) { return contains(gc, c); });
  if (!same || !contains(jc, "tools") || !contains(gc, "tools")) return false;
  return chat_template_has_tool_round_trip(jinja) && !go_template_has_tool_round_trip(go);
}

}  // namespace corral::tmpl
