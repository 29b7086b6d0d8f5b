// apply_chat_template-style rendering of prompt data through Jinja templates.
#include "template/jinja_chat.h"

#include "template/jinja/json.h"

namespace corral::tmpl {

using jinja::Value;

namespace {

Value str(const std::string& s) { return Value::from_string(s); }

Value json_or_none(const std::string& text) { return text.empty() ? Value::none() : jinja::from_json_text(text); }

Value property_dict(const ToolProperty& p);

Value properties_dict(const std::vector<NamedProperty>& props) {
  std::vector<Value::Pair> pairs;
  for (const auto& np : props) pairs.emplace_back(str(np.name), property_dict(np.property));
  return Value::dict(std::move(pairs));
}

Value strings(const std::vector<std::string>& v) {
  std::vector<Value> items;
  for (const auto& s : v) items.push_back(str(s));
  return Value::list(std::move(items));
}

Value property_dict(const ToolProperty& p) {
  std::vector<Value::Pair> d;
  if (!p.any_of.empty()) {
    std::vector<Value> items;
    for (const auto& a : p.any_of) items.push_back(property_dict(a));
    d.emplace_back(str("anyOf"), Value::list(std::move(items)));
  }
  if (p.type.size() == 1) d.emplace_back(str("type"), str(p.type[0]));
  if (p.type.size() > 1) d.emplace_back(str("type"), strings(p.type));
  if (!p.items.empty()) d.emplace_back(str("items"), json_or_none(p.items));
  if (!p.description.empty()) d.emplace_back(str("description"), str(p.description));
  if (!p.enum_values.empty()) {
    std::vector<Value> items;
    for (const auto& e : p.enum_values) items.push_back(json_or_none(e));
    d.emplace_back(str("enum"), Value::list(std::move(items)));
  }
  if (p.has_properties) d.emplace_back(str("properties"), properties_dict(p.properties));
  if (!p.required.empty()) d.emplace_back(str("required"), strings(p.required));
  return Value::dict(std::move(d));
}

}  // namespace

Value jinja_messages(const std::vector<Message>& messages) {
  std::vector<Value> out;
  for (const auto& m : messages) {
    std::vector<Value::Pair> d;
    d.emplace_back(str("role"), str(m.role));
    d.emplace_back(str("content"), str(m.content));
    if (!m.thinking.empty()) d.emplace_back(str("reasoning_content"), str(m.thinking));
    if (!m.tool_calls.empty()) {
      std::vector<Value> calls;
      for (const auto& tc : m.tool_calls) {
        std::vector<Value::Pair> fn{{str("name"), str(tc.name)},
                                    {str("arguments"), tc.arguments.empty() ? Value::dict({}) : jinja::from_json_text(tc.arguments)}};
        std::vector<Value::Pair> call;
        if (!tc.id.empty()) call.emplace_back(str("id"), str(tc.id));
        call.emplace_back(str("type"), str("function"));
        call.emplace_back(str("function"), Value::dict(std::move(fn)));
        calls.push_back(Value::dict(std::move(call)));
      }
      d.emplace_back(str("tool_calls"), Value::list(std::move(calls)));
    }
    if (!m.tool_call_id.empty()) d.emplace_back(str("tool_call_id"), str(m.tool_call_id));
    if (!m.tool_name.empty()) d.emplace_back(str("name"), str(m.tool_name));
    out.push_back(Value::dict(std::move(d)));
  }
  return Value::list(std::move(out));
}

Value jinja_tools(const std::vector<Tool>& tools) {
  if (tools.empty()) return Value::none();
  std::vector<Value> out;
  for (const auto& t : tools) {
    const auto& p = t.function.parameters;
    std::vector<Value::Pair> params;
    params.emplace_back(str("type"), str(p.type));
    if (!p.defs.empty()) params.emplace_back(str("$defs"), json_or_none(p.defs));
    if (!p.items.empty()) params.emplace_back(str("items"), json_or_none(p.items));
    if (p.has_properties) params.emplace_back(str("properties"), properties_dict(p.properties));
    if (!p.required.empty()) params.emplace_back(str("required"), strings(p.required));
    std::vector<Value::Pair> fn{{str("name"), str(t.function.name)}};
    if (!t.function.description.empty()) fn.emplace_back(str("description"), str(t.function.description));
    fn.emplace_back(str("parameters"), Value::dict(std::move(params)));
    std::vector<Value::Pair> tool{{str("type"), str(t.type.empty() ? "function" : t.type)}};
    tool.emplace_back(str("function"), Value::dict(std::move(fn)));
    out.push_back(Value::dict(std::move(tool)));
  }
  return Value::list(std::move(out));
}

std::string render_jinja_chat(const jinja::Template& t, const std::vector<Message>& messages,
                              const std::vector<Tool>& tools, const JinjaChatOptions& options) {
  std::vector<std::pair<std::string, Value>> vars;
  vars.emplace_back("messages", jinja_messages(messages));
  vars.emplace_back("tools", jinja_tools(tools));
  vars.emplace_back("add_generation_prompt", Value::from_bool(options.add_generation_prompt));
  for (const auto& [k, v] : options.special_tokens) vars.emplace_back(k, str(v));
  for (const auto& [k, v] : options.extra) vars.emplace_back(k, v);
  return t.render(vars, options.limits);
}

std::string render_jinja_chat(std::string_view chat_template, const std::vector<Message>& messages,
                              const std::vector<Tool>& tools, const JinjaChatOptions& options) {
  return render_jinja_chat(jinja::Template::parse(chat_template), messages, tools, options);
}

}  // namespace corral::tmpl
