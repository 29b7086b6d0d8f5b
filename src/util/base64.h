// Base64 (RFC 4648): the standard alphabet with padding, as Go's
// encoding/json writes []byte fields (images), OpenAI's base64 embeddings and
// ssh keys/signatures use; and URL-safe without padding (the registry's
// token-request nonce).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace corral {

std::string base64_encode(std::string_view bytes);
std::string base64url_encode_nopad(std::string_view bytes);

enum class Base64Padding { required, optional };

// Decodes strict standard base64 (no whitespace; padding required unless
// `padding` is optional, in which case a final 2- or 3-symbol group may also
// end the text bare). On bad input returns nullopt and, when given, sets
// *bad_offset to the offset of the first offending byte (Go's "illegal base64
// data at input byte N").
std::optional<std::string> base64_decode(std::string_view text, std::size_t* bad_offset = nullptr,
                                         Base64Padding padding = Base64Padding::required);

}  // namespace corral
