// Parser for WWW-Authenticate headers (RFC 7235 challenges): one or more
// challenges, each an auth scheme followed by a token68 or by auth-params
// whose values are tokens or quoted strings (commas inside quotes, such as
// scope="repository:a/b:pull,push", stay in the value). Outside input:
// bounded, and every malformation is a clear Error.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace corral::registry {

struct AuthChallenge {
  std::string scheme;  // lower case: "bearer", "basic"
  std::string token68;
  std::vector<std::pair<std::string, std::string>> params;  // names lower case, in order

  // The first parameter of that (lower-case) name, or nullopt.
  std::optional<std::string> param(std::string_view name) const;
};

// Longest header accepted.
inline constexpr std::size_t kMaxChallengeHeader = 16 * 1024;

// Parses a header value; Error("WWW-Authenticate: <problem>") when malformed.
std::vector<AuthChallenge> parse_www_authenticate(std::string_view header);

// The registry token challenge: Bearer realm="...",service="...",scope="...".
struct BearerChallenge {
  std::string realm;
  std::string service;
  std::string scope;  // space-separated scopes, may be empty
};

// The first Bearer challenge with a realm, or nullopt.
std::optional<BearerChallenge> find_bearer(const std::vector<AuthChallenge>& challenges);

}  // namespace corral::registry
