// `run` flag values.
#include <gtest/gtest.h>

#include "cli/run_options.h"
#include "util/error.h"

namespace corral::cli {
namespace {

TEST(RunOptions, Format) {
  EXPECT_FALSE(parse_format_flag("").is_set());
  EXPECT_EQ(parse_format_flag("json").kind, api::Format::Kind::json);
  const auto schema = parse_format_flag(R"({"type":"object"})");
  EXPECT_EQ(schema.kind, api::Format::Kind::schema);
  EXPECT_EQ(schema.schema["type"], "object");
  EXPECT_THROW(parse_format_flag("yaml"), corral::Error);
  EXPECT_THROW(parse_format_flag("[1]"), corral::Error);
}

TEST(RunOptions, Think) {
  EXPECT_TRUE(parse_think_flag("").enabled());
  EXPECT_TRUE(parse_think_flag("true").enabled());
  const auto off = parse_think_flag("false");
  EXPECT_TRUE(off.is_set());
  EXPECT_FALSE(off.enabled());
  EXPECT_EQ(parse_think_flag("high").level, "high");
  try {
    parse_think_flag("hot");
    FAIL();
  } catch (const corral::Error& e) {
    EXPECT_NE(std::string(e.what()).find("--think"), std::string::npos);
  }
}

TEST(RunOptions, KeepAlive) {
  using namespace std::chrono;
  EXPECT_EQ(parse_keepalive_flag("5m").value, minutes(5));
  EXPECT_EQ(parse_keepalive_flag("90").value, seconds(90));
  EXPECT_TRUE(parse_keepalive_flag("-1").forever);
  EXPECT_TRUE(parse_keepalive_flag("-1s").forever);
  EXPECT_TRUE(parse_keepalive_flag("0").is_zero());
  EXPECT_THROW(parse_keepalive_flag("soon"), corral::Error);
  EXPECT_THROW(parse_keepalive_flag("99999999999999999999"), corral::Error);
}

}  // namespace
}  // namespace corral::cli
