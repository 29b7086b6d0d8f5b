// Model resolution, GGUF facts, capabilities and per-model options.
#include "server/model_catalog.h"

#include <algorithm>

#include "api/status_error.h"
#include "gguf/gguf_file.h"
#include "store/store_errors.h"
#include "template/capabilities.h"
#include "util/log.h"

namespace corral::server {

namespace {

constexpr std::size_t kMaxCachedFacts = 256;
constexpr std::size_t kMaxCachedTokenizers = 8;

bool contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

bool ResolvedModel::has_capability(std::string_view c) const { return contains(capabilities, c); }

std::shared_ptr<const GgufFacts> ModelCatalog::gguf_facts(const std::filesystem::path& path) const {
  {
    std::lock_guard lock(mu_);
    auto it = facts_.find(path.string());
    if (it != facts_.end()) return it->second;
  }
  auto f = std::make_shared<GgufFacts>();
  const auto file = gguf::File::open(path.string());
  f->file_size = static_cast<std::int64_t>(file.file_size());
  f->architecture = file.architecture();
  f->embedding = file.find(f->architecture + ".pooling_type") != nullptr;
  if (auto ctx = file.get_uint(f->architecture + ".context_length")) f->n_ctx_train = static_cast<std::int64_t>(*ctx);
  if (auto t = file.get_string("tokenizer.chat_template")) f->chat_template = *t;
  try {
    f->params = model::read_model_params(file);
    if (!f->n_ctx_train) f->n_ctx_train = f->params->n_ctx_train;
  } catch (const Error& e) {
    f->params_error = e.what();
  }
  std::lock_guard lock(mu_);
  if (facts_.size() >= kMaxCachedFacts) facts_.clear();
  facts_[path.string()] = f;
  return f;
}

std::shared_ptr<const tokenizer::Tokenizer> ModelCatalog::tokenizer(const std::filesystem::path& path) const {
  {
    std::lock_guard lock(mu_);
    for (auto it = tokenizers_.begin(); it != tokenizers_.end(); ++it) {
      if (it->first == path.string()) {
        tokenizers_.splice(tokenizers_.begin(), tokenizers_, it);
        return tokenizers_.front().second;
      }
    }
  }
  auto file = gguf::File::open(path.string());
  auto tok = tokenizer::Tokenizer::from_gguf(file);
  std::lock_guard lock(mu_);
  tokenizers_.emplace_front(path.string(), tok);
  while (tokenizers_.size() > kMaxCachedTokenizers) tokenizers_.pop_back();
  return tok;
}

std::vector<std::string> ModelCatalog::capabilities(const store::StoredModel& m, const GgufFacts* gguf,
                                                    const tmpl::PromptTemplate* tmpl) const {
  std::vector<std::string> caps;
  auto add = [&](const std::string& c) {
    if (!contains(caps, c)) caps.push_back(c);
  };
  if (gguf) add(gguf->embedding ? "embedding" : "completion");
  for (const auto& c : m.config.capabilities) add(c);
  if (tmpl && !(gguf && gguf->embedding))
    for (const auto& c : tmpl::go_template_capabilities(*tmpl)) add(c);
  return caps;
}

ResolvedModel ModelCatalog::resolve(std::string_view name) const {
  store::ModelName parsed = store::ModelName::parse(name);
  if (!parsed.is_valid()) throw api::StatusError(400, "invalid model name");
  const store::ModelName resolved = store_.resolve_name(parsed);
  ResolvedModel r;
  r.request_name = std::string(name);
  try {
    r.stored = store::load_model(store_, resolved);
  } catch (const store::NotFoundError&) {
    throw api::StatusError(404, "model '" + std::string(name) + "' not found");
  }
  if (!r.stored.model_path.empty()) {
    try {
      r.gguf = gguf_facts(r.stored.model_path);
    } catch (const Error& e) {
      throw api::StatusError(500, "model '" + std::string(name) + "': " + e.what());
    }
  }
  try {
    r.prompt_template = std::make_shared<tmpl::PromptTemplate>(tmpl::PromptTemplate::parse(r.stored.template_text));
  } catch (const Error& e) {
    throw api::StatusError(500, std::string("template: ") + e.what());
  }
  r.capabilities = capabilities(r.stored, r.gguf.get(), r.prompt_template.get());
  try {
    api::apply_options(r.stored.options, r.options);
  } catch (const Error& e) {
    log::warn("model {}: ignoring parameters: {}", r.stored.short_name, e.what());
  }
  r.ctx_from_modelfile = r.stored.options.contains("num_ctx");
  r.batch_from_modelfile = r.stored.options.contains("num_batch");
  r.threads_from_modelfile = r.stored.options.contains("num_thread");
  return r;
}

}  // namespace corral::server
