// ModelCatalog: from a model name in a request to everything the routes need
// about it: the stored model (template, system, parameters, messages,
// config), facts read once from its GGUF (hyper-parameters, trained
// context, embedding model or not), its capabilities (Ollama's §8.7 rules),
// its options (defaults + Modelfile parameters) and a tokenizer for
// /api/tokenize without loading the model. GGUF facts and tokenizers are
// cached by blob path (blobs are content-addressed, so never stale).
#pragma once

#include <cstdint>
#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/options.h"
#include "model/hparams.h"
#include "store/model_view.h"
#include "store/store.h"
#include "template/prompt_template.h"
#include "tokenizer/tokenizer.h"

namespace corral::server {

struct GgufFacts {
  std::int64_t file_size = 0;
  std::optional<model::ModelParams> params;  // nullopt when the architecture is unsupported
  std::string params_error;                  // why params is missing
  std::int64_t n_ctx_train = 0;
  bool embedding = false;                    // <arch>.pooling_type present
  std::string architecture;
  std::string chat_template;
};

struct ResolvedModel {
  store::StoredModel stored;
  std::string request_name;                  // the name as the request spelled it
  std::shared_ptr<const GgufFacts> gguf;     // null for models without weights
  std::shared_ptr<const tmpl::PromptTemplate> prompt_template;
  std::vector<std::string> capabilities;
  api::ModelOptions options;                 // defaults, then the Modelfile's parameters
  bool ctx_from_modelfile = false;
  bool batch_from_modelfile = false;
  bool threads_from_modelfile = false;

  bool has_capability(std::string_view c) const;
  // registry.ollama.ai/library/x:latest (Ollama's "full name" in some errors).
  std::string full_name() const { return stored.name.to_string(); }
};

class ModelCatalog {
 public:
  explicit ModelCatalog(const store::Store& store) : store_(store) {}

  // Resolves a request's model name (case-insensitive against the store).
  // Errors (StatusError): 400 "invalid model name"; 404 "model '<name>' not
  // found". A model whose template does not parse fails with 500.
  ResolvedModel resolve(std::string_view name) const;

  std::shared_ptr<const GgufFacts> gguf_facts(const std::filesystem::path& path) const;
  std::shared_ptr<const tokenizer::Tokenizer> tokenizer(const std::filesystem::path& path) const;
  // Capabilities of a stored model (for /api/tags and /api/show).
  std::vector<std::string> capabilities(const store::StoredModel& m, const GgufFacts* gguf,
                                        const tmpl::PromptTemplate* tmpl) const;

  const store::Store& store() const { return store_; }

 private:
  const store::Store& store_;
  mutable std::mutex mu_;
  mutable std::map<std::string, std::shared_ptr<const GgufFacts>> facts_;
  mutable std::list<std::pair<std::string, std::shared_ptr<const tokenizer::Tokenizer>>> tokenizers_;  // MRU first
};

}  // namespace corral::server
