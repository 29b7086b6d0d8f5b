// Implementation of Go's fmt printing rules over gotmpl::Value.
#include "template/gotmpl/go_format.h"

#include <utf8proc.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "template/common/number_text.h"
#include "util/utf8.h"

namespace corral::gotmpl {

bool go_is_print(char32_t cp) {
  if (cp == U' ') return true;
  if (cp > 0x10FFFF) return false;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF: case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO: return true;
    default: return false;
  }
}

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";
constexpr char kUpperHex[] = "0123456789ABCDEF";

void append_hex_escape(std::string& out, char kind, std::uint32_t v, int digits) {
  out += '\\';
  out += kind;
  for (int s = (digits - 1) * 4; s >= 0; s -= 4) out += kLowerHex[(v >> s) & 0xF];
}

// Decodes one code point; returns false (and one byte) for invalid UTF-8.
bool decode_rune(std::string_view s, std::size_t& pos, char32_t& cp) {
  int len = utf8::sequence_length(static_cast<unsigned char>(s[pos]));
  if (len == 0 || pos + static_cast<std::size_t>(len) > s.size()) {
    cp = static_cast<unsigned char>(s[pos++]);
    return false;
  }
  std::size_t p = pos;
  cp = utf8::decode(s, p);
  if (cp == 0xFFFD && !(p - pos == 3 && static_cast<unsigned char>(s[pos]) == 0xEF)) {
    cp = static_cast<unsigned char>(s[pos++]);
    return false;
  }
  pos = p;
  return true;
}

std::size_t rune_count(std::string_view s) {
  std::size_t n = 0, pos = 0;
  char32_t cp;
  while (pos < s.size()) {
    decode_rune(s, pos, cp);
    ++n;
  }
  return n;
}

bool can_backquote(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    char32_t cp;
    if (!decode_rune(s, pos, cp)) return false;
    if (cp == U'`' || cp == 0xFEFF) return false;
    if (cp < U' ' && cp != U'\t') return false;
    if (cp == 0x7F) return false;
  }
  return true;
}

}  // namespace

std::string go_quote(std::string_view s, bool ascii_only) {
  std::string out = "\"";
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t start = pos;
    char32_t cp;
    if (!decode_rune(s, pos, cp)) {
      append_hex_escape(out, 'x', cp, 2);
      continue;
    }
    if (cp == U'"' || cp == U'\\') {
      out += '\\';
      out += static_cast<char>(cp);
      continue;
    }
    if (ascii_only ? (cp < 0x80 && go_is_print(cp)) : go_is_print(cp)) {
      out.append(s.substr(start, pos - start));
      continue;
    }
    switch (cp) {
      case U'\a': out += "\\a"; continue;
      case U'\b': out += "\\b"; continue;
      case U'\f': out += "\\f"; continue;
      case U'\n': out += "\\n"; continue;
      case U'\r': out += "\\r"; continue;
      case U'\t': out += "\\t"; continue;
      case U'\v': out += "\\v"; continue;
      default: break;
    }
    if (cp < U' ' || cp == 0x7F)
      append_hex_escape(out, 'x', cp, 2);
    else if (cp < 0x10000)
      append_hex_escape(out, 'u', cp, 4);
    else
      append_hex_escape(out, 'U', cp, 8);
  }
  out += '"';
  return out;
}

namespace {

// One fmt "pp": flags of the current verb plus the output buffer.
class Printer {
 public:
  std::string buf;

  void print_arg(const Value& v, char32_t verb) {
    if (!v.valid()) {
      if (verb == U'T' || verb == U'v')
        pad("<nil>");
      else
        bad_verb(v, verb);
      return;
    }
    if (verb == U'T') {
      pad(v.type_name());
      return;
    }
    print_value(v, verb, 0);
  }

  void sprint(std::span<const Value> args) {
    bool prev_string = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
      bool is_string = args[i].kind() == Kind::String;
      if (i > 0 && !is_string && !prev_string) buf += ' ';
      clear_flags();
      print_arg(args[i], U'v');
      prev_string = is_string;
    }
  }

