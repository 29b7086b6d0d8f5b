// Shortest-digit float spelling for Go and Python, built on std::to_chars.
#include "template/common/number_text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace corral::textnum {

Digits shortest_digits(double v) {
  Digits d;
  d.negative = std::signbit(v);
  if (v == 0) {
    d.digits = "0";
    d.point = 1;
    return d;
  }
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  std::string s(buf, res.ptr);
  auto e = s.find('e');
  std::string mant = s.substr(0, e);
  int exp = std::atoi(s.c_str() + e + 1);
  for (char c : mant)
    if (c != '.') d.digits.push_back(c);
  while (d.digits.size() > 1 && d.digits.back() == '0') d.digits.pop_back();
  d.point = exp + 1;
  return d;
}

namespace {

// d.ddd e±XX with at least two exponent digits.
std::string exp_form(const Digits& d) {
  std::string out = d.negative ? "-" : "";
  out += d.digits[0];
  if (d.digits.size() > 1) {
    out += '.';
    out += d.digits.substr(1);
  }
  int exp = d.digits == "0" ? 0 : d.point - 1;
  out += exp < 0 ? "e-" : "e+";
  int a = std::abs(exp);
  if (a < 10) out += '0';
  out += std::to_string(a);
  return out;
}

// Plain positional form with exactly the significant digits (no padding zeros
// after the last digit); force_fraction adds ".0" to integral values.
std::string fixed_form(const Digits& d, bool force_fraction) {
  std::string out = d.negative ? "-" : "";
  const int nd = static_cast<int>(d.digits.size());
  if (d.point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-d.point), '0');
    out += d.digits;
    return out;
  }
  if (d.point >= nd) {
    out += d.digits;
    out.append(static_cast<std::size_t>(d.point - nd), '0');
    if (force_fraction) out += ".0";
    return out;
  }
  out += d.digits.substr(0, static_cast<std::size_t>(d.point));
  out += '.';
  out += d.digits.substr(static_cast<std::size_t>(d.point));
  return out;
}

}  // namespace

std::string go_float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  Digits d = shortest_digits(v);
  if (d.digits == "0") return d.negative ? "-0" : "0";
  int exp = d.point - 1;
  if (exp < -4 || exp >= 6) return exp_form(d);
  return fixed_form(d, false);
}

std::string go_json_float(double v) {
  Digits d = shortest_digits(v);
  if (d.digits == "0") return d.negative ? "-0" : "0";
  double a = std::fabs(v);
  if (a < 1e-6 || a >= 1e21) {
    std::string s = exp_form(d);
    // Go trims a single leading zero of a negative exponent: e-07 -> e-7.
    std::size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
    return s;
  }
  return fixed_form(d, false);
}

std::string python_float(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  Digits d = shortest_digits(v);
  if (d.digits == "0") return d.negative ? "-0.0" : "0.0";
  if (d.point <= -4 || d.point > 16) return exp_form(d);
  return fixed_form(d, true);
}

std::string python_json_float(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return python_float(v);
}

}  // namespace corral::textnum
