// ByteSet: a set of byte values (0..255), the character class of the
// byte-level grammars (grammar.h).
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <string_view>

namespace corral::grammar {

class ByteSet {
 public:
  constexpr ByteSet() = default;

  static constexpr ByteSet single(unsigned char b) {
    ByteSet s;
    s.add(b);
    return s;
  }
  static constexpr ByteSet range(unsigned char lo, unsigned char hi) {
    ByteSet s;
    s.add_range(lo, hi);
    return s;
  }
  // Every byte of `chars`.
  static constexpr ByteSet of(std::string_view chars) {
    ByteSet s;
    for (char c : chars) s.add(static_cast<unsigned char>(c));
    return s;
  }
  static constexpr ByteSet all() { return range(0, 255); }

  constexpr void add(unsigned char b) { words_[b >> 6] |= std::uint64_t{1} << (b & 63); }
  constexpr void add_range(unsigned char lo, unsigned char hi) {
    for (unsigned b = lo; b <= hi; ++b) add(static_cast<unsigned char>(b));
  }
  constexpr void remove(unsigned char b) { words_[b >> 6] &= ~(std::uint64_t{1} << (b & 63)); }
  constexpr bool has(unsigned char b) const { return (words_[b >> 6] >> (b & 63)) & 1; }
  constexpr bool empty() const { return (words_[0] | words_[1] | words_[2] | words_[3]) == 0; }
  constexpr int count() const {
    int n = 0;
    for (auto w : words_) n += std::popcount(w);
    return n;
  }
  constexpr ByteSet operator|(const ByteSet& o) const {
    ByteSet r;
    for (int i = 0; i < 4; ++i) r.words_[i] = words_[i] | o.words_[i];
    return r;
  }
  constexpr ByteSet operator-(const ByteSet& o) const {
    ByteSet r;
    for (int i = 0; i < 4; ++i) r.words_[i] = words_[i] & ~o.words_[i];
    return r;
  }
  constexpr bool operator==(const ByteSet&) const = default;
  constexpr const std::array<std::uint64_t, 4>& words() const { return words_; }

 private:
  std::array<std::uint64_t, 4> words_{};
};

}  // namespace corral::grammar
