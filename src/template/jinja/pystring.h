// Python str operations on UTF-8 text, with Python's Unicode rules for
// case mapping and whitespace: upper/lower/title/capitalize, strip family,
// split/rsplit/splitlines, replace, find/count, code-point slicing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::jinja::py {

std::u32string decode(std::string_view s);
std::string encode(std::u32string_view s);

bool is_space(char32_t c);  // str.isspace for one code point
bool is_alpha(char32_t c);
bool is_digit(char32_t c);
bool is_alnum(char32_t c);
bool is_upper(char32_t c);
bool is_lower(char32_t c);

std::string upper(std::string_view s);
std::string lower(std::string_view s);
std::string title(std::string_view s);       // str.title()
std::string capitalize(std::string_view s);  // str.capitalize()
std::string swapcase(std::string_view s);

// strip family; chars == nullopt strips whitespace.
std::string strip(std::string_view s, const std::optional<std::string>& chars, bool left, bool right);

std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep, std::int64_t maxsplit);
std::vector<std::string> rsplit(std::string_view s, const std::optional<std::string>& sep, std::int64_t maxsplit);
std::vector<std::string> splitlines(std::string_view s, bool keepends);
std::string replace(std::string_view s, std::string_view old, std::string_view replacement, std::int64_t count);
// Code-point index of the first/last occurrence (-1 if none).
std::int64_t find(std::string_view s, std::string_view sub, bool reverse);
std::int64_t count(std::string_view s, std::string_view sub);

// Python slice of a sequence of length n: the selected indices.
std::vector<std::int64_t> slice_indices(std::int64_t n, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                                        std::optional<std::int64_t> step);

}  // namespace corral::jinja::py
