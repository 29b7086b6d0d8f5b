// Streaming word wrap (see word_wrap.h).
#include "cli/word_wrap.h"

#include <fmt/format.h>

#include "cli/text_width.h"
#include "util/utf8.h"

namespace corral::cli {

void WordWrapper::reset() {
  line_width_ = 0;
  word_.clear();
  word_width_ = 0;
  spaces_.clear();
  spaces_width_ = 0;
}

std::string WordWrapper::flush() {
  std::string out;
  out.swap(partial_);
  return out;
}

std::string WordWrapper::feed(std::string_view text) {
  if (columns_ <= 0 && partial_.empty()) return std::string(text);
  std::string data = partial_ + std::string(text);
  partial_.clear();
  const std::size_t tail = utf8::incomplete_tail(data);
  partial_ = data.substr(data.size() - tail);
  data.resize(data.size() - tail);
  if (columns_ <= 0) return data;

  std::string out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    const std::size_t start = pos;
    const char32_t cp = utf8::decode(data, pos);
    put(cp, std::string_view(data).substr(start, pos - start), out);
  }
  return out;
}

void WordWrapper::put(char32_t cp, std::string_view bytes, std::string& out) {
  if (cp == '\n' || cp == '\r') {
    out += bytes;  // spaces before a line break are dropped
    reset();
    return;
  }
  const bool space = cp == ' ' || cp == '\t';
  const int column = line_width_ + spaces_width_;
  const int width = cp == '\t' ? 8 - column % 8 : codepoint_width(cp);

  if (space) {
    word_.clear();
    word_width_ = 0;
    if (column + width > columns_) {
      // The space becomes the line break.
      out += '\n';
      reset();
      return;
    }
    spaces_ += bytes;
    spaces_width_ += width;
    return;
  }
  if (!spaces_.empty()) {
    if (column + width > columns_) {
      // The next word starts on a new line; the spaces were the break.
      out += '\n';
      reset();
    } else {
      out += spaces_;
      line_width_ += spaces_width_;
      spaces_.clear();
      spaces_width_ = 0;
    }
  }

  if (line_width_ + width > columns_) {
    if (word_width_ > 0 && word_width_ + width <= columns_ && word_width_ < line_width_) {
      // Move the word begun on this line to the next one.
      out += fmt::format("\x1b[{}D\x1b[K\n", word_width_);
      out += word_;
      line_width_ = word_width_;
    } else {
      // At a break point already, or the word is as long as a line: break here.
      out += '\n';
      line_width_ = 0;
      word_.clear();
      word_width_ = 0;
    }
  }

  out += bytes;
  line_width_ += width;
  if (width >= 2) {
    // Wide characters are words of their own.
    word_.clear();
    word_width_ = 0;
  } else {
    word_ += bytes;
    word_width_ += width;
  }
}

}  // namespace corral::cli
