// The "json" format grammar: any JSON object, checked on hand-written texts.
#include <gtest/gtest.h>

#include "grammar/json_rules.h"
#include "match_util.h"

namespace corral::grammar {
namespace {

using test::is_prefix;
using test::matches;

class JsonObjectGrammar : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { a_ = Automaton::compile(json_object_grammar()); }
  static std::shared_ptr<const Automaton> a_;
};
std::shared_ptr<const Automaton> JsonObjectGrammar::a_;

TEST_F(JsonObjectGrammar, AcceptsObjects) {
  for (const char* text : {
           R"({})",
           R"({"a":1})",
           R"({ "a" : 1 , "b" : [ 1 , 2 ] })",
           "{\n  \"a\": {\n    \"b\": [true, false, null]\n  }\n}",
           R"({"s":"caf\u00e9 \"quoted\" \\ \/ \b\f\n\r\t"})",
           R"({"n":[0,-0,1.5,-2e10,3E+2,4.25e-3,1234567890123456e0]})",
           "{\"u\":\"h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80\"}",
           R"({"":""})",
           R"({"a":{},"b":[],"c":[{}],"d":[[[]]]})",
           "{\r\n\t\"a\":1}",
       }) {
    EXPECT_TRUE(matches(a_, text)) << text;
  }
}

TEST_F(JsonObjectGrammar, RejectsNonObjectsAndBadJson) {
  for (const char* text : {
           R"([])", R"("s")", R"(1)", R"(true)", R"(null)",             // root must be an object
           R"( {})", R"({} )", R"({}{})",                             // nothing around the object
           R"({a:1})", R"({'a':1})", R"({"a" 1})", R"({"a":1,})",    // keys, colons, trailing commas
           R"({"a":[1,]})", R"({"a":01})", R"({"a":1.})", R"({"a":.5})", R"({"a":+1})",
           R"({"a":1e})", R"({"a":tru})", R"({"a":True})", R"({"a":NaN})",
           R"({"a":"\x"})", R"({"a":"\u12"})", R"({"a":"\ud800"})",     // bad escapes, lone surrogate
           "{\"a\":\"tab\there\"}", "{\"a\":\"line\nbreak\"}",         // raw control characters
           "{\"a\":\"\xc3\"}", "{\"a\":\"\xed\xa0\x80\"}", "{\"a\":\"\xc0\xaf\"}",  // invalid UTF-8
           "{\"a\":\"\xf4\x90\x80\x80\"}",                                       // above U+10FFFF
       }) {
    EXPECT_FALSE(matches(a_, text)) << text;
  }
}

TEST_F(JsonObjectGrammar, PrefixesAreViableOnlyWhenTheyCanBeCompleted) {
  EXPECT_TRUE(is_prefix(a_, R"({"a":[1,{"b":"x)"));
  EXPECT_TRUE(is_prefix(a_, "{\"a\":\"\xe2\x82"));  // inside a UTF-8 character
  EXPECT_FALSE(is_prefix(a_, R"({"a":]})"));
  EXPECT_FALSE(matches(a_, R"({"a":[1)"));
}

TEST_F(JsonObjectGrammar, WhitespaceIsBounded) {
  EXPECT_TRUE(matches(a_, "{" + std::string(4, ' ') + "}"));
  EXPECT_FALSE(matches(a_, "{" + std::string(5, ' ') + "}"));
  EXPECT_TRUE(matches(a_, "{\n" + std::string(32, ' ') + "\"a\":1}"));
  EXPECT_FALSE(matches(a_, "{\n" + std::string(33, ' ') + "\"a\":1}"));
  EXPECT_FALSE(matches(a_, "{\n\n\"a\":1}"));
}

TEST_F(JsonObjectGrammar, NumbersAreBounded) {
  EXPECT_TRUE(matches(a_, R"({"a":1234567890123456})"));
  EXPECT_FALSE(matches(a_, R"({"a":12345678901234567})"));
  EXPECT_TRUE(matches(a_, R"({"a":0.1234567890123456})"));
  EXPECT_FALSE(matches(a_, R"({"a":0.12345678901234567})"));
  EXPECT_TRUE(matches(a_, R"({"a":-9999999999999999.9999999999999999e+99})"));  // still a double
  EXPECT_FALSE(matches(a_, R"({"a":1e123})"));
}

TEST_F(JsonObjectGrammar, EndsRightAfterTheClosingBrace) {
  Matcher m(a_);
  ASSERT_TRUE(m.accept(R"({"a":[1,2]})"));
  EXPECT_TRUE(m.can_end());
  EXPECT_TRUE(m.finished());
  EXPECT_FALSE(m.can_accept(" "));
}

TEST_F(JsonObjectGrammar, RejectedBytesLeaveTheStateUnchanged) {
  Matcher m(a_);
  ASSERT_TRUE(m.accept(R"({"a":)"));
  EXPECT_FALSE(m.accept("1x"));
  EXPECT_TRUE(m.accept("1}"));
  EXPECT_TRUE(m.finished());
}

}  // namespace
}  // namespace corral::grammar
