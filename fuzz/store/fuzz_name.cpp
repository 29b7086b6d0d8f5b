// libFuzzer target: model name parsing. A name that is valid must print back
// unchanged and its path must stay four plain components inside the store.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "store/name.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const auto bare = corral::store::ModelName::parse_bare(s);
  // Valid names print back unchanged (a scheme is not part of the printed form).
  if (bare.is_valid() && s.find("://") == std::string_view::npos && bare.to_string() != s) std::abort();
  const auto n = corral::store::ModelName::parse(s);
  (void)n.display_shortest();
  (void)n.invalid_reason();
  if (n.is_valid()) {
    const auto p = n.filepath();
    int parts = 0;
    for (const auto& part : p) {
      const std::string c = part.string();
      if (c.empty() || c == "." || c == ".." || c.find('/') != std::string::npos) std::abort();
      ++parts;
    }
    if (parts != 4 || p.is_absolute()) std::abort();
    auto back = corral::store::ModelName::from_filepath(p.string());
    if (!back || back->host != n.host || back->tag != n.tag) std::abort();
  } else {
    try {
      (void)n.filepath();
      std::abort();  // an invalid name must never produce a path
    } catch (const corral::Error&) {
    }
  }
  return 0;
}
