// Push and pull through a real OCI registry: Debian's docker-registry
// (CNCF distribution 2.8) on 127.0.0.1, which answers blob GETs with a plain
// 200 (the case Ollama's client rejects). Models are generated GGUFs created
// in a store; the pulled copy must match byte for byte.
#include <gtest/gtest.h>

#include <atomic>

#include "registry/docker_registry.h"
#include "registry/registry.h"
#include "registry/test_models.h"
#include "store/model_ops.h"
#include "testutil/temp_dir.h"
#include "util/sha256.h"

namespace corral::registry {
namespace {

namespace fs = std::filesystem;

template <typename Options>
Options fast(Options o) {
  o.insecure = true;
  o.identity_path = "/nonexistent/corral-test-key";
  o.retry_delay = std::chrono::milliseconds(20);
  o.progress_interval = std::chrono::milliseconds(0);
  return o;
}

std::vector<std::string> collapse(const std::vector<Progress>& events) {
  std::vector<std::string> out;
  for (const auto& e : events)
    if (out.empty() || out.back() != e.status) out.push_back(e.status);
  return out;
}

void expect_same_model(const store::Store& a, const store::ModelName& na, const store::Store& b,
                       const store::ModelName& nb) {
  const auto ma = a.require_manifest(na);
  const auto mb = b.require_manifest(nb);
  EXPECT_EQ(test::file_bytes(ma.path), test::file_bytes(mb.path));
  for (const auto& d : ma.manifest.digests())
    EXPECT_EQ(test::file_bytes(a.blob_path(d)), test::file_bytes(b.blob_path(d))) << d;
}

TEST(DockerRegistry, PushThenPullIsByteForByte) {
  CORRAL_DOCKER_REGISTRY_OR_SKIP(reg);
  test::TempDir dir;
  store::Store local(dir.path() / "a");
  const auto created = test::create_generated_model(local, dir.path() / "gen", "tiny", test::tiny_spec());
  const store::ModelName remote = store::parse_model_name(reg.authority() + "/corral/tiny:v1");
  store::copy_model(local, store::parse_model_name("tiny"), remote);

  std::vector<Progress> pushed;
  PushOptions po = fast(PushOptions{});
  po.chunk_size = 64 * 1024;  // several PATCH chunks for the weights
  push(local, remote, po, [&](const Progress& p) { pushed.push_back(p); });
  std::vector<store::Layer> blobs = created.manifest.layers;
  blobs.push_back(created.manifest.config);
  std::vector<std::string> want = {"retrieving manifest"};
  for (const auto& l : blobs) want.push_back("pushing " + l.digest.substr(7, 12));
  want.insert(want.end(), {"pushing manifest", "success"});
  EXPECT_EQ(collapse(pushed), want);

  store::Store other(dir.path() / "b");
  std::vector<Progress> pulled;
  pull(other, remote, fast(PullOptions{}), [&](const Progress& p) { pulled.push_back(p); });
  want = {"pulling manifest"};
  for (const auto& l : blobs) want.push_back("pulling " + l.digest.substr(7, 12));
  want.insert(want.end(), {"verifying sha256 digest", "writing manifest", "success"});
  EXPECT_EQ(collapse(pulled), want);
  expect_same_model(local, remote, other, remote);
  EXPECT_TRUE(test::partial_files(other).empty());

  // The pulled model is a normal model of the store.
  const auto models = store::list_models(other);
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].display_name, reg.authority() + "/corral/tiny:v1");
  EXPECT_EQ(models[0].details.family, "llama");

  // Pushing again finds every blob in place: one completed event each.
  pushed.clear();
  push(local, remote, po, [&](const Progress& p) { pushed.push_back(p); });
  for (const auto& e : pushed) {
    if (!e.digest.empty()) {
      EXPECT_EQ(e.completed, e.total) << e.status;
    }
  }
}

TEST(DockerRegistry, CrossRepositoryMountSkipsTheUpload) {
  CORRAL_DOCKER_REGISTRY_OR_SKIP(reg);
  test::TempDir dir;
  store::Store local(dir.path() / "a");
  const auto created = test::create_generated_model(local, dir.path() / "gen", "tiny", test::tiny_spec());
  const store::ModelName first = store::parse_model_name(reg.authority() + "/corral/base:v1");
  store::copy_model(local, store::parse_model_name("tiny"), first);
  push(local, first, fast(PushOptions{}), {});
  // A derived model whose layers say where they came from.
  store::Manifest derived = created.manifest;
  for (auto& l : derived.layers) l.from = reg.authority() + "/corral/base:v1";
  const store::ModelName second = store::parse_model_name(reg.authority() + "/corral/derived:v1");
  local.write_manifest(second, derived);
  std::vector<Progress> events;
  push(local, second, fast(PushOptions{}), [&](const Progress& p) { events.push_back(p); });
  // A mounted layer is one completed event (an upload would start at 0);
  // the config names no source and is uploaded.
  for (const auto& l : derived.layers) {
    int seen = 0;
    for (const auto& e : events) {
      if (e.digest != l.digest) continue;
      ++seen;
      EXPECT_EQ(e.completed, e.total) << e.status;
    }
    EXPECT_EQ(seen, 1) << l.digest;
  }
  store::Store other(dir.path() / "b");
  pull(other, second, fast(PullOptions{}), {});
  expect_same_model(local, second, other, second);
}

