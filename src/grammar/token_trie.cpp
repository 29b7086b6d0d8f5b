// TokenTrie: built from the sorted token pieces; cache keyed by tokenizer.
#include "grammar/token_trie.h"

#include <algorithm>
#include <map>
#include <mutex>

#include "util/error.h"

namespace corral::grammar {

TokenTrie::TokenTrie(const tokenizer::Tokenizer& tok) {
  using tokenizer::TokenType;
  vocab_size_ = tok.size();
  if (vocab_size_ > static_cast<std::size_t>(INT32_MAX)) fail("token trie: vocabulary of {} tokens is too large", vocab_size_);
  std::vector<std::pair<std::string_view, std::int32_t>> pieces;
  pieces.reserve(vocab_size_);
  for (std::size_t i = 0; i < vocab_size_; ++i) {
    const auto id = static_cast<std::int32_t>(i);
    if (tok.is_eog(id)) {
      eog_.push_back(id);
      continue;
    }
    const TokenType t = tok.type(id);
    if (t != TokenType::NORMAL && t != TokenType::BYTE) continue;
    std::string_view p = tok.piece(id);
    if (p.empty() || p.size() > UINT16_MAX) continue;
    pieces.emplace_back(p, id);
  }
  std::sort(pieces.begin(), pieces.end());

  bytes_.push_back(0);
  depth_.push_back(0);
  tok_begin_.push_back(0);
  std::vector<std::uint32_t> path = {0};  // node of each depth along the last piece
  std::string_view last;
  for (const auto& [p, id] : pieces) {
    std::size_t common = 0;
    while (common < p.size() && common < last.size() && p[common] == last[common]) ++common;
    path.resize(common + 1);
    for (std::size_t d = common + 1; d <= p.size(); ++d) {
      path.push_back(static_cast<std::uint32_t>(bytes_.size()));
      bytes_.push_back(static_cast<std::uint8_t>(p[d - 1]));
      depth_.push_back(static_cast<std::uint16_t>(d));
      tok_begin_.push_back(static_cast<std::uint32_t>(tokens_.size()));
    }
    tokens_.push_back(id);
    max_depth_ = std::max(max_depth_, p.size());
    last = p;
  }
  tok_begin_.push_back(static_cast<std::uint32_t>(tokens_.size()));

  end_.assign(bytes_.size(), static_cast<std::uint32_t>(bytes_.size()));
  std::vector<std::uint32_t> open;
  for (std::uint32_t i = 0; i < bytes_.size(); ++i) {
    while (!open.empty() && depth_[open.back()] >= depth_[i]) {
      end_[open.back()] = i;
      open.pop_back();
    }
    open.push_back(i);
  }
}

std::shared_ptr<const TokenTrie> TokenTrie::for_tokenizer(const std::shared_ptr<const tokenizer::Tokenizer>& tok) {
  if (!tok) fail("token trie: no tokenizer");
  struct Entry {
    std::weak_ptr<const tokenizer::Tokenizer> owner;
    std::shared_ptr<const TokenTrie> trie;
  };
  static std::mutex mu;
  static std::map<const tokenizer::Tokenizer*, Entry> cache;
  std::lock_guard lock(mu);
  std::erase_if(cache, [](const auto& kv) { return kv.second.owner.expired(); });
  auto it = cache.find(tok.get());
  if (it != cache.end()) return it->second.trie;
  auto trie = std::make_shared<const TokenTrie>(*tok);
  cache[tok.get()] = {tok, trie};
  return trie;
}

}  // namespace corral::grammar
