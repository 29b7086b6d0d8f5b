// Model-level requests shared by several commands: /api/show, pulling and
// pushing with progress bars, loading a model (a spinner until it is ready)
// and unloading it (keep_alive 0), creating from a request with progress.
#pragma once

#include <optional>
#include <string>

#include "api/types.h"
#include "cli/api_client.h"
#include "store/create_request.h"

namespace corral::cli {

api::ShowResponse show_model(const ApiClient& client, const std::string& model, bool verbose = false,
                             const std::string& system = {}, const api::Json& options = nullptr);

// /api/show; when the model is not there (404), pulls it first.
api::ShowResponse show_or_pull(const ApiClient& client, const std::string& model, bool insecure);

// /api/pull and /api/push with Ollama's progress display on stderr.
void pull_with_progress(const ApiClient& client, const std::string& model, bool insecure);
void push_with_progress(const ApiClient& client, const std::string& model, bool insecure);

// /api/create with the request's JSON and the progress display.
void create_with_progress(const ApiClient& client, const store::CreateRequest& request);

// An empty /api/generate: loads the model (spinner on stderr meanwhile), or
// with keep_alive 0 unloads it.
void load_model(const ApiClient& client, const std::string& model, const std::optional<api::KeepAlive>& keep_alive,
                const api::Think& think);
void unload_model(const ApiClient& client, const std::string& model);

// True for the errors that mean "no such model" (status 404 or "not found").
bool is_not_found(const std::exception& e);

}  // namespace corral::cli
