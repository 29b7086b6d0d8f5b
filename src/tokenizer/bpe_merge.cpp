// BPE merge loop and merge-table construction.
#include "tokenizer/bpe_merge.h"

#include <algorithm>
#include <string>

namespace corral::tokenizer {

namespace {

constexpr TokenId kMerged = -2;  // a symbol absorbed into its left neighbour

// std heap functions build a max-heap: "less" means "merges later".
bool later(const BpeScratch::Candidate& a, const BpeScratch::Candidate& b) {
  return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
}

}  // namespace

void bpe_merge(std::span<const TokenId> initial, const PairIndex& merges, BpeScratch& s, std::vector<TokenId>& out) {
  const auto n = static_cast<std::int32_t>(initial.size());
  if (n == 0) return;
  if (n == 1) {
    if (initial[0] >= 0) out.push_back(initial[0]);
    return;
  }
  auto& sym = s.symbols;
  auto& heap = s.heap;
  sym.resize(static_cast<std::size_t>(n));
  for (std::int32_t i = 0; i < n; ++i) sym[static_cast<std::size_t>(i)] = {initial[static_cast<std::size_t>(i)], i - 1, i + 1 < n ? i + 1 : -1};
  heap.clear();
  auto candidate = [&](std::int32_t l, std::int32_t r, bool keep_heap) {
    if (l < 0 || r < 0) return;
    const TokenId a = sym[static_cast<std::size_t>(l)].id, b = sym[static_cast<std::size_t>(r)].id;
    if (a < 0 || b < 0) return;
    const PairIndex::Merge m = merges.find(a, b);
    if (m.rank < 0) return;
    heap.push_back({m.rank, l, r, a, b, m.result});
    if (keep_heap) std::push_heap(heap.begin(), heap.end(), later);
  };
  for (std::int32_t i = 0; i + 1 < n; ++i) candidate(i, i + 1, false);
  std::make_heap(heap.begin(), heap.end(), later);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), later);
    const BpeScratch::Candidate c = heap.back();
    heap.pop_back();
    auto& left = sym[static_cast<std::size_t>(c.left)];
    if (left.id != c.left_id || left.next != c.right) continue;
    auto& right = sym[static_cast<std::size_t>(c.right)];
    if (right.id != c.right_id) continue;
    left.id = c.result;
    left.next = right.next;
    right.id = kMerged;
    if (right.next >= 0) sym[static_cast<std::size_t>(right.next)].prev = c.left;
    candidate(left.prev, c.left, true);
    candidate(c.left, left.next, true);
  }
  for (std::int32_t i = 0; i != -1; i = sym[static_cast<std::size_t>(i)].next)
    if (sym[static_cast<std::size_t>(i)].id >= 0) out.push_back(sym[static_cast<std::size_t>(i)].id);
}

PairIndex build_pair_index(const std::vector<std::string>& merges, const TextIndex& tokens) {
  PairIndex index;
  index.reserve(merges.size());
  std::string joined;
  for (std::size_t rank = 0; rank < merges.size(); ++rank) {
    const std::string& m = merges[rank];
    const std::size_t space = m.size() > 1 ? m.find(' ', 1) : std::string::npos;
    if (space == std::string::npos) continue;
    const std::string_view left(m.data(), space);
    const std::string_view right(m.data() + space + 1, m.size() - space - 1);
    const TokenId a = tokens.find(left), b = tokens.find(right);
    if (a < 0 || b < 0) continue;
    joined.assign(left);
    joined.append(right);
    const TokenId ab = tokens.find(joined);
    if (ab < 0) continue;
    index.insert(a, b, {static_cast<std::int32_t>(rank), ab});
  }
  return index;
}

}  // namespace corral::tokenizer
