// JSON Schema -> Grammar: one expression per schema, one rule per $ref
// target and per object property; see json_schema.h for the subset.
#include "grammar/json_schema.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <deque>
#include <map>
#include <set>

#include "grammar/json_pieces.h"
#include "grammar/json_rules.h"
#include "util/error.h"
#include "util/utf8.h"

namespace corral::grammar {
namespace {

using ojson = nlohmann::ordered_json;

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxVisits = 20000;
constexpr std::size_t kMaxGrammarSize = 4000000;
// Item counts and string lengths: a larger maximum is lowered to this (a
// stricter grammar still gives valid documents); a larger minimum is
// unsupported. Each counted character is a copy of the character automaton.
constexpr std::uint32_t kMaxCount = 4096;
constexpr std::uint32_t kMaxLength = 1024;
constexpr std::size_t kMaxKeyLength = 256;

const std::set<std::string, std::less<>> kAnnotations = {
    "$schema", "$id",     "$comment", "$anchor",  "$defs",      "definitions",   "title",
    "description", "default", "examples", "example", "deprecated", "readOnly", "writeOnly",
    "discriminator", "xml", "externalDocs", "contentEncoding", "contentMediaType", "$vocabulary"};

const std::set<std::string, std::less<>> kUnsupported = {
    "pattern", "patternProperties", "propertyNames", "not", "if", "then", "else", "dependentRequired",
    "dependentSchemas", "dependencies", "contains", "minContains", "maxContains", "unevaluatedItems",
    "unevaluatedProperties", "$dynamicRef", "$recursiveRef", "contentSchema"};

const std::set<std::string, std::less<>> kTypes = {"null", "boolean", "string", "number", "integer", "object", "array"};

template <typename... Args>
[[noreturn]] void unsupported(const std::string& path, fmt::format_string<Args...> f, Args&&... args) {
  fail("unsupported JSON schema: {} (at {})", fmt::format(f, std::forward<Args>(args)...), path);
}

std::string pointer_escape(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string rule_name_part(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (out.size() >= 32) break;
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += ok ? c : '-';
  }
  return out.empty() ? "x" : out;
}

// True when s[key] is the boolean true.
bool flag(const ojson& s, const char* key) {
  auto it = s.find(key);
  return it != s.end() && it->is_boolean() && it->get<bool>();
}

bool value_has_type(const ojson& v, std::string_view t) {
  if (t == "null") return v.is_null();
  if (t == "boolean") return v.is_boolean();
  if (t == "string") return v.is_string();
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "number") return v.is_number();
  if (t == "integer") {
    if (v.is_number_integer()) return true;
    if (!v.is_number_float()) return false;
    const double d = v.get<double>();
    return std::isfinite(d) && d == std::floor(d);
  }
  return false;
}

std::string percent_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// Code points of s when every one may appear unescaped in a JSON string.
std::optional<std::vector<std::uint32_t>> plain_code_points(const std::string& s) {
  std::vector<std::uint32_t> cps;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const char32_t c = utf8::decode(s, pos);
    if (c < 0x20 || c == '"' || c == '\\') return std::nullopt;
    cps.push_back(static_cast<std::uint32_t>(c));
  }
  return cps;
}

class Converter {
 public:
  explicit Converter(const ojson& root) : root_(root), json_(g_) {}

  Grammar run() {
    const RuleId root = g_.declare("root");
    g_.define(root, visit(root_, "#"));
    while (!pending_.empty()) {
      auto [id, target, ptr] = pending_.front();
      pending_.pop_front();
      g_.define(id, visit(*target, ptr));
    }
    g_.set_root(root);
    if (g_.size() > kMaxGrammarSize) unsupported("#", "the schema makes a grammar larger than {} nodes", kMaxGrammarSize);
    return std::move(g_);
  }

 private:
  struct Pending {
    RuleId id;
    const ojson* target;
    std::string pointer;
  };

