// Borderless tables: four spaces between columns, widths in terminal columns.
#include <gtest/gtest.h>

#include "cli/text_table.h"

namespace corral::cli {
namespace {

TEST(TextTable, ListLayout) {
  const std::string t = render_table({"NAME", "ID", "SIZE", "MODIFIED"},
                                     {{"tolstoy:latest", "0123456789ab", "3.1 MB", "2 minutes ago"},
                                      {"x:1", "ba9876543210", "561 B", "3 days ago"}});
  EXPECT_EQ(t,
            "NAME              ID              SIZE      MODIFIED\n"
            "tolstoy:latest    0123456789ab    3.1 MB    2 minutes ago\n"
            "x:1               ba9876543210    561 B     3 days ago\n");
}

TEST(TextTable, IndentedSectionRowsAndWideCharacters) {
  const std::string t = render_table({}, {{"", "architecture", "llama"}, {"", "名前", "x"}});
  EXPECT_EQ(t,
            "    architecture    llama\n"
            "    名前            x\n");
}

TEST(TextTable, HeaderOnly) { EXPECT_EQ(render_table({"NAME", "ID"}, {}), "NAME    ID\n"); }

}  // namespace
}  // namespace corral::cli
