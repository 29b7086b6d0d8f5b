// pull and push progress against a local registry (Debian's docker-registry,
// started by the registry tests' fixture).
#include <gtest/gtest.h>

#include <regex>

#include "cli/corral_server.h"
#include "cli/terminal_session.h"
#ifdef CORRAL_HAVE_REGISTRY_FIXTURE
#include "registry/docker_registry.h"
#endif

namespace corral::test {
namespace {

using namespace std::chrono_literals;

TEST(Transfer, PushThenPullShowProgress) {
#ifndef CORRAL_HAVE_REGISTRY_FIXTURE
  GTEST_SKIP() << "the registry test fixture (tests/registry) is not built";
#else
  CORRAL_SERVER_OR_SKIP(server);
  CORRAL_ROUTE_OR_SKIP(server, "POST", "/api/push");
  CORRAL_ROUTE_OR_SKIP(server, "POST", "/api/pull");
  CORRAL_ROUTE_OR_SKIP(server, "POST", "/api/create");
  CORRAL_DOCKER_REGISTRY_OR_SKIP(registry);
  ASSERT_EQ(server.create_tolstoy(), "") << server.log();
  const std::string remote = registry.authority() + "/library/tolstoy:latest";
  auto r = server.cli({"cp", "tolstoy", remote});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  r = server.cli({"push", remote, "--insecure"});
  ASSERT_EQ(r.exit_code, 0) << r.err << server.log();
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\npushing 899733a3ac57[^\n]* 100%[^\n]*3\.1 MB\n)"))) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\nsuccess\n$)"))) << r.err;
  EXPECT_NE(r.out.find("You can find your model at:\n\n\t" + remote), std::string::npos) << r.out;

  // Gone locally, then back from the registry.
  ASSERT_EQ(server.cli({"rm", remote}).exit_code, 0);
  ASSERT_EQ(server.cli({"rm", "tolstoy"}).exit_code, 0);
  r = server.cli({"pull", remote, "--insecure"});
  ASSERT_EQ(r.exit_code, 0) << r.err << server.log();
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(^pulling manifest\n)"))) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\npulling 899733a3ac57: 100% 3\.1 MB\n)"))) << r.err;
  EXPECT_TRUE(std::regex_search(r.err, std::regex(R"(\nverifying sha256 digest\nwriting manifest\nsuccess\n$)"))) << r.err;
  r = server.cli({"list"});
  EXPECT_NE(r.out.find(remote), std::string::npos) << r.out;

  r = server.cli({"pull", registry.authority() + "/library/nothere:latest", "--insecure"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Error: "), std::string::npos) << r.err;
#endif
}

TEST(Transfer, PullOnATerminalDrawsBars) {
#ifndef CORRAL_HAVE_REGISTRY_FIXTURE
  GTEST_SKIP() << "the registry test fixture (tests/registry) is not built";
#else
  CORRAL_TERMINAL_OR_SKIP();
  CORRAL_SERVER_OR_SKIP(server);
  CORRAL_ROUTE_OR_SKIP(server, "POST", "/api/push");
  CORRAL_ROUTE_OR_SKIP(server, "POST", "/api/pull");
  CORRAL_ROUTE_OR_SKIP(server, "POST", "/api/create");
  CORRAL_DOCKER_REGISTRY_OR_SKIP(registry);
  ASSERT_EQ(server.create_tolstoy(), "") << server.log();
  const std::string remote = registry.authority() + "/library/tolstoy:latest";
  ASSERT_EQ(server.cli({"cp", "tolstoy", remote}).exit_code, 0);
  ASSERT_EQ(server.cli({"push", remote, "--insecure"}).exit_code, 0);
  ASSERT_EQ(server.cli({"rm", remote}).exit_code, 0);
  ASSERT_EQ(server.cli({"rm", "tolstoy"}).exit_code, 0);

  TerminalSession t({*CorralServer::binary(), "pull", remote, "--insecure"}, server.env(), 100, 30);
  ASSERT_TRUE(t.wait_for([&](const std::string&) { return t.exited(); }, 60s)) << t.screen_text();
  const std::string s = t.screen_text();
  EXPECT_TRUE(std::regex_search(s, std::regex(R"(\npulling 899733a3ac57: 100% ▕(█)+▏ +3\.1 MB\n)"))) << s;
  EXPECT_NE(s.find("verifying sha256 digest\nwriting manifest\nsuccess\n"), std::string::npos) << s;
#endif
}

}  // namespace
}  // namespace corral::test
