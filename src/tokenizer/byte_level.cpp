// GPT-2 byte-level alphabet tables.
#include "tokenizer/byte_level.h"

#include <array>
#include <cstdint>

#include "util/utf8.h"

namespace corral::tokenizer::byte_level {

namespace {

bool maps_to_itself(unsigned b) { return (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae); }

struct Tables {
  std::array<char32_t, 256> cp{};
  std::array<std::int16_t, 0x144> byte{};  // code point -> byte, -1 if none
  Tables() {
    byte.fill(-1);
    unsigned next = 0x100;
    for (unsigned b = 0; b < 256; ++b) {
      cp[b] = maps_to_itself(b) ? static_cast<char32_t>(b) : static_cast<char32_t>(next++);
      byte[cp[b]] = static_cast<std::int16_t>(b);
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

}  // namespace

char32_t to_code_point(unsigned char b) { return tables().cp[b]; }

std::optional<unsigned char> to_byte(char32_t cp) {
  if (cp >= tables().byte.size()) return std::nullopt;
  std::int16_t b = tables().byte[cp];
  if (b < 0) return std::nullopt;
  return static_cast<unsigned char>(b);
}

std::string encode(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char b : raw) utf8::append(out, to_code_point(b));
  return out;
}

std::string decode(std::string_view text, bool* exact) {
  std::string out;
  out.reserve(text.size());
  bool ok = true;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t start = pos;
    char32_t cp = utf8::decode(text, pos);
    auto b = to_byte(cp);
    if (b) {
      out += static_cast<char>(*b);
    } else {
      out.append(text.substr(start, pos - start));
      ok = false;
    }
  }
  if (exact) *exact = ok;
  return out;
}

}  // namespace corral::tokenizer::byte_level
