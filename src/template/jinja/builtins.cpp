// Jinja2 filters, tests, methods, operators and globals.
#include "template/jinja/builtins.h"

#include <fmt/format.h>
#include <fmt/printf.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <functional>
#include <map>

#include "template/common/number_text.h"
#include "template/jinja/json.h"
#include "template/jinja/pystring.h"
#include "util/error.h"
#include "util/utf8.h"

namespace corral::jinja {

namespace {

// ---- argument helpers ---------------------------------------------------
struct Args {
  CallArgs& a;
  const char* fname;

  const Value* get(std::size_t pos, std::string_view kw) const {
    if (pos < a.positional.size()) return &a.positional[pos];
    return kw.empty() ? nullptr : a.keyword(kw);
  }
  Value value(std::size_t pos, std::string_view kw, Value def) const {
    const Value* v = get(pos, kw);
    return v ? *v : def;
  }
  bool flag(std::size_t pos, std::string_view kw, bool def) const {
    const Value* v = get(pos, kw);
    return v ? v->truth() : def;
  }
  std::int64_t integer(std::size_t pos, std::string_view kw, std::int64_t def) const {
    const Value* v = get(pos, kw);
    if (!v || v->is_none()) return def;
    if (v->kind() == Kind::Int || v->kind() == Kind::Bool) return v->as_int();
    if (v->kind() == Kind::Float) return static_cast<std::int64_t>(v->as_number());
    fail("{}: expected an integer argument, got {}", fname, py_type_name(*v));
  }
  std::optional<std::string> opt_string(std::size_t pos, std::string_view kw) const {
    const Value* v = get(pos, kw);
    if (!v || v->is_none() || v->is_undefined()) return std::nullopt;
    return py_str(*v);
  }
};

std::string str(const Value& v) {
  if (v.is_undefined()) return "";
  return py_str(v);
}

template <typename Op>
std::int64_t checked(Op op, std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (op(a, b, &r)) fail("integer overflow");
  return r;
}

Value number_result(double d) { return Value::from_float(d); }

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Value unsafe_method(const char* type, const std::string& name) {
  std::string msg = fmt::format("access to attribute '{}' of '{}' object is unsafe.", name, type);
  return Value::callable(name, [msg](CallArgs&) -> Value { fail("{}", msg); });
}

// ---- methods of str / list / dict ---------------------------------------
Value string_method(const Value& self, const std::string& name) {
  const std::string s = self.as_string();
  auto method = [&](auto fn) {
    return Value::callable(name, [s, fn](CallArgs& a) -> Value { return fn(s, Args{a, "str method"}); });
  };
  using A = const Args&;
  if (name == "upper") return method([](const std::string& x, A) { return Value::from_string(py::upper(x)); });
  if (name == "lower") return method([](const std::string& x, A) { return Value::from_string(py::lower(x)); });
  if (name == "title") return method([](const std::string& x, A) { return Value::from_string(py::title(x)); });
  if (name == "capitalize") return method([](const std::string& x, A) { return Value::from_string(py::capitalize(x)); });
  if (name == "swapcase") return method([](const std::string& x, A) { return Value::from_string(py::swapcase(x)); });
  if (name == "strip" || name == "lstrip" || name == "rstrip") {
    bool l = name != "rstrip", r = name != "lstrip";
    return method([l, r](const std::string& x, A a) { return Value::from_string(py::strip(x, a.opt_string(0, "chars"), l, r)); });
  }
  if (name == "split" || name == "rsplit") {
    bool rev = name == "rsplit";
    return method([rev](const std::string& x, A a) {
      auto sep = a.opt_string(0, "sep");
      std::int64_t max = a.integer(1, "maxsplit", -1);
      auto parts = rev ? py::rsplit(x, sep, max) : py::split(x, sep, max);
      std::vector<Value> items;
      for (auto& p : parts) items.push_back(Value::from_string(std::move(p)));
      return Value::list(std::move(items));
    });
  }
  if (name == "splitlines")
    return method([](const std::string& x, A a) {
      std::vector<Value> items;
      for (auto& p : py::splitlines(x, a.flag(0, "keepends", false))) items.push_back(Value::from_string(std::move(p)));
      return Value::list(std::move(items));
    });
  if (name == "startswith" || name == "endswith") {
    bool start = name == "startswith";
    return method([start](const std::string& x, A a) {
      const Value* p = a.get(0, "");
      if (!p) fail("{}() takes at least 1 argument", start ? "startswith" : "endswith");
      auto test = [&](const Value& v) {
        if (!v.is_string()) fail("{} first arg must be str or a tuple of str", start ? "startswith" : "endswith");
        return start ? x.starts_with(v.as_string()) : x.ends_with(v.as_string());
      };
      if (p->is_sequence()) {
        for (const auto& v : p->items())
          if (test(v)) return Value::from_bool(true);
        return Value::from_bool(false);
      }
      return Value::from_bool(test(*p));
    });
  }
  if (name == "replace")
    return method([](const std::string& x, A a) {
      return Value::from_string(py::replace(x, str(a.value(0, "old", Value::from_string(""))),
                                            str(a.value(1, "new", Value::from_string(""))), a.integer(2, "count", -1)));
    });
  if (name == "find" || name == "rfind" || name == "index" || name == "rindex") {
    bool rev = name[0] == 'r', raise = name.find("index") != std::string::npos;
    return method([rev, raise](const std::string& x, A a) {
      std::int64_t at = py::find(x, str(a.value(0, "sub", Value::from_string(""))), rev);
      if (at < 0 && raise) fail("substring not found");
      return Value::from_int(at);
    });
  }
  if (name == "count")
    return method([](const std::string& x, A a) { return Value::from_int(py::count(x, str(a.value(0, "x", Value::from_string(""))))); });
  if (name == "join")
    return method([](const std::string& x, A a) {
      std::string out;
      bool first = true;
      for (const auto& v : iterate(a.value(0, "iterable", Value::list({})))) {
        if (!v.is_string()) fail("sequence item: expected str instance, {} found", py_type_name(v));
        if (!first) out += x;
        first = false;
        out += v.as_string();
      }
      return Value::from_string(out);
    });
  if (name == "isalpha" || name == "isdigit" || name == "isspace" || name == "isalnum" || name == "isupper" ||
      name == "islower" || name == "isnumeric" || name == "isdecimal") {
    std::string n = name;
    return method([n](const std::string& x, A) {
      std::u32string u = py::decode(x);
      if (u.empty()) return Value::from_bool(false);
      if (n == "isupper" || n == "islower") {
        bool cased = false;
        for (char32_t c : u) {
          if (n == "isupper" ? py::is_lower(c) : py::is_upper(c)) return Value::from_bool(false);
          cased = cased || py::is_upper(c) || py::is_lower(c);
        }
        return Value::from_bool(cased);
      }
      for (char32_t c : u) {
        bool ok = n == "isalpha" ? py::is_alpha(c) : n == "isspace" ? py::is_space(c) : n == "isalnum" ? py::is_alnum(c) : py::is_digit(c);
        if (!ok) return Value::from_bool(false);
      }
      return Value::from_bool(true);
    });
  }
  if (name == "center" || name == "ljust" || name == "rjust") {
    std::string n = name;
    return method([n](const std::string& x, A a) {
      std::int64_t width = a.integer(0, "width", 0);
      std::string fill = str(a.value(1, "fillchar", Value::from_string(" ")));
      std::int64_t len = static_cast<std::int64_t>(py::decode(x).size());
      if (width <= len) return Value::from_string(x);
      std::int64_t pad = std::min<std::int64_t>(width - len, 1 << 20);
      std::int64_t left = n == "ljust" ? 0 : n == "rjust" ? pad : pad / 2 + (pad & width & 1);
      std::string out;
      for (std::int64_t i = 0; i < left; ++i) out += fill;
      out += x;
      for (std::int64_t i = 0; i < pad - left; ++i) out += fill;
      return Value::from_string(out);
    });
  }
  if (name == "zfill")
    return method([](const std::string& x, A a) {
      std::int64_t width = std::min<std::int64_t>(a.integer(0, "width", 0), 1 << 20);
      std::int64_t len = static_cast<std::int64_t>(py::decode(x).size());
      if (width <= len) return Value::from_string(x);
      std::string sign = !x.empty() && (x[0] == '-' || x[0] == '+') ? x.substr(0, 1) : "";
      return Value::from_string(sign + std::string(static_cast<std::size_t>(width - len), '0') + x.substr(sign.size()));
    });
  if (name == "format")
    return Value::callable(name, [s](CallArgs& a) -> Value {
      std::string out;
      std::size_t auto_index = 0;
      for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '{' && i + 1 < s.size() && s[i + 1] == '{') {
          out += '{';
          ++i;
        } else if (c == '}' && i + 1 < s.size() && s[i + 1] == '}') {
          out += '}';
          ++i;
        } else if (c == '{') {
          std::size_t close = s.find('}', i);
          if (close == std::string::npos) fail("Single '{{' encountered in format string");
          std::string field = s.substr(i + 1, close - i - 1);
          field = field.substr(0, field.find(':'));
          const Value* v = nullptr;
          if (field.empty()) {
            if (auto_index < a.positional.size()) v = &a.positional[auto_index++];
          } else if (std::all_of(field.begin(), field.end(), [](char d) { return d >= '0' && d <= '9'; })) {
            std::size_t k = std::stoul(field);
            if (k < a.positional.size()) v = &a.positional[k];
          } else {
            v = a.keyword(field);
          }
          if (!v) fail("format: missing argument for '{{{}}}'", field);
          out += str(*v);
          i = close;
        } else {
          out += c;
        }
      }
      return Value::from_string(out);
    });
  return Value::undefined(fmt::format("'str object' has no attribute '{}'", name));
}

