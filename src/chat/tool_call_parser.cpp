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

void ToolCallParser::consume(std::size_t n) {
  buffer_.erase(0, n);
  names_searched_ = 0;
  found_tool_ = nullptr;
  scan_ = ObjectScan{};
  balance_ = BalanceScan{};
}

// findArguments: scans for the first balanced object that parses as JSON and
// takes its arguments (see find_object). Returns false while there is none.
bool ToolCallParser::find_arguments(const std::string& tool) {
  ObjectScan& s = scan_;
  for (; !s.has_result && s.pos < buffer_.size(); ++s.pos) {
    char c = buffer_[s.pos];
    if (s.escaped) {
      s.escaped = false;
      continue;
    }
    if (c == '\\') {
      s.escaped = true;
      continue;
    }
    if (c == '"') {
      s.in_string = !s.in_string;
      continue;
    }
    if (s.in_string) continue;
    if (c == '{') {
      if (s.braces == 0) s.start = static_cast<std::ptrdiff_t>(s.pos);
      ++s.braces;
    } else if (c == '}') {
      --s.braces;
      if (s.braces == 0 && s.start != -1) {
        std::string_view object(buffer_.data() + s.start, s.pos + 1 - static_cast<std::size_t>(s.start));
        json data = json::parse(object, nullptr, false);
        if (data.is_discarded() || !data.is_object()) {
          s.start = -1;
          continue;
        }
        json scratch;
        auto [found, args] = find_object(data, tool, scratch, 0);
        s.arguments.clear();
        if (found) {
          if (args) go_encode(*args, s.arguments, true);
        } else {
          go_encode(data, s.arguments, true);
        }
        s.has_result = true;
        s.end = s.pos;
        break;
      }
      if (s.braces < 0) s.braces = 0;
    }
  }
  return s.has_result;
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
  // The earliest tool name; the longest one when several start there. Once
  // found it cannot change: a longer or earlier name still being written
  // would have made us wait above.
  if (!found_tool_) {
    std::size_t from = names_searched_ > longest ? names_searched_ - longest : 0;
    std::size_t start = 0;
    for (const auto& t : tools_) {
      if (t.empty()) continue;
      std::size_t pos = buffer_.find(t, from);
      if (pos == std::string::npos) continue;
      if (found_tool_ && (pos > start || (pos == start && t.size() <= found_tool_->size()))) continue;
      found_tool_ = &t;
      start = pos;
      found_end_ = pos + t.size();
    }
    if (!found_tool_) {
      names_searched_ = buffer_.size();
      return false;
    }
  }
  if (!find_arguments(*found_tool_) || scan_.arguments.empty()) return false;
  out.id = ids_ ? ids_() : "";
  out.index = n_++;
  out.name = *found_tool_;
  out.arguments = scan_.arguments;
  consume(std::max(found_end_, scan_.end));
  return true;
}

bool ToolCallParser::done() {
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
  BalanceScan& b = balance_;
  for (; !b.balanced && b.pos < buffer_.size(); ++b.pos) {
    char c = buffer_[b.pos];
    if (b.escaped) {
      b.escaped = false;
      continue;
    }
    if (c == '\\') {
      b.escaped = true;
      continue;
    }
    if (c == '"') {
      b.in_string = !b.in_string;
      continue;
    }
    if (b.in_string) continue;
    if (c == open) {
      ++b.count;
    } else if (c == close) {
      --b.count;
      if (b.count == 0) b.balanced = true;
    }
  }
  return b.balanced;
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
      out.content = buffer_;
      consume(buffer_.size());
    } else {
      out.content = buffer_.substr(0, static_cast<std::size_t>(i));
      consume(static_cast<std::size_t>(i));
    }
    if (brace_tag() && !tmpl::go_trim_space(out.content).empty()) {
      state_ = State::Done;
      out.content += buffer_;
      consume(buffer_.size());
      return out;
    }
    if (!found) return out;
    state_ = State::ToolCalling;
  }
  for (ToolCall call; parse_tool_call(call); call = ToolCall{}) out.calls.push_back(std::move(call));
  if (done()) {
    state_ = State::Done;
    out.content = buffer_;
    consume(buffer_.size());
  }
  return out;
}

std::string ToolCallParser::finish() {
  if (n_ > 0 || !brace_tag()) return "";
  std::string rest = buffer_;
  consume(buffer_.size());
  return rest;
}

}  // namespace corral::chat
