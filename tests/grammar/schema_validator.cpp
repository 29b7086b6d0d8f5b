// Test-only JSON Schema validator (see schema_validator.h).
#include "schema_validator.h"

#include <cmath>
#include <regex>

#include "util/utf8.h"

namespace corral::grammar::test {
namespace {

using ojson = nlohmann::ordered_json;

bool has_type(const ojson& v, const std::string& t) {
  if (t == "null") return v.is_null();
  if (t == "boolean") return v.is_boolean();
  if (t == "string") return v.is_string();
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "number") return v.is_number();
  if (t == "integer") return v.is_number_integer() || (v.is_number_float() && v.get<double>() == std::floor(v.get<double>()));
  return false;
}

std::size_t code_points(const std::string& s) {
  std::size_t n = 0, pos = 0;
  while (pos < s.size()) {
    utf8::decode(s, pos);
    ++n;
  }
  return n;
}

bool format_ok(const std::string& f, const std::string& s) {
  static const std::regex date(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
  static const std::regex time(R"(([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))");
  static const std::regex uuid(R"([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})");
  if (f == "date") return std::regex_match(s, date);
  if (f == "time") return std::regex_match(s, time);
  if (f == "date-time") {
    auto t = s.find('T');
    return t != std::string::npos && std::regex_match(s.substr(0, t), date) && std::regex_match(s.substr(t + 1), time);
  }
  if (f == "uuid") return std::regex_match(s, uuid);
  return true;
}

class Validator {
 public:
  explicit Validator(const ojson& root) : root_(root) {}

  std::string check(const ojson& v, const ojson& s, const std::string& at) {
    if (s.is_boolean()) return s.get<bool>() ? "" : at + ": false schema";
    if (auto r = s.find("$ref"); r != s.end()) {
      const std::string ptr = r->get<std::string>();
      const ojson& target = ptr == "#" ? root_ : root_.at(ojson::json_pointer(ptr.substr(1)));
      return check(v, target, at);
    }
    if (auto t = s.find("type"); t != s.end()) {
      bool ok = false;
      if (t->is_string()) ok = has_type(v, t->get<std::string>());
      for (const auto& x : t->is_array() ? *t : ojson::array()) ok = ok || has_type(v, x.get<std::string>());
      if (!ok && s.value("nullable", false) && v.is_null()) ok = true;
      if (!ok) return at + ": type";
    }
    if (auto c = s.find("const"); c != s.end() && *c != v) return at + ": const";
    if (auto e = s.find("enum"); e != s.end() && std::find(e->begin(), e->end(), v) == e->end()) return at + ": enum";
    if (auto a = s.find("anyOf"); a != s.end()) {
      bool any = false;
      for (const auto& sub : *a) any = any || check(v, sub, at).empty();
      if (!any) return at + ": anyOf";
    }
    if (auto o = s.find("oneOf"); o != s.end()) {
      int n = 0;
      for (const auto& sub : *o) n += check(v, sub, at).empty();
      if (n != 1) return at + ": oneOf matched " + std::to_string(n);
    }
    if (auto a = s.find("allOf"); a != s.end())
      for (const auto& sub : *a)
        if (auto e = check(v, sub, at); !e.empty()) return e;
    if (v.is_string()) {
      const auto n = code_points(v.get<std::string>());
      if (s.contains("minLength") && n < s["minLength"].get<std::size_t>()) return at + ": minLength";
      if (s.contains("maxLength") && n > s["maxLength"].get<std::size_t>()) return at + ": maxLength";
      if (s.contains("format") && !format_ok(s["format"].get<std::string>(), v.get<std::string>())) return at + ": format";
    }
    if (v.is_number()) {
      const double x = v.get<double>();
      auto num = [&](const char* k) { return s.contains(k) && s[k].is_number(); };
      if (num("minimum") && (s.value("exclusiveMinimum", ojson(false)) == true ? x <= s["minimum"].get<double>() : x < s["minimum"].get<double>()))
        return at + ": minimum";
      if (num("maximum") && (s.value("exclusiveMaximum", ojson(false)) == true ? x >= s["maximum"].get<double>() : x > s["maximum"].get<double>()))
        return at + ": maximum";
      if (num("exclusiveMinimum") && x <= s["exclusiveMinimum"].get<double>()) return at + ": exclusiveMinimum";
      if (num("exclusiveMaximum") && x >= s["exclusiveMaximum"].get<double>()) return at + ": exclusiveMaximum";
    }
    if (v.is_object()) {
      const ojson props = s.value("properties", ojson::object());
      for (const auto& name : s.value("required", ojson::array()))
        if (!v.contains(name.get<std::string>())) return at + ": missing " + name.get<std::string>();
      for (const auto& [k, x] : v.items()) {
        if (props.contains(k)) {
          if (auto e = check(x, props[k], at + "/" + k); !e.empty()) return e;
        } else if (s.contains("additionalProperties")) {
          if (auto e = check(x, s["additionalProperties"], at + "/" + k); !e.empty()) return e;
        }
      }
    }
    if (v.is_array()) {
      if (s.contains("minItems") && v.size() < s["minItems"].get<std::size_t>()) return at + ": minItems";
      if (s.contains("maxItems") && v.size() > s["maxItems"].get<std::size_t>()) return at + ": maxItems";
      ojson prefix = ojson::array();
      ojson rest = true;
      if (s.contains("prefixItems")) {
        prefix = s["prefixItems"];
        rest = s.value("items", ojson(true));
      } else if (s.contains("items") && s["items"].is_array()) {
        prefix = s["items"];
        rest = s.value("additionalItems", ojson(true));
      } else {
        rest = s.value("items", ojson(true));
      }
      for (std::size_t i = 0; i < v.size(); ++i)
        if (auto e = check(v[i], i < prefix.size() ? prefix[i] : rest, at + "/" + std::to_string(i)); !e.empty()) return e;
    }
    return "";
  }

 private:
  const ojson& root_;
};

}  // namespace

std::string validate(const nlohmann::ordered_json& doc, const nlohmann::ordered_json& schema) {
  return Validator(schema).check(doc, schema, "#");
}

}  // namespace corral::grammar::test
