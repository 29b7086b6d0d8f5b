// libFuzzer target: WWW-Authenticate parsing (registry 401 challenges come
// from the network). Anything accepted must be well formed: lower-case
// schemes and parameter names, and a Bearer challenge only with a realm.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "registry/www_authenticate.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto challenges = corral::registry::parse_www_authenticate(text);
    for (const auto& c : challenges) {
      if (c.scheme.empty()) std::abort();
      for (const char ch : c.scheme)
        if (ch >= 'A' && ch <= 'Z') std::abort();
      for (const auto& [k, v] : c.params)
        if (k.empty()) std::abort();
    }
    if (const auto b = corral::registry::find_bearer(challenges); b && b->realm.empty()) std::abort();
  } catch (const corral::Error&) {
  }
  return 0;
}
