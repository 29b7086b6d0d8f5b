// JSON building blocks against independent references: UTF-8 ranges against
// encodings of every code point, decimal ranges against std::to_string.
#include <gtest/gtest.h>

#include <random>

#include "grammar/json_pieces.h"
#include "match_util.h"
#include "util/error.h"
#include "util/utf8.h"

namespace corral::grammar {
namespace {

using test::matches;

std::shared_ptr<const Automaton> compile_expr(Expr e) {
  Grammar g;
  g.set_root(g.add("root", std::move(e)));
  return Automaton::compile(g);
}

std::string utf8_of(std::uint32_t cp) {
  std::string s;
  utf8::append(s, static_cast<char32_t>(cp));
  return s;
}

TEST(JsonPieces, Utf8RangesMatchExactlyTheirCodePoints) {
  const json::CodeRanges ranges = {{0x41, 0x5A}, {0xE9, 0x3A0}, {0x7FE, 0x801}, {0xD7F0, 0xE010}, {0xFFF0, 0x10010}, {0x10FFF0, 0x10FFFF}};
  auto a = compile_expr(json::utf8(ranges));
  auto inside = [&](std::uint32_t cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    for (auto [lo, hi] : ranges)
      if (cp >= lo && cp <= hi) return true;
    return false;
  };
  for (std::uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    ASSERT_EQ(matches(a, utf8_of(cp)), inside(cp)) << std::hex << cp;
  }
  // Surrogates encoded as UTF-8 and overlong forms never match.
  EXPECT_FALSE(matches(a, "\xED\xA0\x80"));
  EXPECT_FALSE(matches(a, "\xC1\x81"));  // overlong 'A'
  EXPECT_FALSE(matches(a, "\xE0\x81\x81"));
}

TEST(JsonPieces, StringCharacters) {
  auto a = compile_expr(json::string_char());
  for (const char* ok : {"a", " ", "\\\"", "\\\\", "\\/", "\\n", "\\u00e9", "\\uD7FF", "\\uE000", "\\uFFFF", "\xF0\x9F\x98\x80"})
    EXPECT_TRUE(matches(a, ok)) << ok;
  for (const char* bad : {"\"", "\\", "\n", "\x1f", "\\x", "\\u12", "\\uD800", "\\udfff", "\\U0041", "\x80", "\xF5\x80\x80\x80"})
    EXPECT_FALSE(matches(a, bad)) << bad;
}

TEST(JsonPieces, PlainCharactersExcept) {
  auto a = compile_expr(json::plain_char_except({'a', 0xE9, 0x1F600}));
  EXPECT_FALSE(matches(a, "a"));
  EXPECT_FALSE(matches(a, "\xC3\xA9"));          // é
  EXPECT_FALSE(matches(a, "\xF0\x9F\x98\x80"));  // 😀
  EXPECT_FALSE(matches(a, "\\"));
  EXPECT_FALSE(matches(a, "\""));
  EXPECT_TRUE(matches(a, "b"));
  EXPECT_TRUE(matches(a, "\xC3\xA8"));  // è
  EXPECT_TRUE(matches(a, "\xF0\x9F\x98\x81"));
}

TEST(JsonPieces, IntegerRangesMatchExactlyTheirIntegers) {
  const std::pair<std::int64_t, std::int64_t> ranges[] = {{0, 0}, {-7, 7}, {1, 100}, {-1000, -13}, {17, 4321}, {99, 100}, {-305, 999}, {250, 255}};
  for (auto [lo, hi] : ranges) {
    auto a = compile_expr(json::int_range(lo, hi));
    for (std::int64_t v = -1500; v <= 5000; ++v) ASSERT_EQ(matches(a, std::to_string(v)), v >= lo && v <= hi) << lo << ".." << hi << ": " << v;
    EXPECT_FALSE(matches(a, "-0"));
    EXPECT_FALSE(matches(a, "007"));
  }
}

TEST(JsonPieces, IntegerRangesAtLargeBounds) {
  std::mt19937_64 rng(3);
  for (int round = 0; round < 20; ++round) {
    std::int64_t lo = static_cast<std::int64_t>(rng() % 2000000000000ull) - 1000000000000;
    std::int64_t hi = lo + static_cast<std::int64_t>(rng() % 5000000000000ull);
    auto a = compile_expr(json::int_range(lo, hi));
    for (std::int64_t v : {lo - 1, lo, lo + 1, hi - 1, hi, hi + 1, (lo + hi) / 2, lo - 1000000, hi + 1000000})
      ASSERT_EQ(matches(a, std::to_string(v)), v >= lo && v <= hi) << lo << ".." << hi << ": " << v;
  }
  auto all = compile_expr(json::int_range(INT64_MIN, INT64_MAX));  // clamped to 16 digits
  EXPECT_TRUE(matches(all, "9999999999999999"));
  EXPECT_TRUE(matches(all, "-9999999999999999"));
  EXPECT_FALSE(matches(all, "10000000000000000"));
}

TEST(JsonPieces, NumberRanges) {
  struct Case {
    std::optional<std::int64_t> lo;
    bool lo_ex;
    std::optional<std::int64_t> hi;
    bool hi_ex;
  };
  const Case cases[] = {{0, false, std::nullopt, false}, {0, true, std::nullopt, false}, {0, false, 1, false},
                        {-2, false, 3, true},          {std::nullopt, false, -1, false}, {-1, true, 0, true}};
  const char* samples[] = {"0", "0.0", "-0.5", "0.5", "1", "1.0", "1.00", "1.5", "2.999", "3", "-1", "-1.0", "-1.5",
                           "-2", "-2.5", "-3", "10", "123.25", "0.001", "-0.001", "0.10"};
  for (const auto& c : cases) {
    auto a = compile_expr(json::number_range(c.lo, c.lo_ex, c.hi, c.hi_ex));
    for (const char* s : samples) {
      const double v = std::stod(s);
      bool ok = true;
      if (c.lo) ok = ok && (c.lo_ex ? v > static_cast<double>(*c.lo) : v >= static_cast<double>(*c.lo));
      if (c.hi) ok = ok && (c.hi_ex ? v < static_cast<double>(*c.hi) : v <= static_cast<double>(*c.hi));
      EXPECT_EQ(matches(a, s), ok) << s;
    }
  }
  EXPECT_THROW(json::number_range(5, false, 5, true), Error);
}

TEST(JsonPieces, QuoteEscapesLikeJson) {
  EXPECT_EQ(json::quote("a\"b\\c\n\x01\xc3\xa9"), "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
}

}  // namespace
}  // namespace corral::grammar
