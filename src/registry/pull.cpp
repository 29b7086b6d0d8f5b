// pull(): manifest, blobs, verification, manifest write, pruning of the
// layers a replaced manifest leaves behind.
#include <set>

#include "registry/blob_download.h"
#include "registry/registry.h"
#include "registry/session.h"
#include "registry/url.h"
#include "store/digest.h"
#include "store/manifest.h"
#include "store/media_types.h"
#include "store/model_ops.h"
#include "store/prune.h"
#include "store/store_errors.h"
#include "store/store_lock.h"
#include "util/log.h"
#include "util/sha256.h"

namespace corral::registry {
namespace {

constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";

void emit(const ProgressFn& progress, std::string status) {
  if (progress) progress(Progress{std::move(status), {}, 0, 0});
}

// GET the manifest; every failure is "pull model manifest: <why>".
std::string fetch_manifest(Session& session, const store::ModelName& name) {
  HttpRequest req;
  req.url = session.manifest_url(name.tag);
  req.headers = {fmt::format("Accept: {}, {}", store::media_type::kManifest, kOciManifest)};
  req.max_response_body = store::kMaxManifestBytes;
  HttpResponse resp;
  try {
    resp = session.send(req);
  } catch (const UnauthorizedError&) {
    throw;
  } catch (const CancelledError&) {
    throw;
  } catch (const Error& e) {
    fail("pull model manifest: {}", e.what());
  }
  if (resp.status == 404) throw ManifestNotFoundError();
  if (resp.status != 200) fail("pull model manifest: {}", describe_http_error(resp));
  // A registry that names the content's digest must agree with it.
  if (const auto d = resp.headers.get("docker-content-digest"); d && store::is_canonical_digest(*d)) {
    const std::string got = "sha256:" + sha256_hex(resp.body);
    if (got != *d) fail("pull model manifest: content is {} but the registry says {}", got, *d);
  }
  return resp.body;
}

store::Manifest check_manifest(std::string_view bytes) {
  store::Manifest m;
  try {
    m = store::parse_manifest(bytes, "manifest");
  } catch (const Error& e) {
    fail("pull model manifest: {}", e.what());
  }
  if (!m.media_type.empty() && m.media_type != store::media_type::kManifest && m.media_type != kOciManifest)
    fail(
        "pull model manifest: unsupported manifest type \"{}\" (an image index or another kind of artifact, not a "
        "model)",
        m.media_type.substr(0, 100));
  if (m.layers.empty()) fail("pull model manifest: the manifest has no layers");
  return m;
}

}  // namespace

PullOptions default_pull_options() {
  PullOptions o;
  o.prune_replaced = !store::noprune_from_env();
  return o;
}

std::filesystem::path default_identity_path() {
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') return {};
  return std::filesystem::path(home) / ".ollama" / "id_ed25519";
}

void pull(store::Store& store, const store::ModelName& requested, const PullOptions& options,
          const ProgressFn& progress, const std::atomic<bool>* cancel) {
  if (!requested.is_valid())
    throw store::BadRequestError(
        fmt::format("invalid model name \"{}\": {}", requested.to_string(), requested.invalid_reason()));
  store::ModelName name = store.resolve_name(requested);
  name.scheme = requested.scheme;

  std::optional<store::Manifest> old;
  try {
    if (auto sm = store.read_manifest(name)) old = std::move(sm->manifest);
  } catch (const Error& e) {
    log::warn("registry: pulling over an unreadable manifest of {}: {}", name.display_shortest(), e.what());
  }

  Session session(name, options, cancel, "pull");
  emit(progress, "pulling manifest");
  const std::string bytes = fetch_manifest(session, name);
  const store::Manifest manifest = check_manifest(bytes);

  // Layers, then the config, as Ollama orders them.
  std::vector<store::Layer> blobs = manifest.layers;
  if (!manifest.config.digest.empty()) blobs.push_back(manifest.config);
  for (int round = 0;; ++round) {
    for (const auto& layer : blobs) {
      const std::string status = "pulling " + layer.digest.substr(7, 12);
      download_blob(store, session, options, layer.digest, layer.size, status, progress);
    }
    if (round == 0) emit(progress, "verifying sha256 digest");
    // Blobs are verified as they are committed. Under the store lock, make
    // sure none vanished (a concurrent delete or prune) before the manifest
    // that references them appears.
    store::StoreLock lock(store, store::StoreLock::Mode::shared);
    bool missing = false;
    for (const auto& layer : blobs) missing = missing || !store.has_blob(layer.digest);
    if (missing) {
      if (round >= 2) fail("blobs of {} keep disappearing from the store while it is pulled", name.display_shortest());
      log::warn("registry: a blob of {} was removed during the pull; fetching it again", name.display_shortest());
      continue;
    }
    emit(progress, "writing manifest");
    store.write_manifest_bytes(name, bytes);
    break;
  }

  if (old && options.prune_replaced) {
    std::set<std::string> kept;
    for (const auto& d : manifest.digests()) kept.insert(d);
    bool orphans = false;
    for (const auto& d : old->digests()) orphans = orphans || !kept.count(d);
    if (orphans) {
      emit(progress, "removing unused layers");
      try {
        store::remove_unused_layers(store, *old);
      } catch (const Error& e) {
        emit(progress, fmt::format("couldn't remove unused layers: {}", e.what()));
      }
    }
  }
  emit(progress, "success");
}

}  // namespace corral::registry