  void sprintln(std::span<const Value> args) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i > 0) buf += ' ';
      clear_flags();
      print_arg(args[i], U'v');
    }
    buf += '\n';
  }

  void sprintf(std::string_view format, std::span<const Value> a);

 private:
  bool plus_ = false, minus_ = false, sharp_ = false, space_ = false, zero_ = false;
  bool plus_v_ = false, sharp_v_ = false;
  bool wid_present_ = false, prec_present_ = false;
  int wid_ = 0, prec_ = 0;
  bool erroring_ = false;

  void clear_flags() {
    plus_ = minus_ = sharp_ = space_ = zero_ = plus_v_ = sharp_v_ = false;
    wid_present_ = prec_present_ = false;
    wid_ = prec_ = 0;
  }

  void write_padding(std::size_t n, bool zeros) { buf.append(n, zeros ? '0' : ' '); }

  void pad(std::string_view s) {
    if (!wid_present_ || wid_ == 0) {
      buf.append(s);
      return;
    }
    std::size_t width = rune_count(s);
    std::size_t w = static_cast<std::size_t>(wid_);
    if (width >= w) {
      buf.append(s);
      return;
    }
    if (minus_) {
      buf.append(s);
      write_padding(w - width, false);
    } else {
      write_padding(w - width, zero_);
      buf.append(s);
    }
  }

  void bad_verb(const Value& v, char32_t verb) {
    erroring_ = true;
    buf += "%!";
    utf8::append(buf, verb);
    buf += '(';
    if (v.valid()) {
      buf += v.type_name();
      buf += '=';
      bool saved_sharp_v = sharp_v_, saved_plus_v = plus_v_;
      bool saved_wid = wid_present_, saved_prec = prec_present_;
      wid_present_ = prec_present_ = false;
      print_value(v, U'v', 0);
      sharp_v_ = saved_sharp_v;
      plus_v_ = saved_plus_v;
      wid_present_ = saved_wid;
      prec_present_ = saved_prec;
    } else {
      buf += "<nil>";
    }
    buf += ')';
    erroring_ = false;
  }

  bool handle_methods(const Value& v, char32_t verb) {
    if (erroring_ || !v.has_string_method() || sharp_v_) return false;
    if (v.is_nil() && v.kind() != Kind::Bytes && v.kind() != Kind::Slice && v.kind() != Kind::Map)
      return false;
    switch (verb) {
      case U'v': case U's': case U'x': case U'X': case U'q':
        fmt_string(v.type()->string_method(v), verb);
        return true;
      default: return false;
    }
  }

  void print_value(const Value& v, char32_t verb, int depth) {
    if (depth > 0 && v.valid() && handle_methods(v, verb)) return;
    if (depth == 0 && handle_methods(v, verb)) return;
    switch (v.kind()) {
      case Kind::Invalid:
        if (depth == 0) {
          pad("<invalid reflect.Value>");
        } else if (verb == U'v') {
          pad("<nil>");
        } else {
          bad_verb(v, verb);
        }
        return;
      case Kind::Bool: fmt_bool(v, verb); return;
      case Kind::Int:
        fmt_integer(static_cast<std::uint64_t>(v.as_int()), true, verb, v);
        return;
      case Kind::Uint: fmt_integer(v.as_uint(), false, verb, v); return;
      case Kind::Float: fmt_float(v.as_float(), verb, v); return;
      case Kind::String: fmt_string_value(v, verb); return;
      case Kind::Bytes: fmt_bytes(v, verb, depth); return;
      case Kind::Map: {
        if (sharp_v_) {
          buf += v.type_name();
          if (v.is_nil()) {
            buf += "(nil)";
            return;
          }
          buf += '{';
        } else {
          buf += "map[";
        }
        bool first = true;
        for (const auto& e : v.entries()) {
          if (!first) buf += sharp_v_ ? ", " : " ";
          first = false;
          print_value(Value::from_string(e.first), verb, depth + 1);
          buf += ':';
          print_value(e.second, verb, depth + 1);
        }
        buf += sharp_v_ ? '}' : ']';
        return;
      }
      case Kind::Struct: {
        if (v.is_pointer()) {
          if (depth > 0) {
            fmt_pointer(verb, v);
            return;
          }
          buf += '&';
        }
        if (sharp_v_) buf += v.type()->name;
        buf += '{';
        auto fields = v.fields();
        for (std::size_t i = 0; i < fields.size(); ++i) {
          if (i > 0) buf += sharp_v_ ? ", " : " ";
          if (plus_v_ || sharp_v_) {
            buf += v.type()->fields[i].name;
            buf += ':';
          }
          print_value(fields[i], verb, depth + 1);
        }
        buf += '}';
        return;
      }
      case Kind::Slice: {
        if (sharp_v_) {
          buf += v.type_name();
          if (v.is_nil()) {
            buf += "(nil)";
            return;
          }
          buf += '{';
          bool first = true;
          for (const auto& item : v.items()) {
            if (!first) buf += ", ";
            first = false;
            print_value(item, verb, depth + 1);
          }
          buf += '}';
          return;
        }
        buf += '[';
        bool first = true;
        for (const auto& item : v.items()) {
          if (!first) buf += ' ';
          first = false;
          print_value(item, verb, depth + 1);
        }
        buf += ']';
        return;
      }
    }
  }

  void fmt_pointer(char32_t verb, const Value& v) {
    if (verb == U'v' || verb == U'p') {
      pad("0xc000010000");
    } else {
      bad_verb(v, verb);
    }
  }

  void fmt_bool(const Value& v, char32_t verb) {
    if (verb == U't' || verb == U'v')
      pad(v.as_bool() ? "true" : "false");
    else
      bad_verb(v, verb);
  }

  void fmt_integer(std::uint64_t u, bool is_signed, char32_t verb, const Value& v) {
    switch (verb) {
      case U'v':
        if (sharp_v_ && !is_signed)
          fmt_int_base(u, 16, false, U'x', kLowerHex, true);
        else
          fmt_int_base(u, 10, is_signed, verb, kLowerHex, false);
        return;
      case U'd': fmt_int_base(u, 10, is_signed, verb, kLowerHex, false); return;
      case U'b': fmt_int_base(u, 2, is_signed, verb, kLowerHex, false); return;
      case U'o': case U'O': fmt_int_base(u, 8, is_signed, verb, kLowerHex, false); return;
      case U'x': fmt_int_base(u, 16, is_signed, verb, kLowerHex, false); return;
      case U'X': fmt_int_base(u, 16, is_signed, verb, kUpperHex, false); return;
      case U'c': {
        std::string s;
        std::uint64_t cp = u > 0x10FFFF ? 0xFFFD : u;
        utf8::append(s, static_cast<char32_t>(cp));
        pad(s);
        return;
      }
      case U'q': {
        std::uint64_t cp = u > 0x10FFFF ? 0xFFFD : u;
        std::string s;
        utf8::append(s, static_cast<char32_t>(cp));
        std::string q = go_quote(s, plus_);
        q.front() = '\'';
        q.back() = '\'';
        if (cp == U'\'') q = "'\\''";
        if (cp == U'"') q = "'\"'";
        pad(q);
        return;
      }
      case U'U': {
        char tmp[32];
        std::snprintf(tmp, sizeof tmp, "U+%04llX", static_cast<unsigned long long>(u));
        std::string s = tmp;
        if (sharp_ && u <= 0x10FFFF && go_is_print(static_cast<char32_t>(u))) {
          s += " '";
          utf8::append(s, static_cast<char32_t>(u));
          s += "'";
        }
        pad(s);
        return;
      }
      default: bad_verb(v, verb);
    }
  }

  void fmt_int_base(std::uint64_t u, int base, bool is_signed, char32_t verb, const char* digits,
                    bool force_0x) {
    bool negative = is_signed && static_cast<std::int64_t>(u) < 0;
    if (negative) u = ~u + 1;
    std::string num;
    if (!(prec_present_ && prec_ == 0 && u == 0)) {
      do {
        num.insert(num.begin(), digits[u % static_cast<unsigned>(base)]);
        u /= static_cast<unsigned>(base);
      } while (u);
    }
    int prec = -1;
    if (prec_present_) {
      prec = prec_;
    } else if (zero_ && wid_present_ && !minus_) {
      prec = wid_;
      if (negative || plus_ || space_) --prec;
    }
    while (prec > 0 && static_cast<int>(num.size()) < prec) num.insert(num.begin(), '0');
    const char* prefix = "";
    if (sharp_ || force_0x) {
      if (base == 2) prefix = "0b";
      if (base == 8 && (num.empty() || num[0] != '0')) prefix = "0";
      if (base == 16) prefix = digits == kUpperHex ? "0X" : "0x";
    }
    if (verb == U'O') prefix = "0o";
    std::string sign = negative ? "-" : plus_ ? "+" : space_ ? " " : "";
    bool saved_zero = zero_;
    zero_ = false;
    pad(sign + prefix + num);
    zero_ = saved_zero;
  }

  void fmt_float(double f, char32_t verb, const Value& v) {
    std::string num;
    char conv = 0;
    int prec = prec_present_ ? prec_ : -1;
    switch (verb) {
      case U'v': conv = 'g'; break;
      case U'g': case U'G': case U'e': case U'E': case U'f': case U'F': conv = static_cast<char>(verb); break;
      default: bad_verb(v, verb); return;
    }
    if ((conv == 'e' || conv == 'E' || conv == 'f' || conv == 'F') && prec < 0) prec = 6;
    if (std::isnan(f) || std::isinf(f)) {
      num = std::isnan(f) ? "NaN" : (f > 0 ? (plus_ ? "+Inf" : space_ ? " Inf" : "Inf") : "-Inf");
      if (std::isnan(f) && (plus_ || space_)) num = (plus_ ? "+" : " ") + num;
      bool saved_zero = zero_;
      zero_ = false;
      pad(num);
      zero_ = saved_zero;
      return;
    }
    if (prec < 0) {
      num = textnum::go_float(f);
      if (conv == 'G')
        for (auto& c : num)
          if (c == 'e') c = 'E';
    } else {
      char fmtbuf[16];
      std::snprintf(fmtbuf, sizeof fmtbuf, "%%.*%c", conv == 'F' ? 'f' : conv);
      int n = std::snprintf(nullptr, 0, fmtbuf, prec, f);
      num.resize(static_cast<std::size_t>(n) + 1);
      std::snprintf(num.data(), num.size(), fmtbuf, prec, f);
      num.resize(static_cast<std::size_t>(n));
    }
    bool negative = !num.empty() && num[0] == '-';
    std::string body = negative ? num.substr(1) : num;
    std::string sign = negative ? "-" : plus_ ? "+" : space_ ? " " : "";
    if (zero_ && wid_present_ && !minus_) {
      int w = wid_ - static_cast<int>(sign.size());
      while (static_cast<int>(body.size()) < w) body.insert(body.begin(), '0');
    }
    bool saved_zero = zero_;
    zero_ = false;
    pad(sign + body);
    zero_ = saved_zero;
  }

  std::string truncate_runes(std::string_view s) const {
    if (!prec_present_) return std::string(s);
    std::size_t pos = 0;
    int n = 0;
    char32_t cp;
    while (pos < s.size() && n < prec_) {
      decode_rune(s, pos, cp);
      ++n;
    }
    return std::string(s.substr(0, pos));
  }

  std::string hex_of(std::string_view s, const char* digits) const {
    std::string out;
    std::size_t n = s.size();
    if (prec_present_ && static_cast<std::size_t>(prec_) < n) n = static_cast<std::size_t>(prec_);
    for (std::size_t i = 0; i < n; ++i) {
      if (space_ && i > 0) out += ' ';
      if (sharp_ && (space_ || i == 0)) out += digits == kUpperHex ? "0X" : "0x";
      unsigned char c = static_cast<unsigned char>(s[i]);
      out += digits[c >> 4];
      out += digits[c & 0xF];
    }
    return out;
  }

  void fmt_string(const std::string& s, char32_t verb) {
    switch (verb) {
      case U'v':
        if (sharp_v_) {
          pad(go_quote(s));
          return;
        }
        pad(truncate_runes(s));
        return;
      case U's': pad(truncate_runes(s)); return;
      case U'x': pad(hex_of(s, kLowerHex)); return;
      case U'X': pad(hex_of(s, kUpperHex)); return;
      case U'q': {
        std::string t = truncate_runes(s);
        if (sharp_ && can_backquote(t))
          pad("`" + t + "`");
        else
          pad(go_quote(t, plus_));
        return;
      }
      default: {
        Value v = Value::from_string(s);
        bad_verb(v, verb);
      }
    }
  }

  void fmt_string_value(const Value& v, char32_t verb) {
    switch (verb) {
      case U'v': case U's': case U'x': case U'X': case U'q': fmt_string(v.as_string(), verb); return;
      default: bad_verb(v, verb);
    }
  }

  void fmt_bytes(const Value& v, char32_t verb, int depth) {
    const std::string& s = v.as_string();
    switch (verb) {
      case U'v': case U'd': {
        if (sharp_v_) {
          buf += v.type_name();
          if (v.is_nil()) {
            buf += "(nil)";
            return;
          }
          buf += '{';
          for (std::size_t i = 0; i < s.size(); ++i) {
            if (i > 0) buf += ", ";
            char tmp[8];
            std::snprintf(tmp, sizeof tmp, "0x%x", static_cast<unsigned char>(s[i]));
            buf += tmp;
          }
          buf += '}';
          return;
        }
        buf += '[';
        for (std::size_t i = 0; i < s.size(); ++i) {
          if (i > 0) buf += ' ';
          fmt_int_base(static_cast<unsigned char>(s[i]), 10, false, verb, kLowerHex, false);
        }
        buf += ']';
        return;
      }
      case U's': case U'x': case U'X': case U'q': fmt_string(s, verb); return;
      default:
        buf += '[';
        for (std::size_t i = 0; i < s.size(); ++i) {
          if (i > 0) buf += ' ';
          fmt_integer(static_cast<unsigned char>(s[i]), false, verb,
                      Value::from_uint(static_cast<unsigned char>(s[i])));
        }
        buf += ']';
        (void)depth;
    }
  }

  static bool too_large(long long x) { return x > 1000000 || x < -1000000; }

  // Parses a decimal number at format[i..end); returns false if none.
  static bool parse_num(std::string_view format, std::size_t& i, int& num) {
    std::size_t start = i;
    long long n = 0;
    while (i < format.size() && format[i] >= '0' && format[i] <= '9') {
      n = n * 10 + (format[i] - '0');
      if (too_large(n)) {
        i = format.size();
        return false;
      }
      ++i;
    }
    num = static_cast<int>(n);
    return i > start;
  }
};

