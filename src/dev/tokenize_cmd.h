// `corral dev tokenize --model FILE` and `corral dev detokenize --model FILE`:
// text on stdin -> token ids on one line, and ids on stdin -> text.
#pragma once

#include <istream>
#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace corral::dev {

void add_tokenize_commands(CLI::App& dev);

// The command bodies (tests call them directly). `model` is a GGUF file or a
// Hugging Face folder. Throw Error on bad input.
void run_tokenize(const std::string& model, bool add_special, bool parse_special, std::istream& in, std::ostream& out);
void run_detokenize(const std::string& model, std::istream& in, std::ostream& out);

}  // namespace corral::dev
