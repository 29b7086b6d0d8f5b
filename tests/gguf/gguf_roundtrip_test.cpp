// Reading a real GGUF file and writing it back unchanged reproduces it byte for byte.
#include <gtest/gtest.h>

#include <filesystem>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"

namespace corral::gguf {
namespace {

void expect_round_trip(const std::filesystem::path& path) {
  auto f = File::open(path.string());
  Writer w(f);
  test::TempDir dir;
  auto out = dir / "copy.gguf";
  w.write(out.string());
  auto original = test::read_file(path);
  auto copy = test::read_file(out);
  ASSERT_EQ(original.size(), copy.size()) << path;
  EXPECT_TRUE(original == copy) << path << " differs after a round trip";
}

TEST(GgufRoundTrip, TolstoyF16) {
  CORRAL_SHARED_FILE_OR_SKIP(p, "models/tolstoy/tolstoy-f16.gguf");
  expect_round_trip(p);
}

TEST(GgufRoundTrip, TinyRandomLlama) {
  CORRAL_SHARED_FILE_OR_SKIP(p, "models/llama-2-tiny-random.gguf");
  expect_round_trip(p);
}

TEST(GgufRoundTrip, QuantizedGoldenModel) {
  CORRAL_SHARED_FILE_OR_SKIP(p, "golden/g-llama-spm-Q4_K_M.gguf");
  expect_round_trip(p);
}

TEST(GgufRoundTrip, EveryVocabFile) {
  auto dir = test::shared_dir();
  if (!dir) GTEST_SKIP() << "shared data not found";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(*dir / "vocab")) {
    if (e.path().extension() != ".gguf") continue;
    expect_round_trip(e.path());
    ++n;
  }
  EXPECT_GT(n, 5);
}

}  // namespace
}  // namespace corral::gguf
