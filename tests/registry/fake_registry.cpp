// FakeRegistry: routing of /v2/<repo>/manifests|blobs requests.
#include "registry/fake_registry.h"

#include <random>

#include "store/manifest.h"
#include "util/sha256.h"

namespace corral::test {

std::string digest_of(const std::string& bytes) { return "sha256:" + sha256_hex(bytes); }

std::string random_bytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

RegistryModel make_registry_model(const std::vector<std::pair<std::string, std::string>>& layers,
                                  const std::string& config) {
  RegistryModel m;
  std::vector<store::Layer> ls;
  for (const auto& [media, bytes] : layers) {
    store::Layer l;
    l.media_type = media;
    l.digest = digest_of(bytes);
    l.size = static_cast<std::int64_t>(bytes.size());
    ls.push_back(l);
    m.blobs[l.digest] = bytes;
  }
  store::Layer c;
  c.media_type = "application/vnd.docker.container.image.v1+json";
  c.digest = digest_of(config);
  c.size = static_cast<std::int64_t>(config.size());
  m.blobs[c.digest] = config;
  m.manifest = store::serialize_manifest(store::make_manifest(c, ls));
  return m;
}

FakeRegistry::FakeRegistry() {
  server_ = std::make_unique<FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
}

void FakeRegistry::add(const std::string& repo, const std::string& tag, const RegistryModel& model) {
  std::lock_guard<std::mutex> lock(mu_);
  manifests_[repo + ":" + tag] = model.manifest;
  for (const auto& [d, b] : model.blobs) blobs_[d] = b;
}

void FakeRegistry::set_hook(Hook hook) {
  std::lock_guard<std::mutex> lock(mu_);
  hook_ = std::move(hook);
}

void FakeRegistry::set_blob_pacing(std::size_t chunk_size, std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  chunk_size_ = chunk_size;
  delay_ = delay;
}

std::vector<FakeRequest> FakeRegistry::requests_to(const std::string& needle) const {
  std::vector<FakeRequest> out;
  for (auto& r : server_->requests())
    if (r.path.find(needle) != std::string::npos) out.push_back(r);
  return out;
}

FakeResponse FakeRegistry::handle(const FakeRequest& req) {
  Hook hook;
  {
    std::lock_guard<std::mutex> lock(mu_);
    hook = hook_;
  }
  if (hook)
    if (auto r = hook(req)) return *r;
  std::lock_guard<std::mutex> lock(mu_);
  const std::string& p = req.path;
  const auto not_found = [](const std::string& code) {
    FakeResponse r;
    r.status = 404;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = R"({"errors":[{"code":")" + code + R"(","message":"unknown to registry"}]})";
    return r;
  };
  if (p.rfind("/v2/", 0) != 0) return not_found("NAME_UNKNOWN");
  if (const auto m = p.find("/manifests/"); m != std::string::npos) {
    const std::string key = p.substr(4, m - 4) + ":" + p.substr(m + 11);
    auto it = manifests_.find(key);
    if (it == manifests_.end()) return not_found("MANIFEST_UNKNOWN");
    FakeResponse r;
    r.headers.emplace_back("Content-Type", "application/vnd.docker.distribution.manifest.v2+json");
    r.headers.emplace_back("Docker-Content-Digest", digest_of(it->second));
    r.body = it->second;
    return r;
  }
  if (const auto b = p.find("/blobs/"); b != std::string::npos) {
    auto it = blobs_.find(p.substr(b + 7));
    if (it == blobs_.end()) return not_found("BLOB_UNKNOWN");
    FakeResponse r = serve_bytes(req, it->second);
    r.chunk_size = chunk_size_;
    r.chunk_delay = delay_;
    return r;
  }
  return not_found("NAME_UNKNOWN");
}

}  // namespace corral::test
