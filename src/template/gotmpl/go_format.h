// Go's fmt package for gotmpl values: Sprint, Sprintln, Sprintf (verbs
// v s q d t f e g x X c b o U T with flags, width and precision, and Go's
// in-band error forms such as %!d(string=x) and %!(EXTRA ...)), plus
// strconv.Quote.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "template/gotmpl/value.h"

namespace corral::gotmpl {

std::string go_sprint(std::span<const Value> args);
std::string go_sprintln(std::span<const Value> args);
std::string go_sprintf(std::string_view format, std::span<const Value> args);
// fmt.Sprint of a single value.
std::string go_sprint_one(const Value& v);
// strconv.Quote (ascii_only: QuoteToASCII).
std::string go_quote(std::string_view s, bool ascii_only = false);
// unicode.IsPrint for one code point.
bool go_is_print(char32_t cp);

}  // namespace corral::gotmpl
