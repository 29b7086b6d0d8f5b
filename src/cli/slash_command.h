// Slash commands typed at the REPL ("/set parameter temperature 0.5"):
// split into the command word and its whitespace-separated arguments, with
// access to the raw text after any argument (for "/set system <text>").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace corral::cli {

struct SlashCommand {
  std::string name;                // "/set", "/show", "/?", ...
  std::vector<std::string> args;   // the words after the name
  // The text after the first n arguments, its leading whitespace removed
  // ("/set system  Be  brief." -> rest(1) == "Be  brief.").
  std::string rest(std::size_t n) const;

  std::string line;                     // the whole line
  std::vector<std::size_t> arg_ends;    // offset in `line` just past each argument
  std::size_t name_end = 0;
};

// The line must start with '/'.
SlashCommand parse_slash_command(std::string_view line);

}  // namespace corral::cli
