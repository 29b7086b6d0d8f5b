// push(): every blob of a stored model, then its manifest.
#include "registry/blob_upload.h"
#include "registry/registry.h"
#include "registry/session.h"
#include "store/atomic_file.h"
#include "store/manifest.h"
#include "store/media_types.h"
#include "store/store_errors.h"

namespace corral::registry {
namespace {

void emit(const ProgressFn& progress, std::string status) {
  if (progress) progress(Progress{std::move(status), {}, 0, 0});
}

}  // namespace

void push(store::Store& store, const store::ModelName& requested, const PushOptions& options,
          const ProgressFn& progress, const std::atomic<bool>* cancel) {
  if (!requested.is_valid())
    throw store::BadRequestError(
        fmt::format("invalid model name \"{}\": {}", requested.to_string(), requested.invalid_reason()));
  store::ModelName name = store.resolve_name(requested);
  name.scheme = requested.scheme;
  emit(progress, "retrieving manifest");
  Session session(name, options, cancel, "push");

  std::optional<store::StoredManifest> stored;
  try {
    stored = store.require_manifest(name);
  } catch (const Error&) {
    emit(progress, "couldn't retrieve manifest");
    throw;
  }
  const store::Manifest& manifest = stored->manifest;

  std::vector<store::Layer> blobs = manifest.layers;
  if (!manifest.config.digest.empty()) blobs.push_back(manifest.config);
  for (const auto& layer : blobs) {
    session.check_cancel();
    upload_blob(store, session, options, layer, "pushing " + layer.digest.substr(7, 12), progress);
  }

  emit(progress, "pushing manifest");
  // The stored bytes go out verbatim, so the pulled copy has the same
  // digest; a manifest without a media type is re-serialised with one (the
  // registry checks it against the Content-Type).
  std::string body;
  std::string media_type = manifest.media_type;
  if (media_type.empty()) {
    store::Manifest m = manifest;
    m.media_type = std::string(store::media_type::kManifest);
    media_type = m.media_type;
    body = store::serialize_manifest(m);
  } else {
    body = store::read_small_file(stored->path, store::kMaxManifestBytes);
  }
  HttpRequest req;
  req.method = "PUT";
  req.url = session.manifest_url(name.tag);
  req.headers = {"Content-Type: " + media_type};
  req.body = std::move(body);
  const HttpResponse resp = session.send(req, true);
  if (resp.status < 200 || resp.status > 299) fail("pushing manifest: {}", describe_http_error(resp));
  emit(progress, "success");
}

}  // namespace corral::registry
