// list / ps tables.
#include <gtest/gtest.h>

#include "cli/model_lists.h"

namespace corral::cli {
namespace {

using namespace std::chrono;

TEST(ModelLists, ListTableWithPrefixFilter) {
  const auto now = system_clock::time_point{} + hours(24 * 365 * 50);
  api::ListModel a;
  a.name = a.model = "tolstoy:latest";
  a.digest = "899733a3ac57e9c23d5b78915e44dd15bd8c6ea615a96acadef42e5875c58387";
  a.size = 3'099'000;
  a.modified_at = now - minutes(2);
  api::ListModel b;
  b.name = b.model = "Tiny/other:v1";
  b.digest = "0123456789abcdef";
  b.size = 561;
  b.modified_at = now - hours(24 * 3);
  EXPECT_EQ(render_model_list({a, b}, "", now),
            "NAME              ID              SIZE      MODIFIED\n"
            "tolstoy:latest    899733a3ac57    3.1 MB    2 minutes ago\n"
            "Tiny/other:v1     0123456789ab    561 B     3 days ago\n");
  EXPECT_EQ(render_model_list({a, b}, "tiny", now),
            "NAME             ID              SIZE     MODIFIED\n"
            "Tiny/other:v1    0123456789ab    561 B    3 days ago\n");
  EXPECT_EQ(render_model_list({}, "", now), "NAME    ID    SIZE    MODIFIED\n");
}

TEST(ModelLists, PsTable) {
  const auto now = system_clock::time_point{} + hours(24 * 365 * 50);
  api::ProcessModel m;
  m.name = m.model = "tolstoy:latest";
  m.digest = "899733a3ac57e9c2";
  m.size = 5'137'025;
  m.context_length = 256;
  m.expires_at = now + minutes(4) + seconds(59);
  api::ProcessModel forever = m;
  forever.name = "kept:latest";
  forever.expires_at = now + hours(24 * 365 * 200);
  api::ProcessModel stopping = m;
  stopping.name = "old:latest";
  stopping.expires_at = now - seconds(1);
  EXPECT_EQ(render_process_list({m, forever, stopping}, "", now),
            "NAME              ID              SIZE      PROCESSOR    CONTEXT    UNTIL\n"
            "tolstoy:latest    899733a3ac57    5.1 MB    100% CPU     256        4 minutes from now\n"
            "kept:latest       899733a3ac57    5.1 MB    100% CPU     256        Forever\n"
            "old:latest        899733a3ac57    5.1 MB    100% CPU     256        Stopping...\n");
}

TEST(ModelLists, ProcessorColumn) {
  EXPECT_EQ(processor_text(100, 0), "100% CPU");
  EXPECT_EQ(processor_text(100, 100), "100% GPU");
  EXPECT_EQ(processor_text(100, 52), "48%/52% CPU/GPU");
  EXPECT_EQ(processor_text(100, 150), "Unknown");
}

}  // namespace
}  // namespace corral::cli
