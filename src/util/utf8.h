// UTF-8 helpers: sequence lengths, validation, decoding/encoding code points,
// and finding an incomplete trailing sequence (for streaming output).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace corral::utf8 {

// Length of the sequence introduced by lead byte b (1..4), or 0 if b cannot start one.
inline int sequence_length(unsigned char b) {
  if (b < 0x80) return 1;
  if (b < 0xc2) return 0;  // continuation byte or overlong lead
  if (b < 0xe0) return 2;
  if (b < 0xf0) return 3;
  if (b < 0xf5) return 4;
  return 0;
}

// True if s is entirely valid UTF-8 (no overlongs, surrogates or > U+10FFFF).
bool is_valid(std::string_view s);

// Number of bytes at the end of s that form the start of a valid but
// incomplete sequence (0 if s ends on a boundary or with invalid bytes).
std::size_t incomplete_tail(std::string_view s);

// Decodes one code point at s[pos]; advances pos. Invalid bytes decode to
// U+FFFD and advance one byte.
char32_t decode(std::string_view s, std::size_t& pos);

// Appends the UTF-8 encoding of cp to out.
void append(std::string& out, char32_t cp);

// Replaces invalid sequences with U+FFFD.
std::string sanitize(std::string_view s);

}  // namespace corral::utf8