Value dict_method(const Value& self, const std::string& name) {
  if (name == "items")
    return Value::callable(name, [self](CallArgs&) {
      std::vector<Value> out;
      for (const auto& [k, v] : self.pairs()) out.push_back(Value::tuple({k, v}));
      return Value::list(std::move(out));
    });
  if (name == "keys")
    return Value::callable(name, [self](CallArgs&) {
      std::vector<Value> out;
      for (const auto& p : self.pairs()) out.push_back(p.first);
      return Value::list(std::move(out));
    });
  if (name == "values")
    return Value::callable(name, [self](CallArgs&) {
      std::vector<Value> out;
      for (const auto& p : self.pairs()) out.push_back(p.second);
      return Value::list(std::move(out));
    });
  if (name == "get")
    return Value::callable(name, [self](CallArgs& a) {
      Args args{a, "get"};
      const Value* key = args.get(0, "key");
      if (!key) fail("get expected at least 1 argument, got 0");
      const Value* v = self.find(*key);
      return v ? *v : args.value(1, "default", Value::none());
    });
  if (name == "copy") return Value::callable(name, [self](CallArgs&) { return self; });
  if (name == "update" || name == "pop" || name == "popitem" || name == "setdefault" || name == "clear")
    return unsafe_method("dict", name);
  return Value();
}

Value list_method(const Value& self, const std::string& name) {
  if (name == "index")
    return Value::callable(name, [self](CallArgs& a) {
      Args args{a, "index"};
      Value x = args.value(0, "", Value());
      auto items = self.items();
      for (std::size_t i = 0; i < items.size(); ++i)
        if (py_equal(items[i], x)) return Value::from_int(static_cast<std::int64_t>(i));
      fail("{} is not in list", py_repr(x));
    });
  if (name == "count")
    return Value::callable(name, [self](CallArgs& a) {
      Value x = Args{a, "count"}.value(0, "", Value());
      std::int64_t n = 0;
      for (const auto& v : self.items()) n += py_equal(v, x);
      return Value::from_int(n);
    });
  if (name == "append" || name == "extend" || name == "insert" || name == "pop" || name == "remove" ||
      name == "reverse" || name == "sort" || name == "clear")
    return unsafe_method(self.kind() == Kind::Tuple ? "tuple" : "list", name);
  return Value();
}

std::string type_object_name(const Value& v) {
  switch (v.kind()) {
    case Kind::Dict: return "dict object";
    case Kind::List: return "list object";
    case Kind::Tuple: return "tuple object";
    case Kind::String: return "str object";
    case Kind::None: return "None";
    default: return py_type_name(v) + " object";
  }
}

}  // namespace

[[noreturn]] void raise_undefined(const Value& u) {
  const std::string& hint = u.undefined_hint();
  fail("{}", hint.empty() ? std::string("value is undefined") : hint);
}

Value get_attribute(const Value& obj, const std::string& name) {
  switch (obj.kind()) {
    case Kind::Undefined: raise_undefined(obj);
    case Kind::Dict: {
      Value m = dict_method(obj, name);
      if (!m.is_undefined()) return m;
      if (const Value* v = obj.find(name)) return *v;
      break;
    }
    case Kind::String: {
      Value m = string_method(obj, name);
      if (!m.is_undefined()) return m;
      break;
    }
    case Kind::List:
    case Kind::Tuple: {
      Value m = list_method(obj, name);
      if (!m.is_undefined()) return m;
      break;
    }
    case Kind::Namespace:
      if (const Value* v = obj.ns_get(name)) return *v;
      break;
    default: break;
  }
  return Value::undefined(fmt::format("'{}' has no attribute '{}'", type_object_name(obj), name));
}

