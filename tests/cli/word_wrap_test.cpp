// WordWrapper: what a terminal shows after the wrapped bytes (a small screen
// model interprets the cursor-left and erase sequences the wrapper writes).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/text_width.h"
#include "cli/word_wrap.h"
#include "util/utf8.h"

namespace corral::cli {
namespace {

// A terminal screen holding lines of code points: printable characters
// advance the cursor, "\n" starts a line, ESC[nD moves left, ESC[K erases
// to the end of the line. Wide characters take two cells.
struct Screen {
  std::vector<std::vector<std::string>> lines{{}};  // cells; "" = second half of a wide char
  std::size_t col = 0;

  void write(const std::string& bytes) {
    std::size_t i = 0;
    while (i < bytes.size()) {
      if (bytes[i] == '\x1b') {
        ASSERT_EQ(bytes[i + 1], '[');
        std::size_t j = i + 2;
        int n = 0;
        while (std::isdigit(static_cast<unsigned char>(bytes[j]))) n = n * 10 + (bytes[j++] - '0');
        if (bytes[j] == 'D') col -= std::min<std::size_t>(col, static_cast<std::size_t>(n));
        else if (bytes[j] == 'K') lines.back().resize(std::min(lines.back().size(), col));
        else ADD_FAILURE() << "unexpected escape " << bytes[j];
        i = j + 1;
        continue;
      }
      if (bytes[i] == '\n') {
        lines.emplace_back();
        col = 0;
        ++i;
        continue;
      }
      const std::size_t start = i;
      const char32_t cp = utf8::decode(bytes, i);
      const int w = codepoint_width(cp);
      auto& line = lines.back();
      if (line.size() < col + static_cast<std::size_t>(w)) line.resize(col + static_cast<std::size_t>(w));
      line[col] = bytes.substr(start, i - start);
      if (w == 2) line[col + 1] = "";
      col += static_cast<std::size_t>(w);
    }
  }
  std::vector<std::string> text() const {
    std::vector<std::string> out;
    for (const auto& l : lines) {
      std::string s;
      for (const auto& c : l) s += c;
      out.push_back(s);
    }
    return out;
  }
};

std::vector<std::string> shown(const std::vector<std::string>& chunks, int columns) {
  WordWrapper w(columns);
  Screen screen;
  for (const auto& c : chunks) screen.write(w.feed(c));
  screen.write(w.flush());
  return screen.text();
}


TEST(WordWrap, OffPassesTextThrough) {
  WordWrapper w(0);
  EXPECT_EQ(w.feed("a long line that would wrap\n"), "a long line that would wrap\n");
}

TEST(WordWrap, MovesTheWordThatCrossesTheMargin) {
  const auto lines = shown({"The prince ", "said noth", "ing at all"}, 14);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "The prince ");
  EXPECT_EQ(lines[1], "said nothing ");
  EXPECT_EQ(lines[2], "at all");
}

TEST(WordWrap, NoLineIsWiderThanTheLimitAndNoWordIsSplit) {
  const std::string text =
      "Well, Prince, so Genoa and Lucca are now just family estates of the Buonapartes. But I warn you, if you "
      "don't tell me that this means war, if you still try to defend the infamies and horrors perpetrated by "
      "that Antichrist, I really believe he is Antichrist, I will have nothing more to do with you.";
  for (int columns : {20, 33, 41, 80}) {
    // Feed it in uneven pieces, as tokens arrive.
    std::vector<std::string> chunks;
    for (std::size_t i = 0; i < text.size(); i += 3 + i % 5) chunks.push_back(text.substr(i, 3 + i % 5));
    const auto lines = shown(chunks, columns);
    for (const auto& l : lines) EXPECT_LE(display_width(l), static_cast<std::size_t>(columns)) << l;
    std::string words;
    for (const auto& l : lines) {
      std::string t = l;
      while (!t.empty() && t.back() == ' ') t.pop_back();
      words += (words.empty() ? "" : " ") + t;
    }
    EXPECT_EQ(words, text) << "columns " << columns;
  }
}

TEST(WordWrap, KeepsNewlinesAndRestartsTheLine) {
  const auto lines = shown({"first line\nsecond line that is long"}, 16);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "first line");
  EXPECT_EQ(lines[1], "second line that");
  EXPECT_EQ(lines[2], "is long");
}

TEST(WordWrap, BreaksAWordLongerThanALine) {
  const auto lines = shown({"abcdefghijklmnopqrstuvwxyz"}, 10);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "abcdefghij");
  EXPECT_EQ(lines[1], "klmnopqrst");
  EXPECT_EQ(lines[2], "uvwxyz");
}

TEST(WordWrap, NeverSplitsAUtf8CharacterEvenWhenChunksDo) {
  const std::string text = "Наташа улыбнулась ему сквозь слёзы и сказала что всё хорошо";
  std::vector<std::string> chunks;
  for (std::size_t i = 0; i < text.size(); i += 5) chunks.push_back(text.substr(i, 5));  // cuts 2-byte letters
  WordWrapper w(12);
  std::string all;
  for (const auto& c : chunks) {
    const std::string out = w.feed(c);
    EXPECT_EQ(utf8::incomplete_tail(out), 0u) << "a chunk of output ends inside a character";
    all += out;
  }
  all += w.flush();
  EXPECT_TRUE(utf8::is_valid(all));
  Screen screen;
  screen.write(all);
  for (const auto& l : screen.text()) EXPECT_LE(display_width(l), 12u) << l;
}

TEST(WordWrap, WideCharactersCountTwoColumnsAndBreakAnywhere) {
  const auto lines = shown({"日本語の文章はスペースなしで続きます"}, 10);
  ASSERT_GE(lines.size(), 2u);
  for (const auto& l : lines) EXPECT_LE(display_width(l), 10u) << l;
  EXPECT_EQ(display_width(lines[0]), 10u);
  std::string joined;
  for (const auto& l : lines) joined += l;
  EXPECT_EQ(joined, "日本語の文章はスペースなしで続きます");
}

TEST(WordWrap, ResizingTakesEffectOnTheNextChunk) {
  WordWrapper w(80);
  Screen screen;
  screen.write(w.feed("one two three "));
  w.set_columns(8);
  screen.write(w.feed("four five"));
  for (const auto& l : screen.text()) EXPECT_LE(display_width(l), 14u);
  EXPECT_EQ(screen.text().back(), "five");
}

TEST(TextWidth, TruncatesBetweenCodePoints) {
  EXPECT_EQ(truncate_to_width("héllo", 2), "hé");
  EXPECT_EQ(truncate_to_width("日本語", 3), "日");
  EXPECT_EQ(truncate_to_width("abc", 10), "abc");
  EXPECT_EQ(display_width("日本 ab"), 7u);
}

}  // namespace
}  // namespace corral::cli
