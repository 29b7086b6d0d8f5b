// Go types of Ollama's template data (template.templateMessage, templateTool,
// templateArgs, api.ToolProperty, ...) and the conversion into them.
#include "template/template_values.h"

#include "template/gotmpl/go_json.h"
#include "util/error.h"

namespace corral::tmpl {

using gotmpl::GoField;
using gotmpl::GoMethod;
using gotmpl::GoType;
using gotmpl::Kind;
using gotmpl::Value;

namespace {

std::string json_or_empty(const Value& v) { return gotmpl::go_json_marshal(v).value_or(""); }

// String() of types that print as their JSON; nil maps print "{}".
std::string json_string_method(const Value& v) { return json_or_empty(v); }
std::string json_string_method_nil_object(const Value& v) {
  if (v.is_nil()) return "{}";
  return json_or_empty(v);
}

// api.PropertyType: a []string printed as its only element or as a list.
std::string property_type_string(const Value& v) {
  auto items = v.items();
  if (items.empty()) return "";
  if (items.size() == 1) return items[0].as_string();
  std::string s = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) s += ' ';
    s += items[i].as_string();
  }
  return s + "]";
}

std::string property_type_json(const Value& v) {
  auto items = v.items();
  if (items.size() == 1) return gotmpl::go_json_quote(items[0].as_string());
  Value plain = v.is_nil() ? Value::nil_slice() : Value::slice({items.begin(), items.end()});
  return json_or_empty(plain);
}

// *api.ToolPropertiesMap marshals in insertion order.
std::string ordered_properties_json(const Value& v) {
  if (v.is_nil()) return "null";
  std::string out = "{";
  bool first = true;
  for (const auto& e : v.entries()) {
    if (!first) out += ',';
    first = false;
    out += gotmpl::go_json_quote(e.first);
    out += ':';
    out += json_or_empty(e.second);
  }
  return out + "}";
}

Value to_typescript_method(const Value& v);

const GoType kImageData{"api.ImageData"};
const GoType kImageDataSlice{"[]api.ImageData"};
const GoType kStringSlice{"[]string"};
const GoType kAnySlice{"[]interface {}"};
const GoType kTemplateArgs{"template.templateArgs", {}, json_string_method_nil_object};
const GoType kPropertyType{"api.PropertyType", {}, property_type_string, property_type_json};
const GoType kToolPropertiesMap{"*api.ToolPropertiesMap", {}, nullptr, ordered_properties_json, {}, true, true};
const GoType kToolProperty{"api.ToolProperty",
                           {{"AnyOf", "anyOf", true},
                            {"Type", "type", true},
                            {"Items", "items", true},
                            {"Description", "description", true},
                            {"Enum", "enum", true},
                            {"Properties", "properties", true},
                            {"Required", "required", true}},
                           nullptr,
                           nullptr,
                           {{"ToTypeScriptType", to_typescript_method}}};
const GoType kToolPropertySlice{"[]api.ToolProperty"};
const GoType kTemplateProperties{"template.templateProperties", {}, json_string_method_nil_object};
const GoType kToolFunctionParameters{"template.templateToolFunctionParameters",
                                     {{"Type", "type"},
                                      {"Defs", "$defs", true},
                                      {"Items", "items", true},
                                      {"Required", "required", true},
                                      {"Properties", "properties"}}};
const GoType kToolFunction{"template.templateToolFunction",
                           {{"Name", "name"}, {"Description", "description"}, {"Parameters", "parameters"}}};
const GoType kTemplateTool{"template.templateTool",
                           {{"Type", "type"}, {"Items", "items", true}, {"Function", "function"}},
                           json_string_method};
const GoType kTemplateTools{"template.templateTools", {}, json_string_method};
const GoType kToolCallFunction{"template.templateToolCallFunction", {{"Index"}, {"Name"}, {"Arguments"}}};
const GoType kToolCall{"template.templateToolCall", {{"ID"}, {"Function"}}};
const GoType kToolCallSlice{"[]template.templateToolCall"};
const GoType kTemplateMessage{"template.templateMessage",
                              {{"Role"}, {"Content"}, {"Thinking"}, {"Images"}, {"ToolCalls"}, {"ToolName"}, {"ToolCallID"}}};
const GoType kMessageSlice{"[]*template.templateMessage"};

std::string typescript_of(const Value& p);

std::string map_typescript(const std::string& t) {
  if (t == "string") return "string";
  if (t == "number" || t == "integer") return "number";
  if (t == "boolean") return "boolean";
  if (t == "array") return "any[]";
  if (t == "object") return "Record<string, any>";
  if (t == "null") return "null";
  return "any";
}

std::string typescript_of(const Value& p) {
  const Value* any_of = p.field("AnyOf");
  if (any_of && any_of->length() > 0) {
    std::string s;
    bool first = true;
    for (const auto& a : any_of->items()) {
      if (!first) s += " | ";
      first = false;
      s += typescript_of(a);
    }
    return s;
  }
  const Value* type = p.field("Type");
  if (!type || type->length() == 0) return "any";
  std::string s;
  bool first = true;
  for (const auto& t : type->items()) {
    if (!first) s += " | ";
    first = false;
    s += map_typescript(t.as_string());
  }
  return s;
}

