// Regex pre-tokenization with PCRE2 (UTF + UCP, JIT-compiled).
#include "tokenizer/pretokenizer.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "util/error.h"

namespace corral::tokenizer {

struct PreTokenizer::Compiled {
  pcre2_code* code = nullptr;
  bool jit = false;
  std::string pattern;
  ~Compiled() { pcre2_code_free(code); }
};

namespace {

std::string pcre2_message(int code) {
  PCRE2_UCHAR buf[256];
  int n = pcre2_get_error_message(code, buf, sizeof(buf));
  return n > 0 ? std::string(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n)) : "unknown error";
}

struct MatchData {
  pcre2_match_data* md;
  explicit MatchData() : md(pcre2_match_data_create(1, nullptr)) {
    if (!md) throw Error("pre-tokenizer: out of memory for regex match data");
  }
  ~MatchData() { pcre2_match_data_free(md); }
};

// Length of the valid UTF-8 prefix of s.
std::size_t valid_prefix(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    char32_t cp;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
      cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (std::size_t k = 1; k < len; ++k) {
      unsigned char cc = p[i + k];
      if ((cc & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
      return i;
    i += len;
  }
  return n;
}

}  // namespace

PreTokenizer::PreTokenizer(const std::vector<std::string>& regexes) {
  for (const std::string& pattern : regexes) {
    auto c = std::make_unique<Compiled>();
    c->pattern = pattern;
    int err = 0;
    PCRE2_SIZE err_offset = 0;
    c->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), PCRE2_UTF | PCRE2_UCP,
                            &err, &err_offset, nullptr);
    if (!c->code)
      fail("pre-tokenizer regex '{}' does not compile at offset {}: {}", pattern, err_offset, pcre2_message(err));
    c->jit = pcre2_jit_compile(c->code, PCRE2_JIT_COMPLETE) == 0;
    regexes_.push_back(std::move(c));
  }
}

PreTokenizer::~PreTokenizer() = default;

void PreTokenizer::split(std::string_view text, const std::function<void(std::string_view)>& emit) const {
  MatchData md;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t valid = valid_prefix(text.substr(pos));
    if (valid > 0) split_level(0, text.substr(pos, valid), md.md, emit);
    pos += valid;
    if (pos < text.size()) {  // one invalid byte: a piece of its own
      emit(text.substr(pos, 1));
      ++pos;
    }
  }
}

void PreTokenizer::split_level(std::size_t level, std::string_view text, void* match_data,
                               const std::function<void(std::string_view)>& emit) const {
  if (text.empty()) return;
  if (level == regexes_.size()) {
    emit(text);
    return;
  }
  const Compiled& re = *regexes_[level];
  auto* md = static_cast<pcre2_match_data*>(match_data);
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  std::size_t start = 0;  // where the next search begins
  std::size_t gap = 0;    // start of text not yet emitted
  while (start < text.size()) {
    int rc = re.jit ? pcre2_jit_match(re.code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, md, nullptr)
                    : pcre2_match(re.code, subject, text.size(), start, PCRE2_NO_UTF_CHECK, md, nullptr);
    if (rc == PCRE2_ERROR_NOMATCH) break;
    if (rc < 0) fail("pre-tokenizer regex '{}' failed on a {}-byte text: {}", re.pattern, text.size(), pcre2_message(rc));
    const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
    const std::size_t m_begin = ov[0], m_end = ov[1];
    if (m_end <= m_begin) {  // empty match: move on by one character
      start = m_begin + 1;
      while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xc0) == 0x80) ++start;
      continue;
    }
    if (m_begin > gap) split_level(level + 1, text.substr(gap, m_begin - gap), match_data, emit);
    split_level(level + 1, text.substr(m_begin, m_end - m_begin), match_data, emit);
    gap = start = m_end;
  }
  if (gap < text.size()) split_level(level + 1, text.substr(gap), match_data, emit);
}

}  // namespace corral::tokenizer
