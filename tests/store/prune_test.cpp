// Start-up maintenance: legacy names, mark and sweep with the one-hour grace,
// partial downloads, corrupt manifests disabling the sweep, OLLAMA_NOPRUNE.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "store/model_ops.h"
#include "store/prune.h"
#include "store/store.h"
#include "store_fixture.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "util/error.h"

namespace corral::store {
namespace {

namespace fs = std::filesystem;
using namespace test_support;

struct PruneScene {
  test::TempDir dir;
  std::string used, unused_old, unused_young;
  fs::path partial_old, partial_young, part_state_old, temp_old, legacy;

  PruneScene() {
    const std::string cfg = "{}";
    const std::string cfg_digest = put_blob(dir.path(), cfg);
    used = put_blob(dir.path(), "weights");
    put_manifest(dir.path(), "registry.ollama.ai/library/m/latest",
                 ollama_manifest(cfg_digest, 2, ollama_layer("model", used, 7)));
    unused_old = put_blob(dir.path(), "orphan old");
    unused_young = put_blob(dir.path(), "orphan young");
    const fs::path blobs = dir.path() / "blobs";
    partial_old = blobs / ("sha256-" + std::string(64, 'a') + "-partial");
    partial_young = blobs / ("sha256-" + std::string(64, 'b') + "-partial");
    part_state_old = blobs / ("sha256-" + std::string(64, 'a') + "-partial-0");
    temp_old = blobs / "sha256-123456789";
    test::write_file(partial_old, "x");
    test::write_file(partial_young, "y");
    test::write_file(part_state_old, "{}");
    test::write_file(temp_old, "t");
    legacy = blobs / ("sha256:" + std::string(64, 'd'));
    test::write_file(legacy, "legacy");
    for (const auto& e : fs::directory_iterator(blobs)) age(e.path(), 2 * 3600);
    age(dir.path() / "blobs" / ("sha256-" + unused_young.substr(7)), 60);
    age(partial_young, 60);
    fs::create_directories(dir.path() / "manifests/registry.ollama.ai/empty/dir");
  }
  fs::path blob(const std::string& digest) const { return dir.path() / "blobs" / ("sha256-" + digest.substr(7)); }
};

TEST(Prune, SweepsOldUnreferencedFilesOnly) {
  PruneScene s;
  Store store(s.dir.path());
  const PruneReport r = startup_maintenance(store, /*prune=*/true);
  EXPECT_FALSE(r.skipped);
  EXPECT_EQ(r.renamed, 1);
  EXPECT_TRUE(fs::exists(s.blob(s.used)));
  EXPECT_FALSE(fs::exists(s.blob(s.unused_old)));
  EXPECT_TRUE(fs::exists(s.blob(s.unused_young))) << "younger than an hour: maybe another process's";
  EXPECT_FALSE(fs::exists(s.partial_old));
  EXPECT_FALSE(fs::exists(s.part_state_old));
  EXPECT_TRUE(fs::exists(s.partial_young)) << "a download in progress survives";
  EXPECT_FALSE(fs::exists(s.temp_old));
  // The legacy blob was renamed (its mtime kept, so old) and, unreferenced, swept.
  EXPECT_FALSE(fs::exists(s.legacy));
  EXPECT_FALSE(fs::exists(s.dir.path() / "manifests/registry.ollama.ai/empty"));
  EXPECT_TRUE(fs::exists(s.dir.path() / "manifests/registry.ollama.ai/library/m/latest"));
}

TEST(Prune, NoPruneOnlyFixesNames) {
  PruneScene s;
  Store store(s.dir.path());
  const PruneReport r = startup_maintenance(store, /*prune=*/false);
  EXPECT_EQ(r.renamed, 1);
  EXPECT_TRUE(fs::exists(s.dir.path() / "blobs" / ("sha256-" + std::string(64, 'd'))));
  EXPECT_TRUE(fs::exists(s.blob(s.unused_old)));
  EXPECT_TRUE(fs::exists(s.partial_old));
}

TEST(Prune, CorruptManifestDisablesTheSweep) {
  PruneScene s;
  put_manifest(s.dir.path(), "registry.ollama.ai/library/bad/latest", "not json");
  Store store(s.dir.path());
  const PruneReport r = startup_maintenance(store, true);
  EXPECT_TRUE(r.skipped);
  EXPECT_FALSE(r.problems.empty());
  EXPECT_TRUE(fs::exists(s.blob(s.unused_old)));
  EXPECT_TRUE(fs::exists(s.temp_old));
}

TEST(Prune, NoPruneEnvironment) {
  const char* old = std::getenv("OLLAMA_NOPRUNE");
  const std::string saved = old ? old : "";
  ::unsetenv("OLLAMA_NOPRUNE");
  EXPECT_FALSE(noprune_from_env());
  for (const char* t : {"1", "true", "TRUE", "t", "yes", "\"1\""}) {
    ::setenv("OLLAMA_NOPRUNE", t, 1);
    EXPECT_TRUE(noprune_from_env()) << t;
  }
  for (const char* f : {"0", "false", "F", "", " "}) {
    ::setenv("OLLAMA_NOPRUNE", f, 1);
    EXPECT_FALSE(noprune_from_env()) << f;
  }
  if (old)
    ::setenv("OLLAMA_NOPRUNE", saved.c_str(), 1);
  else
    ::unsetenv("OLLAMA_NOPRUNE");
}

TEST(Prune, RemoveUnusedLayersAfterReplace) {
  PruneScene s;
  Store store(s.dir.path());
  const Manifest old = store.require_manifest(ModelName::parse("m")).manifest;
  // Replace m with a manifest that keeps the config but not the weights.
  const std::string new_weights = put_blob(s.dir.path(), "new weights");
  Manifest replaced = old;
  replaced.layers[0].digest = new_weights;
  store.write_manifest(ModelName::parse("m"), replaced);
  const auto removed = remove_unused_layers(store, old);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0], s.used);
  EXPECT_FALSE(fs::exists(s.blob(s.used)));
  EXPECT_TRUE(store.has_blob(old.config.digest));
}

}  // namespace
}  // namespace corral::store
