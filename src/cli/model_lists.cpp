// list / ps tables (see model_lists.h).
#include "cli/model_lists.h"

#include <fmt/format.h>

#include <cmath>

#include "cli/human_format.h"
#include "cli/text_table.h"

namespace corral::cli {

namespace {

bool has_prefix_fold(const std::string& name, const std::string& prefix) {
  if (prefix.size() > name.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(name[i])) != std::tolower(static_cast<unsigned char>(prefix[i])))
      return false;
  return true;
}

std::string short_id(const std::string& digest) {
  std::string hex = digest.rfind("sha256:", 0) == 0 ? digest.substr(7) : digest;
  return hex.substr(0, 12);
}

}  // namespace

std::string processor_text(std::int64_t size, std::int64_t size_vram) {
  if (size_vram == 0) return "100% CPU";
  if (size_vram == size) return "100% GPU";
  if (size_vram > size || size == 0) return "Unknown";
  const double cpu = std::round(static_cast<double>(size - size_vram) / static_cast<double>(size) * 100.0);
  return fmt::format("{}%/{}% CPU/GPU", static_cast<int>(cpu), static_cast<int>(100 - cpu));
}

std::string render_model_list(const std::vector<api::ListModel>& models, const std::string& prefix,
                              std::chrono::system_clock::time_point now) {
  std::vector<TableRow> rows;
  for (const auto& m : models) {
    if (!prefix.empty() && !has_prefix_fold(m.name, prefix)) continue;
    rows.push_back({m.name, short_id(m.digest), m.remote_model.empty() ? human_bytes(m.size) : "-",
                    human_time(m.modified_at, now)});
  }
  return render_table({"NAME", "ID", "SIZE", "MODIFIED"}, rows);
}

std::string render_process_list(const std::vector<api::ProcessModel>& models, const std::string& prefix,
                                std::chrono::system_clock::time_point now) {
  std::vector<TableRow> rows;
  for (const auto& m : models) {
    if (!prefix.empty() && m.name.rfind(prefix, 0) != 0) continue;
    const std::string until = m.expires_at < now ? "Stopping..." : human_time(m.expires_at, now);
    rows.push_back({m.name, short_id(m.digest), human_bytes(m.size), processor_text(m.size, m.size_vram),
                    std::to_string(m.context_length), until});
  }
  return render_table({"NAME", "ID", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL"}, rows);
}

}  // namespace corral::cli
