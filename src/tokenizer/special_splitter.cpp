// Special-token trie and the leftmost-longest scan.
#include "tokenizer/special_splitter.h"

#include <algorithm>
#include <map>

namespace corral::tokenizer {

SpecialSplitter::SpecialSplitter(const std::vector<std::string>& tokens, const std::vector<TokenType>& types) {
  // Build with a map per node (no recursion anywhere, whatever the token lengths)...
  std::vector<std::map<unsigned char, std::uint32_t>> children(1);
  std::vector<Node> built(1);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    TokenType t = types[i];
    if (t != TokenType::CONTROL && t != TokenType::USER_DEFINED && t != TokenType::UNKNOWN) continue;
    const std::string& text = tokens[i];
    if (text.empty()) continue;
    std::uint32_t n = 0;
    for (unsigned char c : text) {
      auto it = children[n].find(c);
      if (it == children[n].end()) {
        auto next = static_cast<std::uint32_t>(built.size());
        children[n].emplace(c, next);
        children.emplace_back();
        built.emplace_back();
        n = next;
      } else {
        n = it->second;
      }
    }
    if (built[n].token != kNoToken) continue;  // the first of equal texts wins
    built[n].token = static_cast<TokenId>(i);
    built[n].always = t == TokenType::USER_DEFINED;
    first_byte_[static_cast<unsigned char>(text[0])] |= built[n].always ? 3 : 1;
  }
  // ...then flatten: each node's edges contiguous and sorted by byte.
  nodes_ = std::move(built);
  edges_.reserve(nodes_.size());
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    nodes_[i].first_edge = static_cast<std::uint32_t>(edges_.size());
    nodes_[i].n_edges = static_cast<std::uint32_t>(children[i].size());
    for (const auto& [byte, child] : children[i]) edges_.push_back(Edge{byte, child});
  }
}

std::size_t SpecialSplitter::match_at(std::string_view text, std::size_t pos, bool parse_special,
                                      TokenId& token) const {
  std::size_t best = 0;
  std::uint32_t node = 0;
  for (std::size_t i = pos; i < text.size(); ++i) {
    const Node& n = nodes_[node];
    const auto c = static_cast<unsigned char>(text[i]);
    const Edge* begin = edges_.data() + n.first_edge;
    const Edge* end = begin + n.n_edges;
    const Edge* e = std::lower_bound(begin, end, c, [](const Edge& a, unsigned char b) { return a.byte < b; });
    if (e == end || e->byte != c) break;
    node = e->child;
    const Node& m = nodes_[node];
    if (m.token != kNoToken && (parse_special || m.always)) {
      best = i + 1 - pos;
      token = m.token;
    }
  }
  return best;
}

void SpecialSplitter::split(std::string_view text, bool parse_special, std::vector<Fragment>& out) const {
  const std::uint8_t need = parse_special ? 1 : 2;
  std::size_t plain = 0;  // start of the pending plain text
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!(first_byte_[static_cast<unsigned char>(text[pos])] & need)) {
      ++pos;
      continue;
    }
    TokenId token = kNoToken;
    std::size_t len = match_at(text, pos, parse_special, token);
    if (len == 0) {
      ++pos;
      continue;
    }
    if (pos > plain) out.push_back(Fragment{text.substr(plain, pos - plain), kNoToken});
    out.push_back(Fragment{{}, token});
    pos += len;
    plain = pos;
  }
  if (plain < text.size()) out.push_back(Fragment{text.substr(plain), kNoToken});
}

}  // namespace corral::tokenizer