  struct DepthGuard {
    explicit DepthGuard(int& d, const std::string& path) : d_(d) {
      if (++d_ > kMaxDepth) unsupported(path, "nested more than {} levels deep", kMaxDepth);
    }
    ~DepthGuard() { --d_; }
    int& d_;
  };

  Expr ws() const { return json::ws(); }

  Expr visit(const ojson& s, const std::string& path) {
    if (++visits_ > kMaxVisits) unsupported(path, "more than {} schemas to convert", kMaxVisits);
    DepthGuard guard(depth_, path);
    if (s.is_boolean()) return s.get<bool>() ? ref(json_.value()) : nothing();
    if (!s.is_object()) unsupported(path, "a schema must be an object or a boolean, not {}", s.type_name());
    for (const auto& [key, value] : s.items())
      if (kUnsupported.count(key) && !(key.rfind("unevaluated", 0) == 0 && value.is_boolean()))
        unsupported(path, "keyword \"{}\"", key);
    if (s.contains("$ref")) return visit_ref(s, path);
    if (s.contains("allOf")) return visit_all_of(s, path);
    if (s.contains("anyOf") || s.contains("oneOf")) return visit_any_of(s, path);
    const auto types = types_of(s, path);
    if (s.contains("const")) return literals({s["const"]}, types, path);
    if (s.contains("enum")) {
      if (!s["enum"].is_array()) unsupported(path, "\"enum\" must be an array");
      return literals(std::vector<ojson>(s["enum"].begin(), s["enum"].end()), types, path);
    }
    if (!types) return ref(json_.value());
    std::vector<Expr> parts;
    for (const auto& t : *types) parts.push_back(visit_type(s, t, path));
    return alt(std::move(parts));
  }

