// UTF-8 helpers.
#include "util/utf8.h"

namespace corral::utf8 {

char32_t decode(std::string_view s, std::size_t& pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  unsigned char b0 = p[pos];
  int len = sequence_length(b0);
  if (len == 1) {
    ++pos;
    return b0;
  }
  if (len == 0 || pos + len > n) {
    ++pos;
    return 0xfffd;
  }
  char32_t cp = b0 & (0xff >> (len + 1));
  for (int i = 1; i < len; ++i) {
    unsigned char c = p[pos + i];
    if ((c & 0xc0) != 0x80) {
      ++pos;
      return 0xfffd;
    }
    cp = (cp << 6) | (c & 0x3f);
  }
  // Reject overlongs (3/4-byte), surrogates and out-of-range values.
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++pos;
    return 0xfffd;
  }
  pos += len;
  return cp;
}

bool is_valid(std::string_view s) {
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t before = pos;
    char32_t cp = decode(s, pos);
    if (cp == 0xfffd && !(pos - before == 3 && s.substr(before, 3) == "\xef\xbf\xbd")) return false;
  }
  return true;
}

std::size_t incomplete_tail(std::string_view s) {
  const std::size_t n = s.size();
  // Look back at most 3 bytes for a lead byte whose sequence runs past the end.
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    unsigned char c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xc0) == 0x80) continue;  // continuation: keep looking for the lead
    int len = sequence_length(c);
    if (len > static_cast<int>(back)) return back;
    return 0;
  }
  return 0;
}

void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

std::string sanitize(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) append(out, decode(s, pos));
  return out;
}

}  // namespace corral::utf8
