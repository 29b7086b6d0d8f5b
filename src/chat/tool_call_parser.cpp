// Ollama's streaming tool-call parser (tools/tools.go), without Go's random
// map order: keys keep their order in the model's output.
#include "chat/tool_call_parser.h"

#include <nlohmann/json.hpp>

#include <map>

#include "template/common/number_text.h"
#include "template/gotmpl/go_json.h"
#include "template/template_inspect.h"
#include "template/text_util.h"

namespace corral::chat {

using json = nlohmann::ordered_json;

namespace {

// Go's json.Marshal of a value decoded into interface{}: float64 numbers,
// nested objects with sorted keys, HTML-escaped strings.
void go_encode(const json& j, std::string& out, bool keep_order) {
  switch (j.type()) {
    case json::value_t::null: out += "null"; break;
    case json::value_t::boolean: out += j.get<bool>() ? "true" : "false"; break;
    case json::value_t::number_integer: out += textnum::go_json_float(static_cast<double>(j.get<std::int64_t>())); break;
    case json::value_t::number_unsigned: out += textnum::go_json_float(static_cast<double>(j.get<std::uint64_t>())); break;
    case json::value_t::number_float: out += textnum::go_json_float(j.get<double>()); break;
    case json::value_t::string: out += gotmpl::go_json_quote(j.get<std::string>()); break;
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& e : j) {
        if (!first) out += ',';
        first = false;
        go_encode(e, out, false);
      }
      out += ']';
      break;
    }
    case json::value_t::object: {
      std::vector<std::pair<std::string, const json*>> entries;
      for (auto it = j.begin(); it != j.end(); ++it) entries.emplace_back(it.key(), &it.value());
      if (!keep_order) {
        std::map<std::string, const json*> sorted(entries.begin(), entries.end());
        entries.assign(sorted.begin(), sorted.end());
      }
      out += '{';
      bool first = true;
      for (const auto& [k, v] : entries) {
        if (!first) out += ',';
        first = false;
        out += gotmpl::go_json_quote(k);
        out += ':';
        go_encode(*v, out, false);
      }
      out += '}';
      break;
    }
    default: out += "null";
  }
}

// obj[name] as arguments: an object, or a string holding a JSON object.
// Returns {found, args}; args may be null (the JSON string "null").
std::pair<bool, const json*> find_map(const json& obj, const std::string& name, json& scratch) {
  auto it = obj.find(name);
  if (it == obj.end()) return {false, nullptr};
  if (it->is_object()) return {true, &*it};
  if (it->is_string()) {
    json parsed = json::parse(it->get<std::string>(), nullptr, false);
    if (parsed.is_discarded()) return {false, nullptr};
    if (parsed.is_null()) return {true, nullptr};
    if (!parsed.is_object()) return {false, nullptr};
    scratch = std::move(parsed);
    return {true, &scratch};
  }
  return {false, nullptr};
}

// findObject: {found, args}.
std::pair<bool, const json*> find_object(const json& obj, const std::string& tool, json& scratch, int depth) {
  if (depth > 256) return {false, nullptr};
  if (obj.contains("name")) {
    if (auto r = find_map(obj, "arguments", scratch); r.first) return r;
    if (auto r = find_map(obj, "parameters", scratch); r.first) return r;
    return {true, nullptr};
  }
  if (auto r = find_map(obj, tool, scratch); r.first) return r;
  for (const auto& v : obj) {
    if (v.is_object()) {
      if (auto r = find_object(v, tool, scratch, depth + 1); r.first) return r;
    } else if (v.is_array()) {
      for (const auto& item : v)
        if (item.is_object())
          if (auto r = find_object(item, tool, scratch, depth + 1); r.first) return r;
    }
  }
  return {false, nullptr};
}

// findArguments: the arguments text of the first balanced object that
// parses, and the index of its closing brace; nullopt when none (yet).
std::optional<std::pair<std::string, std::size_t>> find_arguments(const std::string& tool, std::string_view buf) {
  std::ptrdiff_t start = -1;
  int braces = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < buf.size(); ++i) {
    char c = buf[i];
    if (escaped) {
      escaped = false;
      continue;
    }
    if (c == '\\') {
      escaped = true;
      continue;
    }
    if (c == '"') {
      in_string = !in_string;
      continue;
    }
    if (in_string) continue;
    if (c == '{') {
      if (braces == 0) start = static_cast<std::ptrdiff_t>(i);
      ++braces;
    } else if (c == '}') {
      --braces;
      if (braces == 0 && start != -1) {
        json data = json::parse(buf.substr(static_cast<std::size_t>(start), i + 1 - static_cast<std::size_t>(start)),
                                nullptr, false);
        if (data.is_discarded() || !data.is_object()) {
          start = -1;
          continue;
        }
        json scratch;
        auto [found, args] = find_object(data, tool, scratch, 0);
        std::string text;
        if (found) {
          if (!args) return std::pair<std::string, std::size_t>{"", i};
          go_encode(*args, text, true);
        } else {
          go_encode(data, text, true);
        }
        return std::pair<std::string, std::size_t>{text, i};
      }
      if (braces < 0) braces = 0;
    }
  }
  return std::nullopt;
}

}  // namespace

