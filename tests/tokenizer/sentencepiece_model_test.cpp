// The SentencePiece ModelProto reader: fields from a hand-encoded message,
// the real tolstoy tokenizer.model, and malformed input (every truncation,
// wrong wire types) giving errors.
#include <gtest/gtest.h>

#include <cstring>

#include "testutil/shared_data.h"
#include "tokenizer/sentencepiece_model.h"
#include "util/error.h"

namespace corral::tokenizer {
namespace {

using Bytes = std::vector<std::uint8_t>;

void varint(Bytes& b, std::uint64_t v) {
  while (v >= 0x80) {
    b.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  b.push_back(static_cast<std::uint8_t>(v));
}
void key(Bytes& b, std::uint32_t field, std::uint32_t wire) { varint(b, (std::uint64_t{field} << 3) | wire); }
void message(Bytes& b, std::uint32_t field, const Bytes& m) {
  key(b, field, 2);
  varint(b, m.size());
  b.insert(b.end(), m.begin(), m.end());
}
void text(Bytes& b, std::uint32_t field, const std::string& s) { message(b, field, Bytes(s.begin(), s.end())); }
void int_field(Bytes& b, std::uint32_t field, std::int64_t v) {
  key(b, field, 0);
  varint(b, static_cast<std::uint64_t>(v));
}
void float_field(Bytes& b, std::uint32_t field, float f) {
  key(b, field, 5);
  std::uint32_t u;
  std::memcpy(&u, &f, 4);
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(u >> (8 * i)));
}

Bytes piece(const std::string& t, float score, int type) {
  Bytes p;
  text(p, 1, t);
  float_field(p, 2, score);
  if (type != 1) int_field(p, 3, type);
  return p;
}

Bytes sample_model() {
  Bytes m;
  message(m, 1, piece("<unk>", 0, 2));
  message(m, 1, piece("<s>", 0, 3));
  message(m, 1, piece("\xe2\x96\x81the", -1.5f, 1));
  Bytes trainer;
  text(trainer, 2, "prefix");       // a field we skip
  int_field(trainer, 3, 2);         // BPE
  int_field(trainer, 35, 1);        // byte_fallback
  int_field(trainer, 41, 1);        // bos_id
  int_field(trainer, 43, -1);       // pad_id, negative: ten-byte varint
  float_field(trainer, 10, 0.99f);  // character_coverage, skipped
  message(m, 2, trainer);
  Bytes normalizer;
  text(normalizer, 1, "identity");
  int_field(normalizer, 3, 0);  // add_dummy_prefix = false
  message(m, 3, normalizer);
  key(m, 99, 1);  // an unknown 64-bit field
  for (int i = 0; i < 8; ++i) m.push_back(0);
  return m;
}

TEST(SentencePieceModel, ReadsPiecesTrainerAndNormalizer) {
  const Bytes m = sample_model();
  const auto model = parse_sentencepiece_model(m, "sample");
  ASSERT_EQ(model.pieces.size(), 3u);
  EXPECT_EQ(model.pieces[0].text, "<unk>");
  EXPECT_EQ(model.pieces[0].type, 2);
  EXPECT_EQ(model.pieces[2].text, "\xe2\x96\x81the");
  EXPECT_EQ(model.pieces[2].score, -1.5f);
  EXPECT_EQ(model.pieces[2].type, 1);
  EXPECT_EQ(model.model_type, 2);
  EXPECT_TRUE(model.byte_fallback);
  EXPECT_EQ(model.bos_id, 1);
  EXPECT_EQ(model.eos_id, 2);  // default
  EXPECT_EQ(model.pad_id, -1);
  EXPECT_FALSE(model.add_dummy_prefix);
}

TEST(SentencePieceModel, EveryTruncationIsAnErrorOrAValidPrefix) {
  const Bytes m = sample_model();
  for (std::size_t n = 0; n < m.size(); ++n) {
    Bytes cut(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(n));
    try {
      auto model = parse_sentencepiece_model(cut, "cut");
      EXPECT_FALSE(model.pieces.empty());
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("cut:"), std::string::npos) << e.what();
    }
  }
}

TEST(SentencePieceModel, RejectsMalformedMessages) {
  Bytes wrong_wire;
  int_field(wrong_wire, 1, 5);  // pieces must be length-delimited
  EXPECT_THROW(parse_sentencepiece_model(wrong_wire, "x"), Error);
  Bytes group;
  key(group, 7, 3);  // start-group: not supported
  EXPECT_THROW(parse_sentencepiece_model(group, "x"), Error);
  Bytes too_long;
  key(too_long, 1, 2);
  varint(too_long, 1000);
  too_long.push_back('a');
  EXPECT_THROW(parse_sentencepiece_model(too_long, "x"), Error);
  Bytes endless_varint(12, 0xff);
  EXPECT_THROW(parse_sentencepiece_model(endless_varint, "x"), Error);
  Bytes field_zero{0x00};
  EXPECT_THROW(parse_sentencepiece_model(field_zero, "x"), Error);
  EXPECT_THROW(parse_sentencepiece_model({}, "x"), Error);  // no pieces
}

TEST(SentencePieceModel, ReadsTheTolstoyModel) {
  CORRAL_SHARED_FILE_OR_SKIP(path, "models/tolstoy/hf/tokenizer.model");
  const std::string data = corral::test::read_file(path);
  const auto model = parse_sentencepiece_model(
      std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()), path.string());
  EXPECT_EQ(model.pieces.size(), 1024u);
  EXPECT_EQ(model.model_type, 2);  // BPE
  EXPECT_TRUE(model.byte_fallback);
  EXPECT_EQ(model.pieces[0].type, 2);
  EXPECT_EQ(model.pieces[1].text, "<s>");
  EXPECT_EQ(model.pieces[3].text, "<0x00>");
  EXPECT_EQ(model.pieces[3].type, 6);
}

}  // namespace
}  // namespace corral::tokenizer
