// Modelfile lexing and parsing: Ollama's rules and error texts, line numbers,
// encodings.
#include <gtest/gtest.h>

#include "store/modelfile.h"

namespace corral::store {
namespace {

using I = Instruction;

ModelfileCommand cmd(I i, std::string value, std::string name = "") {
  ModelfileCommand c;
  c.instruction = i;
  c.value = std::move(value);
  c.name = std::move(name);
  return c;
}

std::vector<ModelfileCommand> parse(const std::string& s) { return parse_modelfile(s).commands; }

std::string error_of(const std::string& s) {
  try {
    parse_modelfile(s);
  } catch (const ModelfileError& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(ModelfileParser, BasicFile) {
  const std::string input = R"(
FROM model1
ADAPTER adapter1
LICENSE MIT
PARAMETER param1 value1
PARAMETER param2 value2
TEMPLATE """{{ if .System }}<|start_header_id|>system<|end_header_id|>

{{ .System }}<|eot_id|>{{ end }}"""    
)";
  const auto c = parse(input);
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c[0], cmd(I::from, "model1"));
  EXPECT_EQ(c[1], cmd(I::adapter, "adapter1"));
  EXPECT_EQ(c[2], cmd(I::license, "MIT"));
  EXPECT_EQ(c[3], cmd(I::parameter, "value1", "param1"));
  EXPECT_EQ(c[4], cmd(I::parameter, "value2", "param2"));
  EXPECT_EQ(c[5], cmd(I::template_, "{{ if .System }}<|start_header_id|>system<|end_header_id|>\n\n{{ .System }}<|eot_id|>{{ end }}"));
  EXPECT_EQ(c[0].line, 2);
  EXPECT_EQ(c[5].line, 7);
}

TEST(ModelfileParser, SpacesAndQuotes) {
  EXPECT_EQ(parse("FROM \"     model 1\"")[0].value, "     model 1");
  EXPECT_EQ(parse("FROM     FOOO BAR    ")[0].value, "FOOO BAR");
  EXPECT_EQ(parse("FROM /what/is/the path ")[0].value, "/what/is/the path");
  EXPECT_EQ(parse("FROM llama3:7b-instruct-q4_K_M")[0].value, "llama3:7b-instruct-q4_K_M");
  EXPECT_EQ(parse("FROM foo\nLICENSE \"MIT       \"")[1].value, "MIT       ");
  EXPECT_EQ(parse("FROM foo\nSYSTEM \"\"\"\nThis is a\nmultiline system.\n\"\"\"\n")[1].value,
            "\nThis is a\nmultiline system.\n");
  EXPECT_EQ(parse("FROM foo\nSYSTEM \"\"\"This is a\nmultiline system.\"\"\"")[1].value, "This is a\nmultiline system.");
  EXPECT_EQ(parse("FROM foo\nSYSTEM \"\"\"\"\"\"\n")[1].value, "");
  EXPECT_EQ(parse("FROM foo\nSYSTEM \"\"\n")[1].value, "");
  EXPECT_EQ(parse("FROM foo\nSYSTEM \"'\"\n")[1].value, "'");
  EXPECT_EQ(parse("FROM foo\nSYSTEM \"\"\"''\"'\"\"'\"\"'\"'''''\"\"'\"\"'\"\"\"\n")[1].value,
            "''\"'\"\"'\"\"'\"'''''\"\"'\"\"'");
  EXPECT_EQ(parse("FROM foo\nSYSTEM \"\"\"\nwith \"quotes\".\n\"\"\"\n")[1].value, "\nwith \"quotes\".\n");
  EXPECT_EQ(parse("FROM foo\nSYSTEM   tabs\tinside  \n")[1].value, "tabs\tinside");
  EXPECT_EQ(parse("FROM foo # not a comment")[0].value, "foo # not a comment");
}

TEST(ModelfileParser, ParametersAndMessages) {
  const auto c = parse("PARAMETER what the \nFROM lemons make lemonade ");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0], cmd(I::parameter, "the", "what"));
  EXPECT_EQ(c[1], cmd(I::from, "lemons make lemonade"));
  EXPECT_EQ(parse("FROM f\nPARAMETER stop \"### User: \"")[1].value, "### User: ");
  EXPECT_EQ(parse("FROM f\nPARAMETER stop \"\"\"### User:\n\"\"\"")[1].value, "### User:\n");
  EXPECT_EQ(parse("FROM f\nparameter Num_Ctx 4096")[1].name, "Num_Ctx") << "parameter names keep their case";
  const auto m = parse("FROM foo\nMESSAGE system \"\"\"\nYou are a multiline file parser.\n\"\"\"\nMESSAGE user Hey there!");
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[1], cmd(I::message, "\nYou are a multiline file parser.\n", "system"));
  EXPECT_EQ(m[2], cmd(I::message, "Hey there!", "user"));
}

TEST(ModelfileParser, KeywordsAreCaseInsensitiveAndCommentsSkipped) {
  const auto c = parse("# comment\n  from foo\n\tSyStEm hi\n#FROM bar\nrenderer r1\nPARSER p1\nrequires 0.14.0\ndraft ./d\n");
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c[0], cmd(I::from, "foo"));
  EXPECT_EQ(c[1], cmd(I::system, "hi"));
  EXPECT_EQ(c[2], cmd(I::renderer, "r1"));
  EXPECT_EQ(c[3], cmd(I::parser, "p1"));
  EXPECT_EQ(c[4], cmd(I::requires_, "0.14.0"));
  EXPECT_EQ(c[5], cmd(I::draft, "./d"));
}

