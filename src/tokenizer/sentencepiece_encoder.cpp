// SentencePiece encoders: llama.cpp's score-ranked merging and Hugging
// Face's merge-ranked BPE with byte fallback.
#include "tokenizer/sentencepiece_encoder.h"

#include <algorithm>
#include <cstdio>

#include "util/utf8.h"

namespace corral::tokenizer {

namespace {

constexpr std::string_view kSpaceMark = "\xe2\x96\x81";  // ▁ U+2581

// Length of the character at text[off]: a valid UTF-8 sequence, or one byte.
// (llama.cpp goes by the lead byte alone; for valid UTF-8 that is the same,
// for invalid input this keeps ▁ and the bytes after a bad lead intact.)
std::size_t char_length(std::string_view text, std::size_t off) {
  std::size_t next = off;
  utf8::decode(text, next);
  return next - off;
}

// True if some token has a character other than ▁ right before a ▁.
bool has_inner_space_mark(const std::vector<std::string>& tokens) {
  for (const std::string& t : tokens) {
    for (std::size_t p = t.find(kSpaceMark, 1); p != std::string::npos; p = t.find(kSpaceMark, p + 1)) {
      const bool after_mark = p >= 3 && t.compare(p - 3, 3, kSpaceMark) == 0;
      if (!after_mark) return true;
    }
  }
  return false;
}

}  // namespace

SentencePieceBase::SentencePieceBase(const Vocab& vocab, const TextIndex& index)
    : vocab_(vocab), index_(index), words_independent_(!has_inner_space_mark(vocab.tokens)) {
  for (unsigned b = 0; b < 256; ++b) {
    char name[8];
    std::snprintf(name, sizeof(name), "<0x%02X>", b);
    TokenId id = index.find(name);
    if (id == kNoToken) id = index.find(std::string(1, static_cast<char>(b)));
    if (id == kNoToken) id = vocab.unk;
    byte_ids_[b] = id;
  }
}

void SentencePieceBase::encode_escaped(std::string_view text, std::vector<TokenId>& out) const {
  if (!words_independent_) {
    merge(text, out);
    return;
  }
  LocalPieceCache local;
  std::size_t start = 0;
  while (start < text.size()) {
    // The word ends where a ▁ follows something that is not a ▁.
    std::size_t end = start;
    while (end < text.size() && text.compare(end, 3, kSpaceMark) == 0) end += 3;
    end = text.find(kSpaceMark, end);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view word = text.substr(start, end - start);
    start = end;
    const std::uint64_t hash = hash_text(word);
    if (local.find(word, hash, out)) continue;
    const std::size_t before = out.size();
    if (!shared_cache_.find(word, hash, out)) {
      merge(word, out);
      shared_cache_.insert(word, hash, std::span(out).subspan(before));
    }
    local.insert(word, hash, std::span(out).subspan(before));
  }
}

void SentencePieceBase::escape(std::string_view text, bool prefix, std::string& out) {
  out.reserve(out.size() + text.size() + text.size() / 4 + 3);
  if (prefix) out.append(kSpaceMark);
  for (char c : text) {
    if (c == ' ')
      out.append(kSpaceMark);
    else
      out.push_back(c);
  }
}

void SentencePieceBase::append_bytes(std::string_view s, std::vector<TokenId>& out) const {
  for (unsigned char b : s)
    if (byte_ids_[b] != kNoToken) out.push_back(byte_ids_[b]);
}

// --- llama.cpp's algorithm: bigrams ranked by the score of the merged token.

void ScoredSentencePieceEncoder::encode(std::string_view raw, bool after_special, std::vector<TokenId>& out) const {
  std::string text;
  escape(raw, after_special && vocab_.add_space_prefix, text);
  encode_escaped(text, out);
}

void ScoredSentencePieceEncoder::merge(std::string_view text, std::vector<TokenId>& out) const {
  if (text.empty()) return;

  struct Symbol {
    std::uint32_t offset, length;  // length 0: merged away
    std::int32_t prev, next;
  };
  struct Bigram {
    float score;
    std::int32_t left, right;
    std::uint32_t size;
  };
  // Max-heap: higher score first, then the leftmost.
  auto lower = [](const Bigram& a, const Bigram& b) { return a.score < b.score || (a.score == b.score && a.left > b.left); };

  std::vector<Symbol> sym;
  sym.reserve(text.size());
  for (std::size_t off = 0; off < text.size();) {
    const std::size_t len = char_length(text, off);
    auto idx = static_cast<std::int32_t>(sym.size());
    sym.push_back({static_cast<std::uint32_t>(off), static_cast<std::uint32_t>(len), idx - 1,
                   off + len == text.size() ? -1 : idx + 1});
    off += len;
  }
  std::vector<Bigram> heap;
  auto add_bigram = [&](std::int32_t l, std::int32_t r, bool keep_heap) {
    if (l < 0 || r < 0) return;
    const Symbol& a = sym[static_cast<std::size_t>(l)];
    const Symbol& b = sym[static_cast<std::size_t>(r)];
    const std::string_view joined(text.data() + a.offset, a.length + b.length);
    const TokenId id = index_.find(joined);
    if (id == kNoToken) return;
    heap.push_back({vocab_.score(id), l, r, static_cast<std::uint32_t>(joined.size())});
    if (keep_heap) std::push_heap(heap.begin(), heap.end(), lower);
  };
  for (std::size_t i = 1; i < sym.size(); ++i) add_bigram(static_cast<std::int32_t>(i - 1), static_cast<std::int32_t>(i), false);
  std::make_heap(heap.begin(), heap.end(), lower);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), lower);
    const Bigram b = heap.back();
    heap.pop_back();
    Symbol& left = sym[static_cast<std::size_t>(b.left)];
    Symbol& right = sym[static_cast<std::size_t>(b.right)];
    if (left.length == 0 || right.length == 0 || left.length + right.length != b.size) continue;
    left.length += right.length;
    right.length = 0;
    left.next = right.next;
    if (right.next >= 0) sym[static_cast<std::size_t>(right.next)].prev = b.left;
    add_bigram(left.prev, b.left, true);
    add_bigram(b.left, left.next, true);
  }
  for (std::int32_t i = 0; i != -1; i = sym[static_cast<std::size_t>(i)].next) {
    const Symbol& s = sym[static_cast<std::size_t>(i)];
    const std::string_view piece(text.data() + s.offset, s.length);
    const TokenId id = index_.find(piece);
    if (id != kNoToken)
      out.push_back(id);
    else
      append_bytes(piece, out);
  }
}

// --- Hugging Face BPE with byte fallback: characters, then merges by rank.

RankedSentencePieceEncoder::RankedSentencePieceEncoder(const Vocab& vocab, const TextIndex& index)
    : SentencePieceBase(vocab, index), merges_(build_pair_index(vocab.merges, index)) {}

void RankedSentencePieceEncoder::encode(std::string_view raw, bool after_special, std::vector<TokenId>& out) const {
  std::string text;
  escape(raw, after_special && vocab_.add_space_prefix, text);
  encode_escaped(text, out);
}

void RankedSentencePieceEncoder::merge(std::string_view text, std::vector<TokenId>& out) const {
  std::vector<TokenId> initial;
  initial.reserve(text.size());
  for (std::size_t off = 0; off < text.size();) {
    const std::size_t len = char_length(text, off);
    const std::string_view ch(text.data() + off, len);
    const TokenId id = index_.find(ch);
    if (id != kNoToken)
      initial.push_back(id);
    else
      append_bytes(ch, initial);
    off += len;
  }
  BpeScratch scratch;
  bpe_merge(initial, merges_, scratch, out);
}

}  // namespace corral::tokenizer
