// Table rendering (see text_table.h).
#include "cli/text_table.h"

#include <algorithm>

#include "cli/text_width.h"

namespace corral::cli {

std::string render_table(const TableRow& header, const std::vector<TableRow>& rows) {
  std::vector<const TableRow*> all;
  if (!header.empty()) all.push_back(&header);
  for (const auto& r : rows) all.push_back(&r);
  std::vector<std::size_t> widths;
  for (const auto* r : all) {
    if (r->size() > widths.size()) widths.resize(r->size(), 0);
    for (std::size_t i = 0; i < r->size(); ++i) widths[i] = std::max(widths[i], display_width((*r)[i]));
  }
  std::string out;
  for (const auto* r : all) {
    std::string line;
    for (std::size_t i = 0; i < r->size(); ++i) {
      if (i > 0) line += "    ";
      line += (*r)[i];
      if (i + 1 < r->size()) line.append(widths[i] - display_width((*r)[i]), ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  }
  return out;
}

}  // namespace corral::cli
