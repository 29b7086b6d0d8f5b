// Multi-line """ input and /set system blocks.
#include <gtest/gtest.h>

#include "cli/input_assembler.h"

namespace corral::cli {
namespace {

using Kind = InputAssembler::Kind;

TEST(InputAssembler, PlainLineIsAMessage) {
  InputAssembler a;
  const auto s = a.feed("Tell me about Moscow");
  EXPECT_EQ(s.kind, Kind::message);
  EXPECT_EQ(s.text, "Tell me about Moscow");
}

TEST(InputAssembler, SlashLineIsACommand) {
  InputAssembler a;
  EXPECT_EQ(a.feed("/show parameters").kind, Kind::command);
}

TEST(InputAssembler, BlockJoinsLinesAndKeepsTextBesideTheQuotes) {
  InputAssembler a;
  EXPECT_EQ(a.feed(R"("""First line)").kind, Kind::need_more);
  EXPECT_TRUE(a.in_block());
  EXPECT_EQ(a.feed("/not a command inside a block").kind, Kind::need_more);
  const auto s = a.feed(R"(last line""")");
  EXPECT_EQ(s.kind, Kind::message);
  EXPECT_EQ(s.text, "First line\n/not a command inside a block\nlast line");
  EXPECT_FALSE(a.in_block());
}

TEST(InputAssembler, QuotesAloneOpenAndClose) {
  InputAssembler a;
  EXPECT_EQ(a.feed(R"(""")").kind, Kind::need_more);
  EXPECT_EQ(a.feed("a").kind, Kind::need_more);
  const auto s = a.feed(R"(""")");
  EXPECT_EQ(s.text, "\na\n");
}

TEST(InputAssembler, OneLineBlock) {
  InputAssembler a;
  const auto s = a.feed(R"("""Hello""")");
  EXPECT_EQ(s.kind, Kind::message);
  EXPECT_EQ(s.text, "Hello");
  EXPECT_EQ(a.feed(R"("""""")").text, "");
}

TEST(InputAssembler, SystemBlock) {
  InputAssembler a;
  EXPECT_EQ(a.begin_system("Be brief.").kind, Kind::system);
  EXPECT_EQ(a.begin_system("Be brief.").text, "Be brief.");
  EXPECT_EQ(a.begin_system(R"("""You are)").kind, Kind::need_more);
  const auto s = a.feed(R"(Prince Andrei.""")");
  EXPECT_EQ(s.kind, Kind::system);
  EXPECT_EQ(s.text, "You are\nPrince Andrei.");
  EXPECT_EQ(a.begin_system(R"("""One line""")").text, "One line");
}

TEST(InputAssembler, ResetDropsAPartialBlock) {
  InputAssembler a;
  a.feed(R"("""draft)");
  a.reset();
  EXPECT_FALSE(a.in_block());
  EXPECT_EQ(a.feed("fresh").text, "fresh");
}

}  // namespace
}  // namespace corral::cli