Value get_item(const Value& obj, const Value& key) {
  switch (obj.kind()) {
    case Kind::Undefined: raise_undefined(obj);
    case Kind::Dict:
      if (const Value* v = obj.find(key)) return *v;
      break;
    case Kind::List:
    case Kind::Tuple:
    case Kind::String:
      if (key.kind() == Kind::Int || key.kind() == Kind::Bool) {
        std::int64_t i = key.as_int();
        if (obj.kind() == Kind::String) {
          std::u32string u = py::decode(obj.as_string());
          std::int64_t n = static_cast<std::int64_t>(u.size());
          if (i < 0) i += n;
          if (i >= 0 && i < n) return Value::from_string(py::encode(std::u32string(1, u[static_cast<std::size_t>(i)])));
        } else {
          auto items = obj.items();
          std::int64_t n = static_cast<std::int64_t>(items.size());
          if (i < 0) i += n;
          if (i >= 0 && i < n) return items[static_cast<std::size_t>(i)];
        }
        return Value::undefined(fmt::format("{} has no element {}", type_object_name(obj), i));
      }
      break;
    default: break;
  }
  if (key.is_string()) return get_attribute(obj, key.as_string());
  return Value::undefined(fmt::format("{} has no element {}", type_object_name(obj), py_repr(key)));
}

Value get_path(const Value& obj, const Value& path) {
  if (!path.is_string()) return get_item(obj, path);
  Value cur = obj;
  for (const auto& part : py::split(path.as_string(), std::string("."), -1)) {
    bool numeric = !part.empty() && std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; });
    cur = numeric ? get_item(cur, Value::from_int(std::stoll(part))) : get_item(cur, Value::from_string(part));
    if (cur.is_undefined()) return cur;
  }
  return cur;
}

std::vector<Value> iterate(const Value& v) {
  switch (v.kind()) {
    case Kind::Undefined: return {};
    case Kind::List:
    case Kind::Tuple: return {v.items().begin(), v.items().end()};
    case Kind::Dict: {
      std::vector<Value> keys;
      for (const auto& p : v.pairs()) keys.push_back(p.first);
      return keys;
    }
    case Kind::String: {
      std::vector<Value> chars;
      for (char32_t c : py::decode(v.as_string())) chars.push_back(Value::from_string(py::encode(std::u32string(1, c))));
      return chars;
    }
    default: fail("'{}' object is not iterable", py_type_name(v));
  }
}

bool py_less(const Value& a, const Value& b) {
  if (a.is_number() && b.is_number()) return a.as_number() < b.as_number();
  if (a.is_string() && b.is_string()) return a.as_string() < b.as_string();
  if (a.is_sequence() && b.is_sequence() && a.kind() == b.kind()) {
    auto x = a.items(), y = b.items();
    for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (py_equal(x[i], y[i])) continue;
      return py_less(x[i], y[i]);
    }
    return x.size() < y.size();
  }
  if (a.is_undefined()) raise_undefined(a);
  if (b.is_undefined()) raise_undefined(b);
  fail("'<' not supported between instances of '{}' and '{}'", py_type_name(a), py_type_name(b));
}

bool compare_op(const std::string& op, const Value& a, const Value& b) {
  if (op == "eq") return py_equal(a, b);
  if (op == "ne") return !py_equal(a, b);
  if (op == "in") return contains(b, a);
  if (op == "notin") return !contains(b, a);
  if (op == "lt") return py_less(a, b);
  if (op == "gt") return py_less(b, a);
  if (op == "lteq") return !py_less(b, a);
  if (op == "gteq") return !py_less(a, b);
  fail("unknown comparison {}", op);
}

bool contains(const Value& container, const Value& item) {
  switch (container.kind()) {
    case Kind::Undefined: return false;
    case Kind::String:
      if (!item.is_string()) fail("'in <string>' requires string as left operand, not {}", py_type_name(item));
      return container.as_string().find(item.as_string()) != std::string::npos;
    case Kind::List:
    case Kind::Tuple:
      for (const auto& v : container.items())
        if (py_equal(v, item)) return true;
      return false;
    case Kind::Dict: return container.find(item) != nullptr;
    case Kind::Namespace: return item.is_string() && container.ns_get(item.as_string()) != nullptr;
    default: fail("argument of type '{}' is not iterable", py_type_name(container));
  }
}

std::string percent_format(const std::string& fmt_text, const Value& args) {
  std::vector<Value> positional;
  const Value* mapping = nullptr;
  if (args.kind() == Kind::Tuple)
    positional.assign(args.items().begin(), args.items().end());
  else if (args.is_mapping())
    mapping = &args;
  else
    positional.push_back(args);
  std::size_t next = 0;
  std::string out;
  for (std::size_t i = 0; i < fmt_text.size(); ++i) {
    char c = fmt_text[i];
    if (c != '%') {
      out += c;
      continue;
    }
    if (++i >= fmt_text.size()) fail("incomplete format");
    if (fmt_text[i] == '%') {
      out += '%';
      continue;
    }
    const Value* arg = nullptr;
    if (fmt_text[i] == '(') {
      std::size_t close = fmt_text.find(')', i);
      if (close == std::string::npos || !mapping) fail("format requires a mapping");
      arg = mapping->find(fmt_text.substr(i + 1, close - i - 1));
      if (!arg) fail("format key {} not found", fmt_text.substr(i + 1, close - i - 1));
      i = close + 1;
    }
    std::string spec = "%";
    while (i < fmt_text.size() && std::string("-+ #0123456789.").find(fmt_text[i]) != std::string::npos) spec += fmt_text[i++];
    if (i >= fmt_text.size()) fail("incomplete format");
    char conv = fmt_text[i];
    if (!arg) {
      if (next >= positional.size()) fail("not enough arguments for format string");
      arg = &positional[next++];
    }
    std::string body;
    switch (conv) {
      case 's': body = str(*arg); break;
      case 'r': body = py_repr(*arg); break;
      case 'd':
      case 'i':
      case 'x':
      case 'X':
      case 'o': {
        if (!arg->is_number()) fail("%{} format: a number is required, not {}", conv, py_type_name(*arg));
        std::string f = spec + "ll" + (conv == 'i' ? 'd' : conv);
        body = fmt::sprintf(f, static_cast<long long>(arg->kind() == Kind::Float ? std::trunc(arg->as_number()) : arg->as_int()));
        spec = "%";
        break;
      }
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G': {
        if (!arg->is_number()) fail("must be real number, not {}", py_type_name(*arg));
        body = fmt::sprintf(spec + conv, arg->as_number());
        spec = "%";
        break;
      }
      default: fail("unsupported format character '{}'", conv);
    }
    if (spec != "%" && (conv == 's' || conv == 'r')) body = fmt::sprintf(spec + "s", body);
    out += body;
  }
  if (!mapping && next < positional.size()) fail("not all arguments converted during string formatting");
  return out;
}

