// Rendering Modelfile commands back to text with Ollama's quoting, checked to
// read back as the same value.
#include "store/modelfile.h"

namespace corral::store {
namespace {

std::string keyword(Instruction i) {
  switch (i) {
    case Instruction::from: return "FROM";
    case Instruction::adapter: return "ADAPTER";
    case Instruction::draft: return "DRAFT";
    case Instruction::license: return "LICENSE";
    case Instruction::template_: return "TEMPLATE";
    case Instruction::system: return "SYSTEM";
    case Instruction::renderer: return "RENDERER";
    case Instruction::parser: return "PARSER";
    case Instruction::requires_: return "REQUIRES";
    case Instruction::message: return "MESSAGE";
    case Instruction::parameter: return "PARAMETER";
  }
  return "FROM";
}

bool reads_back(const std::string& line, const ModelfileCommand& want) {
  try {
    // A trailing FROM keeps the parser's FROM requirement satisfied and shows
    // that the quoting closed where it should.
    const Modelfile m = parse_modelfile(line + "\nFROM x\n");
    return m.commands.size() == 2 && m.commands[0] == want;
  } catch (const Error&) {
    return false;
  }
}

}  // namespace

std::string quote_modelfile_value(std::string_view s) {
  const bool needs = s.find('\n') != std::string_view::npos || (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!needs) return std::string(s);
  if (s.find('"') != std::string_view::npos) return "\"\"\"" + std::string(s) + "\"\"\"";
  return "\"" + std::string(s) + "\"";
}

std::string render_command(const ModelfileCommand& c) {
  std::string prefix = keyword(c.instruction) + " ";
  if (c.instruction == Instruction::parameter || c.instruction == Instruction::message) prefix += c.name + " ";
  // Ollama prints FROM bare and everything else through its quoting rule.
  const std::string ollama =
      prefix + (c.instruction == Instruction::from ? c.value : quote_modelfile_value(c.value));
  if (reads_back(ollama, c)) return ollama;
  for (const std::string& q : {"\"" + c.value + "\"", "\"\"\"" + c.value + "\"\"\""}) {
    if (reads_back(prefix + q, c)) return prefix + q;
  }
  return ollama;  // not representable exactly (e.g. control characters): Ollama's form
}

std::string render_modelfile(const Modelfile& m) {
  std::string out;
  for (const auto& c : m.commands) {
    out += render_command(c);
    out += '\n';
  }
  return out;
}

}  // namespace corral::store
