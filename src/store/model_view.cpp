// load_model (GetModel) and the /api/show renderings.
#include "store/model_view.h"

#include "store/go_format.h"
#include "store/go_json.h"
#include "store/media_types.h"
#include "store/modelfile.h"
#include "store/store_errors.h"
#include "util/error.h"
#include "util/log.h"

namespace corral::store {
namespace {

constexpr std::size_t kMaxTextLayer = 64u << 20;

std::string layer_text(const Store& store, const StoredModel& m, const Layer& l) {
  try {
    return store.read_blob(l.digest, kMaxTextLayer);
  } catch (const Error& e) {
    fail("model {}: {} layer {}: {}", m.short_name, l.media_type, l.digest, e.what());
  }
}

nlohmann::json layer_json(const Store& store, const StoredModel& m, const Layer& l) {
  const std::string text = layer_text(store, m, l);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail("model {}: {} layer {} is not valid JSON: {}", m.short_name, l.media_type, l.digest, e.what());
  }
}

std::string json_value_text(const nlohmann::json& v) { return go::to_json(v); }

}  // namespace

ModelDetails StoredModel::details() const {
  ModelDetails d;
  d.parent_model = parent_model;
  d.format = config.model_format;
  d.family = config.model_family;
  d.families = config.model_families;
  d.parameter_size = config.model_type;
  d.quantization_level = config.file_type;
  d.context_length = config.context_length;
  d.embedding_length = config.embedding_length;
  return d;
}

StoredModel load_model(const Store& store, const ModelName& name) {
  StoredModel m;
  m.name = name;
  m.short_name = name.display_shortest();
  auto sm = store.read_manifest(name);
  if (!sm) throw NotFoundError(fmt::format("model '{}' not found", m.short_name));
  m.manifest = std::move(*sm);
  if (!m.manifest.manifest.config.digest.empty())
    m.config = parse_model_config(layer_text(store, m, m.manifest.manifest.config), fmt::format("config of {}", m.short_name));

  for (const Layer& l : m.manifest.manifest.layers) {
    const std::string& mt = l.media_type;
    if (mt == media_type::kModel) {
      m.model_path = store.blob_path(l.digest);
      m.parent_model = l.from;
    } else if (mt == media_type::kDraft) {
      m.draft_path = store.blob_path(l.digest);
    } else if (mt == media_type::kAdapter) {
      m.adapter_paths.push_back(store.blob_path(l.digest));
    } else if (mt == media_type::kProjector) {
      m.projector_paths.push_back(store.blob_path(l.digest));
    } else if (mt == media_type::kTemplate || mt == media_type::kPrompt) {
      m.has_template_layer = true;
      m.template_text = layer_text(store, m, l);
    } else if (mt == media_type::kSystem) {
      m.system = layer_text(store, m, l);
    } else if (mt == media_type::kParams) {
      m.options = layer_json(store, m, l);
      if (!m.options.is_object()) fail("model {}: params layer {} is not a JSON object", m.short_name, l.digest);
    } else if (mt == media_type::kMessages) {
      const nlohmann::json arr = layer_json(store, m, l);
      if (!arr.is_array()) fail("model {}: messages layer {} is not a JSON array", m.short_name, l.digest);
      m.messages.clear();
      for (const auto& j : arr) {
        if (!j.is_object()) continue;
        CreateMessage msg;
        msg.role = j.value("role", std::string());
        msg.content = j.value("content", std::string());
        msg.thinking = j.value("thinking", std::string());
        m.messages.push_back(std::move(msg));
      }
    } else if (mt == media_type::kLicense) {
      m.license.push_back(layer_text(store, m, l));
    } else if (mt == media_type::kEmbed) {
      log::info("model {} contains embeddings, but embeddings in modelfiles have been deprecated and will be ignored",
                m.short_name);
    }
  }
  return m;
}

std::string go_value_text(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::string: return v.get<std::string>();
    case nlohmann::json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float: return go::format_v(v.get<double>());
    case nlohmann::json::value_t::null: return "<nil>";
    default: return json_value_text(v);
  }
}

std::string format_show_parameters(const nlohmann::json& options) {
  if (!options.is_object()) return {};
  auto go_sharp_v = [](const nlohmann::json& v) -> std::string {
    if (v.is_string()) return go::quote(v.get<std::string>());
    return go_value_text(v);
  };
  std::string out;
  auto line = [&](const std::string& key, const nlohmann::json& v) {
    if (!out.empty()) out += '\n';
    out += fmt::format("{:<30} {}", key, go_sharp_v(v));
  };
  for (auto it = options.begin(); it != options.end(); ++it) {
    if (it.value().is_array()) {
      for (const auto& e : it.value()) line(it.key(), e);
    } else {
      line(it.key(), it.value());
    }
  }
  return out;
}

std::string render_show_modelfile(const StoredModel& m) {
  Modelfile f;
  auto add = [&](Instruction i, std::string value, std::string name = "") {
    f.commands.push_back(ModelfileCommand{i, std::move(name), std::move(value), 0});
  };
  add(Instruction::from, m.model_path.string());
  for (const auto& a : m.adapter_paths) add(Instruction::adapter, a.string());
  if (!m.draft_path.empty()) add(Instruction::draft, m.draft_path.string());
  for (const auto& p : m.projector_paths) add(Instruction::from, p.string());
  add(Instruction::template_, m.template_text);
  if (!m.system.empty()) add(Instruction::system, m.system);
  if (!m.config.renderer.empty()) add(Instruction::renderer, m.config.renderer);
  if (!m.config.parser.empty()) add(Instruction::parser, m.config.parser);
  if (m.options.is_object()) {
    for (auto it = m.options.begin(); it != m.options.end(); ++it) {
      if (it.value().is_array()) {
        for (const auto& e : it.value()) add(Instruction::parameter, go_value_text(e), it.key());
      } else {
        add(Instruction::parameter, go_value_text(it.value()), it.key());
      }
    }
  }
  for (const auto& l : m.license) add(Instruction::license, l);
  for (const auto& msg : m.messages) add(Instruction::message, msg.content, msg.role);

  const std::string body = render_modelfile(f);
  std::string out = "# Modelfile generated by \"ollama show\"\n";
  if (m.is_safetensors()) {
    out += "FROM " + m.short_name + "\n";
    const auto nl = body.find('\n');
    if (nl != std::string::npos) out += body.substr(nl + 1);
    return out;
  }
  out += "# To build a new Modelfile based on this, replace FROM with:\n";
  out += "# FROM " + m.short_name + "\n\n";
  out += body;
  return out;
}

}  // namespace corral::store
