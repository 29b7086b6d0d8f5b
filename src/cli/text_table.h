// Borderless tables as Ollama's CLI prints them (list, ps, show): left
// aligned columns separated by four spaces, widths measured in terminal
// columns, no header underline, trailing spaces trimmed.
#pragma once

#include <string>
#include <vector>

namespace corral::cli {

using TableRow = std::vector<std::string>;

// Every line ends with '\n'. `header` may be empty (no header line).
std::string render_table(const TableRow& header, const std::vector<TableRow>& rows);

}  // namespace corral::cli
