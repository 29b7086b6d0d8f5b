// Standard base64 (RFC 4648, with padding) as Go's encoding/json uses for
// []byte fields (images) and as OpenAI's base64 embeddings use.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace corral::api {

std::string base64_encode(std::string_view bytes);

// Decodes strict standard base64 (padding required, no whitespace). On bad
// input returns nullopt and, when given, sets *bad_offset to the offset of
// the first offending byte (Go's "illegal base64 data at input byte N").
std::optional<std::string> base64_decode(std::string_view text, std::size_t* bad_offset = nullptr);

}  // namespace corral::api
