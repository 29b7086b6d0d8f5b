// Base64 for the registry client: standard alphabet with padding (ssh keys,
// signatures) and URL-safe without padding (Ollama's token-request nonce).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace corral::registry {

std::string base64_encode(std::string_view bytes);
std::string base64url_encode_nopad(std::string_view bytes);
// Standard alphabet; padding required when the length needs it. Whitespace
// is not allowed. nullopt when malformed.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace corral::registry