TEST(ModelfileParser, ErrorTextsAndLines) {
  const std::string bad_command =
      "command must be one of \"from\", \"license\", \"template\", \"system\", \"adapter\", \"draft\", \"renderer\", "
      "\"parser\", \"parameter\", \"message\", or \"requires\"";
  EXPECT_EQ(error_of("\nFROM foo\nBADCOMMAND param1 value1\n"), "(line 3): " + bad_command);
  EXPECT_EQ(error_of("FROM foo\nFR0M bar\n"), "(line 2): " + bad_command);
  // The newline is counted before the keyword is judged, as Ollama does.
  EXPECT_EQ(error_of("FROM foo\nSYSTEM\nx"), "(line 3): " + bad_command);
  EXPECT_EQ(error_of("\nFROM foo\nMESSAGE badguy I'm a bad guy!\n"),
            "(line 3): message role must be one of \"system\", \"user\", or \"assistant\"");
  EXPECT_EQ(error_of("FROM foo\nMESSAGE User hi\n"),
            "(line 2): message role must be one of \"system\", \"user\", or \"assistant\"");
  EXPECT_EQ(error_of("\nFROM foo\nPARAMETER param1\n"), "unexpected EOF: param1");
  EXPECT_EQ(error_of("\nFROM foo\nPARAMETER param1"), "unexpected EOF");
  EXPECT_EQ(error_of("\nFROM foo\nMESSAGE system\n"), "unexpected EOF: system");
  EXPECT_EQ(error_of("\nFROM foo\nMESSAGE system"), "unexpected EOF");
  EXPECT_EQ(error_of("FROM foo\nSYSTEM \"\"\"This is a multiline system.\"\"\n"), "unexpected EOF");
  EXPECT_EQ(error_of("FROM foo\nSYSTEM \"\n"), "unexpected EOF");
  EXPECT_EQ(error_of("FROM foo\nPARAMETER num-ctx 1"), "unexpected EOF: num");
  EXPECT_EQ(error_of(""), "no FROM line");
  EXPECT_EQ(error_of("PARAMETER param1 value1"), "no FROM line");
  EXPECT_EQ(error_of("# only a comment\n"), "no FROM line");
  try {
    parse_modelfile("FROM a\n\n\nBAD x");
  } catch (const ModelfileError& e) {
    EXPECT_EQ(e.line(), 4);
  }
}

TEST(ModelfileParser, Encodings) {
  const std::string text = "FROM bob\nPARAMETER param1 1\nSYSTEM You are a utf16 file.\n";
  std::string le = "\xff\xfe", be = "\xfe\xff";
  for (char c : text) {
    le += c;
    le += '\0';
    be += '\0';
    be += c;
  }
  for (const std::string& input : {le, be, "\xef\xbb\xbf" + text}) {
    const auto c = parse(input);
    ASSERT_EQ(c.size(), 3u);
    EXPECT_EQ(c[0], cmd(I::from, "bob"));
    EXPECT_EQ(c[2], cmd(I::system, "You are a utf16 file."));
  }
  // Multi-byte text, and a surrogate pair in UTF-16.
  EXPECT_EQ(parse("FROM test\n\tSYSTEM \xe4\xbd\xa0\xe5\xa5\xbd\xf0\x9f\x91\x8b")[1].value,
            "\xe4\xbd\xa0\xe5\xa5\xbd\xf0\x9f\x91\x8b");
  std::string u16 = "\xff\xfe";
  for (char c : std::string("FROM x\nSYSTEM ")) {
    u16 += c;
    u16 += '\0';
  }
  u16 += std::string("\x3d\xd8\x4b\xdc", 4);  // U+1F44B
  EXPECT_EQ(parse(u16)[1].value, "\xf0\x9f\x91\x8b");
}

TEST(ModelfileParser, ControlCharactersAreDropped) {
  EXPECT_EQ(parse(std::string("FROM fo\x01o\x7f\n"))[0].value, "foo");
  EXPECT_EQ(parse("FROM foo\nSYSTEM \"a\x1b[0mb\"\n")[1].value, "a[0mb");
  // A stray non-printable before a keyword is ignored like Ollama ignores it.
  EXPECT_EQ(parse(std::string("\x0b" "FROM foo"))[0].value, "foo");
  // Invalid UTF-8 becomes U+FFFD.
  EXPECT_EQ(parse("FROM a\xff" "b")[0].value, "a\xef\xbf\xbd" "b");
  // CRLF files.
  const auto c = parse("FROM foo\r\nSYSTEM hi\r\n");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].value, "hi");
}

TEST(ModelfileParser, HostileInputFailsCleanly) {
  EXPECT_EQ(error_of("FROM x\nSYSTEM \"" + std::string(1 << 16, 'a')), "unexpected EOF");
  EXPECT_EQ(error_of(std::string(1 << 16, '"')).substr(0, 27), "(line 1): command must be o");
  EXPECT_EQ(parse("FROM " + std::string(1 << 16, '\n'))[0].value, "");
  EXPECT_NO_THROW(parse("FROM " + std::string(1 << 20, 'a')));
  EXPECT_EQ(error_of(std::string("\0\0\0", 3)).substr(0, 27), "(line 1): command must be o");
}

}  // namespace
}  // namespace corral::store
