// libFuzzer target: the OpenSSH private key reader (~/.ollama/id_ed25519 is
// a user file, possibly damaged). A key it accepts must sign.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "registry/identity.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto id = corral::registry::Identity::parse(text);
    if (id.sign_raw("x").size() != 64) std::abort();
  } catch (const corral::Error&) {
  }
  return 0;
}
