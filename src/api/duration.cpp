// Go duration parsing/formatting and the keep_alive JSON forms.
#include "api/duration.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>

#include "util/error.h"
#include "util/log.h"

namespace corral::api {

namespace {

struct Unit {
  std::string_view name;
  std::uint64_t ns;
};

constexpr Unit kUnits[] = {
    {"ns", 1ull},
    {"us", 1000ull},
    {"\xc2\xb5s", 1000ull},  // U+00B5 micro sign
    {"\xce\xbcs", 1000ull},  // U+03BC Greek mu
    {"ms", 1000000ull},
    {"s", 1000000000ull},
    {"m", 60ull * 1000000000ull},
    {"h", 3600ull * 1000000000ull},
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

std::chrono::nanoseconds parse_go_duration(std::string_view orig) {
  // Mirrors time.ParseDuration: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+ ; "0" alone is allowed.
  std::string_view s = orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) fail("time: invalid duration {}", quote(orig));
  const std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  std::uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || is_digit(s[0]))) fail("time: invalid duration {}", quote(orig));
    // Integer part.
    std::uint64_t v = 0;
    std::size_t i = 0;
    bool overflow = false;
    while (i < s.size() && is_digit(s[i])) {
      if (v > (max - static_cast<std::uint64_t>(s[i] - '0')) / 10) overflow = true;
      if (!overflow) v = v * 10 + static_cast<std::uint64_t>(s[i] - '0');
      ++i;
    }
    if (overflow) fail("time: invalid duration {}", quote(orig));
    const bool pre = i > 0;
    // Fraction.
    std::uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      const std::size_t start = i;
      while (i < s.size() && is_digit(s[i])) {
        if (f < max / 10) {  // extra digits beyond precision are dropped, like Go
          f = f * 10 + static_cast<std::uint64_t>(s[i] - '0');
          scale *= 10;
        }
        ++i;
      }
      post = i > start;
    }
    if (!pre && !post) fail("time: invalid duration {}", quote(orig));
    // Unit.
    std::size_t u = i;
    while (u < s.size() && s[u] != '.' && !is_digit(s[u])) ++u;
    if (u == i) fail("time: missing unit in duration {}", quote(orig));
    const std::string_view unit_text = s.substr(i, u - i);
    const Unit* unit = nullptr;
    for (const auto& cand : kUnits)
      if (cand.name == unit_text) unit = &cand;
    if (!unit) fail("time: unknown unit {} in duration {}", quote(unit_text), quote(orig));
    if (v > max / unit->ns) fail("time: invalid duration {}", quote(orig));
    v *= unit->ns;
    if (f > 0) {
      v += static_cast<std::uint64_t>(static_cast<double>(f) * (static_cast<double>(unit->ns) / scale));
      if (v > max) fail("time: invalid duration {}", quote(orig));
    }
    total += v;
    if (total > max) fail("time: invalid duration {}", quote(orig));
    s.remove_prefix(u);
  }
  const auto t = static_cast<std::int64_t>(total);
  return std::chrono::nanoseconds(neg ? -t : t);
}

std::string format_go_duration(std::chrono::nanoseconds d) {
  std::int64_t n = d.count();
  if (n == 0) return "0s";
  const bool neg = n < 0;
  std::uint64_t u = neg ? static_cast<std::uint64_t>(-(n + 1)) + 1 : static_cast<std::uint64_t>(n);
  std::string out;
  auto frac = [](std::uint64_t v, int digits) {
    // v has `digits` decimal places; trailing zeros removed.
    std::string s = std::to_string(v);
    while (static_cast<int>(s.size()) < digits) s.insert(s.begin(), '0');
    while (!s.empty() && s.back() == '0') s.pop_back();
    return s;
  };
  if (u < 1000000000ull) {
    // Sub-second: ns, µs or ms with a fraction.
    if (u < 1000) {
      out = std::to_string(u) + "ns";
    } else if (u < 1000000) {
      std::string f = frac(u % 1000, 3);
      out = std::to_string(u / 1000) + (f.empty() ? "" : "." + f) + "\xc2\xb5s";
    } else {
      std::string f = frac(u % 1000000, 6);
      out = std::to_string(u / 1000000) + (f.empty() ? "" : "." + f) + "ms";
    }
  } else {
    const std::uint64_t secs = u / 1000000000ull;
    std::string f = frac(u % 1000000000ull, 9);
    const std::uint64_t h = secs / 3600, m = (secs / 60) % 60, s = secs % 60;
    if (h > 0) out += std::to_string(h) + "h";
    if (h > 0 || m > 0) out += std::to_string(m) + "m";
    out += std::to_string(s) + (f.empty() ? "" : "." + f) + "s";
  }
  return neg ? "-" + out : out;
}

KeepAlive keep_alive_from_json(const nlohmann::ordered_json& j) {
  if (j.is_number()) {
    const double secs = j.get<double>();
    if (!std::isfinite(secs)) fail("invalid keep_alive value");
    if (secs < 0) return KeepAlive::never_expires();
    const double ns = secs * 1e9;
    if (ns >= 9.2e18) return KeepAlive::never_expires();
    return KeepAlive::from(std::chrono::nanoseconds(static_cast<std::int64_t>(ns)));
  }
  if (j.is_string()) return KeepAlive::from(parse_go_duration(j.get<std::string>()));
  std::string type = j.is_boolean() ? "bool" : j.is_object() ? "map[string]interface {}" : j.is_array() ? "[]interface {}"
                                                                                                             : "<nil>";
  fail("Unsupported type: '{}'", type);
}

nlohmann::ordered_json keep_alive_to_json(const KeepAlive& k) {
  if (k.forever) return -1;
  return format_go_duration(k.value);
}

KeepAlive keep_alive_from_env(std::string_view value) {
  const KeepAlive fallback{std::chrono::minutes(5), false};
  if (value.empty()) return fallback;
  // Integer seconds first (Ollama tries strconv.Atoi before ParseDuration).
  bool all_digits = true;
  std::size_t start = (value[0] == '-' || value[0] == '+') ? 1 : 0;
  if (start == value.size()) all_digits = false;
  for (std::size_t i = start; i < value.size(); ++i)
    if (!is_digit(value[i])) all_digits = false;
  try {
    if (all_digits && value.size() - start < 12) {
      const std::int64_t n = std::stoll(std::string(value));
      return KeepAlive::from(std::chrono::seconds(n));
    }
    return KeepAlive::from(parse_go_duration(value));
  } catch (const Error& e) {
    log::warn("invalid OLLAMA_KEEP_ALIVE {}: {}; using 5m", std::string(value), e.what());
    return fallback;
  }
}

}  // namespace corral::api
