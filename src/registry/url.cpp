// URL helpers over libcurl's CURLU parser, plus Go-compatible query encoding.
#include "registry/url.h"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "util/error.h"

namespace corral::registry {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

std::string shown(std::string_view url) {
  std::string s(url.substr(0, 200));
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return s;
}

UrlHandle parse_handle(std::string_view url) {
  if (url.find('\0') != std::string_view::npos) fail("invalid URL \"{}\": NUL byte", shown(url));
  UrlHandle h(curl_url());
  if (!h) fail("out of memory parsing a URL");
  const std::string s(url);
  if (const CURLUcode rc = curl_url_set(h.get(), CURLUPART_URL, s.c_str(), 0); rc != CURLUE_OK)
    fail("invalid URL \"{}\": {}", shown(url), curl_url_strerror(rc));
  return h;
}

// A part of a parsed URL, "" when absent.
std::string get_part(CURLU* h, CURLUPart part, unsigned flags = 0) {
  char* out = nullptr;
  if (curl_url_get(h, part, &out, flags) != CURLUE_OK || out == nullptr) return {};
  std::string s(out);
  curl_free(out);
  return s;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string query_unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

UrlParts parse_url(std::string_view url) {
  UrlHandle h = parse_handle(url);
  UrlParts p;
  p.scheme = lower(get_part(h.get(), CURLUPART_SCHEME));
  if (p.scheme != "http" && p.scheme != "https") fail("invalid URL \"{}\": scheme must be http or https", shown(url));
  p.host = lower(get_part(h.get(), CURLUPART_HOST));
  if (p.host.empty()) fail("invalid URL \"{}\": no host", shown(url));
  p.port = get_part(h.get(), CURLUPART_PORT);
  p.path = get_part(h.get(), CURLUPART_PATH);
  if (p.path.empty()) p.path = "/";
  p.query = get_part(h.get(), CURLUPART_QUERY);
  return p;
}

std::string url_authority(std::string_view url) {
  const UrlParts p = parse_url(url);
  return p.port.empty() ? p.host : p.host + ":" + p.port;
}

std::string resolve_url(std::string_view base, std::string_view ref) {
  UrlHandle h = parse_handle(base);
  if (ref.find('\0') != std::string_view::npos) fail("invalid URL \"{}\": NUL byte", shown(ref));
  const std::string r(ref);
  if (const CURLUcode rc = curl_url_set(h.get(), CURLUPART_URL, r.c_str(), 0); rc != CURLUE_OK)
    fail("invalid URL \"{}\": {}", shown(ref), curl_url_strerror(rc));
  const std::string out = get_part(h.get(), CURLUPART_URL);
  (void)parse_url(out);  // http(s) only
  return out;
}

std::string append_query(std::string_view url, std::string_view key, std::string_view value) {
  std::string out(url);
  const auto hash = out.find('#');
  if (hash != std::string::npos) out.resize(hash);
  const bool has_query = out.find('?') != std::string::npos;
  if (has_query && out.back() != '?' && out.back() != '&') out += '&';
  if (!has_query) out += '?';
  out += query_escape(key);
  out += '=';
  out += query_escape(value);
  return out;
}

std::string query_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string encode_query(std::vector<std::pair<std::string, std::string>> values) {
  std::stable_sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (const auto& [k, v] : values) {
    if (!out.empty()) out += '&';
    out += query_escape(k);
    out += '=';
    out += query_escape(v);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      out.emplace_back(query_unescape(item), "");
    else
      out.emplace_back(query_unescape(item.substr(0, eq)), query_unescape(item.substr(eq + 1)));
  }
  return out;
}

std::string url_without_query(std::string_view url) {
  const auto q = url.find_first_of("?#");
  return std::string(url.substr(0, q));
}

}  // namespace corral::registry