Value binary_op(const std::string& op, const Value& a, const Value& b, Env& env) {
  if (a.is_undefined()) raise_undefined(a);
  if (b.is_undefined()) raise_undefined(b);
  auto type_error = [&]() -> Value {
    fail("unsupported operand type(s) for {}: '{}' and '{}'", op, py_type_name(a), py_type_name(b));
  };
  bool ints = (a.kind() == Kind::Int || a.kind() == Kind::Bool) && (b.kind() == Kind::Int || b.kind() == Kind::Bool);
  bool nums = a.is_number() && b.is_number();
  if (op == "+") {
    if (ints) {
      return Value::from_int(checked([](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_add_overflow(x, y, r); }, a.as_int(), b.as_int()));
    }
    if (nums) return number_result(a.as_number() + b.as_number());
    if (a.is_string() && b.is_string()) {
      if (a.as_string().size() + b.as_string().size() > env.max_output_bytes()) fail("string too long");
      return Value::from_string(a.as_string() + b.as_string());
    }
    if (a.is_sequence() && a.kind() == b.kind()) {
      std::vector<Value> items(a.items().begin(), a.items().end());
      items.insert(items.end(), b.items().begin(), b.items().end());
      env.charge(items.size());
      return a.kind() == Kind::Tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
    }
    return type_error();
  }
  if (op == "-") {
    if (ints) {
      return Value::from_int(checked([](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_sub_overflow(x, y, r); }, a.as_int(), b.as_int()));
    }
    if (nums) return number_result(a.as_number() - b.as_number());
    return type_error();
  }
  if (op == "*") {
    if (ints) {
      return Value::from_int(checked([](std::int64_t x, std::int64_t y, std::int64_t* r) { return __builtin_mul_overflow(x, y, r); }, a.as_int(), b.as_int()));
    }
    if (nums) return number_result(a.as_number() * b.as_number());
    const Value* seq = a.is_string() || a.is_sequence() ? &a : &b;
    const Value* count = seq == &a ? &b : &a;
    if ((seq->is_string() || seq->is_sequence()) && (count->kind() == Kind::Int || count->kind() == Kind::Bool)) {
      std::int64_t n = std::max<std::int64_t>(0, count->as_int());
      if (seq->is_string()) {
        std::size_t len = seq->as_string().size();
        if (len && static_cast<std::uint64_t>(n) > env.max_output_bytes() / len) fail("string too long");
        std::string out;
        out.reserve(len * static_cast<std::size_t>(n));
        for (std::int64_t i = 0; i < n; ++i) out += seq->as_string();
        return Value::from_string(out);
      }
      std::size_t len = seq->items().size();
      if (len && static_cast<std::uint64_t>(n) > env.max_output_bytes() / len) fail("sequence too long");
      env.charge(len * static_cast<std::size_t>(n));
      std::vector<Value> items;
      for (std::int64_t i = 0; i < n; ++i) items.insert(items.end(), seq->items().begin(), seq->items().end());
      return seq->kind() == Kind::Tuple ? Value::tuple(std::move(items)) : Value::list(std::move(items));
    }
    return type_error();
  }
  if (op == "/") {
    if (!nums) return type_error();
    if (b.as_number() == 0) fail("division by zero");
    return number_result(a.as_number() / b.as_number());
  }
  if (op == "//") {
    if (!nums) return type_error();
    if (b.as_number() == 0) fail("integer division or modulo by zero");
    if (ints) {
      std::int64_t x = a.as_int(), y = b.as_int();
      if (x == INT64_MIN && y == -1) fail("integer overflow");
      std::int64_t q = x / y;
      if ((x % y != 0) && ((x < 0) != (y < 0))) --q;
      return Value::from_int(q);
    }
    return number_result(std::floor(a.as_number() / b.as_number()));
  }
  if (op == "%") {
    if (a.is_string()) return Value::from_string(percent_format(a.as_string(), b));
    if (!nums) return type_error();
    if (b.as_number() == 0) fail("integer division or modulo by zero");
    if (ints) {
      std::int64_t x = a.as_int(), y = b.as_int();
      if (y == -1) return Value::from_int(0);
      std::int64_t r = x % y;
      if (r != 0 && ((r < 0) != (y < 0))) r += y;
      return Value::from_int(r);
    }
    double x = a.as_number(), y = b.as_number();
    double r = std::fmod(x, y);
    if (r != 0 && ((r < 0) != (y < 0))) r += y;
    return number_result(r);
  }
  if (op == "**") {
    if (!nums) return type_error();
    if (ints && b.as_int() >= 0) {
      std::int64_t base = a.as_int(), e = b.as_int(), r = 1;
      while (e > 0) {
        if (e & 1) {
          if (__builtin_mul_overflow(r, base, &r)) fail("integer overflow");
        }
        e >>= 1;
        if (e > 0 && __builtin_mul_overflow(base, base, &base)) fail("integer overflow");
      }
      return Value::from_int(r);
    }
    return number_result(std::pow(a.as_number(), b.as_number()));
  }
  fail("unknown operator {}", op);
}

