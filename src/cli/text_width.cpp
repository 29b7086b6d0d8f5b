// Column widths through utf8proc (see text_width.h).
#include "cli/text_width.h"

#include <utf8proc.h>

#include "util/utf8.h"

namespace corral::cli {

int codepoint_width(char32_t cp) {
  if (cp < 0x20 || cp == 0x7f) return 0;
  if (cp < 0x7f) return 1;
  const int w = utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp));
  return w < 0 ? 0 : w;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) width += static_cast<std::size_t>(codepoint_width(utf8::decode(text, pos)));
  return width;
}

}  // namespace corral::cli

namespace corral::cli {

std::string_view truncate_to_width(std::string_view text, std::size_t columns) {
  std::size_t width = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t next = pos;
    const int w = codepoint_width(utf8::decode(text, next));
    if (width + static_cast<std::size_t>(w) > columns) break;
    width += static_cast<std::size_t>(w);
    pos = next;
  }
  return text.substr(0, pos);
}

}  // namespace corral::cli
