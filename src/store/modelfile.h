// Modelfile: the parsed form of an Ollama Modelfile (a list of instructions),
// the parser with Ollama's exact lexical rules and error texts
// (parser/parser.go), and rendering back to text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/error.h"

namespace corral::store {

enum class Instruction {
  from,       // FROM <model name | path>
  adapter,    // ADAPTER <path>
  draft,      // DRAFT <path>
  license,    // LICENSE <text>   (repeatable)
  template_,  // TEMPLATE <Go template>
  system,     // SYSTEM <text>
  renderer,   // RENDERER <name>
  parser,     // PARSER <name>
  requires_,  // REQUIRES <semver>
  message,    // MESSAGE <role> <text>
  parameter,  // PARAMETER <name> <value>
};

struct ModelfileCommand {
  Instruction instruction = Instruction::from;
  std::string name;   // parameter name (PARAMETER) or role (MESSAGE); "" otherwise
  std::string value;  // the argument, quotes removed
  int line = 0;       // line where the instruction started (1-based)

  bool operator==(const ModelfileCommand& o) const {
    return instruction == o.instruction && name == o.name && value == o.value;
  }
};

struct Modelfile {
  std::vector<ModelfileCommand> commands;
  bool operator==(const Modelfile&) const = default;
};

// A Modelfile syntax error. what() is Ollama's text: "(line N): <message>",
// "unexpected EOF", "unexpected EOF: <partial>", or "no FROM line".
// line() is the line concerned (0 if none applies).
class ModelfileError : public corral::Error {
 public:
  ModelfileError(int line, const std::string& what) : corral::Error(what), line_(line) {}
  int line() const { return line_; }

 private:
  int line_;
};

// Parses Modelfile bytes: UTF-8 (BOM optional) or UTF-16 with a BOM.
// Instruction words are case-insensitive; '#' at the start of a statement
// begins a comment; values run to the end of the line, trimmed, unless they
// start with " or """ and continue to the closing quote (across lines);
// control characters other than tab/CR/LF are dropped. At least one FROM is
// required. Throws ModelfileError.
Modelfile parse_modelfile(std::string_view bytes);

// One instruction as Ollama writes it ("PARAMETER stop \"<|eot_id|>\"" style
// quoting: a value with a newline or leading/trailing space is wrapped in
// "..." or, if it contains '"', in """..."""). Where Ollama's quoting would
// not read back as the same value, another quoting that does is chosen.
std::string render_command(const ModelfileCommand& c);
// Every command on its own line (each line ends with '\n').
std::string render_modelfile(const Modelfile& m);
// Ollama's quoting rule for one value.
std::string quote_modelfile_value(std::string_view value);

}  // namespace corral::store
