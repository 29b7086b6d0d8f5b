// libFuzzer target: manifest and config blob parsing. Anything accepted must
// carry only canonical digests and serialize back to something that parses
// to the same manifest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "store/digest.h"
#include "store/manifest.h"
#include "store/model_config.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto m = corral::store::parse_manifest(text);
    for (const auto& d : m.digests())
      if (!corral::store::is_canonical_digest(d)) std::abort();
    if (corral::store::parse_manifest(corral::store::serialize_manifest(m)) != m) std::abort();
  } catch (const corral::Error&) {
  }
  try {
    const auto c = corral::store::parse_model_config(text);
    (void)corral::store::serialize_model_config(c);
  } catch (const corral::Error&) {
  }
  return 0;
}
