// create_model: Ollama's create algorithm over the store primitives.
#include "store/create.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>

#include "gguf/gguf_file.h"
#include "store/convert_hf.h"
#include "store/digest.h"
#include "store/gguf_details.h"
#include "store/go_json.h"
#include "store/media_types.h"
#include "store/model_config.h"
#include "store/model_ops.h"
#include "store/prune.h"
#include "store/store_errors.h"
#include "store/store_lock.h"
#include "util/error.h"
#include "util/log.h"

#if defined(CORRAL_STORE_HAVE_QUANT)
#include "quant/file_type.h"
#include "quant/quantize_model.h"
#endif
#if defined(CORRAL_STORE_HAVE_TEMPLATE)
#include "template/named_templates.h"
#include "template/prompt_template.h"
#endif

namespace corral::store {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxParamsBytes = 16u << 20;

struct PendingLayer {
  Layer layer;
  std::string status;
  std::shared_ptr<const gguf::File> gguf;  // weights layers only
};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string upper(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

bool is_weights(std::string_view mt) {
  return mt == media_type::kModel || mt == media_type::kProjector || mt == media_type::kAdapter ||
         mt == media_type::kDraft;
}

bool has_gguf_magic(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char magic[4] = {};
  const ssize_t n = ::read(fd, magic, 4);
  ::close(fd);
  return n == 4 && std::memcmp(magic, "GGUF", 4) == 0;
}

// Blobs this create wrote. Ollama deletes a replaced layer's blob at once
// when no manifest uses it, so writing the same content again reports
// "creating new layer"; corral defers the deletion but reports the same.
using SessionBlobs = std::set<std::string>;

PendingLayer new_layer(const Store& store, std::string_view bytes, std::string_view media, SessionBlobs& session) {
  const BlobInfo b = store.write_blob(bytes);
  const bool created = b.created || session.count(b.digest) > 0;
  if (b.created) session.insert(b.digest);
  PendingLayer p;
  p.layer = Layer{std::string(media), b.digest, b.size, "", ""};
  p.status = (created ? "creating new layer " : "using existing layer ") + b.digest;
  return p;
}

// Drops every layer of a media type, remembering its digest for the final
// garbage collection (Ollama's removeLayer).
void remove_layers(std::vector<PendingLayer>& layers, std::string_view media, std::vector<std::string>& dropped) {
  std::erase_if(layers, [&](const PendingLayer& p) {
    if (p.layer.media_type != media) return false;
    dropped.push_back(p.layer.digest);
    return true;
  });
}

std::string detect_file_kind(const Store& store, const std::map<std::string, std::string>& files) {
  for (const auto& [name, digest] : files) {
    if (ends_with(name, ".safetensors")) return "safetensors";
    if (ends_with(name, ".gguf")) return "gguf";
    if (has_gguf_magic(store.blob_path(digest))) return "gguf";
  }
  return "";
}

void add_detected_template(const Store& store, std::vector<PendingLayer>& layers, const CreateOptions& options,
                           SessionBlobs& session) {
  if (!options.detect_template) return;
  std::vector<PendingLayer> extra;
  for (const auto& p : layers) {
    if (!p.gguf) continue;
    const std::string chat = gguf_details(*p.gguf).chat_template;
    if (chat.empty()) continue;
    const auto named = options.detect_template(chat);
    if (!named) continue;
    PendingLayer t = new_layer(store, named->template_text, media_type::kTemplate, session);
    t.status = "using autodetected template " + named->name;
    extra.push_back(std::move(t));
    if (!named->stop.empty()) {
      nlohmann::json params = nlohmann::json::object();
      params["stop"] = named->stop;
      extra.push_back(new_layer(store, go::encode(params), media_type::kParams, session));
    }
  }
  for (auto& e : extra) layers.push_back(std::move(e));
}

std::vector<PendingLayer> layers_from_gguf_files(const Store& store, const std::map<std::string, std::string>& files,
                                                 bool adapter, const CreateProgressFn& progress) {
  if (files.empty()) throw BadRequestError("no files provided to convert");
  if (adapter && files.size() > 1) throw BadRequestError("only one adapter is currently supported");
  std::vector<PendingLayer> layers;
  for (const auto& [name, digest] : files) {
    progress({"parsing GGUF"});
    const fs::path path = store.blob_path(digest);
    if (!store.has_blob(digest)) throw NotFoundError(fmt::format("blob \"{}\" not found", digest));
    if (!has_gguf_magic(path)) throw BadRequestError("supplied file was not in GGUF format");
    auto f = std::make_shared<const gguf::File>(gguf::File::open(path.string()));
    if (auto count = f->get_uint("split.count"); count && *count > 1)
      fail("{}: split GGUF files are not supported; merge them first (llama-gguf-split --merge)", name);
    const GgufDetails d = gguf_details(*f);
    std::string media(media_type::kModel);
    if (adapter || d.is_adapter)
      media = media_type::kAdapter;
    else if (d.is_projector)
      media = media_type::kProjector;
    touch(path);
    PendingLayer p;
    p.layer = Layer{media, digest, static_cast<std::int64_t>(f->file_size()), name, ""};
    p.status = "using existing layer " + digest;
    p.gguf = std::move(f);
    layers.push_back(std::move(p));
  }
  return layers;
}

// Links (or copies) the request's files into a scratch folder so that the
// converter sees the original file names.
class ScratchDir {
 public:
  ScratchDir(const Store& store, const std::map<std::string, std::string>& files) {
    std::string tmpl = (store.root() / "corral-safetensors-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) fail("{}: cannot create a scratch directory: {}", store.root().string(), std::strerror(errno));
    dir_ = buf.data();
    for (const auto& [name, digest] : files) {
      if (!is_valid_relative_file_name(name)) throw BadRequestError("file path must be relative");
      const fs::path target = dir_ / name;
      fs::create_directories(target.parent_path());
      const fs::path blob = store.blob_path(digest);
      if (!store.has_blob(digest)) throw NotFoundError(fmt::format("blob \"{}\" not found", digest));
      std::error_code ec;
      fs::create_symlink(blob, target, ec);
      if (ec) fs::copy_file(blob, target, ec);
      if (ec) fail("{}: cannot link {}: {}", target.string(), name, ec.message());
    }
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& path() const { return dir_; }

 private:
  fs::path dir_;
};

std::vector<PendingLayer> layers_from_safetensors(const Store& store, const std::map<std::string, std::string>& files,
                                                  const CreateProgressFn& progress, const CreateOptions& options) {
  ScratchDir scratch(store, files);
  progress({"converting model"});
  TempFile out = store.new_temp_blob();
  ConvertHfOptions co;
  co.type = options.convert_type;
  co.write_tokenizer = options.convert_tokenizer;
  convert_hf_to_gguf(scratch.path(), out.path(), co);
  const std::string hex = hash_file(out.path());
  const BlobInfo b = store.commit_blob(out.path(), "sha256:" + hex);
  out.release();
  PendingLayer p;
  p.layer = Layer{std::string(media_type::kModel), b.digest, b.size, "", ""};
  p.status = (b.created ? "creating new layer " : "using existing layer ") + b.digest;
  p.gguf = std::make_shared<const gguf::File>(gguf::File::open(store.blob_path(b.digest).string()));
  return {std::move(p)};
}

std::vector<PendingLayer> layers_from_model(const Store& store, const CreateRequest& request, ModelConfig& config,
                                            const CreateProgressFn& progress, const CreateOptions& options) {
  ModelName from = ModelName::parse(request.from);
  if (!from.is_valid()) throw BadRequestError("invalid model name");
  from = store.resolve_name(from);
  auto sm = store.read_manifest(from);
  if (!sm && options.pull) {
    options.pull(from, progress);
    sm = store.read_manifest(from);
  }
  if (!sm) throw NotFoundError(fmt::format("model '{}' not found", request.from));

  std::vector<PendingLayer> layers;
  for (const Layer& src : sm->manifest.layers) {
    const auto size = store.blob_size(src.digest);
    if (!size)
      fail("model '{}' is incomplete: its {} blob {} is missing", from.display_shortest(), src.media_type, src.digest);
    touch(store.blob_path(src.digest));
    PendingLayer p;
    p.layer = Layer{src.media_type, src.digest, *size, from.display_shortest(), src.name};
    p.status = "using existing layer " + src.digest;
    if (is_weights(src.media_type))
      p.gguf = std::make_shared<const gguf::File>(gguf::File::open(store.blob_path(src.digest).string()));
    layers.push_back(std::move(p));
  }
  // The base model's config fields the request does not set.
  if (!sm->manifest.config.digest.empty()) {
    try {
      const ModelConfig base = parse_model_config(store.read_blob(sm->manifest.config.digest));
      if (config.renderer.empty()) config.renderer = base.renderer;
      if (config.parser.empty()) config.parser = base.parser;
      if (config.requires_version.empty()) config.requires_version = base.requires_version;
      if (config.model_format.empty()) config.model_format = base.model_format;
      if (config.capabilities.empty()) config.capabilities = base.capabilities;
    } catch (const Error& e) {
      log::warn("create: ignoring the config of {}: {}", from.display_shortest(), e.what());
    }
  }
  return layers;
}

void apply_info(const CreateInfo& info, ModelConfig& config) {
  config.capabilities.insert(config.capabilities.end(), info.capabilities.begin(), info.capabilities.end());
  if (info.model_family) {
    config.model_family = *info.model_family;
    if (!config.model_family.empty()) config.model_families = std::vector<std::string>{config.model_family};
  }
  if (info.base_name) config.base_name = *info.base_name;
  if (info.quantization_level) config.file_type = *info.quantization_level;
  if (info.parameter_size) config.model_type = *info.parameter_size;
  if (info.context_length) config.context_length = *info.context_length;
  if (info.embedding_length) config.embedding_length = *info.embedding_length;
}

PendingLayer quantize_layer(const Store& store, const PendingLayer& p, const std::string& want_name,
                            const CreateProgressFn& progress, const CreateOptions& options) {
#if defined(CORRAL_STORE_HAVE_QUANT)
  const auto want = quant::parse_file_type(want_name);
  const std::string from_name = gguf_details(*p.gguf).file_type;
  TempFile out = store.new_temp_blob();
  out.finish();
  const std::string status = fmt::format("quantizing {} model to {}", from_name, quant::file_type_name(*want));
  const std::int64_t total = p.layer.size;
  progress({status, "0000000000000000000", total, 0});
  quant::quantize_model(*p.gguf, out.path().string(), *want, options.threads,
                        [&](std::size_t done, std::size_t all) {
                          const double frac = all ? static_cast<double>(done) / static_cast<double>(all) : 1.0;
                          progress({status, "0000000000000000000", total, static_cast<std::int64_t>(frac * total)});
                        });
  progress({"verifying conversion"});
  const BlobInfo b = store.commit_blob(out.path(), "sha256:" + hash_file(out.path()));
  out.release();
  PendingLayer q;
  q.layer = Layer{p.layer.media_type, b.digest, b.size, "", ""};
  q.status = (b.created ? "creating new layer " : "using existing layer ") + b.digest;
  q.gguf = std::make_shared<const gguf::File>(gguf::File::open(store.blob_path(b.digest).string()));
  return q;
#else
  (void)store, (void)p, (void)want_name, (void)progress, (void)options;
  fail("quantization is not available in this build");
#endif
}

void maybe_quantize(const Store& store, PendingLayer& p, const CreateRequest& request, const CreateProgressFn& progress,
                    const CreateOptions& options) {
  if (request.quantize.empty() || p.layer.media_type != media_type::kModel) return;
  const std::string want = upper(request.quantize);
  const auto supported = supported_quantize_types();
  std::string canonical;
#if defined(CORRAL_STORE_HAVE_QUANT)
  if (auto ft = quant::parse_file_type(want)) canonical = std::string(quant::file_type_name(*ft));
#endif
  if (canonical.empty()) {
    std::string list;
    for (const auto& s : supported) list += (list.empty() ? "" : ", ") + s;
    throw BadRequestError(fmt::format("unsupported quantization type {} - supported types are {}", want, list));
  }
  const std::string have = gguf_details(*p.gguf).file_type;
  if (have != "F16" && have != "BF16" && have != "F32")
    throw BadRequestError("quantization is only supported for F16, BF16 and F32 models");
  if (have == canonical) return;
  p = quantize_layer(store, p, canonical, progress, options);
}

void fill_config_from_weights(const PendingLayer& p, const CreateRequest& request, ModelConfig& config,
                              nlohmann::json& parameters) {
  const GgufDetails d = gguf_details(*p.gguf);
  if (p.layer.media_type == media_type::kModel) {
    if (config.model_format.empty()) config.model_format = "gguf";
    if (config.model_family.empty()) config.model_family = d.architecture;
    if (config.model_type.empty()) config.model_type = d.parameter_size;
    if (config.file_type.empty()) config.file_type = d.file_type;
    if (!config.model_families) config.model_families = std::vector<std::string>{};
    config.model_families->push_back(d.architecture);
    // Architectures with a built-in chat format (Ollama's create does the same).
    if (config.renderer.empty() || config.parser.empty()) {
      const std::string& arch = d.architecture;
      if (arch == "gemma4") {
        if (config.renderer.empty()) config.renderer = "gemma4";
        if (config.parser.empty()) config.parser = "gemma4";
        if (!parameters.is_object()) parameters = nlohmann::json::object();
        if (!parameters.contains("stop")) parameters["stop"] = std::vector<std::string>{"<turn|>"};
      } else if (arch == "laguna") {
        if (config.renderer.empty()) config.renderer = "laguna";
        if (config.parser.empty()) config.parser = "laguna";
      } else if (arch == "nemotron_h" || arch == "nemotron_h_moe" || arch == "nemotron_h_omni") {
        if (config.renderer.empty()) config.renderer = "nemotron-3-nano";
        if (config.parser.empty()) config.parser = "nemotron-3-nano";
      }
    }
  } else if (p.layer.media_type == media_type::kDraft) {
    config.draft = DraftConfig{"gguf", d.architecture, "", ""};
  }
  (void)request;
}

nlohmann::json merged_parameters(const Store& store, const std::vector<PendingLayer>& layers, nlohmann::json params) {
  if (!params.is_object()) params = nlohmann::json::object();
  for (const auto& p : layers) {
    if (p.layer.media_type != media_type::kParams) continue;
    nlohmann::json existing;
    try {
      existing = nlohmann::json::parse(store.read_blob(p.layer.digest, kMaxParamsBytes));
    } catch (const nlohmann::json::exception& e) {
      fail("params layer {}: not valid JSON: {}", p.layer.digest, e.what());
    }
    if (!existing.is_object()) fail("params layer {}: not a JSON object", p.layer.digest);
    for (auto it = existing.begin(); it != existing.end(); ++it)
      if (!params.contains(it.key())) params[it.key()] = it.value();
  }
  return params;
}

std::string messages_json(const std::vector<CreateMessage>& messages) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& m : messages) {
    nlohmann::ordered_json j;
    j["role"] = m.role;
    j["content"] = m.content;
    if (!m.thinking.empty()) j["thinking"] = m.thinking;
    if (!m.images.empty()) j["images"] = m.images;
    if (m.tool_calls.is_array() && !m.tool_calls.empty())
      j["tool_calls"] = nlohmann::ordered_json::parse(m.tool_calls.dump());
    if (!m.tool_name.empty()) j["tool_name"] = m.tool_name;
    if (!m.tool_call_id.empty()) j["tool_call_id"] = m.tool_call_id;
    arr.push_back(std::move(j));
  }
  return go::encode(arr, go::Numbers::float64);
}

}  // namespace

CreateOptions default_create_options() {
  CreateOptions o;
  o.prune_replaced = !noprune_from_env();
#if defined(CORRAL_STORE_HAVE_TEMPLATE)
  o.detect_template = [](std::string_view chat_template) -> std::optional<NamedTemplate> {
    const auto d = tmpl::detect_named_template(chat_template);
    if (!d || !d->named) return std::nullopt;
    return NamedTemplate{d->named->name, d->named->go_template, d->named->stop};
  };
  o.validate_template = [](std::string_view text) { (void)tmpl::PromptTemplate::parse(text); };
#endif
  return o;
}

std::vector<std::string> supported_quantize_types() {
  std::vector<std::string> out;
#if defined(CORRAL_STORE_HAVE_QUANT)
  for (auto t : quant::supported_file_types()) out.emplace_back(quant::file_type_name(t));
#endif
  return out;
}

CreateResult create_model(const Store& store, const CreateRequest& request, const CreateProgressFn& progress_in,
                          const CreateOptions& options) {
  const CreateProgressFn progress = progress_in ? progress_in : [](const CreateProgress&) {};
  ModelName name = ModelName::parse(request.model);
  if (!name.is_valid()) throw BadRequestError("invalid model name");
  name = store.resolve_name(name);

  std::optional<Manifest> old;
  try {
    if (auto sm = store.read_manifest(name)) old = sm->manifest;
  } catch (const Error& e) {
    log::warn("create: replacing unreadable manifest of {}: {}", name.display_shortest(), e.what());
  }

  ModelConfig config;
  config.renderer = request.renderer;
  config.parser = request.parser;
  config.requires_version = request.requires_version;
  nlohmann::json parameters = request.parameters;

  std::vector<std::string> dropped;
  SessionBlobs session;
  CreateResult result;
  result.name = name;
  {
    // Until the manifest is written, keep garbage collection in other
    // corral processes from removing the blobs this model is built from.
    StoreLock lock(store, StoreLock::Mode::shared);
    std::vector<PendingLayer> layers;
    if (!request.from.empty()) {
      layers = layers_from_model(store, request, config, progress, options);
    } else if (!request.files.empty()) {
      const std::string kind = detect_file_kind(store, request.files);
      if (kind == "gguf") {
        layers = layers_from_gguf_files(store, request.files, false, progress);
      } else if (kind == "safetensors") {
        layers = layers_from_safetensors(store, request.files, progress, options);
      } else {
        throw BadRequestError("unknown type");
      }
      add_detected_template(store, layers, options, session);
    } else {
      throw BadRequestError("neither 'from' or 'files' was specified");
    }
    if (!request.adapters.empty()) {
      if (detect_file_kind(store, request.adapters) != "gguf")
        throw BadRequestError("only GGUF adapters are supported");
      auto adapters = layers_from_gguf_files(store, request.adapters, true, progress);
      for (auto& a : adapters) layers.push_back(std::move(a));
    }
    if (request.info) apply_info(*request.info, config);

    for (auto& p : layers) {
      if (!p.gguf) continue;
      maybe_quantize(store, p, request, progress, options);
      fill_config_from_weights(p, request, config, parameters);
    }

    if (!request.template_text.empty()) {
      remove_layers(layers, media_type::kTemplate, dropped);
      if (options.validate_template) {
        try {
          options.validate_template(request.template_text);
        } catch (const std::exception& e) {
          throw BadRequestError(fmt::format("template error: {}", e.what()));
        }
      }
      layers.push_back(new_layer(store, request.template_text, media_type::kTemplate, session));
    }
    if (!request.system.empty()) {
      remove_layers(layers, media_type::kSystem, dropped);
      layers.push_back(new_layer(store, request.system, media_type::kSystem, session));
    }
    for (const auto& l : request.license)
      if (!l.empty()) layers.push_back(new_layer(store, l, media_type::kLicense, session));

    const nlohmann::json params = merged_parameters(store, layers, parameters);
    if (!params.empty()) {
      remove_layers(layers, media_type::kParams, dropped);
      layers.push_back(new_layer(store, go::encode(params, go::Numbers::float64), media_type::kParams, session));
    }
    if (!request.messages.empty()) {
      remove_layers(layers, media_type::kMessages, dropped);
      layers.push_back(new_layer(store, messages_json(request.messages), media_type::kMessages, session));
    }

    const BlobInfo cfg = store.write_blob(serialize_model_config(config));
    for (const auto& p : layers)
      if (!p.status.empty()) progress({p.status});
    progress({"writing manifest"});
    std::vector<Layer> manifest_layers;
    for (auto& p : layers) manifest_layers.push_back(p.layer);
    result.manifest = make_manifest(Layer{std::string(media_type::kConfig), cfg.digest, cfg.size, "", ""},
                                    std::move(manifest_layers));
    result.digest_hex = store.write_manifest(name, result.manifest);
  }

  // Replaced layers that nothing references any more (Ollama removes them
  // even under OLLAMA_NOPRUNE), then the old manifest's orphans.
  std::vector<std::string> candidates = dropped;
  if (options.prune_replaced && old) {
    const auto d = old->digests();
    candidates.insert(candidates.end(), d.begin(), d.end());
  }
  if (!candidates.empty()) remove_blobs_if_unreferenced(store, candidates);
  progress({"success"});
  return result;
}

}  // namespace corral::store
