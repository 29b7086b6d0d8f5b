// Rendering Modelfiles back to text: Ollama's quoting, and reparsing to the
// same commands.
#include <gtest/gtest.h>

#include "store/modelfile.h"

namespace corral::store {
namespace {

TEST(ModelfileRender, OllamaQuoting) {
  EXPECT_EQ(quote_modelfile_value("plain"), "plain");
  EXPECT_EQ(quote_modelfile_value(" lead"), "\" lead\"");
  EXPECT_EQ(quote_modelfile_value("trail "), "\"trail \"");
  EXPECT_EQ(quote_modelfile_value("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(quote_modelfile_value("say \"hi\"\n"), "\"\"\"say \"hi\"\n\"\"\"");
  EXPECT_EQ(quote_modelfile_value("<|eot_id|>"), "<|eot_id|>");
}

TEST(ModelfileRender, Commands) {
  Modelfile m;
  m.commands = {
      {Instruction::from, "", "/models/blobs/sha256-abc", 0},
      {Instruction::template_, "", "{{ .Prompt }}", 0},
      {Instruction::system, "", "You are Mario.\nAnswer as Mario.", 0},
      {Instruction::parameter, "stop", "<|eot_id|>", 0},
      {Instruction::parameter, "temperature", "0.7", 0},
      {Instruction::license, "", "MIT", 0},
      {Instruction::message, "user", "Is Toronto in Canada?", 0},
      {Instruction::message, "assistant", "yes", 0},
  };
  EXPECT_EQ(render_modelfile(m),
            "FROM /models/blobs/sha256-abc\n"
            "TEMPLATE {{ .Prompt }}\n"
            "SYSTEM \"You are Mario.\nAnswer as Mario.\"\n"
            "PARAMETER stop <|eot_id|>\n"
            "PARAMETER temperature 0.7\n"
            "LICENSE MIT\n"
            "MESSAGE user Is Toronto in Canada?\n"
            "MESSAGE assistant yes\n");
}

TEST(ModelfileRender, RoundTrips) {
  const std::string files[] = {
      "\nFROM foo\nADAPTER adapter1\nLICENSE MIT\nPARAMETER param1 value1\nPARAMETER param2 value2\n"
      "TEMPLATE template1\nMESSAGE system You are a file parser. Always parse things.\nMESSAGE user Hey there!\n"
      "MESSAGE assistant Hello, I want to parse all the things!\n",
      "\nFROM foo\nLICENSE \"\"\"\nVery long and boring legal text.\nBlah blah blah.\n\"Oh look, a quote!\"\n\"\"\"\n"
      "MESSAGE system \"\"\"\nYou are a store greeter. Always respond with \"Hello!\".\n\"\"\"\n",
      "\nFROM foo\nSYSTEM \"\"\n",
      "FROM \"     model 1\"\nSYSTEM \"\"\"  \"quoted\" with spaces  \"\"\"\n",
      "FROM x\nTEMPLATE \"\"\"{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}\"\"\"\n",
      "FROM x\nSYSTEM \"\"\"\"starts with a quote\"\"\"\"\n",
      "FROM x\nSYSTEM \"\"\"\ttab first\"\"\"\n",
  };
  for (const auto& text : files) {
    const Modelfile a = parse_modelfile(text);
    const std::string rendered = render_modelfile(a);
    const Modelfile b = parse_modelfile(rendered);
    EXPECT_EQ(a, b) << text << "\n--- rendered as ---\n" << rendered;
  }
}

TEST(ModelfileRender, FixesOllamaQuotingThatWouldNotReadBack) {
  // Ollama would print these bare and read back something else.
  for (const std::string v : {"\"quoted\"", "\ttab", "a \"b\" c", "tail\t"}) {
    ModelfileCommand c{Instruction::system, "", v, 0};
    const std::string line = render_command(c);
    const Modelfile m = parse_modelfile(line + "\nFROM x\n");
    ASSERT_EQ(m.commands.size(), 2u) << line;
    EXPECT_EQ(m.commands[0].value, v) << line;
  }
}

}  // namespace
}  // namespace corral::store
