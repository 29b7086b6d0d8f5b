// The other commands against a real server: list, show, cp, rm, ps, stop,
// create (progress lines, skipped uploads), help, errors, and starting a
// server in the background when none answers.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <regex>
#include <thread>

#include "cli/corral_server.h"
#include "cli/terminal_session.h"
#include "testutil/shared_data.h"

namespace corral::test {
namespace {

using namespace std::chrono_literals;

class Commands : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CorralServer::binary()) GTEST_SKIP() << "the corral binary was not built (CORRAL_BINARY)";
    server_ = std::make_unique<CorralServer>();
  }
  void with_tolstoy() {
    CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/create");
    ASSERT_EQ(server_->create_tolstoy(), "") << server_->log();
  }
  std::unique_ptr<CorralServer> server_;
};

TEST_F(Commands, ListShowCopyRemove) {
  with_tolstoy();
  if (IsSkipped()) return;
  auto r = server_->cli({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^NAME +ID +SIZE +MODIFIED\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\ntolstoy:latest +[0-9a-f]{12} +3\.1 MB +(Less than a second|[0-9]+ seconds?) ago\n)")))
      << r.out;

  r = server_->cli({"show", "tolstoy"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  Model\n"), std::string::npos) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n    architecture +llama\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n    context length +256\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n    quantization +Q8_0\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  Parameters\n(    .*\n)*    temperature +0\.7\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\n  License\n    Weights and tokenizer)"))) << r.out;

  r = server_->cli({"show", "tolstoy", "--modelfile"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\nFROM "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("TEMPLATE "), std::string::npos) << r.out;

  r = server_->cli({"show", "tolstoy", "--license", "--system"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("only one of"), std::string::npos) << r.err;

  CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/copy");
  r = server_->cli({"cp", "tolstoy", "pierre"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "copied 'tolstoy' to 'pierre'\n");
  r = server_->cli({"ls", "PIE"});
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\npierre:latest +)"))) << r.out;
  EXPECT_EQ(r.out.find("tolstoy"), std::string::npos) << "the prefix filters: " << r.out;

  r = server_->cli({"rm", "pierre"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "deleted 'pierre'\n");
  r = server_->cli({"list"});
  EXPECT_EQ(r.out.find("pierre"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tolstoy:latest"), std::string::npos) << "the copy's blobs were shared: " << r.out;
}

TEST_F(Commands, PsAndStop) {
  CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/generate");
  with_tolstoy();
  if (IsSkipped()) return;
  auto r = server_->cli({"run", "tolstoy", "--keepalive", "10m", "Hello"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = server_->cli({"ps"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(^NAME +ID +SIZE +PROCESSOR +CONTEXT +UNTIL\n)"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex(R"(\ntolstoy:latest +[0-9a-f]{12} +[0-9.]+ [KMG]?B +100% CPU +256 +(9|10) minutes from now\n)")))
      << r.out;
  r = server_->cli({"stop", "tolstoy"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    gone = server_->cli({"ps"}).out.find("tolstoy") == std::string::npos;
    if (!gone) std::this_thread::sleep_for(100ms);
  }
  EXPECT_TRUE(gone) << "stop unloads the model";
  r = server_->cli({"stop", "nobody"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("couldn't find model \"nobody\" to stop"), std::string::npos) << r.err;
}

TEST_F(Commands, CreateShowsProgressAndUploadsOnlyOnce) {
  CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/create");
  const std::string modelfile = tolstoy_modelfile().string();
  auto r = server_->cli({"create", "tolstoy", "-f", modelfile});
  ASSERT_EQ(r.exit_code, 0) << r.err << server_->log();
  // Plain lines when stderr is not a terminal.
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(^gathering model components\n)"))) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(
                  R"(\ncopying file sha256:899733a3ac57e9c23d5b78915e44dd15bd8c6ea615a96acadef42e5875c58387 100%\n)")))
      << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\n(using existing|creating new) layer sha256:[0-9a-f]{64}\n)"))) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\nwriting manifest\nsuccess\n$)"))) << r.err;

  // The server has the blob now: no second upload.
  r = server_->cli({"create", "tolstoy2", "-f", modelfile});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("copying file"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("success"), std::string::npos) << r.err;

  r = server_->cli({"create", "bad name!", "-f", modelfile});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("invalid model name"), std::string::npos) << r.err;
  r = server_->cli({"create", "x", "-f", "/nonexistent/Modelfile"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Modelfile wasn't found"), std::string::npos) << r.err;
}

TEST_F(Commands, CreateOnATerminalDrawsItsProgressInPlace) {
  CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/create");
  CORRAL_TERMINAL_OR_SKIP();
  TerminalSession t({*CorralServer::binary(), "create", "tolstoy", "-f", tolstoy_modelfile().string()},
                    server_->env(), 120, 30);
  ASSERT_TRUE(t.wait_for([&](const std::string&) { return t.exited(); }, 60s)) << t.screen_text();
  const std::string s = t.screen_text();
  EXPECT_NE(s.find("gathering model components\n"), std::string::npos) << s;
  EXPECT_NE(s.find("copying file sha256:899733a3ac57"), std::string::npos) << s;
  EXPECT_NE(s.find("writing manifest\nsuccess\n"), std::string::npos) << s;
  // Redrawn in place: each status shows once, without its spinner frame once done.
  EXPECT_EQ(count_of(s, "writing manifest"), 1u) << s;
  EXPECT_EQ(s.find("⠋"), std::string::npos) << s;
}

TEST_F(Commands, ErrorsAreOneLine) {
  auto r = server_->cli({"show", "nope"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "Error: model 'nope' not found\n") << r.err;
  r = server_->cli({"help", "run"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--keepalive"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("OLLAMA_HOST"), std::string::npos) << r.out;
}

TEST(Autostart, ListStartsAServerWhenNoneAnswers) {
  if (!CorralServer::binary()) GTEST_SKIP() << "the corral binary was not built (CORRAL_BINARY)";
  TempDir dir;
  const int port = free_local_port();
  const std::map<std::string, std::string> env{{"OLLAMA_HOST", "127.0.0.1:" + std::to_string(port)},
                                               {"OLLAMA_MODELS", (dir / "models").string()},
                                               {"HOME", dir.path().string()}};
  const auto r = run_process({*CorralServer::binary(), "list"}, env, {}, 90s);
  std::smatch m;
  const bool said = std::regex_search(r.err, m, std::regex(R"(Started a corral server in the background on 127\.0\.0\.1:[0-9]+ \(log: ~/\.ollama/logs/server\.log; stop it with: kill ([0-9]+)\))"));
  const pid_t pid = said ? static_cast<pid_t>(std::stoi(m[1])) : -1;
  EXPECT_TRUE(said) << r.err;
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "NAME    ID    SIZE    MODIFIED\n");
  EXPECT_TRUE(std::filesystem::exists(dir / ".ollama" / "logs" / "server.log"));
  // A second command finds it running and says nothing about starting one.
  const auto again = run_process({*CorralServer::binary(), "list"}, env, {}, 30s);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_EQ(again.err.find("Started"), std::string::npos) << again.err;
  if (pid > 0) {
    ::kill(pid, SIGTERM);
    for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) std::this_thread::sleep_for(50ms);
    if (::kill(pid, 0) == 0) ::kill(pid, SIGKILL);
  }
}

TEST(Autostart, PsAndStopDoNotStartOne) {
  if (!CorralServer::binary()) GTEST_SKIP() << "the corral binary was not built (CORRAL_BINARY)";
  TempDir dir;
  const std::map<std::string, std::string> env{{"OLLAMA_HOST", "127.0.0.1:" + std::to_string(free_local_port())},
                                               {"HOME", dir.path().string()}};
  const auto ps = run_process({*CorralServer::binary(), "ps"}, env, {}, 30s);
  EXPECT_EQ(ps.exit_code, 0);
  EXPECT_EQ(ps.out, "NAME    ID    SIZE    PROCESSOR    CONTEXT    UNTIL\n");
  EXPECT_NE(ps.err.find("no corral server is running"), std::string::npos) << ps.err;
  const auto stop = run_process({*CorralServer::binary(), "stop", "tolstoy"}, env, {}, 30s);
  EXPECT_EQ(stop.exit_code, 1);
  EXPECT_EQ(stop.err.find("Started"), std::string::npos) << stop.err;
}

}  // namespace
}  // namespace corral::test
