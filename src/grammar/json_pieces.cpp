// JSON building blocks: UTF-8 range splitting, escapes, numbers, decimal ranges.
#include "grammar/json_pieces.h"

#include <fmt/format.h>

#include <algorithm>

#include "util/error.h"

namespace corral::grammar::json {
namespace {

const ByteSet kDigit = ByteSet::range('0', '9');
const ByteSet kCont = ByteSet::range(0x80, 0xBF);

Expr byte(unsigned char b) { return set(ByteSet::single(b)); }
Expr conts(std::size_t n) { return n == 0 ? empty() : repeat(set(kCont), static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(n)); }

// Continuation-byte suffixes s[i..] >= lo[i..] (or <= hi[i..]).
Expr suffix_at_least(const std::string& lo, std::size_t i) {
  const std::size_t n = lo.size();
  const auto b = static_cast<unsigned char>(lo[i]);
  if (i + 1 == n) return set(ByteSet::range(b, 0xBF));
  std::vector<Expr> parts;
  parts.push_back(seq({byte(b), suffix_at_least(lo, i + 1)}));
  if (b < 0xBF) parts.push_back(seq({set(ByteSet::range(static_cast<unsigned char>(b + 1), 0xBF)), conts(n - i - 1)}));
  return alt(std::move(parts));
}

Expr suffix_at_most(const std::string& hi, std::size_t i) {
  const std::size_t n = hi.size();
  const auto b = static_cast<unsigned char>(hi[i]);
  if (i + 1 == n) return set(ByteSet::range(0x80, b));
  std::vector<Expr> parts;
  if (b > 0x80) parts.push_back(seq({set(ByteSet::range(0x80, static_cast<unsigned char>(b - 1))), conts(n - i - 1)}));
  parts.push_back(seq({byte(b), suffix_at_most(hi, i + 1)}));
  return alt(std::move(parts));
}

// Byte strings between lo and hi (same length, valid UTF-8 throughout).
Expr between(const std::string& lo, const std::string& hi, std::size_t i) {
  const std::size_t n = lo.size();
  const auto l = static_cast<unsigned char>(lo[i]), h = static_cast<unsigned char>(hi[i]);
  if (i + 1 == n) return set(ByteSet::range(l, h));
  if (l == h) return seq({byte(l), between(lo, hi, i + 1)});
  std::vector<Expr> parts;
  parts.push_back(seq({byte(l), suffix_at_least(lo, i + 1)}));
  if (l + 1 <= h - 1)
    parts.push_back(seq({set(ByteSet::range(static_cast<unsigned char>(l + 1), static_cast<unsigned char>(h - 1))), conts(n - i - 1)}));
  parts.push_back(seq({byte(h), suffix_at_most(hi, i + 1)}));
  return alt(std::move(parts));
}

std::string pow10_str(std::size_t zeros) { return "1" + std::string(zeros, '0'); }

bool all_of_char(const std::string& s, std::size_t from, char c) {
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(from), s.end(), [c](char x) { return x == c; });
}

// Digit strings d with lo <= d <= hi, all three of the same length.
Expr digits_between(const std::string& lo, const std::string& hi, std::size_t i = 0) {
  const std::size_t n = lo.size();
  if (i == n) return empty();
  if (lo[i] == hi[i]) return seq({lit(std::string(1, lo[i])), digits_between(lo, hi, i + 1)});
  const bool low_full = all_of_char(lo, i + 1, '0'), high_full = all_of_char(hi, i + 1, '9');
  const auto rest = static_cast<std::uint32_t>(n - i - 1);
  std::vector<Expr> parts;
  char mid_lo = lo[i], mid_hi = hi[i];
  if (!low_full) {
    parts.push_back(seq({lit(std::string(1, lo[i])), digits_between(lo, std::string(i + 1, '0') + std::string(n - i - 1, '9'), i + 1)}));
    ++mid_lo;
  }
  if (!high_full) --mid_hi;
  if (mid_lo <= mid_hi)
    parts.push_back(seq({set(ByteSet::range(static_cast<unsigned char>(mid_lo), static_cast<unsigned char>(mid_hi))),
                         rest ? repeat(set(kDigit), rest, rest) : empty()}));
  if (!high_full)
    parts.push_back(seq({lit(std::string(1, hi[i])), digits_between(std::string(i + 1, '0') + std::string(n - i - 1, '0'), hi, i + 1)}));
  return alt(std::move(parts));
}

// Non-negative integers lo..hi without leading zeros.
Expr nonneg_range(std::int64_t lo, std::int64_t hi) {
  const std::string a = std::to_string(lo), b = std::to_string(hi);
  std::vector<Expr> parts;
  for (std::size_t len = a.size(); len <= b.size(); ++len) {
    const std::string l = len == a.size() ? a : pow10_str(len - 1);
    const std::string h = len == b.size() ? b : std::string(len, '9');
    parts.push_back(digits_between(l, h));
  }
  return alt(std::move(parts));
}

Expr int_part() {
  return alt({lit("0"), seq({set(ByteSet::range('1', '9')), repeat(set(kDigit), 0, kMaxIntDigits - 1)})});
}

}  // namespace

