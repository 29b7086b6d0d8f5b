// Go-compatible whitespace trimming and small string helpers.
#include "template/text_util.h"

#include "util/utf8.h"

namespace corral::tmpl {

bool go_is_space(char32_t cp) {
  switch (cp) {
    case U'\t': case U'\n': case U'\v': case U'\f': case U'\r': case U' ': case 0x85: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default: return cp >= 0x2000 && cp <= 0x200A;
  }
}

namespace {
// Decodes the code point at pos; invalid bytes count as non-space.
char32_t decode_at(std::string_view s, std::size_t pos, std::size_t& len) {
  int n = utf8::sequence_length(static_cast<unsigned char>(s[pos]));
  if (n <= 0 || pos + static_cast<std::size_t>(n) > s.size() || !utf8::is_valid(s.substr(pos, static_cast<std::size_t>(n)))) {
    len = 1;
    return 0xFFFD;
  }
  std::size_t p = pos;
  char32_t cp = utf8::decode(s, p);
  len = p - pos;
  return cp;
}
}  // namespace

std::string_view go_trim_left_space(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t len;
    if (!go_is_space(decode_at(s, pos, len))) break;
    pos += len;
  }
  return s.substr(pos);
}

std::string go_trim_space(std::string_view s) {
  s = go_trim_left_space(s);
  // Scan forward remembering the end of the last non-space code point.
  std::size_t pos = 0, end = 0;
  while (pos < s.size()) {
    std::size_t len;
    char32_t cp = decode_at(s, pos, len);
    pos += len;
    if (!go_is_space(cp)) end = pos;
  }
  return std::string(s.substr(0, end));
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string replace_all(std::string_view s, std::string_view from, std::string_view to) {
  if (from.empty()) return std::string(s);
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    std::size_t hit = s.find(from, pos);
    if (hit == std::string_view::npos) break;
    out.append(s.substr(pos, hit - pos));
    out.append(to);
    pos = hit + from.size();
  }
  out.append(s.substr(pos));
  return out;
}

}  // namespace corral::tmpl
