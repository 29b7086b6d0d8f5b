// Store construction and the location of the default store.
#include "store/store.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "util/error.h"

namespace corral::store {
namespace fs = std::filesystem;

namespace {

// Ollama's envconfig cleaning: trim spaces, then surrounding quotes.
std::string clean_env(const char* v) {
  std::string s = v ? v : "";
  const auto not_space = [](char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f'; };
  while (!s.empty() && !not_space(s.back())) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && !not_space(s[i])) ++i;
  s.erase(0, i);
  while (!s.empty() && (s.back() == '"' || s.back() == '\'')) s.pop_back();
  i = 0;
  while (i < s.size() && (s[i] == '"' || s[i] == '\'')) ++i;
  s.erase(0, i);
  return s;
}

fs::path home_dir() {
  if (const char* h = std::getenv("HOME"); h && *h) return h;
  if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
  fail("cannot find the home directory for the model store (set OLLAMA_MODELS)");
}

}  // namespace

Store::Store(fs::path root) : root_(std::move(root)) {
  if (root_.empty()) fail("model store path is empty");
  make_dirs(manifests_dir());
  make_dirs(blobs_dir());
}

fs::path Store::default_root() {
  const std::string env = clean_env(std::getenv("OLLAMA_MODELS"));
  if (!env.empty()) return env;
  return home_dir() / ".ollama" / "models";
}

}  // namespace corral::store