Value to_typescript_method(const Value& v) { return Value::from_string(typescript_of(v)); }

Value json_any(const std::string& text) {
  if (text.empty()) return Value::nil_interface();
  return gotmpl::go_json_unmarshal(text);
}

Value string_slice(const std::vector<std::string>& v) {
  if (v.empty()) return Value::nil_slice(&kStringSlice);
  std::vector<Value> items;
  for (const auto& s : v) items.push_back(Value::from_string(s));
  return Value::slice(std::move(items), &kStringSlice);
}

Value ordered_properties(const std::vector<NamedProperty>& props) {
  std::vector<Value::Entry> entries;
  for (const auto& [k, p] : props) {
    bool replaced = false;
    for (auto& e : entries)
      if (e.first == k) {
        e.second = tool_property_value(p);
        replaced = true;
      }
    if (!replaced) entries.emplace_back(k, tool_property_value(p));
  }
  return Value::map(std::move(entries), &kToolPropertiesMap);
}

Value tool_value(const Tool& t) {
  const ToolFunctionParameters& p = t.function.parameters;
  Value props = Value::nil_map(&kTemplateProperties);
  if (p.has_properties) {
    std::vector<Value::Entry> entries;
    for (const auto& np : p.properties) entries.emplace_back(np.name, tool_property_value(np.property));
    props = Value::map(std::move(entries), &kTemplateProperties);
  }
  Value params = Value::structure(kToolFunctionParameters, {Value::from_string(p.type), json_any(p.defs),
                                                             json_any(p.items), string_slice(p.required), props});
  Value fn = Value::structure(kToolFunction, {Value::from_string(t.function.name),
                                              Value::from_string(t.function.description), params});
  return Value::structure(kTemplateTool, {Value::from_string(t.type), json_any(t.items), fn});
}

Value arguments_value(const std::string& text) {
  if (text.empty() || text == "null") return Value::nil_map(&kTemplateArgs);
  Value v = gotmpl::go_json_unmarshal(text);
  if (v.kind() != Kind::Map) fail("tool call arguments must be a JSON object");
  return Value::map({v.entries().begin(), v.entries().end()}, &kTemplateArgs);
}

Value message_value(const Message& m) {
  Value images = Value::nil_slice(&kImageDataSlice);
  if (!m.images.empty()) {
    std::vector<Value> items;
    for (const auto& img : m.images) items.push_back(Value::from_bytes(img, &kImageData));
    images = Value::slice(std::move(items), &kImageDataSlice);
  }
  Value calls = Value::nil_slice(&kToolCallSlice);
  if (!m.tool_calls.empty()) {
    std::vector<Value> items;
    for (const auto& tc : m.tool_calls) {
      Value fn = Value::structure(kToolCallFunction, {Value::from_int(tc.index), Value::from_string(tc.name),
                                                      arguments_value(tc.arguments)});
      items.push_back(Value::structure(kToolCall, {Value::from_string(tc.id), fn}));
    }
    calls = Value::slice(std::move(items), &kToolCallSlice);
  }
  return Value::structure(kTemplateMessage, {Value::from_string(m.role), Value::from_string(m.content),
                                             Value::from_string(m.thinking), images, calls,
                                             Value::from_string(m.tool_name), Value::from_string(m.tool_call_id)})
      .as_pointer();
}

}  // namespace

Value tool_property_value(const ToolProperty& p) {
  Value any_of = Value::nil_slice(&kToolPropertySlice);
  if (!p.any_of.empty()) {
    std::vector<Value> items;
    for (const auto& a : p.any_of) items.push_back(tool_property_value(a));
    any_of = Value::slice(std::move(items), &kToolPropertySlice);
  }
  Value type = Value::nil_slice(&kPropertyType);
  if (!p.type.empty()) {
    std::vector<Value> items;
    for (const auto& t : p.type) items.push_back(Value::from_string(t));
    type = Value::slice(std::move(items), &kPropertyType);
  }
  Value enums = Value::nil_slice(&kAnySlice);
  if (!p.enum_values.empty()) {
    std::vector<Value> items;
    for (const auto& e : p.enum_values) items.push_back(json_any(e));
    enums = Value::slice(std::move(items), &kAnySlice);
  }
  Value props = p.has_properties ? ordered_properties(p.properties) : Value::nil_interface();
  return Value::structure(kToolProperty, {any_of, type, json_any(p.items), Value::from_string(p.description), enums,
                                          props, string_slice(p.required)});
}

Value messages_value(const std::vector<Message>& messages) {
  if (messages.empty()) return Value::nil_slice(&kMessageSlice);
  std::vector<Value> items;
  items.reserve(messages.size());
  for (const auto& m : messages) items.push_back(message_value(m));
  return Value::slice(std::move(items), &kMessageSlice);
}

Value tools_value(const std::vector<Tool>& tools) {
  if (tools.empty()) return Value::nil_slice(&kTemplateTools);
  std::vector<Value> items;
  for (const auto& t : tools) items.push_back(tool_value(t));
  return Value::slice(std::move(items), &kTemplateTools);
}

std::string typescript_type(const Value& v) {
  if (v.type() == &kToolProperty) return typescript_of(v);
  return "any";
}

}  // namespace corral::tmpl
