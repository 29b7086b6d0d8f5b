// BERT normalisation and greedy WordPiece matching.
#include "tokenizer/wordpiece_encoder.h"

#include <utf8proc.h>

#include <algorithm>

#include "util/utf8.h"

namespace corral::tokenizer {

namespace {

bool is_bert_whitespace(char32_t c) {
  switch (c) {
    case 0x09: case 0x0a: case 0x0d: case 0x20: case 0xa0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202f: case 0x205f: case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200a;
  }
}

utf8proc_category_t category(char32_t c) {
  return static_cast<utf8proc_category_t>(utf8proc_category(static_cast<utf8proc_int32_t>(c)));
}

// Hugging Face's is_control: "other" categories, except tab and newlines.
bool is_bert_control(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return false;
  switch (category(c)) {
    case UTF8PROC_CATEGORY_CC: case UTF8PROC_CATEGORY_CF: case UTF8PROC_CATEGORY_CS: case UTF8PROC_CATEGORY_CO:
    case UTF8PROC_CATEGORY_CN:
      return true;
    default:
      return false;
  }
}

bool is_bert_punctuation(char32_t c) {
  if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) return true;
  switch (category(c)) {
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF: case UTF8PROC_CATEGORY_PO:
      return true;
    default:
      return false;
  }
}

bool is_cjk(char32_t c) {
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x20000 && c <= 0x2a6df) ||
         (c >= 0x2a700 && c <= 0x2b73f) || (c >= 0x2b740 && c <= 0x2b81f) || (c >= 0x2b920 && c <= 0x2ceaf) ||
         (c >= 0xf900 && c <= 0xfaff) || (c >= 0x2f800 && c <= 0x2fa1f);
}

}  // namespace

std::vector<std::string> WordPieceEncoder::words(std::string_view text) {
  std::vector<std::string> words(1);
  auto end_word = [&] {
    if (!words.back().empty()) words.emplace_back();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t c = utf8::decode(text, pos);
    if (c == 0 || c == 0xfffd || is_bert_control(c)) continue;
    if (is_bert_whitespace(c)) {
      end_word();
      continue;
    }
    if (is_cjk(c)) {
      end_word();
      utf8::append(words.back(), c);
      words.emplace_back();
      continue;
    }
    // NFD, drop nonspacing marks (strip accents), lowercase.
    utf8proc_int32_t decomposed[32];
    int last_class = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), decomposed, 32,
                                                 static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE), &last_class);
    if (n < 0 || n > 32) {
      decomposed[0] = static_cast<utf8proc_int32_t>(c);
      n = 1;
    }
    for (utf8proc_ssize_t i = 0; i < n; ++i) {
      auto d = static_cast<char32_t>(decomposed[i]);
      if (category(d) == UTF8PROC_CATEGORY_MN) continue;
      d = static_cast<char32_t>(utf8proc_tolower(static_cast<utf8proc_int32_t>(d)));
      if (is_bert_punctuation(d)) {
        end_word();
        utf8::append(words.back(), d);
        words.emplace_back();
      } else {
        utf8::append(words.back(), d);
      }
    }
  }
  if (words.back().empty()) words.pop_back();
  return words;
}

WordPieceEncoder::WordPieceEncoder(const Vocab& vocab, const TextIndex& index) : vocab_(vocab), index_(index) {
  for (const std::string& t : vocab.tokens) max_token_length_ = std::max(max_token_length_, t.size());
}

void WordPieceEncoder::encode(std::string_view text, bool, std::vector<TokenId>& out) const {
  std::string word;
  for (const std::string& w : words(text)) {
    word.assign("\xe2\x96\x81");  // phantom space: word-start pieces carry ▁
    word.append(w);
    const std::size_t start_size = out.size();
    bool ok = true;
    for (std::size_t i = 0; i < word.size() && ok;) {
      ok = false;
      for (std::size_t j = std::min(word.size(), i + max_token_length_); j > i; --j) {
        const TokenId id = index_.find(std::string_view(word).substr(i, j - i));
        if (id != kNoToken) {
          out.push_back(id);
          i = j;
          ok = true;
          break;
        }
      }
    }
    if (!ok) out.resize(start_size);
    if (out.size() == start_size && vocab_.unk != kNoToken) out.push_back(vocab_.unk);
  }
}

}  // namespace corral::tokenizer
