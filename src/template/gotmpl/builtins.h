// Go's builtin template functions that take evaluated arguments: the
// comparisons (eq ne lt le gt ge), len, index, slice, not, print/printf/
// println and html/js/urlquery. (and/or short-circuit and live in exec.)
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "template/gotmpl/value.h"

namespace corral::gotmpl {

// Calls the builtin `name`; throws corral::Error with Go's message
// (without the "error calling NAME: " prefix) on failure.
Value call_builtin(std::string_view name, std::span<const Value> args);
// Number of parameters Go declares: {min, max}; max -1 = variadic.
std::pair<int, int> builtin_arity(std::string_view name);
// True for builtins whose parameters are reflect.Value (nil literals rejected).
bool builtin_takes_values(std::string_view name);

// Go's eq / lt on two values (throw on incomparable types).
bool go_eq(const Value& a, const Value& b);
bool go_lt(const Value& a, const Value& b);

}  // namespace corral::gotmpl
