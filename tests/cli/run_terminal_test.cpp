// `corral run` in a terminal against a real server with the tolstoy demo
// model: the prompt, a streamed answer, /set parameter and /show parameters,
// multi-line input, Ctrl-C at the prompt and during an answer, /bye and
// Ctrl-D; and the one-shot forms (prompt argument, piped stdin, --verbose).
#include <gtest/gtest.h>

#include <regex>
#include <sstream>

#include "cli/corral_server.h"
#include "cli/terminal_session.h"
#include "cli/text_width.h"
#include "testutil/shared_data.h"

namespace corral::test {
namespace {

using namespace std::chrono_literals;

// The rows after the last row that starts with `marker`.
std::vector<std::string> rows_after(const std::vector<std::string>& screen, const std::string& marker) {
  std::size_t at = screen.size();
  for (std::size_t i = 0; i < screen.size(); ++i)
    if (screen[i].rfind(marker, 0) == 0) at = i;
  if (at == screen.size()) return {};
  return {screen.begin() + static_cast<std::ptrdiff_t>(at) + 1, screen.end()};
}

bool has_row(const std::vector<std::string>& screen, const std::regex& re) {
  for (const auto& r : screen)
    if (std::regex_search(r, re)) return true;
  return false;
}

class RunTerminal : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CorralServer::binary()) GTEST_SKIP() << "the corral binary was not built (CORRAL_BINARY)";
    CORRAL_TERMINAL_OR_SKIP();
    server_ = std::make_unique<CorralServer>();
    CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/chat");
    CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/create");
    const std::string err = server_->create_tolstoy();
    ASSERT_EQ(err, "") << server_->log();
  }
  std::unique_ptr<TerminalSession> start(const std::vector<std::string>& args) {
    std::vector<std::string> argv{*CorralServer::binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    return std::make_unique<TerminalSession>(argv, server_->env());
  }
  std::unique_ptr<CorralServer> server_;
};

TEST_F(RunTerminal, PromptAnswerParametersAndBye) {
  auto t = start({"run", "tolstoy"});
  ASSERT_TRUE(t->wait_for_prompt()) << t->screen_text() << server_->log();

  t->line("/set parameter temperature 0");
  ASSERT_TRUE(t->wait_for_text("Set parameter 'temperature' to '0'")) << t->screen_text();
  t->line("/set parameter num_predict 40");
  ASSERT_TRUE(t->wait_for_text("Set parameter 'num_predict' to '40'")) << t->screen_text();

  t->line("/show parameters");
  ASSERT_TRUE(t->wait_for_text("User defined parameters:")) << t->screen_text();
  const auto screen = t->screen();
  // The Modelfile's parameters come from the server; the session's follow.
  EXPECT_TRUE(has_row(screen, std::regex("^Model defined parameters:$")));
  EXPECT_TRUE(has_row(screen, std::regex(R"(^  num_ctx +256$)"))) << t->screen_text();
  EXPECT_TRUE(has_row(screen, std::regex(R"(^  stop +"USER:"$)"))) << t->screen_text();
  EXPECT_TRUE(has_row(screen, std::regex(R"(^  temperature {19} 0$)"))) << t->screen_text();
  EXPECT_TRUE(has_row(screen, std::regex(R"(^  num_predict {19} 40$)"))) << t->screen_text();

  t->line("The prince said");
  // The answer streams in, then a fresh prompt follows it.
  ASSERT_TRUE(t->wait_for([](const std::string& s) {
    const auto at = s.rfind(">>> The prince said");
    return at != std::string::npos && s.find("\n>>>\n", at + 5) != std::string::npos;
  })) << t->screen_text();
  const auto answer = rows_after(t->screen(), ">>> The prince said");
  std::string text;
  for (const auto& r : answer)
    if (r.rfind(">>>", 0) != 0) text += r;
  EXPECT_GE(text.size(), 10u) << "no answer on screen:\n" << t->screen_text();

  t->line("/bye");
  ASSERT_TRUE(t->wait_for([&](const std::string&) { return t->exited(); }, 10s)) << t->screen_text();

  // The typed lines went to the history file, in Ollama's format.
  const std::string history = read_file(server_->home() / ".ollama" / "history");
  EXPECT_NE(history.find("The prince said\n"), std::string::npos) << history;
  EXPECT_NE(history.find("/set parameter temperature 0\n"), std::string::npos) << history;
}

