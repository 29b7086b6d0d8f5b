// html / js / urlquery escaping with Go's exact outputs.
#include "template/gotmpl/go_escape.h"

#include <cstdio>

#include "template/gotmpl/go_format.h"
#include "util/utf8.h"

namespace corral::gotmpl {

std::string go_html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '\0': out += "\xEF\xBF\xBD"; break;
      default: out += c;
    }
  }
  return out;
}

std::string go_js_escape(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '\\': out += "\\\\"; break;
        case '\'': out += "\\'"; break;
        case '"': out += "\\\""; break;
        case '<': out += "\\u003C"; break;
        case '>': out += "\\u003E"; break;
        case '&': out += "\\u0026"; break;
        case '=': out += "\\u003D"; break;
        default:
          if (c < ' ') {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    std::size_t start = i;
    int len = utf8::sequence_length(c);
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size() ||
        !utf8::is_valid(s.substr(i, static_cast<std::size_t>(len)))) {
      // Go decodes an invalid byte as U+FFFD, which is printable: copied as is.
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    std::size_t p = i;
    char32_t cp = utf8::decode(s, p);
    i = p;
    if (go_is_print(cp)) {
      out.append(s.substr(start, i - start));
    } else {
      char tmp[16];
      std::snprintf(tmp, sizeof tmp, "\\u%04X", static_cast<unsigned>(cp));
      out += tmp;
    }
  }
  return out;
}

std::string go_query_escape(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    unsigned char c = static_cast<unsigned char>(ch);
    bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

}  // namespace corral::gotmpl
