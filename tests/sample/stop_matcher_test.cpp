// StopMatcher: stop strings split across pieces at every position, several
// stop strings, stop strings that contain others, UTF-8 characters split
// across pieces, hold-back and flush; plus randomised cases against a
// brute-force reading of the rule on the whole text.
#include "sample/stop_matcher.h"

#include "sample/rng.h"
#include "util/utf8.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace corral::sample {
namespace {

struct Outcome {
  std::string text;  // everything emitted, flush included when no stop occurred
  std::optional<std::size_t> match;
  bool chunks_on_char_boundaries = true;
};

Outcome run(const std::vector<std::string>& stops, const std::vector<std::string>& pieces) {
  StopMatcher m(stops);
  Outcome out;
  auto take = [&](const std::string& chunk) {
    if (!chunk.empty() && (utf8::incomplete_tail(chunk) != 0 || (static_cast<unsigned char>(chunk[0]) & 0xc0) == 0x80)) {
      out.chunks_on_char_boundaries = false;
    }
    out.text += chunk;
  };
  for (const auto& piece : pieces) {
    StopResult r = m.push(piece);
    take(r.text);
    if (r.stopped()) {
      out.match = r.match;
      break;
    }
  }
  if (!out.match) take(m.flush());
  return out;
}

// Every way of cutting `text` into two and three pieces, plus byte by byte.
std::vector<std::vector<std::string>> splits(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  const std::size_t n = text.size();
  for (std::size_t i = 0; i <= n; ++i) {
    out.push_back({text.substr(0, i), text.substr(i)});
    for (std::size_t j = i; j <= n; ++j) out.push_back({text.substr(0, i), text.substr(i, j - i), text.substr(j)});
  }
  std::vector<std::string> bytes;
  for (char c : text) bytes.emplace_back(1, c);
  out.push_back(bytes);
  return out;
}

void expect_all_splits(const std::vector<std::string>& stops, const std::string& text, const std::string& emitted,
                       std::optional<std::size_t> match) {
  for (const auto& pieces : splits(text)) {
    const Outcome o = run(stops, pieces);
    std::string where;
    for (const auto& p : pieces) where += "[" + p + "]";
    EXPECT_EQ(o.text, emitted) << where;
    EXPECT_EQ(o.match, match) << where;
    EXPECT_TRUE(o.chunks_on_char_boundaries) << where;
  }
}

TEST(StopMatcherTest, StopSplitAtEveryPosition) {
  expect_all_splits({"</s>"}, "Hello</s>world", "Hello", 0);
}

TEST(StopMatcherTest, NoStopMeansEverythingComesOut) {
  expect_all_splits({"</s>"}, "Hello </ world", "Hello </ world", std::nullopt);
  expect_all_splits({}, "plain text", "plain text", std::nullopt);
}

TEST(StopMatcherTest, SeveralStopStringsFirstOneWins) {
  expect_all_splits({"###", "User:"}, "abc User: x ### y", "abc ", 1);
  expect_all_splits({"###", "User:"}, "abc ### User:", "abc ", 0);
}

TEST(StopMatcherTest, StopThatIsAPrefixOfAnother) {
  // "ab" is complete before "abc" could be; either order of the list.
  expect_all_splits({"ab", "abc"}, "xabcd", "x", 0);
  expect_all_splits({"abc", "ab"}, "xabcd", "x", 1);
}

TEST(StopMatcherTest, StopInsideAnotherEndsAtTheFirstCompleted) {
  // "b" is complete at the 3rd byte, "abc" only at the 4th.
  expect_all_splits({"abc", "b"}, "xabc", "xa", 1);
  // Both complete at the same byte: the longer one is the stop.
  expect_all_splits({"b", "ab"}, "xab", "x", 1);
}

TEST(StopMatcherTest, HoldsBackPossibleStartsOnly) {
  StopMatcher m({"<|im_end|>"});
  EXPECT_EQ(m.push("Hi <|im").text, "Hi ");
  StopResult r = m.push("_start|>");
  EXPECT_EQ(r.text, "<|im_start|>");
  EXPECT_FALSE(r.stopped());
  EXPECT_EQ(m.push("ok").text, "ok");
  EXPECT_EQ(m.push(" <|").text, " ");
  EXPECT_EQ(m.flush(), "<|");
  EXPECT_EQ(m.flush(), "");
}

TEST(StopMatcherTest, NothingAfterTheStop) {
  StopMatcher m({"END"});
  StopResult r = m.push("doneEN");
  EXPECT_EQ(r.text, "done");
  r = m.push("D and more");
  EXPECT_EQ(r.text, "");
  ASSERT_TRUE(r.stopped());
  EXPECT_EQ(*r.match, 0u);
  r = m.push("later");
  EXPECT_EQ(r.text, "");
  EXPECT_TRUE(r.stopped());
  EXPECT_TRUE(m.stopped());
  EXPECT_EQ(m.flush(), "");
}

TEST(StopMatcherTest, EmptyStopStringsAreIgnored) {
  expect_all_splits({""}, "abc", "abc", std::nullopt);
  expect_all_splits({"", "x"}, "abxc", "ab", 1);
}

TEST(StopMatcherTest, NeverSplitsAUtf8Character) {
  // é (2 bytes), € (3 bytes), 😀 (4 bytes) cut at every byte.
  expect_all_splits({}, "caf\xc3\xa9 5\xe2\x82\xac \xf0\x9f\x98\x80!", "caf\xc3\xa9 5\xe2\x82\xac \xf0\x9f\x98\x80!",
                    std::nullopt);
  StopMatcher m({});
  EXPECT_EQ(m.push("\xf0\x9f").text, "");
  EXPECT_EQ(m.push("\x98").text, "");
  EXPECT_EQ(m.push("\x80x").text, "\xf0\x9f\x98\x80x");
}

TEST(StopMatcherTest, MultiByteStopStrings) {
  // Stop 。 while the text has other 3-byte characters with the same lead byte.
  expect_all_splits({"\xe3\x80\x82"}, "\xe3\x81\x82\xe3\x80\x81\xe3\x80\x82\xe3\x81\x84",
                    "\xe3\x81\x82\xe3\x80\x81", 0);
  // ü shares its lead byte with é: é is held, then released.
  StopMatcher m({"\xc3\xbc"});
  EXPECT_EQ(m.push("\xc3").text, "");
  EXPECT_EQ(m.push("\xa9").text, "\xc3\xa9");
}

TEST(StopMatcherTest, FlushReturnsAnIncompleteTail) {
  StopMatcher m({});
  EXPECT_EQ(m.push("ab\xe2\x82").text, "ab");
  EXPECT_EQ(m.flush(), "\xe2\x82");
}

// The rule read directly off the whole text: the stop completed first (then
// the longest, then the earliest in the list); the text before it comes out.
Outcome brute_force(const std::vector<std::string>& stops, const std::string& text) {
  for (std::size_t end = 1; end <= text.size(); ++end) {
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < stops.size(); ++i) {
      const std::string& s = stops[i];
      if (s.empty() || s.size() > end || text.compare(end - s.size(), s.size(), s) != 0) continue;
      if (!best || s.size() > stops[*best].size()) best = i;
    }
    if (best) return {text.substr(0, end - stops[*best].size()), best, true};
  }
  return {text, std::nullopt, true};
}

