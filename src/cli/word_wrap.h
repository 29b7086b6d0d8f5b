// WordWrapper: wraps streamed text at the terminal width as it arrives, the
// way Ollama's REPL does. Text is written at once; when a word crosses the
// right margin, the part already on screen is erased (cursor left, clear to
// end of line) and the word continues on the next line. Widths are terminal
// columns (wide CJK characters count 2 and are break points of their own);
// UTF-8 sequences split across chunks are held until complete, so a
// character is never cut. A word longer than a whole line is broken where
// the line ends. Spaces are held until the next word: a line never ends in
// the space that became its break.
#pragma once

#include <string>
#include <string_view>

namespace corral::cli {

class WordWrapper {
 public:
  // Lines hold at most `columns` columns; 0 or less turns wrapping off
  // (text passes through unchanged).
  explicit WordWrapper(int columns = 0) : columns_(columns) {}

  // The terminal may be resized between chunks.
  void set_columns(int columns) { columns_ = columns; }
  int columns() const { return columns_; }

  // The bytes to write for the next piece of text.
  std::string feed(std::string_view text);
  // Any held-back incomplete UTF-8 bytes (written as they are).
  std::string flush();
  // Forget the line position (after the caller wrote a newline itself).
  void reset();

 private:
  void put(char32_t cp, std::string_view bytes, std::string& out);

  int columns_;
  int line_width_ = 0;
  std::string word_;       // the current word's bytes on this line
  int word_width_ = 0;
  std::string partial_;    // an incomplete UTF-8 sequence from the last chunk
  std::string spaces_;     // spaces after the last word, written only once a word follows
  int spaces_width_ = 0;
};

}  // namespace corral::cli
