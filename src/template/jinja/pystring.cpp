// Python string semantics over UTF-8 (case mapping through utf8proc).
#include "template/jinja/pystring.h"

#include <utf8proc.h>

#include "util/error.h"
#include "util/utf8.h"

namespace corral::jinja::py {

std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  std::size_t pos = 0;
  while (pos < s.size()) out.push_back(utf8::decode(s, pos));
  return out;
}

std::string encode(std::u32string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char32_t c : s) utf8::append(out, c);
  return out;
}

namespace {
utf8proc_category_t cat(char32_t c) {
  return c > 0x10FFFF ? UTF8PROC_CATEGORY_CN : utf8proc_category(static_cast<utf8proc_int32_t>(c));
}
char32_t to_upper(char32_t c) { return c > 0x10FFFF ? c : static_cast<char32_t>(utf8proc_toupper(static_cast<utf8proc_int32_t>(c))); }
char32_t to_lower(char32_t c) { return c > 0x10FFFF ? c : static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(c))); }
char32_t to_title(char32_t c) { return c > 0x10FFFF ? c : static_cast<char32_t>(utf8proc_totitle(static_cast<utf8proc_int32_t>(c))); }
}  // namespace

bool is_space(char32_t c) {
  if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F) || c == 0x85) return true;
  auto k = cat(c);
  return k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP;
}

bool is_alpha(char32_t c) {
  auto k = cat(c);
  return k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL || k == UTF8PROC_CATEGORY_LT ||
         k == UTF8PROC_CATEGORY_LM || k == UTF8PROC_CATEGORY_LO;
}
bool is_digit(char32_t c) { return cat(c) == UTF8PROC_CATEGORY_ND; }
bool is_alnum(char32_t c) { return is_alpha(c) || is_digit(c) || cat(c) == UTF8PROC_CATEGORY_NL || cat(c) == UTF8PROC_CATEGORY_NO; }
bool is_upper(char32_t c) { return cat(c) == UTF8PROC_CATEGORY_LU || cat(c) == UTF8PROC_CATEGORY_LT; }
bool is_lower(char32_t c) { return cat(c) == UTF8PROC_CATEGORY_LL; }

std::string upper(std::string_view s) {
  std::u32string u = decode(s);
  for (auto& c : u) c = to_upper(c);
  return encode(u);
}

std::string lower(std::string_view s) {
  std::u32string u = decode(s);
  for (auto& c : u) c = to_lower(c);
  return encode(u);
}

std::string swapcase(std::string_view s) {
  std::u32string u = decode(s);
  for (auto& c : u) c = is_upper(c) ? to_lower(c) : is_lower(c) ? to_upper(c) : c;
  return encode(u);
}

std::string title(std::string_view s) {
  std::u32string u = decode(s);
  bool prev_cased = false;
  for (auto& c : u) {
    bool cased = is_upper(c) || is_lower(c);
    if (cased) c = prev_cased ? to_lower(c) : to_title(c);
    prev_cased = cased;
  }
  return encode(u);
}

std::string capitalize(std::string_view s) {
  std::u32string u = decode(s);
  for (std::size_t i = 0; i < u.size(); ++i) u[i] = i == 0 ? to_title(u[i]) : to_lower(u[i]);
  return encode(u);
}

std::string strip(std::string_view s, const std::optional<std::string>& chars, bool left, bool right) {
  std::u32string u = decode(s);
  std::u32string set = chars ? decode(*chars) : std::u32string();
  auto strip_it = [&](char32_t c) { return chars ? set.find(c) != std::u32string::npos : is_space(c); };
  std::size_t b = 0, e = u.size();
  if (left)
    while (b < e && strip_it(u[b])) ++b;
  if (right)
    while (e > b && strip_it(u[e - 1])) --e;
  return encode(std::u32string_view(u).substr(b, e - b));
}

std::vector<std::string> split(std::string_view s, const std::optional<std::string>& sep, std::int64_t maxsplit) {
  std::vector<std::string> out;
  if (sep) {
    if (sep->empty()) fail("empty separator");
    std::size_t pos = 0;
    while (maxsplit < 0 || static_cast<std::int64_t>(out.size()) < maxsplit) {
      std::size_t hit = s.find(*sep, pos);
      if (hit == std::string_view::npos) break;
      out.emplace_back(s.substr(pos, hit - pos));
      pos = hit + sep->size();
    }
    out.emplace_back(s.substr(pos));
    return out;
  }
  std::u32string u = decode(s);
  std::size_t i = 0, n = u.size();
  while (i < n) {
    while (i < n && is_space(u[i])) ++i;
    if (i >= n) break;
    if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) {
      std::size_t e = n;
      while (e > i && is_space(u[e - 1])) --e;
      out.push_back(encode(std::u32string_view(u).substr(i, e - i)));
      return out;
    }
    std::size_t j = i;
    while (j < n && !is_space(u[j])) ++j;
    out.push_back(encode(std::u32string_view(u).substr(i, j - i)));
    i = j;
  }
  return out;
}

