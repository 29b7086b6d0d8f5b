// Slash command splitting (see slash_command.h).
#include "cli/slash_command.h"

namespace corral::cli {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

SlashCommand parse_slash_command(std::string_view line) {
  SlashCommand c;
  c.line = std::string(line);
  std::size_t pos = 0;
  bool first = true;
  while (pos < line.size()) {
    while (pos < line.size() && is_space(line[pos])) ++pos;
    if (pos >= line.size()) break;
    const std::size_t start = pos;
    while (pos < line.size() && !is_space(line[pos])) ++pos;
    std::string word(line.substr(start, pos - start));
    if (first) {
      c.name = std::move(word);
      c.name_end = pos;
      first = false;
    } else {
      c.args.push_back(std::move(word));
      c.arg_ends.push_back(pos);
    }
  }
  return c;
}

std::string SlashCommand::rest(std::size_t n) const {
  std::size_t from = n == 0 ? name_end : (n <= arg_ends.size() ? arg_ends[n - 1] : line.size());
  while (from < line.size() && is_space(line[from])) ++from;
  std::string r = line.substr(from);
  while (!r.empty() && is_space(r.back())) r.pop_back();
  return r;
}

}  // namespace corral::cli