ToolCallParser::ToolCallParser(std::string tag, std::vector<std::string> tool_names, ToolCallIdSource ids)
    : tag_(std::move(tag)), tools_(std::move(tool_names)), ids_(std::move(ids)) {
  if (tag_.empty()) tag_ = "{";
}

ToolCallParser ToolCallParser::for_template(const tmpl::PromptTemplate& t, const std::vector<tmpl::Tool>& tools,
                                            ToolCallIdSource ids) {
  std::vector<std::string> names;
  for (const auto& tool : tools) names.push_back(tool.function.name);
  return ToolCallParser(tmpl::infer_tool_call_tag(t.go()), std::move(names), std::move(ids));
}

std::pair<std::ptrdiff_t, bool> ToolCallParser::find_tag() const {
  if (std::size_t i = buffer_.find(tag_); i != std::string::npos) return {static_cast<std::ptrdiff_t>(i), true};
  std::size_t max = std::min(buffer_.size(), tag_.size());
  for (std::size_t i = max; i > 0; --i)
    if (std::string_view(buffer_).ends_with(std::string_view(tag_).substr(0, i)))
      return {static_cast<std::ptrdiff_t>(buffer_.size() - i), false};
  return {-1, false};
}

bool ToolCallParser::parse_tool_call(ToolCall& out) {
  if (buffer_.empty()) return false;
  // Wait while the buffer ends with a proper prefix of some tool name.
  std::size_t longest = 0;
  for (const auto& t : tools_) longest = std::max(longest, t.size());
  for (std::size_t i = 1; i <= std::min(buffer_.size(), longest); ++i) {
    std::string_view tail = std::string_view(buffer_).substr(buffer_.size() - i);
    for (const auto& t : tools_)
      if (tail.size() < t.size() && std::string_view(t).starts_with(tail)) return false;
  }
  // The earliest tool name; the longest one when several start there.
  const std::string* found = nullptr;
  std::size_t start = 0, end = 0;
  for (const auto& t : tools_) {
    if (t.empty()) continue;
    std::size_t pos = buffer_.find(t);
    if (pos == std::string::npos) continue;
    if (found && (pos > start || (pos == start && t.size() <= found->size()))) continue;
    found = &t;
    start = pos;
    end = pos + t.size();
  }
  if (!found) return false;
  auto args = find_arguments(*found, buffer_);
  if (!args || args->first.empty()) return false;
  end = std::max(end, args->second);
  out.id = ids_ ? ids_() : "";
  out.index = n_++;
  out.name = *found;
  out.arguments = std::move(args->first);
  buffer_.erase(0, end);
  return true;
}

bool ToolCallParser::done() const {
  char open, close;
  if (tag_ == "{") {
    open = '{';
    close = '}';
  } else if (tag_ == "[") {
    open = '[';
    close = ']';
  } else {
    return false;
  }
  int count = 0;
  bool in_string = false, escaped = false;
  for (char c : buffer_) {
    if (escaped) {
      escaped = false;
      continue;
    }
    if (c == '\\') {
      escaped = true;
      continue;
    }
    if (c == '"') {
      in_string = !in_string;
      continue;
    }
    if (in_string) continue;
    if (c == open) {
      ++count;
    } else if (c == close) {
      --count;
      if (count == 0) return true;
    }
  }
  return false;
}

ToolCallParser::Output ToolCallParser::add(std::string_view chunk) {
  Output out;
  if (state_ == State::Done) {
    out.content = std::string(chunk);
    return out;
  }
  buffer_.append(chunk);
  if (state_ == State::LookingForTag) {
    auto [i, found] = find_tag();
    if (i == -1) {
      out.content = std::move(buffer_);
      buffer_.clear();
    } else {
      out.content = buffer_.substr(0, static_cast<std::size_t>(i));
      buffer_.erase(0, static_cast<std::size_t>(i));
    }
    if (brace_tag() && !tmpl::go_trim_space(out.content).empty()) {
      state_ = State::Done;
      out.content += buffer_;
      buffer_.clear();
      return out;
    }
    if (!found) return out;
    state_ = State::ToolCalling;
  }
  for (ToolCall call; parse_tool_call(call); call = ToolCall{}) out.calls.push_back(std::move(call));
  if (done()) {
    state_ = State::Done;
    out.content = std::move(buffer_);
    buffer_.clear();
  }
  return out;
}

std::string ToolCallParser::finish() {
  if (n_ > 0 || !brace_tag()) return "";
  std::string rest = std::move(buffer_);
  buffer_.clear();
  return rest;
}

}  // namespace corral::chat