TEST(StopMatcherTest, RandomTextsStopsAndSplitsAgreeWithTheRule) {
  const std::vector<std::string> alphabet = {"a", "b", "c", "\xc3\xa9", "\xc3\xbc", "\xe2\x82\xac"};
  SplitMix64 rng(20240611);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng.next() % n); };
  auto word = [&](std::size_t max_len) {
    std::string w;
    const std::size_t len = 1 + pick(max_len);
    for (std::size_t i = 0; i < len; ++i) w += alphabet[pick(alphabet.size())];
    return w;
  };
  for (int iteration = 0; iteration < 3000; ++iteration) {
    std::vector<std::string> stops;
    const std::size_t n_stops = pick(4);
    for (std::size_t i = 0; i < n_stops; ++i) stops.push_back(word(3));
    const std::string text = word(12);
    std::vector<std::string> pieces;
    for (std::size_t pos = 0; pos < text.size();) {
      const std::size_t len = std::min(text.size() - pos, pick(5));
      pieces.push_back(text.substr(pos, len));
      pos += len;
    }
    const Outcome want = brute_force(stops, text);
    const Outcome got = run(stops, pieces);
    ASSERT_EQ(got.text, want.text) << "text " << text << " iteration " << iteration;
    ASSERT_EQ(got.match, want.match) << "text " << text << " iteration " << iteration;
    ASSERT_TRUE(got.chunks_on_char_boundaries) << "text " << text << " iteration " << iteration;
  }
}

}  // namespace
}  // namespace corral::sample
