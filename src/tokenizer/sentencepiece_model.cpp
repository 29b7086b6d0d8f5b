// Protobuf wire-format reader for SentencePiece's ModelProto (the subset we need).
#include "tokenizer/sentencepiece_model.h"

#include <cstring>

#include "util/error.h"

namespace corral::tokenizer {

namespace {

enum WireType : std::uint32_t { kVarint = 0, kFixed64 = 1, kLengthDelimited = 2, kFixed32 = 5 };

// A bounds-checked cursor over one message.
class Reader {
 public:
  Reader(std::span<const std::uint8_t> bytes, const std::string& name, const char* what)
      : p_(bytes.data()), end_(bytes.data() + bytes.size()), name_(name), what_(what) {}

  bool done() const { return p_ == end_; }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p_ == end_) bad("truncated varint");
      std::uint8_t b = *p_++;
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    bad("varint longer than 10 bytes");
  }
  float fixed32_float() {
    if (end_ - p_ < 4) bad("truncated 32-bit field");
    std::uint32_t u = static_cast<std::uint32_t>(p_[0]) | static_cast<std::uint32_t>(p_[1]) << 8 |
                      static_cast<std::uint32_t>(p_[2]) << 16 | static_cast<std::uint32_t>(p_[3]) << 24;
    p_ += 4;
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
  }
  std::span<const std::uint8_t> bytes() {
    std::uint64_t n = varint();
    if (n > static_cast<std::uint64_t>(end_ - p_)) bad("length-delimited field runs past the end");
    std::span<const std::uint8_t> s(p_, static_cast<std::size_t>(n));
    p_ += n;
    return s;
  }
  void skip(std::uint32_t wire) {
    switch (wire) {
      case kVarint: varint(); return;
      case kFixed64:
        if (end_ - p_ < 8) bad("truncated 64-bit field");
        p_ += 8;
        return;
      case kLengthDelimited: bytes(); return;
      case kFixed32:
        if (end_ - p_ < 4) bad("truncated 32-bit field");
        p_ += 4;
        return;
      default: bad("unsupported wire type " + std::to_string(wire));
    }
  }
  // Reads a field key; returns false at the end of the message.
  bool key(std::uint32_t& field, std::uint32_t& wire) {
    if (done()) return false;
    std::uint64_t k = varint();
    field = static_cast<std::uint32_t>(k >> 3);
    wire = static_cast<std::uint32_t>(k & 7);
    if (field == 0 || (k >> 3) > 0x1fffffff) bad("invalid field number");
    return true;
  }
  void expect(std::uint32_t wire, std::uint32_t want, const char* field) {
    if (wire != want) bad(std::string("field '") + field + "' has the wrong wire type");
  }
  [[noreturn]] void bad(const std::string& problem) const {
    fail("{}: not a valid SentencePiece model ({}: {})", name_, what_, problem);
  }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;
  const std::string& name_;
  const char* what_;
};

std::string as_string(std::span<const std::uint8_t> s) { return std::string(reinterpret_cast<const char*>(s.data()), s.size()); }
std::int32_t as_int32(std::uint64_t v) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(v)); }

SentencePieceModel::Piece parse_piece(std::span<const std::uint8_t> bytes, const std::string& name) {
  Reader r(bytes, name, "piece");
  SentencePieceModel::Piece p;
  std::uint32_t field, wire;
  while (r.key(field, wire)) {
    if (field == 1) {
      r.expect(wire, kLengthDelimited, "piece");
      p.text = as_string(r.bytes());
    } else if (field == 2) {
      r.expect(wire, kFixed32, "score");
      p.score = r.fixed32_float();
    } else if (field == 3) {
      r.expect(wire, kVarint, "type");
      p.type = as_int32(r.varint());
    } else {
      r.skip(wire);
    }
  }
  return p;
}

void parse_trainer(std::span<const std::uint8_t> bytes, const std::string& name, SentencePieceModel& m) {
  Reader r(bytes, name, "trainer_spec");
  std::uint32_t field, wire;
  while (r.key(field, wire)) {
    auto read_int = [&](const char* what) {
      r.expect(wire, kVarint, what);
      return as_int32(r.varint());
    };
    switch (field) {
      case 3: m.model_type = read_int("model_type"); break;
      case 35: m.byte_fallback = read_int("byte_fallback") != 0; break;
      case 40: m.unk_id = read_int("unk_id"); break;
      case 41: m.bos_id = read_int("bos_id"); break;
      case 42: m.eos_id = read_int("eos_id"); break;
      case 43: m.pad_id = read_int("pad_id"); break;
      default: r.skip(wire);
    }
  }
}

void parse_normalizer(std::span<const std::uint8_t> bytes, const std::string& name, SentencePieceModel& m) {
  Reader r(bytes, name, "normalizer_spec");
  std::uint32_t field, wire;
  while (r.key(field, wire)) {
    if (field == 3) {
      r.expect(wire, kVarint, "add_dummy_prefix");
      m.add_dummy_prefix = r.varint() != 0;
    } else if (field == 4) {
      r.expect(wire, kVarint, "remove_extra_whitespaces");
      m.remove_extra_whitespaces = r.varint() != 0;
    } else {
      r.skip(wire);
    }
  }
}

}  // namespace

SentencePieceModel parse_sentencepiece_model(std::span<const std::uint8_t> bytes, const std::string& name) {
  SentencePieceModel m;
  Reader r(bytes, name, "model");
  std::uint32_t field, wire;
  while (r.key(field, wire)) {
    if (field == 1) {
      r.expect(wire, kLengthDelimited, "pieces");
      m.pieces.push_back(parse_piece(r.bytes(), name));
    } else if (field == 2) {
      r.expect(wire, kLengthDelimited, "trainer_spec");
      parse_trainer(r.bytes(), name, m);
    } else if (field == 3) {
      r.expect(wire, kLengthDelimited, "normalizer_spec");
      parse_normalizer(r.bytes(), name, m);
    } else {
      r.skip(wire);
    }
  }
  if (m.pieces.empty()) fail("{}: not a valid SentencePiece model (no pieces)", name);
  return m;
}

}  // namespace corral::tokenizer
