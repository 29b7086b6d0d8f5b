// Splitting slash commands.
#include <gtest/gtest.h>

#include "cli/slash_command.h"

namespace corral::cli {
namespace {

TEST(SlashCommand, NameAndArguments) {
  const auto c = parse_slash_command("/set parameter temperature 0.5");
  EXPECT_EQ(c.name, "/set");
  EXPECT_EQ(c.args, (std::vector<std::string>{"parameter", "temperature", "0.5"}));
}

TEST(SlashCommand, ExtraSpacesDoNotMakeEmptyArguments) {
  const auto c = parse_slash_command("  /show\t  parameters  ");
  EXPECT_EQ(c.name, "/show");
  EXPECT_EQ(c.args, (std::vector<std::string>{"parameters"}));
}

TEST(SlashCommand, RestKeepsTheTextAfterAnArgument) {
  const auto c = parse_slash_command("/set system  You are   Pierre Bezukhov.  ");
  EXPECT_EQ(c.rest(1), "You are   Pierre Bezukhov.");
  EXPECT_EQ(c.rest(0), "system  You are   Pierre Bezukhov.");
  EXPECT_EQ(c.rest(9), "");
}

TEST(SlashCommand, StopValuesStaySeparate) {
  const auto c = parse_slash_command("/set parameter stop USER: ASSISTANT:");
  ASSERT_EQ(c.args.size(), 4u);
  EXPECT_EQ(c.args[2], "USER:");
  EXPECT_EQ(c.args[3], "ASSISTANT:");
}

TEST(SlashCommand, BareName) {
  const auto c = parse_slash_command("/bye");
  EXPECT_EQ(c.name, "/bye");
  EXPECT_TRUE(c.args.empty());
}

}  // namespace
}  // namespace corral::cli
