// Small string helpers with Go's definitions: unicode.IsSpace, TrimSpace,
// TrimLeftFunc(IsSpace), ASCII lower-casing and replace-all.
#pragma once

#include <string>
#include <string_view>

namespace corral::tmpl {

bool go_is_space(char32_t cp);
std::string go_trim_space(std::string_view s);
std::string_view go_trim_left_space(std::string_view s);
std::string ascii_lower(std::string_view s);
std::string replace_all(std::string_view s, std::string_view from, std::string_view to);

}  // namespace corral::tmpl
