// The official JavaScript clients (npm `ollama` and `openai`) against an
// in-process server: installs them into <build>/server-node at test time
// (skips, saying why, when node/npm or the registry are unavailable) and
// runs tests/server/node/clients.mjs.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "shared_models.h"
#include "test_server.h"
#include "testutil/shared_data.h"

namespace corral::server::test {
namespace {

namespace fs = std::filesystem;

int run(const std::string& cmd, std::string* output) {
  std::FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) output->append(buf, n);
  const int rc = ::pclose(p);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

fs::path node_dir() {
  const std::string bin = corral::test::corral_binary();
  const fs::path build = bin.empty() ? fs::temp_directory_path() : fs::path(bin).parent_path();
  return build / "server-node";
}

TEST(NodeClients, OfficialOllamaAndOpenAIClients) {
  std::string out;
  if (run("node --version", &out) != 0 || run("npm --version", &out) != 0)
    GTEST_SKIP() << "node/npm not available";
  const fs::path dir = node_dir();
  fs::create_directories(dir);
  if (!fs::exists(dir / "node_modules" / "ollama") || !fs::exists(dir / "node_modules" / "openai")) {
    out.clear();
    const std::string cmd = "cd '" + dir.string() +
                            "' && (test -f package.json || echo '{\"name\":\"corral-server-node\",\"private\":true}' > package.json)"
                            " && npm install --no-audit --no-fund --loglevel=error ollama@0.6 openai@6";
    if (run(cmd, &out) != 0) GTEST_SKIP() << "npm install failed (offline?):\n" << out;
  }
  TestServer s(shared_models_dir(), [](ServerConfig& c) { c.num_parallel = 2; });
  const fs::path script = corral::test::source_dir() / "tests" / "server" / "node" / "clients.mjs";
  fs::copy_file(script, dir / "clients.mjs", fs::copy_options::overwrite_existing);
  out.clear();
  const int rc = run("cd '" + dir.string() + "' && OLLAMA_URL=http://127.0.0.1:" + std::to_string(s.port()) +
                         " timeout 600 node clients.mjs",
                     &out);
  std::printf("%s", out.c_str());
  EXPECT_EQ(rc, 0) << out;
  EXPECT_EQ(out.find("FAIL"), std::string::npos) << out;
}

}  // namespace
}  // namespace corral::server::test
