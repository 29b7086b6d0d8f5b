// Go durations and keep_alive forms (api/duration.h) against Go's own results.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/duration.h"
#include "util/error.h"

namespace corral::api {
namespace {

using namespace std::chrono;

TEST(GoDuration, ParsesGoForms) {
  EXPECT_EQ(parse_go_duration("5m"), minutes(5));
  EXPECT_EQ(parse_go_duration("1h30m"), hours(1) + minutes(30));
  EXPECT_EQ(parse_go_duration("300ms"), milliseconds(300));
  EXPECT_EQ(parse_go_duration("-1m"), -minutes(1));
  EXPECT_EQ(parse_go_duration("0"), nanoseconds(0));
  EXPECT_EQ(parse_go_duration("1.5s"), milliseconds(1500));
  EXPECT_EQ(parse_go_duration(".5h"), minutes(30));
  EXPECT_EQ(parse_go_duration("2h45m30.5s"), hours(2) + minutes(45) + milliseconds(30500));
  EXPECT_EQ(parse_go_duration("10us"), microseconds(10));
  EXPECT_EQ(parse_go_duration("10\xc2\xb5s"), microseconds(10));
  EXPECT_EQ(parse_go_duration("+7ns"), nanoseconds(7));
}

TEST(GoDuration, RejectsWithGoMessages) {
  auto msg = [](const char* s) {
    try {
      parse_go_duration(s);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(msg("3600"), "time: missing unit in duration \"3600\"");
  EXPECT_EQ(msg("1q"), "time: unknown unit \"q\" in duration \"1q\"");
  EXPECT_EQ(msg(""), "time: invalid duration \"\"");
  EXPECT_EQ(msg("abc"), "time: invalid duration \"abc\"");
  EXPECT_EQ(msg("."), "time: invalid duration \".\"");
  EXPECT_EQ(msg("99999999999999999999h"), "time: invalid duration \"99999999999999999999h\"");
  EXPECT_EQ(msg("3000000h"), "time: invalid duration \"3000000h\"");
}

TEST(GoDuration, FormatsLikeGoString) {
  EXPECT_EQ(format_go_duration(minutes(5)), "5m0s");
  EXPECT_EQ(format_go_duration(hours(1) + minutes(30)), "1h30m0s");
  EXPECT_EQ(format_go_duration(milliseconds(300)), "300ms");
  EXPECT_EQ(format_go_duration(milliseconds(1500)), "1.5s");
  EXPECT_EQ(format_go_duration(nanoseconds(0)), "0s");
  EXPECT_EQ(format_go_duration(-seconds(90)), "-1m30s");
  EXPECT_EQ(format_go_duration(nanoseconds(42)), "42ns");
  EXPECT_EQ(format_go_duration(microseconds(1500)), "1.5ms");
}

TEST(KeepAlive, JsonNumberIsSecondsStringIsDuration) {
  using J = nlohmann::ordered_json;
  EXPECT_EQ(keep_alive_from_json(J(300)).value, minutes(5));
  EXPECT_EQ(keep_alive_from_json(J(1.5)).value, milliseconds(1500));
  EXPECT_TRUE(keep_alive_from_json(J(-1)).forever);
  EXPECT_TRUE(keep_alive_from_json(J("-5m")).forever);
  EXPECT_TRUE(keep_alive_from_json(J(0)).is_zero());
  EXPECT_TRUE(keep_alive_from_json(J("0")).is_zero());
  EXPECT_TRUE(keep_alive_from_json(J("0s")).is_zero());
  EXPECT_EQ(keep_alive_from_json(J("10m")).value, minutes(10));
  EXPECT_THROW(keep_alive_from_json(J("3600")), Error);
  try {
    keep_alive_from_json(J(true));
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Unsupported type: 'bool'");
  }
}

TEST(KeepAlive, EnvAcceptsBareSeconds) {
  EXPECT_EQ(keep_alive_from_env("3600").value, hours(1));
  EXPECT_EQ(keep_alive_from_env("10m").value, minutes(10));
  EXPECT_TRUE(keep_alive_from_env("-1").forever);
  EXPECT_EQ(keep_alive_from_env("garbage").value, minutes(5));  // default with a warning
  EXPECT_TRUE(keep_alive_from_env("0").is_zero());
}

TEST(KeepAlive, RoundTripsThroughClientJson) {
  EXPECT_EQ(keep_alive_to_json(KeepAlive{minutes(5), false}), "5m0s");
  EXPECT_EQ(keep_alive_to_json(KeepAlive::never_expires()), -1);
  EXPECT_EQ(keep_alive_from_json(keep_alive_to_json(KeepAlive{seconds(42), false})).value, seconds(42));
}

}  // namespace
}  // namespace corral::api
