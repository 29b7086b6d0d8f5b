// URL helpers for the registry client (libcurl's URL API underneath):
// resolving a Location against the request URL, the host[:port] authority
// used for same-host checks, appending query parameters, and Go's
// url.Values encoding (needed byte for byte in signed token requests).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::registry {

struct UrlParts {
  std::string scheme;  // lower case: "http", "https"
  std::string host;    // host name or address, lower case, no brackets
  std::string port;    // "" when the URL gives none
  std::string path;    // "/..." (at least "/")
  std::string query;   // without '?'
};

// Parses an absolute http(s) URL; Error("invalid URL ...") otherwise.
UrlParts parse_url(std::string_view url);

// host[:port] as written in the URL (Go's URL.Host), lower-cased.
std::string url_authority(std::string_view url);

// `ref` (absolute, or relative like a Location header) against `base`.
std::string resolve_url(std::string_view base, std::string_view ref);

// Appends "key=value" (value query-escaped) with '?' or '&'.
std::string append_query(std::string_view url, std::string_view key, std::string_view value);

// Go's url.QueryEscape: [A-Za-z0-9-_.~] kept, space as '+', the rest %XX.
std::string query_escape(std::string_view s);

// Go's url.Values.Encode: keys sorted (stable for repeated keys), "k=v&...".
std::string encode_query(std::vector<std::pair<std::string, std::string>> values);

// Splits a raw query ("a=1&b=x+y") into decoded pairs (Go's ParseQuery).
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

// scheme://authority/path without query (for messages that must not leak
// pre-signed query strings).
std::string url_without_query(std::string_view url);

}  // namespace corral::registry