void Printer::sprintf(std::string_view format, std::span<const Value> a) {
  std::size_t arg = 0;
  bool reordered = false;
  std::size_t end = format.size();
  std::size_t i = 0;
  while (i < end) {
    bool good_arg = true;
    std::size_t lasti = i;
    while (i < end && format[i] != '%') ++i;
    if (i > lasti) buf.append(format.substr(lasti, i - lasti));
    if (i >= end) break;
    ++i;  // skip %
    clear_flags();
    for (; i < end; ++i) {
      char c = format[i];
      if (c == '#') sharp_ = true;
      else if (c == '0') zero_ = !minus_;
      else if (c == '+') plus_ = true;
      else if (c == '-') { minus_ = true; zero_ = false; }
      else if (c == ' ') space_ = true;
      else break;
    }
    // Explicit argument index [n].
    auto arg_number = [&](bool& after_index) {
      after_index = false;
      if (i < end && format[i] == '[') {
        reordered = true;
        std::size_t j = i + 1;
        int n = 0;
        bool ok = false;
        std::size_t k = j;
        if (parse_num(format, k, n) && k < end && format[k] == ']') ok = true;
        if (!ok) {
          std::size_t close = format.find(']', i);
          good_arg = false;
          i = close == std::string_view::npos ? end : close + 1;
          return;
        }
        if (n >= 1 && static_cast<std::size_t>(n) <= a.size()) {
          arg = static_cast<std::size_t>(n - 1);
          after_index = true;
        } else {
          good_arg = false;
        }
        i = k + 1;
      }
    };
    bool after_index = false;
    arg_number(after_index);
    // Width.
    if (i < end && format[i] == '*') {
      ++i;
      if (arg < a.size() && a[arg].kind() == Kind::Int && !too_large(a[arg].as_int())) {
        long long w = a[arg].as_int();
        wid_present_ = true;
        if (w < 0) {
          minus_ = true;
          zero_ = false;
          w = -w;
        }
        wid_ = static_cast<int>(w);
      } else {
        buf += "%!(BADWIDTH)";
      }
      ++arg;
      after_index = false;
    } else {
      std::size_t before = i;
      int w = 0;
      wid_present_ = parse_num(format, i, w);
      wid_ = w;
      if (!wid_present_ && i == end && before != end && format[before] >= '0' && format[before] <= '9') {
        // Width too large: Go gives up on the verb.
      }
      if (after_index && wid_present_) good_arg = false;
    }
    // Precision.
    if (i + 1 <= end && i < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg = false;
      arg_number(after_index);
      if (i < end && format[i] == '*') {
        ++i;
        if (arg < a.size() && a[arg].kind() == Kind::Int && !too_large(a[arg].as_int())) {
          long long p = a[arg].as_int();
          prec_present_ = p >= 0;
          prec_ = p >= 0 ? static_cast<int>(p) : 0;
        } else {
          buf += "%!(BADPREC)";
        }
        ++arg;
        after_index = false;
      } else {
        int p = 0;
        prec_present_ = parse_num(format, i, p);
        prec_ = p;
        if (!prec_present_) {
          prec_ = 0;
          prec_present_ = true;
        }
      }
    }
    if (!after_index) arg_number(after_index);
    if (i >= end) {
      buf += "%!(NOVERB)";
      break;
    }
    std::size_t vpos = i;
    char32_t verb;
    decode_rune(format, vpos, verb);
    i = vpos;
    if (verb == U'%') {
      buf += '%';
      continue;
    }
    if (!good_arg) {
      buf += "%!";
      utf8::append(buf, verb);
      buf += "(BADINDEX)";
      continue;
    }
    if (arg >= a.size()) {
      buf += "%!";
      utf8::append(buf, verb);
      buf += "(MISSING)";
      continue;
    }
    if (verb == U'v') {
      sharp_v_ = sharp_;
      sharp_ = false;
      plus_v_ = plus_;
      plus_ = false;
    }
    print_arg(a[arg], verb);
    ++arg;
  }
  if (!reordered && arg < a.size()) {
    clear_flags();
    buf += "%!(EXTRA ";
    for (std::size_t k = arg; k < a.size(); ++k) {
      if (k > arg) buf += ", ";
      if (!a[k].valid()) {
        buf += "<nil>";
      } else {
        buf += a[k].type_name();
        buf += '=';
        print_arg(a[k], U'v');
      }
    }
    buf += ')';
  }
}

}  // namespace

std::string go_sprint(std::span<const Value> args) {
  Printer p;
  p.sprint(args);
  return std::move(p.buf);
}

std::string go_sprintln(std::span<const Value> args) {
  Printer p;
  p.sprintln(args);
  return std::move(p.buf);
}

std::string go_sprintf(std::string_view format, std::span<const Value> args) {
  Printer p;
  p.sprintf(format, args);
  return std::move(p.buf);
}

std::string go_sprint_one(const Value& v) { return go_sprint(std::span<const Value>(&v, 1)); }

}  // namespace corral::gotmpl
