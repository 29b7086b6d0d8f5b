// FakeRegistry: a FakeHttpServer that speaks enough of the registry
// protocol for pull tests (manifests and blobs by repository, with Range),
// plus a hook that lets a test answer any request its own way (redirects,
// truncation, 401 challenges, wrong bytes).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "registry/fake_http_server.h"

namespace corral::test {

// A model as a registry holds it: the manifest bytes and the blobs they name.
struct RegistryModel {
  std::string manifest;
  std::map<std::string, std::string> blobs;  // digest -> bytes
};

// Builds a model from layers (media type, bytes) and config bytes, with the
// manifest serialised by the store (Go's encoder).
RegistryModel make_registry_model(const std::vector<std::pair<std::string, std::string>>& layers,
                                  const std::string& config);

// "sha256:<hex>" of bytes.
std::string digest_of(const std::string& bytes);

// Deterministic pseudo-random bytes.
std::string random_bytes(std::size_t n, std::uint32_t seed);

class FakeRegistry {
 public:
  using Hook = std::function<std::optional<FakeResponse>(const FakeRequest&)>;

  FakeRegistry();
  std::string authority() const { return server_->authority(); }
  FakeHttpServer& server() { return *server_; }

  void add(const std::string& repo, const std::string& tag, const RegistryModel& model);
  // Called first for every request; a response it returns is sent as is.
  void set_hook(Hook hook);
  // Throttles blob bodies.
  void set_blob_pacing(std::size_t chunk_size, std::chrono::milliseconds delay);

  // Requests whose path contains `needle`.
  std::vector<FakeRequest> requests_to(const std::string& needle) const;

 private:
  FakeResponse handle(const FakeRequest& req);

  mutable std::mutex mu_;
  std::map<std::string, std::string> manifests_;  // "repo:tag" -> bytes
  std::map<std::string, std::string> blobs_;
  Hook hook_;
  std::size_t chunk_size_ = 64 * 1024;
  std::chrono::milliseconds delay_{0};
  std::unique_ptr<FakeHttpServer> server_;
};

}  // namespace corral::test
