// Terminal column widths of UTF-8 text (utf8proc's East Asian width rules):
// wide characters take 2 columns, combining marks and controls 0.
#pragma once

#include <cstddef>
#include <string_view>

namespace corral::cli {

int codepoint_width(char32_t cp);
// Sum of the code points' widths; invalid bytes count as one column each.
std::size_t display_width(std::string_view text);

}  // namespace corral::cli

namespace corral::cli {

// The longest prefix of `text` at most `columns` wide, cut between code points.
std::string_view truncate_to_width(std::string_view text, std::size_t columns);

}  // namespace corral::cli
