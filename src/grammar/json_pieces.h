// Building blocks of JSON grammars as expressions: UTF-8 encodings of code
// point ranges, string characters, whitespace, numbers, integer ranges and
// literal JSON values. The limits chosen here keep a sampled model from
// going on forever inside one token class:
//   whitespace: up to 4 blanks, or one line break followed by up to 32 blanks;
//   numbers: up to 16 integer digits, 16 fraction digits, 2 exponent digits
//   (so that every number also fits a double: 1e300 would not parse).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "grammar/grammar.h"

namespace corral::grammar::json {

inline constexpr std::uint32_t kMaxIntDigits = 16;
inline constexpr std::uint32_t kMaxFracDigits = 16;
inline constexpr std::uint32_t kMaxExpDigits = 2;
inline constexpr std::int64_t kMaxMagnitude = 9999999999999999;  // 16 digits
inline constexpr std::uint32_t kMaxBlanks = 4, kMaxIndent = 32;

// Code points lo..hi (inclusive), surrogates excluded, as UTF-8 bytes.
using CodeRanges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
Expr utf8(const CodeRanges& ranges);
// The UTF-8 encoding of one code point.
std::string encode_utf8(std::uint32_t cp);

// One character of a JSON string as written between the quotes: an
// unescaped character other than '"', '\' and controls, or an escape
// (\uXXXX only for code points outside the surrogate range).
Expr string_char();
// An unescaped string character whose code point is not in `except`.
Expr plain_char_except(const std::vector<std::uint32_t>& except);
Expr ws();
Expr number();
Expr integer();
// Integers lo..hi written without leading zeros ("-" only below zero).
Expr int_range(std::int64_t lo, std::int64_t hi);
// Numbers (no exponent) x with lo <= x <= hi, where lo and hi are integers;
// nullopt is unbounded. Throws Error if none exists.
Expr number_range(std::optional<std::int64_t> lo, bool lo_exclusive, std::optional<std::int64_t> hi, bool hi_exclusive);
// A JSON string literal ("...") for `s` (valid UTF-8), escaped as nlohmann's dump does.
std::string quote(const std::string& s);

}  // namespace corral::grammar::json
