// Model-level requests (see model_requests.h).
#include "cli/model_requests.h"

#include "api/requests.h"
#include "api/responses.h"
#include "api/status_error.h"
#include "cli/create_request_json.h"
#include "cli/progress_display.h"
#include "cli/progress_stream.h"

namespace corral::cli {

namespace {

void stream_progress(const ApiClient& client, const std::string& path, const api::Json& body, TransferKind kind) {
  ProgressDisplay display;
  ProgressStream progress(display, kind);
  try {
    client.stream(path, body, [&](const api::Json& line) {
      progress.on_event(api::parse_progress_response(line));
      return true;
    });
  } catch (...) {
    display.stop();
    throw;
  }
  display.stop();
}

}  // namespace

bool is_not_found(const std::exception& e) {
  if (const auto* se = dynamic_cast<const api::StatusError*>(&e); se && se->status() == 404) return true;
  return std::string_view(e.what()).find("not found") != std::string_view::npos;
}

api::ShowResponse show_model(const ApiClient& client, const std::string& model, bool verbose,
                             const std::string& system, const api::Json& options) {
  api::ShowRequest req;
  req.model = model;
  req.verbose = verbose;
  req.system = system;
  if (options.is_object() && !options.empty()) req.options = options;
  return api::parse_show_response(client.post("/api/show", api::to_json(req)));
}

api::ShowResponse show_or_pull(const ApiClient& client, const std::string& model, bool insecure) {
  try {
    return show_model(client, model);
  } catch (const api::StatusError& e) {
    if (e.status() != 404) throw;
  }
  pull_with_progress(client, model, insecure);
  return show_model(client, model);
}

void pull_with_progress(const ApiClient& client, const std::string& model, bool insecure) {
  api::PullRequest req;
  req.model = model;
  req.insecure = insecure;
  stream_progress(client, "/api/pull", api::to_json(req), TransferKind::pull);
}

void push_with_progress(const ApiClient& client, const std::string& model, bool insecure) {
  api::PullRequest req;
  req.model = model;
  req.insecure = insecure;
  try {
    stream_progress(client, "/api/push", api::to_json(req), TransferKind::push);
  } catch (const corral::Error& e) {
    std::string lower = e.what();
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("access denied") != std::string::npos || lower.find("unauthorized") != std::string::npos)
      fail("you are not authorized to push to this namespace, create the model under a namespace you own");
    throw;
  }
}

void create_with_progress(const ApiClient& client, const store::CreateRequest& request) {
  stream_progress(client, "/api/create", create_request_to_json(request), TransferKind::create);
}

void load_model(const ApiClient& client, const std::string& model, const std::optional<api::KeepAlive>& keep_alive,
                const api::Think& think) {
  api::GenerateRequest req;
  req.model = model;
  req.keep_alive = keep_alive;
  req.think = think;
  ProgressDisplay display;
  if (display.live()) display.add_spinner("");
  try {
    client.stream("/api/generate", api::to_json(req), [](const api::Json&) { return true; });
  } catch (...) {
    display.stop_and_clear();
    throw;
  }
  display.stop_and_clear();
}

void unload_model(const ApiClient& client, const std::string& model) {
  api::GenerateRequest req;
  req.model = model;
  req.keep_alive = api::KeepAlive{};
  client.stream("/api/generate", api::to_json(req), [](const api::Json&) { return true; });
}

}  // namespace corral::cli
