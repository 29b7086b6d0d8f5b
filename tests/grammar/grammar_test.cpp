// Grammar building, printing and compilation errors; the matcher on small
// hand-written grammars (repetition bounds, alternatives, recursion, rules
// that match the empty string, rule ends that resume the caller).
#include <gtest/gtest.h>

#include "grammar/automaton.h"
#include "grammar/grammar.h"
#include "grammar/matcher.h"
#include "match_util.h"
#include "util/error.h"

namespace corral::grammar {
namespace {

using test::is_prefix;
using test::matches;

std::string error_of(const Grammar& g) {
  try {
    Automaton::compile(g);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Grammar, PrintsRulesAsGbnf) {
  Grammar g;
  RuleId digits = g.add("digits", plus(set(ByteSet::range('0', '9'))));
  RuleId root = g.add("root", seq({lit("[\"\n"), opt(ref(digits)), alt({lit("a"), set(ByteSet::of("xyz"))}),
                                   repeat(lit("b"), 2, 4), repeat(lit("c"), 3, 3), repeat(lit("d"), 1, kUnbounded),
                                   star(lit("e")), set(ByteSet::single(0xff))}));
  g.set_root(root);
  EXPECT_EQ(g.to_text(),
            "root ::= \"[\\\"\\n\" digits? (\"a\" | [x-z]) \"b\"{2,4} \"c\"{3} \"d\"+ \"e\"* [\\xFF]\n"
            "digits ::= [0-9]+\n");
}

TEST(Grammar, RejectsDuplicateNamesAndBadRepetition) {
  Grammar g;
  g.declare("a");
  EXPECT_THROW(g.declare("a"), Error);
  EXPECT_THROW(repeat(lit("x"), 3, 2), Error);
  EXPECT_EQ(g.fresh_name("a"), "a-1");
  EXPECT_EQ(g.fresh_name("b"), "b");
}

TEST(Compile, ReportsUndefinedRulesLeftRecursionAndEmptyLanguages) {
  {
    Grammar g;
    RuleId later = g.declare("later");
    g.set_root(g.add("root", seq({lit("x"), ref(later)})));
    EXPECT_NE(error_of(g).find("rule 'later' is used but not defined"), std::string::npos) << error_of(g);
  }
  {
    Grammar g;
    RuleId expr = g.declare("expr");
    g.define(expr, alt({seq({ref(expr), lit("+"), lit("1")}), lit("1")}));
    g.set_root(expr);
    EXPECT_NE(error_of(g).find("left-recursive"), std::string::npos) << error_of(g);
  }
  {
    // Left recursion through a rule that can match nothing.
    Grammar g;
    RuleId a = g.declare("a", true);
    RuleId maybe = g.add("maybe", opt(lit("m")), true);
    g.define(a, alt({seq({ref(maybe), ref(a), lit("x")}), lit("y")}));
    g.set_root(a);
    EXPECT_NE(error_of(g).find("rule 'a' is left-recursive"), std::string::npos) << error_of(g);
  }
  {
    Grammar g;
    g.set_root(g.add("root", seq({lit("a"), nothing()})));
    EXPECT_NE(error_of(g).find("matches nothing"), std::string::npos) << error_of(g);
  }
  {
    // Recursion without a way out matches nothing either.
    Grammar g;
    RuleId r = g.declare("r");
    g.define(r, seq({lit("("), ref(r), lit(")")}));
    g.set_root(r);
    EXPECT_NE(error_of(g).find("matches nothing"), std::string::npos) << error_of(g);
  }
  {
    Grammar g;
    g.set_root(g.add("root", repeat(lit("abcdefgh"), 0, 100000)));
    EXPECT_NE(error_of(g).find("grammar too large"), std::string::npos) << error_of(g);
  }
}

TEST(Matcher, BoundedAndUnboundedRepetition) {
  Grammar g;
  g.set_root(g.add("root", seq({repeat(lit("ab"), 2, 3), lit("-"), star(set(ByteSet::of("xy")))})));
  auto a = Automaton::compile(g);
  EXPECT_FALSE(matches(a, "ab-"));
  EXPECT_TRUE(matches(a, "abab-"));
  EXPECT_TRUE(matches(a, "ababab-xyyx"));
  EXPECT_FALSE(matches(a, "abababab-"));
  EXPECT_FALSE(matches(a, "aba-"));
  EXPECT_TRUE(is_prefix(a, "aba"));
  EXPECT_FALSE(is_prefix(a, "abx"));
}

TEST(Matcher, RecursionThroughCalledRules) {
  // Balanced brackets: b ::= ("(" b ")")*
  Grammar g;
  RuleId b = g.declare("b", true);
  g.define(b, star(seq({lit("("), ref(b), lit(")")})));
  g.set_root(g.add("root", seq({ref(b), lit(".")})));
  auto a = Automaton::compile(g);
  EXPECT_TRUE(matches(a, "."));
  EXPECT_TRUE(matches(a, "(()())(((())))."));
  EXPECT_FALSE(matches(a, "(()."));
  EXPECT_FALSE(matches(a, "())."));
  std::string deep = std::string(5000, '(') + std::string(5000, ')') + ".";
  EXPECT_TRUE(matches(a, deep));
}

TEST(Matcher, RulesThatMatchTheEmptyStringResumeTheirCaller) {
  Grammar g;
  RuleId sp = g.add("sp", star(lit(" ")), true);
  RuleId word = g.add("word", plus(set(ByteSet::range('a', 'z'))), true);
  g.set_root(g.add("root", seq({ref(sp), ref(word), star(seq({ref(sp), lit(","), ref(sp), ref(word)})), ref(sp)})));
  auto a = Automaton::compile(g);
  EXPECT_TRUE(matches(a, "abc"));
  EXPECT_TRUE(matches(a, "  abc , de,f  "));
  EXPECT_FALSE(matches(a, "abc,"));
  EXPECT_FALSE(matches(a, " "));
  Matcher m(a);
  ASSERT_TRUE(m.accept("ab"));
  EXPECT_TRUE(m.can_end());
  EXPECT_FALSE(m.finished());  // more letters, spaces or a comma may follow
}

TEST(Matcher, NullableLoopsTerminate) {
  // (" "?)* can repeat an empty match; expansion must still stop.
  Grammar g;
  RuleId maybe = g.add("maybe", opt(lit(" ")), true);
  g.set_root(g.add("root", seq({star(ref(maybe)), lit("x")})));
  auto a = Automaton::compile(g);
  EXPECT_TRUE(matches(a, "x"));
  EXPECT_TRUE(matches(a, "   x"));
  EXPECT_FALSE(matches(a, " y"));
}

TEST(Matcher, AlternativesSharingPrefixesStayOpenUntilTheyDiffer) {
  Grammar g;
  RuleId one = g.add("one", lit("abc"), true);
  RuleId two = g.add("two", lit("abd"), true);
  g.set_root(g.add("root", alt({ref(one), ref(two), lit("abe")})));
  auto a = Automaton::compile(g);
  Matcher m(a);
  ASSERT_TRUE(m.accept("ab"));
  EXPECT_TRUE(m.can_accept("c"));
  EXPECT_TRUE(m.can_accept("d"));
  EXPECT_TRUE(m.can_accept("e"));
  EXPECT_FALSE(m.can_accept("f"));
  ASSERT_TRUE(m.accept("d"));
  EXPECT_TRUE(m.finished());
}

TEST(Matcher, EmptyInputKeepsTheState) {
  Grammar g;
  g.set_root(g.add("root", lit("a")));
  Matcher m(Automaton::compile(g));
  EXPECT_TRUE(m.accept(""));
  EXPECT_FALSE(m.can_end());
  EXPECT_TRUE(m.accept("a"));
  EXPECT_TRUE(m.finished());
  EXPECT_FALSE(m.accept("a"));
  m.reset();
  EXPECT_FALSE(m.can_end());
  EXPECT_TRUE(m.accept("a"));
}

TEST(Matcher, DeepNestingSurvivesPoolCompaction) {
  // More than a million open calls: the pool is compacted (node ids change)
  // and the state stays correct.
  Grammar g;
  RuleId b = g.declare("b", true);
  g.define(b, star(seq({lit("("), ref(b), lit(")")})));
  g.set_root(b);
  Matcher m(Automaton::compile(g));
  const auto generation = m.generation();
  const std::size_t depth = (std::size_t{1} << 20) + 1000;
  for (std::size_t i = 0; i < depth; ++i) ASSERT_TRUE(m.accept("("));
  EXPECT_NE(m.generation(), generation);
  EXPECT_FALSE(m.can_end());
  EXPECT_FALSE(m.accept("x"));
  for (std::size_t i = 0; i + 1 < depth; ++i) ASSERT_TRUE(m.accept(")"));
  EXPECT_FALSE(m.can_end());
  ASSERT_TRUE(m.accept(")"));
  EXPECT_TRUE(m.can_end());
  EXPECT_FALSE(m.accept(")"));
}

}  // namespace
}  // namespace corral::grammar
