// Go's text/template builtin functions over gotmpl values.
#include "template/gotmpl/builtins.h"

#include <array>

#include "template/gotmpl/go_escape.h"
#include "template/gotmpl/go_format.h"
#include "util/error.h"

namespace corral::gotmpl {

namespace {

enum class Basic { Invalid, Bool, Int, Uint, Float, String, Other };

Basic basic_kind(const Value& v) {
  switch (v.kind()) {
    case Kind::Invalid: return Basic::Invalid;
    case Kind::Bool: return Basic::Bool;
    case Kind::Int: return Basic::Int;
    case Kind::Uint: return Basic::Uint;
    case Kind::Float: return Basic::Float;
    case Kind::String: return Basic::String;
    default: return Basic::Other;
  }
}

// reflect.Value arguments holding a nil interface compare as invalid.
Value indirect_interface(const Value& v) { return v.is_nil_interface() ? Value() : v; }

[[noreturn]] void bad_comparison_type() { fail("invalid type for comparison"); }
[[noreturn]] void bad_comparison() { fail("incompatible types for comparison"); }

std::string evaluated_text(std::span<const Value> args) {
  if (args.size() == 1 && args[0].kind() == Kind::String && !args[0].type()) return args[0].as_string();
  std::vector<Value> printable;
  printable.reserve(args.size());
  for (const auto& a : args) printable.push_back(a.deref());
  return go_sprint(printable);
}

std::size_t index_arg(const Value& index, std::size_t cap, bool allow_cap) {
  Value i = indirect_interface(index);
  std::int64_t x;
  switch (i.kind()) {
    case Kind::Int: x = i.as_int(); break;
    case Kind::Uint: x = static_cast<std::int64_t>(i.as_uint()); break;
    case Kind::Invalid: fail("cannot index slice/array with nil");
    default: fail("cannot index slice/array with type {}", i.type_name());
  }
  if (x < 0 || static_cast<std::uint64_t>(x) > cap || (!allow_cap && static_cast<std::uint64_t>(x) == cap))
    fail("index out of range: {}", x);
  return static_cast<std::size_t>(x);
}

Value go_index(std::span<const Value> args) {
  Value item = indirect_interface(args[0]);
  if (!item.valid()) fail("index of untyped nil");
  for (std::size_t k = 1; k < args.size(); ++k) {
    if (!item.valid()) fail("index of nil pointer");
    switch (item.kind()) {
      case Kind::Slice: {
        std::size_t x = index_arg(args[k], item.length(), false);
        item = item.items()[x];
        break;
      }
      case Kind::String:
      case Kind::Bytes: {
        std::size_t x = index_arg(args[k], item.length(), false);
        item = Value::from_uint(static_cast<unsigned char>(item.as_string()[x]), nullptr);
        break;
      }
      case Kind::Map: {
        Value key = indirect_interface(args[k]);
        if (key.kind() != Kind::String) fail("value has type {}; should be string", key.type_name());
        const Value* found = item.map_find(key.as_string());
        item = found ? *found : Value::nil_interface();
        break;
      }
      default: fail("can't index item of type {}", item.type_name());
    }
    if (item.is_nil_interface() && k + 1 < args.size()) item = Value();
  }
  return item;
}

Value go_slice(std::span<const Value> args) {
  Value item = indirect_interface(args[0]);
  if (!item.valid()) fail("slice of untyped nil");
  std::size_t nidx = args.size() - 1;
  if (nidx > 3) fail("too many slice indexes: {}", nidx);
  std::size_t cap;
  switch (item.kind()) {
    case Kind::String:
      if (nidx == 3) fail("cannot 3-index slice a string");
      cap = item.length();
      break;
    case Kind::Slice:
    case Kind::Bytes: cap = item.length(); break;
    default: fail("can't slice item of type {}", item.type_name());
  }
  std::array<std::size_t, 3> idx{0, item.length(), cap};
  for (std::size_t k = 0; k < nidx; ++k) idx[k] = index_arg(args[k + 1], cap, true);
  if (idx[0] > idx[1]) fail("invalid slice index: {} > {}", idx[0], idx[1]);
  if (nidx == 3 && idx[1] > idx[2]) fail("invalid slice index: {} > {}", idx[1], idx[2]);
  if (item.kind() == Kind::String) return Value::from_string(item.as_string().substr(idx[0], idx[1] - idx[0]));
  if (item.kind() == Kind::Bytes)
    return Value::from_bytes(item.as_string().substr(idx[0], idx[1] - idx[0]), item.type());
  auto items = item.items();
  return Value::slice(std::vector<Value>(items.begin() + static_cast<std::ptrdiff_t>(idx[0]),
                                         items.begin() + static_cast<std::ptrdiff_t>(idx[1])),
                      item.type());
}

Value go_len(const Value& arg) {
  Value item = indirect_interface(arg);
  if (!item.valid()) fail("len of nil pointer");
  switch (item.kind()) {
    case Kind::String: case Kind::Bytes: case Kind::Slice: case Kind::Map:
      return Value::from_int(static_cast<std::int64_t>(item.length()));
    default: fail("len of type {}", item.type_name());
  }
}

}  // namespace

bool go_eq(const Value& a0, const Value& b0) {
  Value a = indirect_interface(a0), b = indirect_interface(b0);
  Basic k1 = basic_kind(a), k2 = basic_kind(b);
  if (k1 != k2) {
    if (k1 == Basic::Int && k2 == Basic::Uint) return a.as_int() >= 0 && static_cast<std::uint64_t>(a.as_int()) == b.as_uint();
    if (k1 == Basic::Uint && k2 == Basic::Int) return b.as_int() >= 0 && a.as_uint() == static_cast<std::uint64_t>(b.as_int());
    if (a.valid() && b.valid()) bad_comparison();
    return false;
  }
  switch (k1) {
    case Basic::Bool: return a.as_bool() == b.as_bool();
    case Basic::Int: return a.as_int() == b.as_int();
    case Basic::Uint: return a.as_uint() == b.as_uint();
    case Basic::Float: return a.as_float() == b.as_float();
    case Basic::String: return a.as_string() == b.as_string();
    default: break;
  }
  if (a.is_nil() || b.is_nil()) return a.is_nil() == b.is_nil();
  fail("non-comparable type {}: {}", go_sprint_one(a), a.type_name());
}

bool go_lt(const Value& a0, const Value& b0) {
  Value a = indirect_interface(a0), b = indirect_interface(b0);
  Basic k1 = basic_kind(a), k2 = basic_kind(b);
  if (k1 == Basic::Invalid || k1 == Basic::Other || k2 == Basic::Invalid || k2 == Basic::Other) bad_comparison_type();
  if (k1 != k2) {
    if (k1 == Basic::Int && k2 == Basic::Uint) return a.as_int() < 0 || static_cast<std::uint64_t>(a.as_int()) < b.as_uint();
    if (k1 == Basic::Uint && k2 == Basic::Int) return b.as_int() >= 0 && a.as_uint() < static_cast<std::uint64_t>(b.as_int());
    bad_comparison();
  }
  switch (k1) {
    case Basic::Bool: bad_comparison_type();
    case Basic::Int: return a.as_int() < b.as_int();
    case Basic::Uint: return a.as_uint() < b.as_uint();
    case Basic::Float: return a.as_float() < b.as_float();
    case Basic::String: return a.as_string() < b.as_string();
    default: bad_comparison_type();
  }
}

std::pair<int, int> builtin_arity(std::string_view name) {
  if (name == "and" || name == "or" || name == "call" || name == "index" || name == "slice" || name == "printf" ||
      name == "eq")
    return {1, -1};
  if (name == "not" || name == "len") return {1, 1};
  if (name == "ne" || name == "lt" || name == "le" || name == "gt" || name == "ge") return {2, 2};
  return {0, -1};  // html js urlquery print println
}

bool builtin_takes_values(std::string_view name) {
  return name == "and" || name == "or" || name == "not" || name == "call" || name == "index" || name == "slice" ||
         name == "len" || name == "eq" || name == "ne" || name == "lt" || name == "le" || name == "gt" ||
         name == "ge";
}

Value call_builtin(std::string_view name, std::span<const Value> args) {
  if (name == "eq") {
    if (args.size() < 2) fail("missing argument for comparison");
    for (std::size_t i = 1; i < args.size(); ++i)
      if (go_eq(args[0], args[i])) return Value::from_bool(true);
    return Value::from_bool(false);
  }
  if (name == "ne") return Value::from_bool(!go_eq(args[0], args[1]));
  if (name == "lt") return Value::from_bool(go_lt(args[0], args[1]));
  if (name == "le") return Value::from_bool(go_lt(args[0], args[1]) || go_eq(args[0], args[1]));
  if (name == "gt") return Value::from_bool(!(go_lt(args[0], args[1]) || go_eq(args[0], args[1])));
  if (name == "ge") return Value::from_bool(!go_lt(args[0], args[1]));
  if (name == "not") return Value::from_bool(!args[0].truth());
  if (name == "len") return go_len(args[0]);
  if (name == "index") return go_index(args);
  if (name == "slice") return go_slice(args);
  if (name == "print") return Value::from_string(go_sprint(args));
  if (name == "println") return Value::from_string(go_sprintln(args));
  if (name == "printf") return Value::from_string(go_sprintf(args[0].as_string(), args.subspan(1)));
  if (name == "html") return Value::from_string(go_html_escape(evaluated_text(args)));
  if (name == "js") return Value::from_string(go_js_escape(evaluated_text(args)));
  if (name == "urlquery") return Value::from_string(go_query_escape(evaluated_text(args)));
  if (name == "call") {
    Value fn = indirect_interface(args[0]);
    if (!fn.valid()) fail("call of nil");
    fail("non-function of type {}", fn.type_name());
  }
  fail("\"{}\" is not a defined function", name);
}

}  // namespace corral::gotmpl
