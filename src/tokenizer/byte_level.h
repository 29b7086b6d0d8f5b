// GPT-2 byte-level alphabet: every byte value has a printable code point
// (printable Latin-1 bytes map to themselves, the other 68 to U+0100..U+0143),
// so byte-level BPE vocabularies store raw bytes as visible UTF-8 text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace corral::tokenizer::byte_level {

// The code point standing for byte b.
char32_t to_code_point(unsigned char b);
// The byte a code point stands for, or nullopt if it is not in the alphabet.
std::optional<unsigned char> to_byte(char32_t cp);

// Raw bytes -> byte-level text (each byte becomes one code point, as UTF-8).
std::string encode(std::string_view raw);
// Byte-level text -> raw bytes. Code points outside the alphabet (and invalid
// UTF-8) are copied through unchanged; returns false in *exact if that happened.
std::string decode(std::string_view text, bool* exact = nullptr);

}  // namespace corral::tokenizer::byte_level