TEST_F(RunTerminal, MultiLineInputAndCtrlKeys) {
  auto t = start({"run", "tolstoy"});
  ASSERT_TRUE(t->wait_for_prompt()) << t->screen_text() << server_->log();
  t->line("/set parameter num_predict 16");
  ASSERT_TRUE(t->wait_for_text("Set parameter")) << t->screen_text();

  // Ctrl-C on an empty line says how to leave; on a typed line it clears it.
  t->key("C-c");
  ASSERT_TRUE(t->wait_for_text("Use Ctrl + d or /bye to exit.")) << t->screen_text();
  t->type("half a thought");
  t->key("C-c");
  ASSERT_TRUE(t->wait_for([](const std::string& s) {
    const auto at = s.find("half a thought");
    return at != std::string::npos && s.find("\n>>>", at) != std::string::npos;
  })) << t->screen_text();
  EXPECT_EQ(count_of(t->screen_text(), "Use Ctrl + d"), 1u) << t->screen_text();

  // A """ block: the continuation prompt, then one answer for the whole block.
  t->line(R"("""Natasha looked)");
  ASSERT_TRUE(t->wait_for_prompt("...")) << t->screen_text();
  t->line(R"(at the prince""")");
  ASSERT_TRUE(t->wait_for([](const std::string& s) {
    const auto at = s.find(R"(... at the prince""")");
    return at != std::string::npos && s.find("\n>>>\n", at) != std::string::npos;
  })) << t->screen_text();

  t->line("/show info");
  ASSERT_TRUE(t->wait_for_text("architecture")) << t->screen_text();
  EXPECT_NE(t->screen_text().find("llama"), std::string::npos);

  t->line("/nonsense");
  ASSERT_TRUE(t->wait_for_text("Unknown command '/nonsense'. Type /? for help")) << t->screen_text();

  // Ctrl-D on an empty line leaves.
  t->key("C-d");
  ASSERT_TRUE(t->wait_for([&](const std::string&) { return t->exited(); }, 10s)) << t->screen_text();
}

// Pasting several lines (bracketed paste) does not send each line: the paste and
// the rest of the line typed after it go out as one message at Enter.
TEST_F(RunTerminal, PastedLinesAreOneMessage) {
  auto t = start({"run", "tolstoy"});
  ASSERT_TRUE(t->wait_for_prompt()) << t->screen_text() << server_->log();
  t->line("/set parameter num_predict 8");
  ASSERT_TRUE(t->wait_for_text("Set parameter")) << t->screen_text();

  t->type("Read this: ");
  t->paste("The prince said\nNatasha answered\n");
  ASSERT_TRUE(t->wait_for_prompt("...")) << t->screen_text();
  EXPECT_NE(t->screen_text().find("\nNatasha answered\n"), std::string::npos) << t->screen_text();
  t->line("and then?");
  ASSERT_TRUE(t->wait_for([](const std::string& s) {
    const auto at = s.find("... and then?");
    return at != std::string::npos && s.find("\n>>>\n", at) != std::string::npos;
  })) << t->screen_text();
  // One user message with all three lines, no answer to a lone line.
  EXPECT_EQ(count_of(t->screen_text(), ">>> Natasha"), 0u) << t->screen_text();

  t->line("/save pasted-chat");
  ASSERT_TRUE(t->wait_for_text("Created new model 'pasted-chat'")) << t->screen_text();
  t->key("C-d");
  ASSERT_TRUE(t->wait_for([&](const std::string&) { return t->exited(); }, 10s)) << t->screen_text();
  const auto shown = server_->cli({"show", "pasted-chat", "--modelfile"});
  EXPECT_EQ(count_of(shown.out, "MESSAGE user"), 1u) << shown.out;
  EXPECT_NE(shown.out.find("Read this: The prince said\nNatasha answered\nand then?"), std::string::npos) << shown.out;
}

TEST_F(RunTerminal, CtrlCStopsAnAnswerAndTheSessionGoesOn) {
  auto t = start({"run", "tolstoy"});
  ASSERT_TRUE(t->wait_for_prompt()) << t->screen_text() << server_->log();
  // A long answer: no stop strings, as many tokens as the context shift allows.
  t->line("/set parameter stop @@@@");
  t->line("/set parameter num_predict 100000");
  ASSERT_TRUE(t->wait_for_text("Set parameter 'num_predict'")) << t->screen_text();
  t->line("Chapter one");
  ASSERT_TRUE(t->wait_for([](const std::string& s) {
    const auto at = s.find(">>> Chapter one\n");
    return at != std::string::npos && s.size() > at + 20 && s.find_first_not_of(" \n", at + 16) != std::string::npos;
  })) << t->screen_text();
  const bool finished_already = t->screen_text().find("\n>>>\n", t->screen_text().find(">>> Chapter one") + 5) !=
                                std::string::npos;
  if (finished_already) GTEST_SKIP() << "the answer ended before Ctrl-C could stop it";
  const auto pressed = std::chrono::steady_clock::now();
  t->key("C-c");
  ASSERT_TRUE(t->wait_for(
      [](const std::string& s) {
        const auto at = s.find(">>> Chapter one");
        return at != std::string::npos && s.find("\n>>>\n", at + 5) != std::string::npos;
      },
      5s))
      << t->screen_text();
  EXPECT_LT(std::chrono::steady_clock::now() - pressed, 3s);
  EXPECT_FALSE(t->exited());
  // Still talking.
  t->line("/set parameter num_predict 8");
  ASSERT_TRUE(t->wait_for_text("Set parameter 'num_predict' to '8'")) << t->screen_text();
  t->line("/bye");
  ASSERT_TRUE(t->wait_for([&](const std::string&) { return t->exited(); }, 10s));
}

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> w;
  std::istringstream in(s);
  std::string x;
  while (in >> x) w.push_back(x);
  return w;
}