std::vector<std::string> rsplit(std::string_view s, const std::optional<std::string>& sep, std::int64_t maxsplit) {
  if (maxsplit < 0) return split(s, sep, -1);
  std::vector<std::string> out;
  if (sep) {
    if (sep->empty()) fail("empty separator");
    std::size_t end = s.size();
    while (static_cast<std::int64_t>(out.size()) < maxsplit) {
      if (end < sep->size()) break;
      std::size_t hit = s.rfind(*sep, end - sep->size());
      if (hit == std::string_view::npos) break;
      out.insert(out.begin(), std::string(s.substr(hit + sep->size(), end - hit - sep->size())));
      end = hit;
    }
    out.insert(out.begin(), std::string(s.substr(0, end)));
    return out;
  }
  std::u32string u = decode(s);
  std::size_t e = u.size();
  while (e > 0) {
    while (e > 0 && is_space(u[e - 1])) --e;
    if (e == 0) break;
    if (static_cast<std::int64_t>(out.size()) == maxsplit) {
      std::size_t b = 0;
      while (b < e && is_space(u[b])) ++b;
      out.insert(out.begin(), encode(std::u32string_view(u).substr(b, e - b)));
      return out;
    }
    std::size_t b = e;
    while (b > 0 && !is_space(u[b - 1])) --b;
    out.insert(out.begin(), encode(std::u32string_view(u).substr(b, e - b)));
    e = b;
  }
  return out;
}

std::vector<std::string> splitlines(std::string_view s, bool keepends) {
  std::vector<std::string> out;
  std::u32string u = decode(s);
  std::size_t start = 0, i = 0;
  auto is_break = [](char32_t c) {
    return c == '\n' || c == '\r' || c == 0x0B || c == 0x0C || c == 0x1C || c == 0x1D || c == 0x1E || c == 0x85 ||
           c == 0x2028 || c == 0x2029;
  };
  while (i < u.size()) {
    if (is_break(u[i])) {
      std::size_t end = i;
      std::size_t next = i + 1;
      if (u[i] == '\r' && next < u.size() && u[next] == '\n') ++next;
      out.push_back(encode(std::u32string_view(u).substr(start, (keepends ? next : end) - start)));
      start = i = next;
    } else {
      ++i;
    }
  }
  if (start < u.size()) out.push_back(encode(std::u32string_view(u).substr(start)));
  return out;
}

std::string replace(std::string_view s, std::string_view old, std::string_view rep, std::int64_t count) {
  std::string out;
  if (old.empty()) {
    // Python inserts the replacement between every code point.
    std::u32string u = decode(s);
    std::int64_t done = 0;
    for (std::size_t i = 0; i <= u.size(); ++i) {
      if (count < 0 || done < count) {
        out += rep;
        ++done;
      }
      if (i < u.size()) utf8::append(out, u[i]);
    }
    return out;
  }
  std::size_t pos = 0;
  std::int64_t done = 0;
  while (count < 0 || done < count) {
    std::size_t hit = s.find(old, pos);
    if (hit == std::string_view::npos) break;
    out.append(s.substr(pos, hit - pos));
    out.append(rep);
    pos = hit + old.size();
    ++done;
  }
  out.append(s.substr(pos));
  return out;
}

std::int64_t find(std::string_view s, std::string_view sub, bool reverse) {
  std::size_t hit = reverse ? s.rfind(sub) : s.find(sub);
  if (hit == std::string_view::npos) return -1;
  std::int64_t cps = 0;
  for (std::size_t i = 0; i < hit; ++i) cps += (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
  return cps;
}

std::int64_t count(std::string_view s, std::string_view sub) {
  if (sub.empty()) return static_cast<std::int64_t>(decode(s).size()) + 1;
  std::int64_t n = 0;
  for (std::size_t pos = s.find(sub); pos != std::string_view::npos; pos = s.find(sub, pos + sub.size())) ++n;
  return n;
}

std::vector<std::int64_t> slice_indices(std::int64_t n, std::optional<std::int64_t> start, std::optional<std::int64_t> stop,
                                        std::optional<std::int64_t> step_opt) {
  std::int64_t step = step_opt.value_or(1);
  if (step == 0) fail("slice step cannot be zero");
  auto clamp = [&](std::optional<std::int64_t> v, std::int64_t def, bool is_start) {
    if (!v) return def;
    std::int64_t x = *v;
    if (x < 0) x += n;
    if (step > 0) return std::max<std::int64_t>(0, std::min(x, n));
    (void)is_start;
    return std::max<std::int64_t>(-1, std::min(x, n - 1));
  };
  std::vector<std::int64_t> out;
  if (step > 0) {
    std::int64_t b = clamp(start, 0, true), e = clamp(stop, n, false);
    for (std::int64_t i = b; i < e; i += step) out.push_back(i);
  } else {
    std::int64_t b = clamp(start, n - 1, true), e = clamp(stop, -1, false);
    for (std::int64_t i = b; i > e; i += step) out.push_back(i);
  }
  return out;
}

}  // namespace corral::jinja::py