// ---- tests ---------------------------------------------------------------
namespace {

using TestFn = std::function<bool(const Value&, Args&)>;

const std::map<std::string, TestFn, std::less<>>& tests() {
  static const std::map<std::string, TestFn, std::less<>> t = [] {
    std::map<std::string, TestFn, std::less<>> m;
    auto arg0 = [](Args& a) {
      const Value* v = a.get(0, "");
      if (!v) fail("test {} expects an argument", a.fname);
      return *v;
    };
    m["defined"] = [](const Value& v, Args&) { return !v.is_undefined(); };
    m["undefined"] = [](const Value& v, Args&) { return v.is_undefined(); };
    m["none"] = [](const Value& v, Args&) { return v.is_none(); };
    m["boolean"] = [](const Value& v, Args&) { return v.kind() == Kind::Bool; };
    m["true"] = [](const Value& v, Args&) { return v.kind() == Kind::Bool && v.as_bool(); };
    m["false"] = [](const Value& v, Args&) { return v.kind() == Kind::Bool && !v.as_bool(); };
    m["string"] = [](const Value& v, Args&) { return v.is_string(); };
    m["number"] = [](const Value& v, Args&) { return v.is_number(); };
    m["integer"] = [](const Value& v, Args&) { return v.kind() == Kind::Int; };
    m["float"] = [](const Value& v, Args&) { return v.kind() == Kind::Float; };
    m["mapping"] = [](const Value& v, Args&) { return v.is_mapping(); };
    m["sequence"] = [](const Value& v, Args&) { return v.is_string() || v.is_sequence() || v.is_mapping() || v.is_undefined(); };
    m["iterable"] = [](const Value& v, Args&) { return v.is_string() || v.is_sequence() || v.is_mapping() || v.is_undefined(); };
    m["callable"] = [](const Value& v, Args&) { return v.kind() == Kind::Callable; };
    m["escaped"] = [](const Value&, Args&) { return false; };
    m["lower"] = [](const Value& v, Args&) { return v.is_string() && py::lower(v.as_string()) == v.as_string(); };
    m["upper"] = [](const Value& v, Args&) { return v.is_string() && py::upper(v.as_string()) == v.as_string(); };
    m["odd"] = [](const Value& v, Args&) {
      if (!v.is_number()) fail("odd: expected a number");
      return v.as_int() % 2 != 0;
    };
    m["even"] = [](const Value& v, Args&) {
      if (!v.is_number()) fail("even: expected a number");
      return v.as_int() % 2 == 0;
    };
    m["divisibleby"] = [arg0](const Value& v, Args& a) {
      Value d = arg0(a);
      if (!v.is_number() || !d.is_number()) fail("divisibleby: expected numbers");
      if (d.as_int() == 0) fail("integer division or modulo by zero");
      return v.as_int() % d.as_int() == 0;
    };
    for (const char* n : {"eq", "equalto", "=="}) m[n] = [arg0](const Value& v, Args& a) { return py_equal(v, arg0(a)); };
    for (const char* n : {"ne", "!="}) m[n] = [arg0](const Value& v, Args& a) { return !py_equal(v, arg0(a)); };
    for (const char* n : {"lt", "lessthan", "<"}) m[n] = [arg0](const Value& v, Args& a) { return py_less(v, arg0(a)); };
    for (const char* n : {"le", "<="}) m[n] = [arg0](const Value& v, Args& a) { return !py_less(arg0(a), v); };
    for (const char* n : {"gt", "greaterthan", ">"}) m[n] = [arg0](const Value& v, Args& a) { return py_less(arg0(a), v); };
    for (const char* n : {"ge", ">="}) m[n] = [arg0](const Value& v, Args& a) { return !py_less(v, arg0(a)); };
    m["in"] = [arg0](const Value& v, Args& a) { return contains(arg0(a), v); };
    m["sameas"] = [arg0](const Value& v, Args& a) {
      Value o = arg0(a);
      if (v.kind() != o.kind()) return false;
      if (v.is_none() || v.is_undefined()) return true;
      if (v.kind() == Kind::Bool || v.kind() == Kind::Int) return v.as_int() == o.as_int();
      return v.same_object(o);
    };
    m["filter"] = [](const Value& v, Args&) { return v.is_string() && has_filter(v.as_string()); };
    m["test"] = [](const Value& v, Args&) { return v.is_string() && has_test(v.as_string()); };
    return m;
  }();
  return t;
}

// ---- filters ------------------------------------------------------------
using FilterFn = std::function<Value(const Value&, Args&, Env&)>;

std::vector<Value> sorted_items(std::vector<Value> items, bool reverse, bool case_sensitive, const Value& attribute) {
  auto key = [&](const Value& v) {
    Value k = attribute.is_undefined() || attribute.is_none() ? v : get_path(v, attribute);
    if (!case_sensitive && k.is_string()) return Value::from_string(py::lower(k.as_string()));
    return k;
  };
  std::stable_sort(items.begin(), items.end(), [&](const Value& a, const Value& b) {
    return reverse ? py_less(key(b), key(a)) : py_less(key(a), key(b));
  });
  return items;
}

Value select_or_reject(const Value& v, Args& a, Env& env, bool select, bool by_attr) {
  std::size_t pos = 0;
  Value attr;
  if (by_attr) {
    const Value* at = a.get(pos++, "");
    if (!at) fail("{}: missing attribute argument", a.fname);
    attr = *at;
  }
  std::optional<std::string> test;
  if (pos < a.a.positional.size()) test = py_str(a.a.positional[pos++]);
  CallArgs rest;
  rest.positional.assign(a.a.positional.begin() + static_cast<std::ptrdiff_t>(std::min(pos, a.a.positional.size())),
                         a.a.positional.end());
  rest.keywords = a.a.keywords;
  std::vector<Value> out;
  for (const auto& item : iterate(v)) {
    env.charge(1);
    Value x = by_attr ? get_path(item, attr) : item;
    bool ok;
    if (test) {
      CallArgs copy = rest;
      ok = env.test(*test, x, copy);
    } else {
      ok = x.truth();
    }
    if (ok == select) out.push_back(item);
  }
  return Value::list(std::move(out));
}

std::string jinja_title(const std::string& s) {
  std::u32string u = py::decode(s);
  auto is_sep = [](char32_t c) { return c == '-' || c == '(' || c == '{' || c == '[' || c == '<' || py::is_space(c); };
  std::string out;
  std::size_t i = 0;
  while (i < u.size()) {
    std::size_t j = i;
    bool sep = is_sep(u[i]);
    while (j < u.size() && is_sep(u[j]) == sep) ++j;
    std::u32string part = u.substr(i, j - i);
    if (!sep) {
      std::string first = py::upper(py::encode(part.substr(0, 1)));
      out += first + py::lower(py::encode(part.substr(1)));
    } else {
      out += py::encode(part);
    }
    i = j;
  }
  return out;
}

const std::map<std::string, FilterFn, std::less<>>& filters() {
  static const std::map<std::string, FilterFn, std::less<>> f = [] {
    std::map<std::string, FilterFn, std::less<>> m;
    m["abs"] = [](const Value& v, Args&, Env&) {
      if (v.kind() == Kind::Int) {
        if (v.as_int() == INT64_MIN) fail("integer overflow");
        return Value::from_int(std::llabs(v.as_int()));
      }
      if (v.is_number()) return Value::from_float(std::fabs(v.as_number()));
      fail("bad operand type for abs(): '{}'", py_type_name(v));
    };
    m["attr"] = [](const Value& v, Args& a, Env&) { return get_attribute(v, str(a.value(0, "name", Value()))); };
    m["batch"] = [](const Value& v, Args& a, Env& env) {
      std::int64_t n = a.integer(0, "linecount", 1);
      if (n <= 0) fail("batch: linecount must be positive");
      Value fill = a.value(1, "fill_with", Value::none());
      std::vector<Value> out, cur;
      for (const auto& item : iterate(v)) {
        env.charge(1);
        cur.push_back(item);
        if (static_cast<std::int64_t>(cur.size()) == n) out.push_back(Value::list(std::exchange(cur, {})));
      }
      if (!cur.empty()) {
        if (!fill.is_none())
          while (static_cast<std::int64_t>(cur.size()) < n) cur.push_back(fill);
        out.push_back(Value::list(std::move(cur)));
      }
      return Value::list(std::move(out));
    };
    m["capitalize"] = [](const Value& v, Args&, Env&) { return Value::from_string(py::capitalize(str(v))); };
    m["center"] = [](const Value& v, Args& a, Env&) {
      CallArgs ca;
      ca.positional.push_back(Value::from_int(a.integer(0, "width", 80)));
      return string_method(Value::from_string(str(v)), "center").callable_object().call(ca);
    };
    m["default"] = [](const Value& v, Args& a, Env&) {
      bool boolean = a.flag(1, "boolean", false);
      if (v.is_undefined() || (boolean && !v.truth())) return a.value(0, "default_value", Value::from_string(""));
      return v;
    };
    m["d"] = m["default"];
    m["dictsort"] = [](const Value& v, Args& a, Env&) {
      if (!v.is_mapping()) fail("dictsort: expected a dict");
      bool cs = a.flag(0, "case_sensitive", false);
      std::string by = str(a.value(1, "by", Value::from_string("key")));
      bool rev = a.flag(2, "reverse", false);
      std::vector<Value> pairs;
      for (const auto& [k, val] : v.pairs()) pairs.push_back(Value::tuple({k, val}));
      return Value::list(sorted_items(std::move(pairs), rev, cs, Value::from_int(by == "value" ? 1 : 0)));
    };
    m["escape"] = [](const Value& v, Args&, Env&) { return Value::from_string(html_escape(str(v))); };
    m["e"] = m["escape"];
    m["forceescape"] = m["escape"];
    m["first"] = [](const Value& v, Args&, Env&) {
      auto items = iterate(v);
      return items.empty() ? Value::undefined("No first item, sequence was empty.") : items.front();
    };
    m["last"] = [](const Value& v, Args&, Env&) {
      auto items = iterate(v);
      return items.empty() ? Value::undefined("No last item, sequence was empty.") : items.back();
    };
    m["float"] = [](const Value& v, Args& a, Env&) {
      if (v.is_number()) return Value::from_float(v.as_number());
      if (v.is_string()) {
        std::string s = py::strip(v.as_string(), std::nullopt, true, true);
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size()) return Value::from_float(d);
      }
      return a.value(0, "default", Value::from_float(0.0));
    };
    m["format"] = [](const Value& v, Args& a, Env&) {
      if (!a.a.keywords.empty()) {
        std::vector<Value::Pair> kw;
        for (const auto& [k, val] : a.a.keywords) kw.emplace_back(Value::from_string(k), val);
        return Value::from_string(percent_format(str(v), Value::dict(std::move(kw))));
      }
      return Value::from_string(percent_format(str(v), Value::tuple(a.a.positional)));
    };
    m["groupby"] = [](const Value& v, Args& a, Env& env) {
      Value attr = a.value(0, "attribute", Value());
      std::vector<Value> items = sorted_items(iterate(v), false, a.flag(2, "case_sensitive", false), attr);
      std::vector<Value> out;
      for (const auto& item : items) {
        env.charge(1);
        Value key = get_path(item, attr);
        if (key.is_undefined()) key = a.value(1, "default", Value::none());
        if (!out.empty() && py_equal(out.back().items()[0], key)) {
          std::vector<Value> group(out.back().items()[1].items().begin(), out.back().items()[1].items().end());
          group.push_back(item);
          out.back() = Value::tuple({key, Value::list(std::move(group))});
        } else {
          out.push_back(Value::tuple({key, Value::list({item})}));
        }
      }
      return Value::list(std::move(out));
    };
    m["indent"] = [](const Value& v, Args& a, Env&) {
      Value w = a.value(0, "width", Value::from_int(4));
      std::string indention = w.is_string() ? w.as_string() : std::string(static_cast<std::size_t>(std::clamp<std::int64_t>(w.as_int(), 0, 1 << 16)), ' ');
      bool first = a.flag(1, "first", false), blank = a.flag(2, "blank", false);
      std::string s = str(v) + "\n";
      auto lines = py::splitlines(s, false);
      std::string rv;
      if (blank) {
        for (std::size_t i = 0; i < lines.size(); ++i) rv += (i ? "\n" + indention : "") + lines[i];
      } else {
        rv = lines.empty() ? "" : lines[0];
        for (std::size_t i = 1; i < lines.size(); ++i) rv += "\n" + (lines[i].empty() ? "" : indention + lines[i]);
      }
      if (first) rv = indention + rv;
      return Value::from_string(rv);
    };
    m["int"] = [](const Value& v, Args& a, Env&) {
      Value def = a.value(0, "default", Value::from_int(0));
      std::int64_t base = a.integer(1, "base", 10);
      if (v.kind() == Kind::Int || v.kind() == Kind::Bool) return Value::from_int(v.as_int());
      if (v.kind() == Kind::Float) {
        double d = v.as_number();
        if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return def;
        return Value::from_int(static_cast<std::int64_t>(d));
      }
      if (v.is_string()) {
        std::string s = py::strip(v.as_string(), std::nullopt, true, true);
        errno = 0;
        char* end = nullptr;
        long long i = std::strtoll(s.c_str(), &end, static_cast<int>(base >= 2 && base <= 36 ? base : 10));
        if (!s.empty() && end == s.c_str() + s.size() && errno == 0) return Value::from_int(i);
        double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size() && std::isfinite(d) && std::fabs(d) < 9.2e18)
          return Value::from_int(static_cast<std::int64_t>(d));
      }
      return def;
    };
    m["items"] = [](const Value& v, Args&, Env&) {
      if (v.is_undefined()) return Value::list({});
      if (!v.is_mapping()) fail("items: expected a dict, got {}", py_type_name(v));
      std::vector<Value> out;
      for (const auto& [k, val] : v.pairs()) out.push_back(Value::tuple({k, val}));
      return Value::list(std::move(out));
    };
    m["join"] = [](const Value& v, Args& a, Env& env) {
      std::string sep = str(a.value(0, "d", Value::from_string("")));
      Value attr = a.value(1, "attribute", Value::none());
      std::string out;
      bool first = true;
      for (const auto& item : iterate(v)) {
        if (!first) out += sep;
        first = false;
        out += str(attr.is_none() ? item : get_path(item, attr));
        if (out.size() > env.max_output_bytes()) fail("string too long");
      }
      return Value::from_string(out);
    };
    m["length"] = [](const Value& v, Args&, Env&) {
      std::int64_t n = v.length();
      if (n < 0) fail("object of type '{}' has no len()", py_type_name(v));
      return Value::from_int(n);
    };
    m["count"] = m["length"];
    m["list"] = [](const Value& v, Args&, Env&) { return Value::list(iterate(v)); };
    m["lower"] = [](const Value& v, Args&, Env&) { return Value::from_string(py::lower(str(v))); };
    m["upper"] = [](const Value& v, Args&, Env&) { return Value::from_string(py::upper(str(v))); };
    m["title"] = [](const Value& v, Args&, Env&) { return Value::from_string(jinja_title(str(v))); };
    m["map"] = [](const Value& v, Args& a, Env& env) {
      std::vector<Value> out;
      const Value* attribute = a.a.keyword("attribute");
      if (attribute) {
        Value def = a.value(99, "default", Value());
        for (const auto& item : iterate(v)) {
          env.charge(1);
          Value x = get_path(item, *attribute);
          out.push_back(x.is_undefined() && !def.is_undefined() ? def : x);
        }
        return Value::list(std::move(out));
      }
      if (a.a.positional.empty()) fail("map requires a filter argument");
      std::string name = str(a.a.positional[0]);
      for (const auto& item : iterate(v)) {
        env.charge(1);
        CallArgs rest;
        rest.positional.assign(a.a.positional.begin() + 1, a.a.positional.end());
        rest.keywords = a.a.keywords;
        out.push_back(env.filter(name, item, rest));
      }
      return Value::list(std::move(out));
    };
    auto minmax = [](bool want_max) {
      return [want_max](const Value& v, Args& a, Env&) {
        auto items = sorted_items(iterate(v), false, a.flag(0, "case_sensitive", false), a.value(1, "attribute", Value::none()));
        if (items.empty()) return Value::undefined(want_max ? "No aggregated item, sequence was empty." : "No aggregated item, sequence was empty.");
        return want_max ? items.back() : items.front();
      };
    };
    m["max"] = minmax(true);
    m["min"] = minmax(false);
    m["pprint"] = [](const Value& v, Args&, Env&) { return Value::from_string(py_repr(v)); };
    m["reject"] = [](const Value& v, Args& a, Env& env) { return select_or_reject(v, a, env, false, false); };
    m["select"] = [](const Value& v, Args& a, Env& env) { return select_or_reject(v, a, env, true, false); };
    m["rejectattr"] = [](const Value& v, Args& a, Env& env) { return select_or_reject(v, a, env, false, true); };
    m["selectattr"] = [](const Value& v, Args& a, Env& env) { return select_or_reject(v, a, env, true, true); };
    m["replace"] = [](const Value& v, Args& a, Env& env) {
      std::string out = py::replace(str(v), str(a.value(0, "old", Value::from_string(""))),
                                    str(a.value(1, "new", Value::from_string(""))), a.integer(2, "count", -1));
      if (out.size() > env.max_output_bytes()) fail("string too long");
      return Value::from_string(out);
    };
    m["reverse"] = [](const Value& v, Args&, Env&) {
      if (v.is_string()) {
        std::u32string u = py::decode(v.as_string());
        std::reverse(u.begin(), u.end());
        return Value::from_string(py::encode(u));
      }
      auto items = iterate(v);
      std::reverse(items.begin(), items.end());
      return Value::list(std::move(items));
    };
    m["round"] = [](const Value& v, Args& a, Env&) {
      if (!v.is_number()) fail("round: expected a number");
      std::int64_t precision = a.integer(0, "precision", 0);
      std::string method = str(a.value(1, "method", Value::from_string("common")));
      double scale = std::pow(10.0, static_cast<double>(precision));
      double x = v.as_number() * scale;
      // "common" is Python's round(): halves go to the even neighbour.
      double r = method == "ceil" ? std::ceil(x) : method == "floor" ? std::floor(x) : std::nearbyint(x);
      return Value::from_float(r / scale);
    };
    m["safe"] = [](const Value& v, Args&, Env&) { return v.is_string() ? v : Value::from_string(str(v)); };
    m["slice"] = [](const Value& v, Args& a, Env&) {
      std::int64_t slices = a.integer(0, "slices", 1);
      if (slices <= 0) fail("slice: slices must be positive");
      Value fill = a.value(1, "fill_with", Value::none());
      auto items = iterate(v);
      std::int64_t n = static_cast<std::int64_t>(items.size());
      std::int64_t per = n / slices, extra = n % slices, offset = 0;
      std::vector<Value> out;
      for (std::int64_t i = 0; i < slices; ++i) {
        std::int64_t start = offset + i * per;
        if (i < extra) ++offset;
        std::int64_t end = offset + (i + 1) * per;
        std::vector<Value> part(items.begin() + start, items.begin() + end);
        if (!fill.is_none() && i >= extra && extra > 0) part.push_back(fill);
        out.push_back(Value::list(std::move(part)));
      }
      return Value::list(std::move(out));
    };
    m["sort"] = [](const Value& v, Args& a, Env&) {
      return Value::list(sorted_items(iterate(v), a.flag(0, "reverse", false), a.flag(1, "case_sensitive", false),
                                      a.value(2, "attribute", Value::none())));
    };
    m["string"] = [](const Value& v, Args&, Env&) { return Value::from_string(str(v)); };
    m["striptags"] = [](const Value& v, Args&, Env&) {
      std::string s = str(v), out;
      bool in_tag = false;
      for (char c : s) {
        if (c == '<') in_tag = true;
        else if (c == '>' && in_tag) in_tag = false;
        else if (!in_tag) out += c;
      }
      std::string joined;
      for (const auto& w : py::split(out, std::nullopt, -1)) joined += (joined.empty() ? "" : " ") + w;
      return Value::from_string(joined);
    };
    m["sum"] = [](const Value& v, Args& a, Env& env) {
      Value attr = a.value(0, "attribute", Value::none());
      Value total = a.value(1, "start", Value::from_int(0));
      for (const auto& item : iterate(v)) total = binary_op("+", total, attr.is_none() ? item : get_path(item, attr), env);
      return total;
    };
    m["tojson"] = [](const Value& v, Args& a, Env&) {
      const Value* indent = a.get(0, "indent");
      std::optional<int> ind;
      if (indent && !indent->is_none()) ind = static_cast<int>(std::clamp<std::int64_t>(indent->as_int(), 0, 64));
      return Value::from_string(to_json(v, ind, a.flag(99, "sort_keys", false)));
    };
    m["trim"] = [](const Value& v, Args& a, Env&) {
      return Value::from_string(py::strip(str(v), a.opt_string(0, "chars"), true, true));
    };
    m["truncate"] = [](const Value& v, Args& a, Env&) {
      std::u32string s = py::decode(str(v));
      std::int64_t length = a.integer(0, "length", 255);
      bool killwords = a.flag(1, "killwords", false);
      std::string end = str(a.value(2, "end", Value::from_string("...")));
      std::int64_t leeway = a.integer(3, "leeway", 5);
      std::int64_t end_len = static_cast<std::int64_t>(py::decode(end).size());
      if (static_cast<std::int64_t>(s.size()) <= length + leeway) return Value::from_string(py::encode(s));
      std::int64_t keep = std::max<std::int64_t>(0, length - end_len);
      std::u32string cut = s.substr(0, static_cast<std::size_t>(keep));
      if (!killwords) {
        std::size_t sp = cut.rfind(U' ');
        if (sp != std::u32string::npos) cut = cut.substr(0, sp);
      }
      return Value::from_string(py::encode(cut) + end);
    };
    m["unique"] = [](const Value& v, Args& a, Env& env) {
      bool cs = a.flag(0, "case_sensitive", false);
      Value attr = a.value(1, "attribute", Value::none());
      std::vector<Value> out, seen;
      for (const auto& item : iterate(v)) {
        env.charge(1);
        Value key = attr.is_none() ? item : get_path(item, attr);
        if (!cs && key.is_string()) key = Value::from_string(py::lower(key.as_string()));
        bool dup = false;
        for (const auto& s : seen)
          if (py_equal(s, key)) dup = true;
        if (!dup) {
          seen.push_back(key);
          out.push_back(item);
        }
      }
      return Value::list(std::move(out));
    };
    m["urlencode"] = [](const Value& v, Args&, Env&) {
      static constexpr char hex[] = "0123456789ABCDEF";
      std::string out;
      for (unsigned char c : str(v)) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~' || c == '/') {
          out += static_cast<char>(c);
        } else {
          out += '%';
          out += hex[c >> 4];
          out += hex[c & 15];
        }
      }
      return Value::from_string(out);
    };
    m["wordcount"] = [](const Value& v, Args&, Env&) {
      std::int64_t n = 0;
      bool in_word = false;
      for (char32_t c : py::decode(str(v))) {
        bool w = py::is_alnum(c) || c == '_';
        if (w && !in_word) ++n;
        in_word = w;
      }
      return Value::from_int(n);
    };
    return m;
  }();
  return f;
}

}  // namespace