TEST_F(RunTerminal, WrapsAnswersAtTheTerminalWidthWithoutSplittingWords) {
  // Greedy decoding: the piped one-shot answer (never wrapped) is the text
  // the chat shows, since both render the same single-message prompt.
  ASSERT_EQ(server_->create(nlohmann::json{{"model", "tolstoy-greedy"},
                                      {"from", "tolstoy"},
                                      {"parameters", {{"temperature", 0}, {"num_predict", 80}}}}),
            "");
  const auto plain = server_->cli({"run", "tolstoy-greedy", "The prince said"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto expected = words_of(plain.out);
  ASSERT_GE(expected.size(), 5u) << plain.out;

  std::vector<std::string> argv{*CorralServer::binary(), "run", "tolstoy-greedy"};
  TerminalSession t(argv, server_->env(), 40, 60);
  ASSERT_TRUE(t.wait_for_prompt()) << t.screen_text();
  t.line("The prince said");
  ASSERT_TRUE(t.wait_for([](const std::string& s) {
    const auto at = s.rfind(">>> The prince said");
    return at != std::string::npos && s.find("\n>>>\n", at + 5) != std::string::npos;
  })) << t.screen_text();
  std::string shown;
  for (const auto& r : rows_after(t.screen(), ">>> The prince said")) {
    if (r.rfind(">>>", 0) == 0) break;
    EXPECT_LE(cli::display_width(r), 39u) << r;
    shown += r + "\n";
  }
  EXPECT_EQ(words_of(shown), expected) << "screen:\n" << shown << "\nplain:\n" << plain.out;
}

TEST_F(RunTerminal, OneShotWithVerboseOnATerminal) {
  auto t = start({"run", "tolstoy", "--verbose", "--nowordwrap", "The prince said"});
  ASSERT_TRUE(t->wait_for([&](const std::string&) { return t->exited(); }, 60s)) << t->screen_text();
  const std::string s = t->screen_text();
  EXPECT_NE(s.find("eval count:"), std::string::npos) << s;
  EXPECT_TRUE(std::regex_search(s, std::regex(R"(eval rate: +[0-9]+\.[0-9]{2} tokens/s)"))) << s;
  EXPECT_TRUE(std::regex_search(s, std::regex(R"(total duration: +[0-9.]+(ms|s|µs))"))) << s;
}

class RunOneShot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!CorralServer::binary()) GTEST_SKIP() << "the corral binary was not built (CORRAL_BINARY)";
    server_ = std::make_unique<CorralServer>();
    CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/generate");
    CORRAL_ROUTE_OR_SKIP(*server_, "POST", "/api/create");
    ASSERT_EQ(server_->create_tolstoy(), "") << server_->log();
  }
  std::unique_ptr<CorralServer> server_;
};

TEST_F(RunOneShot, PromptArgumentPrintsPlainText) {
  const auto r = server_->cli({"run", "tolstoy", "The prince said"});
  ASSERT_EQ(r.exit_code, 0) << r.err << server_->log();
  EXPECT_GE(r.out.size(), 5u);
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << "no terminal codes in piped output";
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "no spinner when stderr is not a terminal";
}

TEST_F(RunOneShot, PipedStdinIsThePrompt) {
  const auto r = server_->cli({"run", "tolstoy"}, "The prince said");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(r.out.size(), 5u);
  EXPECT_EQ(r.out.find(">>>"), std::string::npos) << "piped input never starts the chat";
}

TEST_F(RunOneShot, FormatAndThinkFlagsAreChecked) {
  const auto r = server_->cli({"run", "tolstoy", "--format", "yaml", "x"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--format"), std::string::npos) << r.err;
  const auto t = server_->cli({"run", "tolstoy", "--think=hot", "x"});
  EXPECT_EQ(t.exit_code, 1);
  EXPECT_NE(t.err.find("--think"), std::string::npos) << t.err;
}

}  // namespace
}  // namespace corral::test
