// Shortest float formatting and quoting with Go's exact rules.
#include "store/go_format.h"

#include <utf8proc.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "util/error.h"
#include "util/utf8.h"

namespace corral::store::go {
namespace {

// Shortest round-trip decimal digits of v (|v|, finite, nonzero) and the
// decimal exponent of the first digit: v = 0.d1d2d3... * 10^point.
struct Digits {
  std::string d;
  int point = 0;
};

Digits shortest_digits(double v, int bits) {
  char buf[64];
  std::to_chars_result r;
  if (bits == 32)
    r = std::to_chars(buf, buf + sizeof buf, static_cast<float>(v), std::chars_format::scientific);
  else
    r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  const auto e = s.find('e');
  Digits out;
  for (char c : s.substr(0, e))
    if (c != '.') out.d.push_back(c);
  out.point = std::atoi(std::string(s.substr(e + 1)).c_str()) + 1;
  // Drop trailing zeros (to_chars gives none for shortest output, but be safe).
  while (out.d.size() > 1 && out.d.back() == '0') out.d.pop_back();
  return out;
}

std::string format_e(const Digits& g, bool neg) {
  std::string s = neg ? "-" : "";
  s.push_back(g.d[0]);
  if (g.d.size() > 1) {
    s.push_back('.');
    s.append(g.d, 1);
  }
  int exp = g.d == "0" ? 0 : g.point - 1;
  s.push_back('e');
  s.push_back(exp < 0 ? '-' : '+');
  exp = std::abs(exp);
  if (exp < 10) s.push_back('0');
  s += std::to_string(exp);
  return s;
}

std::string format_f(const Digits& g, bool neg) {
  std::string s = neg ? "-" : "";
  const int nd = static_cast<int>(g.d.size());
  if (g.d == "0") return s + "0";
  if (g.point <= 0) {
    s += "0.";
    s.append(static_cast<std::size_t>(-g.point), '0');
    s += g.d;
  } else if (g.point >= nd) {
    s += g.d;
    s.append(static_cast<std::size_t>(g.point - nd), '0');
  } else {
    s.append(g.d, 0, static_cast<std::size_t>(g.point));
    s.push_back('.');
    s.append(g.d, static_cast<std::size_t>(g.point));
  }
  return s;
}

}  // namespace

std::string format_float(double v, char fmt, int bits) {
  if (bits == 32) v = static_cast<float>(v);
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  const bool neg = std::signbit(v);
  Digits g = v == 0 ? Digits{"0", 1} : shortest_digits(v, bits);
  switch (fmt) {
    case 'e': return format_e(g, neg);
    case 'f': return format_f(g, neg);
    default: {
      const int exp = g.d == "0" ? 0 : g.point - 1;
      return (exp < -4 || exp >= 6) ? format_e(g, neg) : format_f(g, neg);
    }
  }
}

std::string format_v(double v) { return format_float(v, 'g', 64); }

std::string json_float(double v, int bits) {
  const double check = bits == 32 ? static_cast<double>(static_cast<float>(v)) : v;
  if (std::isnan(check)) fail("json: unsupported value: NaN");
  if (std::isinf(check)) fail("json: unsupported value: {}", check > 0 ? "+Inf" : "-Inf");
  const double a = std::fabs(check);
  const bool use_e = a != 0 && (a < 1e-6 || a >= 1e21);
  std::string s = format_float(v, use_e ? 'e' : 'f', bits);
  if (use_e) {
    const std::size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
  }
  return s;
}

bool is_print(char32_t r) {
  if (r == U' ') return true;
  if (r > 0x10FFFF) return false;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(r))) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO:
    case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
    case UTF8PROC_CATEGORY_SO:
      return true;
    default:
      return false;
  }
}

std::string quote(std::string_view s) {
  static const char* hex = "0123456789abcdef";
  std::string out = "\"";
  std::size_t i = 0;
  while (i < s.size()) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    std::size_t before = i;
    char32_t r = utf8::decode(s, i);
    if (r == 0xFFFD && i - before == 1) {  // an invalid byte
      out += "\\x";
      out.push_back(hex[b >> 4]);
      out.push_back(hex[b & 15]);
      continue;
    }
    if (r == U'"' || r == U'\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (is_print(r)) {
      out.append(s.substr(before, i - before));
    } else {
      switch (r) {
        case U'\a': out += "\\a"; break;
        case U'\b': out += "\\b"; break;
        case U'\f': out += "\\f"; break;
        case U'\n': out += "\\n"; break;
        case U'\r': out += "\\r"; break;
        case U'\t': out += "\\t"; break;
        case U'\v': out += "\\v"; break;
        default:
          if (r < U' ' || r == 0x7f) {
            out += "\\x";
            out.push_back(hex[(r >> 4) & 15]);
            out.push_back(hex[r & 15]);
          } else if (r < 0x10000) {
            out += "\\u";
            for (int sh = 12; sh >= 0; sh -= 4) out.push_back(hex[(r >> sh) & 15]);
          } else {
            out += "\\U";
            for (int sh = 28; sh >= 0; sh -= 4) out.push_back(hex[(r >> sh) & 15]);
          }
      }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace corral::store::go