bool has_filter(std::string_view name) { return filters().count(name) > 0; }
bool has_test(std::string_view name) { return tests().count(name) > 0; }

Value call_filter(const std::string& name, const Value& v, CallArgs& args, Env& env) {
  auto it = filters().find(name);
  if (it == filters().end()) fail("No filter named '{}'.", name);
  // Filters that consume values refuse undefined ones (Jinja's strict paths).
  static const char* lenient[] = {"default", "d", "length", "count", "list", "items", "string", "first", "last",
                                  "join", "tojson", "escape", "e", "trim", "upper", "lower", "safe", "pprint",
                                  "select", "reject", "selectattr", "rejectattr", "map", "sort", "unique", "reverse"};
  if (v.is_undefined() && std::find_if(std::begin(lenient), std::end(lenient), [&](const char* n) { return name == n; }) == std::end(lenient))
    raise_undefined(v);
  Args a{args, name.c_str()};
  return it->second(v, a, env);
}

bool call_test(const std::string& name, const Value& v, CallArgs& args, Env& env) {
  auto it = tests().find(name);
  if (it == tests().end()) fail("No test named '{}'.", name);
  (void)env;
  Args a{args, name.c_str()};
  return it->second(v, a);
}

std::vector<std::pair<std::string, Value>> global_functions(Env& env) {
  std::vector<std::pair<std::string, Value>> g;
  g.emplace_back("range", Value::callable("range", [&env](CallArgs& a) {
    Args args{a, "range"};
    if (a.positional.empty()) fail("range expected at least 1 argument, got 0");
    std::int64_t start = 0, stop, step = 1;
    if (a.positional.size() == 1) {
      stop = args.integer(0, "", 0);
    } else {
      start = args.integer(0, "", 0);
      stop = args.integer(1, "", 0);
      step = args.integer(2, "", 1);
    }
    if (step == 0) fail("range() arg 3 must not be zero");
    std::int64_t count = 0;
    if (step > 0 && stop > start) count = (stop - start + step - 1) / step;
    if (step < 0 && stop < start) count = (start - stop - step - 1) / -step;
    if (count > 100000) fail("Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
    env.charge(static_cast<std::size_t>(count));
    std::vector<Value> out;
    for (std::int64_t i = 0; i < count; ++i) out.push_back(Value::from_int(start + i * step));
    return Value::list(std::move(out));
  }));
  g.emplace_back("dict", Value::callable("dict", [](CallArgs& a) {
    std::vector<Value::Pair> pairs;
    if (!a.positional.empty() && a.positional[0].is_mapping())
      for (const auto& p : a.positional[0].pairs()) pairs.push_back(p);
    for (const auto& [k, v] : a.keywords) pairs.emplace_back(Value::from_string(k), v);
    return Value::dict(std::move(pairs));
  }));
  g.emplace_back("namespace", Value::callable("namespace", [](CallArgs& a) {
    std::vector<Value::Pair> pairs;
    if (!a.positional.empty() && a.positional[0].is_mapping())
      for (const auto& p : a.positional[0].pairs()) pairs.push_back(p);
    for (const auto& [k, v] : a.keywords) pairs.emplace_back(Value::from_string(k), v);
    return Value::namespace_object(std::move(pairs));
  }));
  g.emplace_back("joiner", Value::callable("joiner", [](CallArgs& a) {
    std::string sep = a.positional.empty() ? ", " : str(a.positional[0]);
    auto used = std::make_shared<bool>(false);
    return Value::callable("joiner", [sep, used](CallArgs&) {
      if (!*used) {
        *used = true;
        return Value::from_string("");
      }
      return Value::from_string(sep);
    });
  }));
  g.emplace_back("raise_exception", Value::callable("raise_exception", [](CallArgs& a) -> Value {
    fail("{}", a.positional.empty() ? std::string("raise_exception called") : str(a.positional[0]));
  }));
  g.emplace_back("strftime_now", Value::callable("strftime_now", [](CallArgs& a) {
    std::string f = a.positional.empty() ? "%Y-%m-%d" : str(a.positional[0]);
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char buf[256];
    std::size_t n = f.size() < 128 ? std::strftime(buf, sizeof buf, f.c_str(), &tm) : 0;
    return Value::from_string(std::string(buf, n));
  }));
  return g;
}

}  // namespace corral::jinja