  // The allowed types; nullopt: any.
  std::optional<std::vector<std::string>> types_of(const ojson& s, const std::string& path) {
    std::vector<std::string> types;
    auto it = s.find("type");
    if (it != s.end()) {
      if (it->is_string()) {
        types.push_back(it->get<std::string>());
      } else if (it->is_array()) {
        for (const auto& t : *it) {
          if (!t.is_string()) unsupported(path, "\"type\" must be a string or an array of strings");
          types.push_back(t.get<std::string>());
        }
      } else {
        unsupported(path, "\"type\" must be a string or an array of strings");
      }
    } else {
      auto has_any = [&](std::initializer_list<const char*> keys) {
        for (auto k : keys)
          if (s.contains(k)) return true;
        return false;
      };
      // Without "type", keywords of one kind mean that kind (stricter than
      // the schema, which would also accept other types, so still valid).
      if (has_any({"properties", "additionalProperties", "required", "minProperties", "maxProperties"})) types.push_back("object");
      if (has_any({"items", "prefixItems", "additionalItems", "minItems", "maxItems", "uniqueItems"})) types.push_back("array");
      if (has_any({"minLength", "maxLength", "format"})) types.push_back("string");
      if (has_any({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})) types.push_back("number");
      if (types.empty()) return std::nullopt;
    }
    if (flag(s, "nullable")) types.push_back("null");
    std::vector<std::string> unique;
    for (auto& t : types) {
      if (!kTypes.count(t)) unsupported(path, "type \"{}\"", t);
      if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);
    }
    return unique;
  }

  Expr literals(const std::vector<ojson>& values, const std::optional<std::vector<std::string>>& types,
                const std::string& path) {
    std::vector<Expr> parts;
    std::set<std::string> seen;
    for (const auto& v : values) {
      if (types && std::none_of(types->begin(), types->end(), [&](const std::string& t) { return value_has_type(v, t); }))
        continue;
      std::string text;
      try {
        text = v.dump();
      } catch (const nlohmann::json::exception&) {
        unsupported(path, "a value in \"enum\" or \"const\" is not valid UTF-8");
      }
      if (seen.insert(text).second) parts.push_back(lit(text));
    }
    return alt(std::move(parts));
  }

  Expr visit_ref(const ojson& s, const std::string& path) {
    const ojson& r = s["$ref"];
    if (!r.is_string()) unsupported(path, "\"$ref\" must be a string");
    for (const auto& [key, value] : s.items())
      if (key != "$ref" && !kAnnotations.count(key)) unsupported(path, "keyword \"{}\" next to \"$ref\"", key);
    const std::string ptr = r.get<std::string>();
    auto it = refs_.find(ptr);
    if (it != refs_.end()) return ref(it->second);
    if (ptr.empty() || ptr[0] != '#')
      unsupported(path, "$ref \"{}\" (only references into this schema, \"#/...\", are supported)", ptr);
    const ojson* target = nullptr;
    try {
      target = ptr == "#" ? &root_ : &root_.at(ojson::json_pointer(percent_decode(ptr.substr(1))));
    } catch (const nlohmann::json::exception&) {
      unsupported(path, "$ref \"{}\" does not point into the schema", ptr);
    }
    const auto slash = ptr.rfind('/');
    const RuleId id = g_.declare(g_.fresh_name("ref-" + rule_name_part(slash == std::string::npos ? "root" : ptr.substr(slash + 1))));
    refs_.emplace(ptr, id);
    pending_.push_back({id, target, ptr});
    return ref(id);
  }

  Expr visit_any_of(const ojson& s, const std::string& path) {
    if (s.contains("anyOf") && s.contains("oneOf")) unsupported(path, "\"anyOf\" together with \"oneOf\"");
    const std::string key = s.contains("anyOf") ? "anyOf" : "oneOf";
    for (const auto& [k, value] : s.items())
      if (k != key && !kAnnotations.count(k)) unsupported(path, "keyword \"{}\" next to \"{}\"", k, key);
    const ojson& arr = s[key];
    if (!arr.is_array() || arr.empty()) unsupported(path, "\"{}\" must be a non-empty array", key);
    std::vector<Expr> parts;
    for (std::size_t i = 0; i < arr.size(); ++i) parts.push_back(visit(arr[i], fmt::format("{}/{}/{}", path, key, i)));
    return alt(std::move(parts));
  }

  // Follows "$ref" chains to the schema they name.
  const ojson& follow(const ojson& s, const std::string& path) {
    const ojson* cur = &s;
    for (int hops = 0; cur->is_object() && cur->contains("$ref"); ++hops) {
      const ojson& r = (*cur)["$ref"];
      if (hops > 32 || !r.is_string() || r.get<std::string>().empty() || r.get<std::string>()[0] != '#')
        unsupported(path, "\"allOf\" with a $ref that cannot be followed");
      const std::string ptr = r.get<std::string>();
      try {
        cur = ptr == "#" ? &root_ : &root_.at(ojson::json_pointer(percent_decode(ptr.substr(1))));
      } catch (const nlohmann::json::exception&) {
        unsupported(path, "$ref \"{}\" does not point into the schema", ptr);
      }
    }
    return *cur;
  }

  Expr visit_all_of(const ojson& s, const std::string& path) {
    const ojson& arr = s["allOf"];
    if (!arr.is_array() || arr.empty()) unsupported(path, "\"allOf\" must be a non-empty array");
    bool only_annotations = true;
    for (const auto& [k, value] : s.items())
      if (k != "allOf" && !kAnnotations.count(k)) only_annotations = false;
    if (arr.size() == 1 && only_annotations) return visit(arr[0], path + "/allOf/0");
    // Several parts: only plain object schemas, merged into one.
    ojson merged = ojson::object();
    ojson props = ojson::object();
    ojson required = ojson::array();
    std::vector<const ojson*> parts = {&s};
    for (const auto& part : arr) parts.push_back(&follow(part, path));
    for (const ojson* p : parts) {
      if (p->is_boolean() && p->get<bool>()) continue;
      if (!p->is_object()) unsupported(path, "\"allOf\" of schemas that are not objects");
      for (const auto& [k, v] : p->items()) {
        if (k == "allOf" && p == &s) continue;
        if (kAnnotations.count(k)) continue;
        if (k == "type") {
          if (v != "object") unsupported(path, "\"allOf\" of schemas that are not all objects");
        } else if (k == "properties") {
          if (!v.is_object()) unsupported(path, "\"properties\" must be an object");
          for (const auto& [name, sub] : v.items()) {
            if (props.contains(name) && props[name] != sub)
              unsupported(path, "\"allOf\" with two different schemas for property \"{}\"", name);
            props[name] = sub;
          }
        } else if (k == "required") {
          if (!v.is_array()) unsupported(path, "\"required\" must be an array of strings");
          for (const auto& name : v) required.push_back(name);
        } else if (k == "additionalProperties") {
          merged["additionalProperties"] = v;
        } else {
          unsupported(path, "\"allOf\" with keyword \"{}\" (only object properties can be merged)", k);
        }
      }
    }
    merged["type"] = "object";
    merged["properties"] = std::move(props);
    merged["required"] = std::move(required);
    merged_.push_back(std::make_unique<ojson>(std::move(merged)));
    return visit(*merged_.back(), path);
  }

  Expr visit_type(const ojson& s, const std::string& t, const std::string& path) {
    if (t == "null") return lit("null");
    if (t == "boolean") return alt({lit("true"), lit("false")});
    if (t == "string") return visit_string(s, path);
    if (t == "integer") return visit_number(s, true, path);
    if (t == "number") return visit_number(s, false, path);
    if (t == "object") return visit_object(s, path);
    return visit_array(s, path);
  }

  // A count keyword (minLength, maxItems, ...): absent, or a non-negative integer.
  std::optional<std::uint64_t> count(const ojson& s, const char* key, const std::string& path) {
    auto it = s.find(key);
    if (it == s.end()) return std::nullopt;
    if (it->is_number_unsigned()) return it->get<std::uint64_t>();
    if (it->is_number_integer() && it->get<std::int64_t>() >= 0) return static_cast<std::uint64_t>(it->get<std::int64_t>());
    if (it->is_number_float()) {
      const double d = it->get<double>();
      if (std::isfinite(d) && d >= 0 && d == std::floor(d)) return d > 1e18 ? std::uint64_t{1} << 60 : static_cast<std::uint64_t>(d);
    }
    unsupported(path, "\"{}\" must be a non-negative integer", key);
  }

  // min..max from two count keywords, max lowered to kMaxCount; nullopt when min > max.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> counts(const ojson& s, const char* min_key, const char* max_key,
                                                                std::uint32_t limit, const std::string& path) {
    const auto lo = count(s, min_key, path), hi = count(s, max_key, path);
    if (lo && *lo > limit) unsupported(path, "\"{}\" above {}", min_key, limit);
    const auto a = static_cast<std::uint32_t>(lo.value_or(0));
    std::uint32_t b = kUnbounded;
    if (hi) {
      if (*hi < a) return std::nullopt;
      b = static_cast<std::uint32_t>(std::min<std::uint64_t>(*hi, limit));
    }
    return std::make_pair(a, b);
  }

  Expr visit_string(const ojson& s, const std::string& path) {
    auto f = s.find("format");
    if (f != s.end() && f->is_string() && is_supported_format(f->get<std::string>())) {
      if (s.contains("minLength") || s.contains("maxLength"))
        unsupported(path, "\"minLength\"/\"maxLength\" together with format \"{}\"", f->get<std::string>());
      return ref(format_rule(f->get<std::string>()));
    }
    if (!s.contains("minLength") && !s.contains("maxLength")) return ref(json_.string());
    const auto range = counts(s, "minLength", "maxLength", kMaxLength, path);
    if (!range) return nothing();
    auto [lo, hi] = *range;
    if (lo == 0 && hi == kUnbounded) return ref(json_.string());
    const auto key = std::make_pair(lo, hi);
    auto it = strings_.find(key);
    if (it != strings_.end()) return ref(it->second);
    const std::string name = hi == kUnbounded ? fmt::format("string-{}-", lo) : fmt::format("string-{}-{}", lo, hi);
    const RuleId id = g_.add(g_.fresh_name(name), seq({lit("\""), repeat(json::string_char(), lo, hi), lit("\"")}), true);
    strings_.emplace(key, id);
    return ref(id);
  }

  static bool is_supported_format(const std::string& f) {
    return f == "date" || f == "time" || f == "date-time" || f == "uuid";
  }

  RuleId format_rule(const std::string& f) {
    auto it = formats_.find(f);
    if (it != formats_.end()) return it->second;
    const auto digit = set(ByteSet::range('0', '9'));
    auto digits = [&](std::uint32_t n) { return repeat(digit, n, n); };
    const Expr hex = set(ByteSet::range('0', '9') | ByteSet::range('a', 'f') | ByteSet::range('A', 'F'));
    auto hexes = [&](std::uint32_t n) { return repeat(hex, n, n); };
    Expr date = seq({digits(4), lit("-"), alt({seq({lit("0"), set(ByteSet::range('1', '9'))}), seq({lit("1"), set(ByteSet::range('0', '2'))})}),
                     lit("-"),
                     alt({seq({lit("0"), set(ByteSet::range('1', '9'))}), seq({set(ByteSet::of("12")), digit}),
                          seq({lit("3"), set(ByteSet::of("01"))})})});
    Expr hour = alt({seq({set(ByteSet::of("01")), digit}), seq({lit("2"), set(ByteSet::range('0', '3'))})});
    Expr minute = seq({set(ByteSet::range('0', '5')), digit});
    Expr time = seq({hour, lit(":"), minute, lit(":"), minute, opt(seq({lit("."), repeat(digit, 1, 6)})),
                     alt({lit("Z"), seq({set(ByteSet::of("+-")), hour, lit(":"), minute})})});
    Expr body;
    if (f == "date")
      body = std::move(date);
    else if (f == "time")
      body = std::move(time);
    else if (f == "date-time")
      body = seq({std::move(date), lit("T"), std::move(time)});
    else
      body = seq({hexes(8), lit("-"), hexes(4), lit("-"), hexes(4), lit("-"), hexes(4), lit("-"), hexes(12)});
    const RuleId id = g_.add(g_.fresh_name(f), seq({lit("\""), std::move(body), lit("\"")}));
    formats_.emplace(f, id);
    return id;
  }

  // A bound keyword: absent, or a number.
  std::optional<double> bound(const ojson& s, const char* key, const std::string& path) {
    auto it = s.find(key);
    if (it == s.end() || it->is_boolean()) return std::nullopt;
    if (!it->is_number()) unsupported(path, "\"{}\" must be a number", key);
    return it->get<double>();
  }

  Expr visit_number(const ojson& s, bool integer, const std::string& path) {
    if (auto m = s.find("multipleOf"); m != s.end()) {
      if (!m->is_number() || m->get<double>() != 1.0) unsupported(path, "\"multipleOf\" other than 1");
      integer = true;
    }
    std::optional<double> lo = bound(s, "minimum", path), hi = bound(s, "maximum", path);
    bool lo_ex = lo && flag(s, "exclusiveMinimum");  // draft 4: a boolean next to minimum
    bool hi_ex = hi && flag(s, "exclusiveMaximum");
    if (auto x = bound(s, "exclusiveMinimum", path); x && (!lo || *x >= *lo)) {
      lo = x;
      lo_ex = true;
    }
    if (auto x = bound(s, "exclusiveMaximum", path); x && (!hi || *x <= *hi)) {
      hi = x;
      hi_ex = true;
    }
    if (!lo && !hi) return ref(integer ? json_.integer() : json_.number());
    const double big = static_cast<double>(json::kMaxMagnitude) + 1;
    auto clamp = [&](double v) { return static_cast<std::int64_t>(std::clamp(v, -big, big)); };
    if (integer) {
      const std::int64_t a = lo ? clamp(lo_ex ? std::floor(*lo) + 1 : std::ceil(*lo)) : -json::kMaxMagnitude;
      const std::int64_t b = hi ? clamp(hi_ex ? std::ceil(*hi) - 1 : std::floor(*hi)) : json::kMaxMagnitude;
      return json::int_range(a, b);
    }
    if ((lo && *lo != std::floor(*lo)) || (hi && *hi != std::floor(*hi)))
      unsupported(path, "a bound that is not an integer on a number");
    try {
      return json::number_range(lo ? std::optional(clamp(*lo)) : std::nullopt, lo_ex, hi ? std::optional(clamp(*hi)) : std::nullopt,
                                hi_ex);
    } catch (const Error&) {
      return nothing();
    }
  }

  Expr visit_object(const ojson& s, const std::string& path) {
    struct Prop {
      std::string name;
      const ojson* schema;  // nullptr: any value
      bool required;
    };
    std::vector<Prop> props;
    auto pit = s.find("properties");
    if (pit != s.end()) {
      if (!pit->is_object()) unsupported(path, "\"properties\" must be an object");
      for (const auto& [name, sub] : pit->items()) props.push_back({name, &sub, false});
    }
    std::set<std::string> required;
    if (auto r = s.find("required"); r != s.end()) {
      if (!r->is_array()) unsupported(path, "\"required\" must be an array of strings");
      for (const auto& name : *r) {
        if (!name.is_string()) unsupported(path, "\"required\" must be an array of strings");
        required.insert(name.get<std::string>());
      }
    }
    // Extra properties: none, any value, or values of a schema.
    enum class Extras { None, Any, Schema } extras = pit == s.end() ? Extras::Any : Extras::None;
    const ojson* extra_schema = nullptr;
    if (auto ap = s.find("additionalProperties"); ap != s.end()) {
      if (ap->is_boolean()) {
        extras = ap->get<bool>() ? Extras::Any : Extras::None;
      } else if (ap->is_object()) {
        extras = Extras::Schema;
        extra_schema = &*ap;
      } else {
        unsupported(path, "\"additionalProperties\" must be a boolean or a schema");
      }
    } else if (s.value("unevaluatedProperties", ojson(true)) == false) {
      extras = Extras::None;
    }
    for (auto& p : props) p.required = required.count(p.name) != 0;
    for (const auto& name : required) {
      if (std::any_of(props.begin(), props.end(), [&](const Prop& p) { return p.name == name; })) continue;
      if (extras == Extras::None) return nothing();
      props.push_back({name, extra_schema, true});
    }
    std::size_t n_required = 0;
    for (const auto& p : props) n_required += p.required;
    if (auto m = count(s, "minProperties", path); m && *m > n_required)
      unsupported(path, "\"minProperties\" above the number of required properties");
    if (auto m = count(s, "maxProperties", path); m && (extras != Extras::None || *m < props.size()))
      unsupported(path, "\"maxProperties\" below the number of possible properties");
    if (props.empty() && extras == Extras::Any) return ref(json_.object());

    // One rule per member: "key" ws ":" ws value ws.
    std::vector<std::pair<RuleId, bool>> members;  // (rule, required)
    for (const auto& p : props) {
      if (!utf8::is_valid(p.name)) unsupported(path, "a property name that is not valid UTF-8");
      const std::string sub_path = path + "/properties/" + pointer_escape(p.name);
      if (p.schema && p.schema->is_boolean() && !p.schema->get<bool>()) {
        if (p.required) return nothing();
        continue;  // may not appear
      }
      Expr value = p.schema ? visit(*p.schema, sub_path) : ref(json_.value());
      const RuleId id = g_.add(g_.fresh_name("kv-" + rule_name_part(p.name)),
                               seq({lit(json::quote(p.name)), ws(), lit(":"), ws(), std::move(value), ws()}));
      members.emplace_back(id, p.required);
    }
    std::optional<RuleId> extra;
    if (extras != Extras::None) {
      std::vector<std::string> declared;
      for (const auto& p : props) declared.push_back(p.name);
      Expr value = extra_schema ? visit(*extra_schema, path + "/additionalProperties") : ref(json_.value());
      extra = g_.add(g_.fresh_name("kv-extra"), seq({other_key(declared, path), ws(), lit(":"), ws(), std::move(value), ws()}));
    }
    // after[i]: the members from i on when one came before (each led by a comma).
    const std::size_t n = members.size();
    std::vector<RuleId> after(n + 1);
    after[n] = g_.add(g_.fresh_name("kv-rest"), extra ? star(seq({lit(","), ws(), ref(*extra)})) : empty());
    for (std::size_t i = n; i-- > 0;) {
      Expr with = seq({lit(","), ws(), ref(members[i].first), ref(after[i + 1])});
      after[i] = g_.add(g_.fresh_name("kv-after"), members[i].second ? std::move(with) : alt({std::move(with), ref(after[i + 1])}));
    }
    // first: the members when none came before.
    RuleId first = g_.add(g_.fresh_name("kv-first"), extra ? opt(seq({ref(*extra), ref(after[n])})) : empty());
    for (std::size_t i = n; i-- > 0;) {
      Expr with = seq({ref(members[i].first), ref(after[i + 1])});
      first = g_.add(g_.fresh_name("kv-first"), members[i].second ? std::move(with) : alt({std::move(with), ref(first)}));
    }
    return seq({lit("{"), ws(), ref(first), lit("}")});
  }

  // A quoted key that differs from every declared name: a trie over the
  // names' code points; leaving the trie leads to free text. Unescaped
  // characters only, so that the raw text is the key.
  Expr other_key(const std::vector<std::string>& declared, const std::string& path) {
    struct Node {
      std::map<std::uint32_t, std::size_t> children;
      bool is_name = false;
    };
    std::vector<Node> trie(1);
    for (const auto& name : declared) {
      auto cps = plain_code_points(name);
      if (!cps) continue;  // needs escapes: an unescaped key can never equal it
      if (cps->size() > kMaxKeyLength)
        unsupported(path, "a property name longer than {} characters next to additional properties", kMaxKeyLength);
      std::size_t at = 0;
      for (auto c : *cps) {
        auto it = trie[at].children.find(c);
        if (it == trie[at].children.end()) {
          trie.push_back({});
          it = trie[at].children.emplace(c, trie.size() - 1).first;
        }
        at = it->second;
      }
      trie[at].is_name = true;
    }
    if (!free_key_tail_) free_key_tail_ = g_.add(g_.fresh_name("key-tail"), seq({star(json::plain_char_except({})), lit("\"")}));
    std::vector<Expr> node_exprs(trie.size());
    // Children have larger indices than parents: build from the back.
    for (std::size_t i = trie.size(); i-- > 0;) {
      std::vector<Expr> parts;
      if (!trie[i].is_name) parts.push_back(lit("\""));
      std::vector<std::uint32_t> next;
      for (auto& [c, child] : trie[i].children) {
        parts.push_back(seq({lit(json::encode_utf8(c)), std::move(node_exprs[child])}));
        next.push_back(c);
      }
      parts.push_back(seq({json::plain_char_except(next), ref(*free_key_tail_)}));
      node_exprs[i] = alt(std::move(parts));
    }
    return seq({lit("\""), std::move(node_exprs[0])});
  }

  Expr visit_array(const ojson& s, const std::string& path) {
    std::vector<std::pair<const ojson*, std::string>> prefix;
    const ojson* rest = nullptr;  // nullptr with rest_any: any value
    bool rest_any = true, rest_none = false;
    auto take_rest = [&](const char* key) {
      auto it = s.find(key);
      if (it == s.end()) return;
      if (it->is_boolean()) {
        rest_none = !it->get<bool>();
      } else if (it->is_object()) {
        rest = &*it;
        rest_any = false;
      } else {
        unsupported(path, "\"{}\" must be a schema", key);
      }
    };
    auto take_prefix = [&](const char* key) {
      const ojson& arr = s[key];
      for (std::size_t i = 0; i < arr.size(); ++i) prefix.emplace_back(&arr[i], fmt::format("{}/{}/{}", path, key, i));
    };
    if (s.contains("prefixItems")) {
      if (!s["prefixItems"].is_array()) unsupported(path, "\"prefixItems\" must be an array");
      take_prefix("prefixItems");
      take_rest("items");
    } else if (s.contains("items") && s["items"].is_array()) {
      take_prefix("items");
      take_rest("additionalItems");
    } else {
      take_rest("items");
    }
    if (rest_any && !s.contains("items") && !s.contains("additionalItems") && s.value("unevaluatedItems", ojson(true)) == false)
      rest_none = true;
    const auto range = counts(s, "minItems", "maxItems", kMaxCount, path);
    if (!range) return nothing();
    // Plain variables (clang 14 cannot capture structured bindings in lambdas).
    const std::uint32_t lo = range->first, hi = range->second;
    if (s.value("uniqueItems", ojson(false)) == true && hi > 1) unsupported(path, "keyword \"uniqueItems\"");

    std::vector<RuleId> prefix_rules;
    for (const auto& [schema, sub_path] : prefix) prefix_rules.push_back(g_.add(g_.fresh_name("item"), visit(*schema, sub_path)));
    std::optional<RuleId> rest_rule;
    if (!rest_none) {
      Expr value = rest ? visit(*rest, path + (s.contains("prefixItems") || !s.contains("additionalItems") ? "/items" : "/additionalItems"))
                        : ref(json_.value());
      rest_rule = g_.add(g_.fresh_name("item"), std::move(value));
    }
    const std::size_t k = prefix_rules.size();
    // The elements from index j on, for j >= k (no comma before the first).
    auto rest_tail = [&](std::uint32_t j) -> Expr {
      if (hi != kUnbounded && j >= hi) return empty();
      if (!rest_rule) return j >= lo ? empty() : nothing();
      const std::uint32_t need = lo > j ? lo - j : 0;
      const std::uint32_t room = hi == kUnbounded ? kUnbounded : hi - j;
      Expr more = seq({lit(","), ws(), ref(*rest_rule), ws()});
      if (j > 0) return repeat(std::move(more), need, room);
      Expr all = seq({ref(*rest_rule), ws(), repeat(std::move(more), need ? need - 1 : 0, room == kUnbounded ? kUnbounded : room - 1)});
      return need ? std::move(all) : opt(std::move(all));
    };
    // Prefix elements k-1 .. 0, each a rule followed by the rule of the rest.
    Expr tail = rest_tail(static_cast<std::uint32_t>(k));
    for (std::size_t j = k; j-- > 0;) {
      const auto jj = static_cast<std::uint32_t>(j);
      if (hi != kUnbounded && jj >= hi) continue;
      const RuleId next = g_.add(g_.fresh_name("items-from"), std::move(tail));
      Expr e = seq({jj ? seq({lit(","), ws()}) : empty(), ref(prefix_rules[j]), ws(), ref(next)});
      tail = jj < lo ? std::move(e) : opt(std::move(e));
    }
    return seq({lit("["), ws(), std::move(tail), lit("]")});
  }

  const ojson& root_;
  Grammar g_;
  JsonRules json_;
  std::map<std::string, RuleId> refs_;
  std::deque<Pending> pending_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, RuleId> strings_;
  std::map<std::string, RuleId> formats_;
  std::optional<RuleId> free_key_tail_;
  std::vector<std::unique_ptr<ojson>> merged_;
  int depth_ = 0;
  std::size_t visits_ = 0;
};

}  // namespace

Grammar schema_to_grammar(const nlohmann::ordered_json& schema) { return Converter(schema).run(); }

}  // namespace corral::grammar
