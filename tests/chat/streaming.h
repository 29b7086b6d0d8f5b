// Test helper: feed a parser an output split into chunks in every way (one
// piece, every 2-way and 3-way split, one byte at a time) and collect what
// it emits, so results can be checked to be independent of chunking.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace corral::chat::test {

inline std::vector<std::vector<std::string>> all_chunkings(const std::string& s, bool three_way = true) {
  std::vector<std::vector<std::string>> out;
  out.push_back({s});
  for (std::size_t i = 0; i <= s.size(); ++i) out.push_back({s.substr(0, i), s.substr(i)});
  if (three_way)
    for (std::size_t i = 0; i <= s.size(); ++i)
      for (std::size_t j = i; j <= s.size(); ++j) out.push_back({s.substr(0, i), s.substr(i, j - i), s.substr(j)});
  std::vector<std::string> bytes;
  for (char c : s) bytes.emplace_back(1, c);
  out.push_back(bytes);
  return out;
}

inline std::string describe(const std::vector<std::string>& chunks) {
  std::string d;
  for (const auto& c : chunks) d += "[" + c + "]";
  return d;
}

}  // namespace corral::chat::test