std::string encode_utf8(std::uint32_t cp) {
  std::string s;
  if (cp < 0x80) {
    s += static_cast<char>(cp);
  } else if (cp < 0x800) {
    s += static_cast<char>(0xC0 | (cp >> 6));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    s += static_cast<char>(0xE0 | (cp >> 12));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    s += static_cast<char>(0xF0 | (cp >> 18));
    s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return s;
}

Expr utf8(const CodeRanges& ranges) {
  // Cut at the surrogates and at the encoding-length boundaries.
  static constexpr std::pair<std::uint32_t, std::uint32_t> kPieces[] = {
      {0, 0x7F}, {0x80, 0x7FF}, {0x800, 0xD7FF}, {0xE000, 0xFFFF}, {0x10000, 0x10FFFF}};
  std::vector<Expr> parts;
  for (auto [lo, hi] : ranges) {
    for (auto [plo, phi] : kPieces) {
      const std::uint32_t a = std::max(lo, plo), b = std::min(hi, phi);
      if (a > b) continue;
      parts.push_back(between(encode_utf8(a), encode_utf8(b), 0));
    }
  }
  return alt(std::move(parts));
}

Expr string_char() {
  const ByteSet hex = ByteSet::range('0', '9') | ByteSet::range('a', 'f') | ByteSet::range('A', 'F');
  const Expr h = set(hex);
  Expr unicode = alt({seq({set(hex - ByteSet::of("dD")), h, h, h}), seq({set(ByteSet::of("dD")), set(ByteSet::range('0', '7')), h, h})});
  Expr escape = seq({lit("\\"), alt({set(ByteSet::of("\"\\/bfnrt")), seq({lit("u"), std::move(unicode)})})});
  return alt({utf8({{0x20, 0x21}, {0x23, 0x5B}, {0x5D, 0x10FFFF}}), std::move(escape)});
}

Expr plain_char_except(const std::vector<std::uint32_t>& except) {
  std::vector<std::uint32_t> cut(except.begin(), except.end());
  cut.push_back('"');
  cut.push_back('\\');
  std::sort(cut.begin(), cut.end());
  cut.erase(std::unique(cut.begin(), cut.end()), cut.end());
  CodeRanges ranges;
  std::uint32_t from = 0x20;
  for (auto c : cut) {
    if (c < from) continue;
    if (c > from) ranges.emplace_back(from, c - 1);
    from = c + 1;
  }
  if (from <= 0x10FFFF) ranges.emplace_back(from, 0x10FFFF);
  return utf8(ranges);
}

Expr ws() {
  const ByteSet blank = ByteSet::of(" \t");
  return alt({repeat(set(blank), 0, kMaxBlanks), seq({opt(lit("\r")), lit("\n"), repeat(set(blank), 0, kMaxIndent)})});
}

Expr number() {
  return seq({opt(lit("-")), int_part(), opt(seq({lit("."), repeat(set(kDigit), 1, kMaxFracDigits)})),
              opt(seq({set(ByteSet::of("eE")), opt(set(ByteSet::of("+-"))), repeat(set(kDigit), 1, kMaxExpDigits)}))});
}

Expr integer() { return seq({opt(lit("-")), int_part()}); }

Expr int_range(std::int64_t lo, std::int64_t hi) {
  lo = std::max(lo, -kMaxMagnitude);
  hi = std::min(hi, kMaxMagnitude);
  if (lo > hi) return nothing();
  std::vector<Expr> parts;
  if (lo < 0) parts.push_back(seq({lit("-"), nonneg_range(std::max<std::int64_t>(1, -hi), -lo)}));
  if (hi >= 0) parts.push_back(nonneg_range(std::max<std::int64_t>(lo, 0), hi));
  return alt(std::move(parts));
}

Expr number_range(std::optional<std::int64_t> lo, bool lo_exclusive, std::optional<std::int64_t> hi, bool hi_exclusive) {
  const std::int64_t L = lo ? std::max(*lo, -kMaxMagnitude - 1) : -kMaxMagnitude - 1;
  const std::int64_t U = hi ? std::min(*hi, kMaxMagnitude + 1) : kMaxMagnitude + 1;
  std::vector<Expr> parts;
  // Integers, optionally written with a zero fraction ("5.0").
  const std::int64_t il = L + (lo && lo_exclusive ? 1 : 0), ih = U - (hi && hi_exclusive ? 1 : 0);
  if (std::max(il, -kMaxMagnitude) <= std::min(ih, kMaxMagnitude))
    parts.push_back(seq({int_range(il, ih), opt(seq({lit("."), repeat(lit("0"), 1, kMaxFracDigits)}))}));
  // Non-integers I.f (f > 0) lie strictly between I and I+1 (or -I-1 and -I).
  Expr frac = seq({lit("."), repeat(lit("0"), 0, kMaxFracDigits - 1), set(ByteSet::range('1', '9')),
                   repeat(set(kDigit), 0, kMaxFracDigits - 1)});
  const std::int64_t pl = std::max<std::int64_t>(L, 0), ph = std::min(U - 1, kMaxMagnitude);
  if (pl <= ph) parts.push_back(seq({nonneg_range(pl, ph), frac}));
  const std::int64_t nl = std::max<std::int64_t>(-U, 0), nh = std::min(-L - 1, kMaxMagnitude);
  if (nl <= nh) parts.push_back(seq({lit("-"), nonneg_range(nl, nh), frac}));
  if (parts.empty()) fail("no number lies in the range {}{}, {}{}", lo_exclusive ? "(" : "[", L, U, hi_exclusive ? ")" : "]");
  return alt(std::move(parts));
}

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace corral::grammar::json
