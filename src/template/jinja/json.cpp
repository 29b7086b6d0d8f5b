// Conversions between jinja::Value and JSON (Python json.dumps formatting).
#include "template/jinja/json.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "template/common/number_text.h"
#include "util/error.h"

namespace corral::jinja {

namespace {

Value convert(const nlohmann::ordered_json& j, int depth) {
  if (depth > 512) fail("JSON nested too deeply");
  using t = nlohmann::json::value_t;
  switch (j.type()) {
    case t::null: return Value::none();
    case t::boolean: return Value::from_bool(j.get<bool>());
    case t::number_integer: return Value::from_int(j.get<std::int64_t>());
    case t::number_unsigned: {
      auto u = j.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) return Value::from_float(static_cast<double>(u));
      return Value::from_int(static_cast<std::int64_t>(u));
    }
    case t::number_float: return Value::from_float(j.get<double>());
    case t::string: return Value::from_string(j.get<std::string>());
    case t::array: {
      std::vector<Value> items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(convert(e, depth + 1));
      return Value::list(std::move(items));
    }
    case t::object: {
      std::vector<Value::Pair> pairs;
      pairs.reserve(j.size());
      for (auto it = j.begin(); it != j.end(); ++it)
        pairs.emplace_back(Value::from_string(it.key()), convert(it.value(), depth + 1));
      return Value::dict(std::move(pairs));
    }
    default: return Value::none();
  }
}

void quote(const std::string& s, std::string& out) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// Python json turns non-string keys into strings.
std::string key_text(const Value& k) {
  switch (k.kind()) {
    case Kind::String: return k.as_string();
    case Kind::Bool: return k.as_bool() ? "true" : "false";
    case Kind::None: return "null";
    case Kind::Int: return std::to_string(k.as_int());
    case Kind::Float: return textnum::python_json_float(k.as_number());
    default: fail("keys must be str, int, float, bool or None, not {}", py_type_name(k));
  }
}

void dump(const Value& v, std::optional<int> indent, bool sort_keys, int level, std::string& out) {
  if (level > 512) fail("tojson: value nested too deeply");
  auto newline = [&](int lvl) {
    out += '\n';
    out.append(static_cast<std::size_t>(*indent * lvl), ' ');
  };
  switch (v.kind()) {
    case Kind::None: out += "null"; return;
    case Kind::Bool: out += v.as_bool() ? "true" : "false"; return;
    case Kind::Int: out += std::to_string(v.as_int()); return;
    case Kind::Float: out += textnum::python_json_float(v.as_number()); return;
    case Kind::String: quote(v.as_string(), out); return;
    case Kind::List:
    case Kind::Tuple: {
      auto items = v.items();
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += indent ? "," : ", ";
        if (indent) newline(level + 1);
        dump(items[i], indent, sort_keys, level + 1, out);
      }
      if (indent) newline(level);
      out += ']';
      return;
    }
    case Kind::Dict:
    case Kind::Namespace: {
      std::vector<Value::Pair> pairs = v.kind() == Kind::Dict ? std::vector<Value::Pair>(v.pairs().begin(), v.pairs().end())
                                                               : v.ns_items();
      if (pairs.empty()) {
        out += "{}";
        return;
      }
      std::vector<std::pair<std::string, const Value*>> entries;
      for (const auto& p : pairs) entries.emplace_back(key_text(p.first), &p.second);
      if (sort_keys)
        std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += indent ? "," : ", ";
        if (indent) newline(level + 1);
        quote(entries[i].first, out);
        out += ": ";
        dump(*entries[i].second, indent, sort_keys, level + 1, out);
      }
      if (indent) newline(level);
      out += '}';
      return;
    }
    case Kind::Undefined: fail("Object of type Undefined is not JSON serializable");
    case Kind::Callable: fail("Object of type function is not JSON serializable");
  }
}

}  // namespace

Value from_json(const nlohmann::ordered_json& j) { return convert(j, 0); }

Value from_json_text(std::string_view text) {
  try {
    return convert(nlohmann::ordered_json::parse(text), 0);
  } catch (const nlohmann::json::exception& e) {
    fail("invalid JSON: {}", e.what());
  }
}

std::string to_json(const Value& v, std::optional<int> indent, bool sort_keys) {
  std::string out;
  if (indent && *indent < 0) indent = 0;
  dump(v, indent, sort_keys, 0, out);
  return out;
}

}  // namespace corral::jinja
