// The history file in Ollama's format.
#include <gtest/gtest.h>

#include "cli/line_history.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"

namespace corral::cli {
namespace {

TEST(LineHistory, ReadsOllamasFileAndKeepsTheLast100) {
  test::TempDir dir;
  const auto file = dir / "history";
  std::string text;
  for (int i = 0; i < 120; ++i) text += "line " + std::to_string(i) + "\n\n";
  test::write_file(file, text);
  LineHistory h(file);
  ASSERT_EQ(h.entries().size(), 100u);
  EXPECT_EQ(h.entries().front(), "line 20");
  EXPECT_EQ(h.entries().back(), "line 119");
}

TEST(LineHistory, AddSavesAndSkipsEmptyLines) {
  test::TempDir dir;
  const auto file = dir / "sub" / "history";
  {
    LineHistory h(file, 3);
    h.add("  first  ");
    h.add("");
    h.add("second");
    h.add("third");
    h.add("fourth");
  }
  EXPECT_EQ(test::read_file(file), "second\nthird\nfourth\n");
  LineHistory again(file, 3);
  EXPECT_EQ(again.entries(), (std::vector<std::string>{"second", "third", "fourth"}));
}

TEST(LineHistory, NoSavingWhenDisabled) {
  test::TempDir dir;
  const auto file = dir / "history";
  LineHistory h(file);
  h.set_saving(false);
  h.add("secret");
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_EQ(h.entries().size(), 1u);
}

}  // namespace
}  // namespace corral::cli