TEST(DockerRegistry, InterruptedPullResumesAndVerifies) {
  CORRAL_DOCKER_REGISTRY_OR_SKIP(reg);
  test::TempDir dir;
  store::Store local(dir.path() / "a");
  const auto created = test::create_generated_model(local, dir.path() / "gen", "big", test::sized_spec(6));
  const store::ModelName remote = store::parse_model_name(reg.authority() + "/corral/big:latest");
  store::copy_model(local, store::parse_model_name("big"), remote);
  push(local, remote, fast(PushOptions{}), {});

  const std::string weights = created.manifest.layers[0].digest;
  const std::int64_t size = created.manifest.layers[0].size;
  ASSERT_GT(size, 4 << 20);
  PullOptions o = fast(PullOptions{});
  o.parallel_threshold = 1 << 20;
  o.part_size = 512 << 10;
  o.max_parallel_parts = 4;
  o.checkpoint_interval = std::chrono::milliseconds(0);
  o.max_bytes_per_second = 4 << 20;  // about 1.5 s for the weights: time to cancel
  store::Store other(dir.path() / "b");
  std::atomic<bool> cancel{false};
  EXPECT_THROW(pull(
                   other, remote, o,
                   [&](const Progress& p) {
                     if (p.digest == weights && p.completed >= size / 3) cancel = true;
                   },
                   &cancel),
               CancelledError);
  EXPECT_FALSE(other.read_manifest(remote));
  EXPECT_FALSE(other.has_blob(weights));
  std::int64_t kept = 0;
  for (const auto& p : other.read_partial_parts(weights)) kept += p.completed;
  EXPECT_GE(kept, size / 3);

  cancel = false;
  std::vector<Progress> events;
  pull(
      other, remote, o, [&](const Progress& p) { events.push_back(p); }, &cancel);
  std::int64_t first = -1;
  for (const auto& e : events)
    if (e.digest == weights) {
      first = e.completed;
      break;
    }
  EXPECT_EQ(first, kept);  // resumed, not restarted
  expect_same_model(local, remote, other, remote);
  EXPECT_TRUE(test::partial_files(other).empty());
}

TEST(DockerRegistry, BlobMissingFromTheRegistryLeavesTheStoreConsistent) {
  CORRAL_DOCKER_REGISTRY_OR_SKIP(reg);
  test::TempDir dir;
  store::Store local(dir.path() / "a");
  const auto created = test::create_generated_model(local, dir.path() / "gen", "tiny", test::tiny_spec());
  const store::ModelName remote = store::parse_model_name(reg.authority() + "/corral/gone:v1");
  store::copy_model(local, store::parse_model_name("tiny"), remote);
  push(local, remote, fast(PushOptions{}), {});
  // Delete the template blob's data behind the registry's back.
  const std::string victim = created.manifest.layers.at(1).digest;
  const fs::path data =
      reg.storage() / "docker/registry/v2/blobs/sha256" / victim.substr(7, 2) / victim.substr(7) / "data";
  ASSERT_TRUE(fs::remove(data)) << data;
  store::Store other(dir.path() / "b");
  try {
    pull(other, remote, fast(PullOptions{}), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(victim), std::string::npos) << e.what();
  }
  EXPECT_FALSE(other.read_manifest(remote));
  EXPECT_FALSE(other.has_blob(victim));
  std::int64_t claimed = 0;  // nothing claims bytes of the lost blob
  for (const auto& p : other.read_partial_parts(victim)) claimed += p.completed;
  EXPECT_EQ(claimed, 0);
}

TEST(DockerRegistry, MissingTagIsOllamasError) {
  CORRAL_DOCKER_REGISTRY_OR_SKIP(reg);
  test::TempDir dir;
  store::Store st(dir.path() / "s");
  try {
    pull(st, store::parse_model_name(reg.authority() + "/corral/nothing:here"), fast(PullOptions{}), {});
    FAIL();
  } catch (const ManifestNotFoundError& e) {
    EXPECT_STREQ(e.what(), "pull model manifest: file does not exist");
  }
  EXPECT_TRUE(st.list_names().empty());
}

}  // namespace
}  // namespace corral::registry
