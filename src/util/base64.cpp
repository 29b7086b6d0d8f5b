// Base64 encoding and strict decoding (see base64.h).
#include "util/base64.h"

namespace corral {

namespace {

constexpr char kStd[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kUrl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string encode(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    out += alphabet[v & 63];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (pad) out += "==";
  } else if (rest == 2) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    out += alphabet[(v >> 6) & 63];
    if (pad) out += '=';
  }
  return out;
}

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::string base64_encode(std::string_view bytes) { return encode(bytes, kStd, true); }
std::string base64url_encode_nopad(std::string_view bytes) { return encode(bytes, kUrl, false); }

std::optional<std::string> base64_decode(std::string_view in, std::size_t* bad_offset, Base64Padding padding) {
  auto bad = [&](std::size_t at) -> std::optional<std::string> {
    if (bad_offset) *bad_offset = at;
    return std::nullopt;
  };
  std::string out;
  out.reserve(in.size() / 4 * 3);
  std::size_t i = 0;
  while (i < in.size()) {
    int v[4];
    int n = 0;
    for (; n < 4 && i + static_cast<std::size_t>(n) < in.size(); ++n) {
      const char c = in[i + static_cast<std::size_t>(n)];
      if (c == '=') break;
      v[n] = value_of(c);
      if (v[n] < 0) return bad(i + static_cast<std::size_t>(n));
    }
    if (n == 4) {
      const unsigned x = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12) |
                         (static_cast<unsigned>(v[2]) << 6) | static_cast<unsigned>(v[3]);
      out += static_cast<char>((x >> 16) & 0xFF);
      out += static_cast<char>((x >> 8) & 0xFF);
      out += static_cast<char>(x & 0xFF);
      i += 4;
      continue;
    }
    // A final quantum: 2 or 3 symbols followed by padding up to 4 characters.
    if (n < 2) return bad(i + static_cast<std::size_t>(n));
    const std::size_t pad_start = i + static_cast<std::size_t>(n);
    const bool bare_end = padding == Base64Padding::optional && pad_start == in.size();
    const std::size_t pads = bare_end ? 0 : 4 - static_cast<std::size_t>(n);
    for (std::size_t k = 0; k < pads; ++k)
      if (pad_start + k >= in.size() || in[pad_start + k] != '=') return bad(pad_start + k);
    if (pad_start + pads != in.size()) return bad(pad_start + pads);
    unsigned x = (static_cast<unsigned>(v[0]) << 18) | (static_cast<unsigned>(v[1]) << 12);
    if (n == 3) x |= static_cast<unsigned>(v[2]) << 6;
    out += static_cast<char>((x >> 16) & 0xFF);
    if (n == 3) out += static_cast<char>((x >> 8) & 0xFF);
    i = in.size();
  }
  return out;
}

}  // namespace corral
