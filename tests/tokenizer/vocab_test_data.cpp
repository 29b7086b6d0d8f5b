// Test-vector reading and tokenizer caching.
#include "tokenizer/vocab_test_data.h"

#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "gguf/gguf_file.h"
#include "testutil/shared_data.h"

namespace corral::tokenizer::test {

std::vector<Vector> read_vectors(const std::filesystem::path& gguf_path) {
  const std::string inp = corral::test::read_file(gguf_path.string() + ".inp");
  const std::string out = corral::test::read_file(gguf_path.string() + ".out");
  static const std::string kSep = "\n__ggml_vocab_test__\n";
  std::vector<Vector> v;
  std::size_t pos = 0;
  while (true) {
    std::size_t end = inp.find(kSep, pos);
    if (end == std::string::npos) break;
    v.push_back(Vector{inp.substr(pos, end - pos), {}});
    pos = end + kSep.size();
  }
  std::istringstream lines(out);
  std::string line;
  std::size_t i = 0;
  while (std::getline(lines, line)) {
    if (i >= v.size()) throw std::runtime_error("more .out lines than .inp texts");
    std::istringstream ids(line);
    TokenId id;
    while (ids >> id) v[i].ids.push_back(id);
    ++i;
  }
  if (i != v.size()) throw std::runtime_error(".inp and .out disagree in count");
  return v;
}

namespace {
std::mutex g_mutex;
std::map<std::string, std::shared_ptr<const Tokenizer>> g_cache;
}  // namespace

std::shared_ptr<const Tokenizer> cached_gguf(const std::filesystem::path& path) {
  std::lock_guard lock(g_mutex);
  auto& t = g_cache["gguf:" + path.string()];
  if (!t) t = Tokenizer::from_gguf(gguf::File::open(path.string()));
  return t;
}

std::shared_ptr<const Tokenizer> cached_hf(const std::filesystem::path& dir) {
  std::lock_guard lock(g_mutex);
  auto& t = g_cache["hf:" + dir.string()];
  if (!t) t = Tokenizer::from_hf(dir);
  return t;
}

std::string join(const std::vector<TokenId>& ids) {
  std::string s;
  for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? " " : "") + std::to_string(ids[i]);
  return s;
}

}  // namespace corral::tokenizer::test
