// `show` output (see show_info.h).
#include "cli/show_info.h"

#include <algorithm>
#include <sstream>

#include "cli/human_format.h"
#include "cli/text_table.h"
#include "cli/text_width.h"
#include "store/go_format.h"

namespace corral::cli {

namespace {

void section(std::string& out, const std::string& title, const std::vector<TableRow>& rows) {
  out += "  " + title + "\n";
  out += render_table({}, rows);
  out += "\n";
}

const api::Json* find(const api::Json& obj, const std::string& key) {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string number_string(const api::Json& v) {
  if (v.is_number_integer()) return v.dump();
  return store::go::format_float(v.get<double>(), 'f', 64);
}

// Non-empty trimmed lines: the first n, then "..." when there are more.
std::vector<TableRow> head_rows(const std::string& text, std::size_t n) {
  std::vector<TableRow> rows;
  std::istringstream in(text);
  std::string line;
  std::size_t count = 0;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    if (b == std::string::npos) continue;
    const auto e = line.find_last_not_of(" \t\r");
    ++count;
    if (count <= n) rows.push_back({"", line.substr(b, e - b + 1)});
  }
  if (count > n) rows.push_back({"", "..."});
  return rows;
}

// An array shown in about ten columns: "[1 2 3 ...+97 more]".
std::string short_array(const api::Json& arr) {
  constexpr std::size_t kTarget = 10;
  std::size_t width = 1, shown = 0;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    std::size_t w = display_width(go_value_string(arr[i])) + (i > 0 ? 2 : 0);
    if (width + w > kTarget && i > 0) break;
    width += w;
    ++shown;
  }
  std::string s = "[";
  for (std::size_t i = 0; i < shown; ++i) s += (i ? " " : "") + go_value_string(arr[i]);
  if (shown < arr.size()) s += " ...+" + std::to_string(arr.size() - shown) + " more";
  return s + "]";
}

}  // namespace

std::string go_value_string(const api::Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number()) return store::go::format_v(v.get<double>());
  if (v.is_array()) {
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + go_value_string(v[i]);
    return s + "]";
  }
  if (v.is_null()) return "<nil>";
  return v.dump();
}

std::string render_show_info(const api::ShowResponse& r, bool verbose) {
  std::string out;
  {
    std::vector<TableRow> rows;
    if (!r.remote_host.empty()) {
      rows.push_back({"", "Remote model", r.remote_model});
      rows.push_back({"", "Remote URL", r.remote_host});
    }
    if (r.model_info.is_object() && !r.model_info.empty()) {
      std::string arch;
      if (const auto* a = find(r.model_info, "general.architecture"); a && a->is_string()) arch = a->get<std::string>();
      if (!arch.empty()) rows.push_back({"", "architecture", arch});
      std::string params = r.details.parameter_size;
      if (params.empty()) {
        if (const auto* p = find(r.model_info, "general.parameter_count"); p && p->is_number())
          params = human_number(static_cast<std::uint64_t>(p->get<double>()));
      }
      if (!params.empty()) rows.push_back({"", "parameters", params});
      if (const auto* v = find(r.model_info, arch + ".context_length"); v && v->is_number())
        rows.push_back({"", "context length", number_string(*v)});
      if (const auto* v = find(r.model_info, arch + ".embedding_length"); v && v->is_number())
        rows.push_back({"", "embedding length", number_string(*v)});
    } else {
      rows.push_back({"", "architecture", r.details.family});
      rows.push_back({"", "parameters", r.details.parameter_size});
    }
    rows.push_back({"", "quantization", r.details.quantization_level});
    if (!r.requires_version.empty()) rows.push_back({"", "requires", r.requires_version});
    section(out, "Model", rows);
  }

  if (!r.capabilities.empty()) {
    std::vector<TableRow> rows;
    for (const auto& c : r.capabilities) rows.push_back({"", c});
    section(out, "Capabilities", rows);
  }

  if (r.projector_info.is_object()) {
    std::vector<TableRow> rows;
    std::string arch;
    if (const auto* a = find(r.projector_info, "general.architecture"); a && a->is_string()) arch = a->get<std::string>();
    if (!arch.empty()) rows.push_back({"", "architecture", arch});
    if (const auto* p = find(r.projector_info, "general.parameter_count"); p && p->is_number())
      rows.push_back({"", "parameters", human_number(static_cast<std::uint64_t>(p->get<double>()))});
    for (const char* suffix : {"embedding_length", "projection_dim"}) {
      for (const char* modality : {"vision", "audio"}) {
        if (const auto* v = find(r.projector_info, arch + "." + modality + "." + suffix); v && v->is_number()) {
          rows.push_back({"", std::string(suffix) == "embedding_length" ? "embedding length" : "dimensions",
                          number_string(*v)});
          break;
        }
      }
    }
    section(out, "Projector", rows);
  }

  if (!r.parameters.empty()) {
    std::vector<TableRow> rows;
    std::istringstream in(r.parameters);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream words(line);
      TableRow row{""};
      std::string w;
      while (words >> w) row.push_back(w);
      if (row.size() > 1) rows.push_back(std::move(row));
    }
    section(out, "Parameters", rows);
  }

  if (verbose && r.model_info.is_object() && !r.model_info.empty()) {
    std::vector<std::string> keys;
    for (auto it = r.model_info.begin(); it != r.model_info.end(); ++it) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    std::vector<TableRow> rows;
    for (const auto& k : keys) {
      const auto& v = r.model_info[k];
      rows.push_back({"", k, v.is_array() ? short_array(v) : v.is_number() && !v.is_number_integer()
                                                                 ? store::go::format_float(v.get<double>(), 'g', 64)
                                                                 : go_value_string(v)});
    }
    section(out, "Metadata", rows);
  }

  if (verbose && !r.tensors.empty()) {
    std::vector<TableRow> rows;
    for (const auto& t : r.tensors) {
      std::string shape = "[";
      for (std::size_t i = 0; i < t.shape.size(); ++i) shape += (i ? " " : "") + std::to_string(t.shape[i]);
      rows.push_back({"", t.name, t.type, shape + "]"});
    }
    section(out, "Tensors", rows);
  }

  if (!r.system.empty()) section(out, "System", head_rows(r.system, 2));
  if (!r.license.empty()) section(out, "License", head_rows(r.license, 2));
  return out;
}

}  // namespace corral::cli
