// The store against a store laid out by hand exactly as Ollama writes it:
// listing, reading, copy, delete, case-insensitive lookup, corrupt manifests,
// missing blobs, verified commits, and download part state.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "store/digest.h"
#include "store/model_ops.h"
#include "store/store.h"
#include "store/store_errors.h"
#include "store_fixture.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "util/error.h"

namespace corral::store {
namespace {

namespace fs = std::filesystem;
using namespace test_support;

const std::string kConfig =
    "{\"model_format\":\"gguf\",\"model_family\":\"llama\",\"model_families\":[\"llama\"],\"model_type\":\"2.89M\","
    "\"file_type\":\"F32\",\"architecture\":\"amd64\",\"os\":\"linux\"}\n";

struct OllamaStore {
  test::TempDir dir;
  std::string weights = "GGUF-not-really-weights";
  std::string weights_digest, template_digest, params_digest, config_digest, manifest;

  OllamaStore() {
    weights_digest = put_blob(dir.path(), weights);
    template_digest = put_blob(dir.path(), "{{ .Prompt }}");
    params_digest = put_blob(dir.path(), "{\"stop\":[\"USER:\"],\"temperature\":0.7}\n");
    config_digest = put_blob(dir.path(), kConfig);
    manifest = ollama_manifest(config_digest, static_cast<long>(kConfig.size()),
                               ollama_layer("model", weights_digest, static_cast<long>(weights.size())) + "," +
                                   ollama_layer("template", template_digest, 13) + "," +
                                   ollama_layer("params", params_digest, 38));
    put_manifest(dir.path(), "registry.ollama.ai/library/tolstoy/latest", manifest);
  }
};

TEST(Store, ReadsAStoreWrittenByOllama) {
  OllamaStore o;
  Store store(o.dir.path());
  const auto names = store.list_names();
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].display_shortest(), "tolstoy:latest");

  auto sm = store.read_manifest(ModelName::parse("tolstoy"));
  ASSERT_TRUE(sm);
  EXPECT_EQ(sm->digest_hex, sha256_hex(o.manifest));
  ASSERT_EQ(sm->manifest.layers.size(), 3u);
  EXPECT_EQ(sm->manifest.layers[0].digest, o.weights_digest);
  EXPECT_EQ(store.blob_path(o.weights_digest), o.dir.path() / "blobs" / blob_file_name(o.weights_digest));
  EXPECT_EQ(store.read_blob(o.template_digest), "{{ .Prompt }}");

  const auto models = list_models(store);
  ASSERT_EQ(models.size(), 1u);
  const ModelSummary& m = models[0];
  EXPECT_EQ(m.display_name, "tolstoy:latest");
  EXPECT_EQ(m.size, static_cast<std::int64_t>(o.weights.size() + 13 + 38 + kConfig.size()));
  EXPECT_EQ(m.digest_hex, sha256_hex(o.manifest));
  EXPECT_EQ(m.details.format, "gguf");
  EXPECT_EQ(m.details.family, "llama");
  EXPECT_EQ(m.details.parameter_size, "2.89M");
  EXPECT_EQ(m.details.quantization_level, "F32");
  EXPECT_EQ(m.model_path, store.blob_path(o.weights_digest));
}

TEST(Store, ListIsNewestFirst) {
  OllamaStore o;
  put_manifest(o.dir.path(), "registry.ollama.ai/library/older/latest", o.manifest);
  put_manifest(o.dir.path(), "example.com/me/newer/v1", o.manifest);
  age(o.dir.path() / "manifests/registry.ollama.ai/library/older/latest", 7200);
  age(o.dir.path() / "manifests/registry.ollama.ai/library/tolstoy/latest", 3600);
  Store store(o.dir.path());
  const auto models = list_models(store, {.read_gguf = false});
  ASSERT_EQ(models.size(), 3u);
  EXPECT_EQ(models[0].display_name, "example.com/me/newer:v1");
  EXPECT_EQ(models[1].display_name, "tolstoy:latest");
  EXPECT_EQ(models[2].display_name, "older:latest");
}

TEST(Store, CaseInsensitiveLookup) {
  OllamaStore o;
  put_manifest(o.dir.path(), "registry.ollama.ai/MyNs/Mixed/Tag1", o.manifest);
  Store store(o.dir.path());
  EXPECT_EQ(store.resolve_name(ModelName::parse("TOLSTOY")).to_string(), "registry.ollama.ai/library/tolstoy:latest");
  EXPECT_EQ(store.resolve_name(ModelName::parse("myns/mixed:TAG1")).to_string(), "registry.ollama.ai/MyNs/Mixed:Tag1");
  // A new tag of an existing model joins its directory spelling.
  EXPECT_EQ(store.resolve_name(ModelName::parse("myns/MIXED:new")).to_string(), "registry.ollama.ai/MyNs/Mixed:new");
  // Unknown names are unchanged.
  EXPECT_EQ(store.resolve_name(ModelName::parse("Other/Thing:X")).to_string(), "registry.ollama.ai/Other/Thing:X");
}

TEST(Store, CopySharesBlobsAndKeepsManifestBytes) {
  OllamaStore o;
  Store store(o.dir.path());
  copy_model(store, ModelName::parse("tolstoy"), ModelName::parse("me/war-and-peace:v1"));
  const fs::path copied = o.dir.path() / "manifests/registry.ollama.ai/me/war-and-peace/v1";
  ASSERT_TRUE(fs::exists(copied));
  EXPECT_EQ(test::read_file(copied), o.manifest);
  EXPECT_THROW(copy_model(store, ModelName::parse("missing"), ModelName::parse("x")), NotFoundError);
  // Copy onto itself leaves it alone.
  copy_model(store, ModelName::parse("tolstoy"), ModelName::parse("tolstoy"));
  EXPECT_EQ(test::read_file(o.dir.path() / "manifests/registry.ollama.ai/library/tolstoy/latest"), o.manifest);
}

TEST(Store, DeleteRemovesOnlyUnsharedBlobsAndEmptyDirs) {
  OllamaStore o;
  Store store(o.dir.path());
  // A second model sharing the weights but with its own params.
  const std::string other_params = put_blob(o.dir.path(), "{\"temperature\":0.1}\n");
  put_manifest(o.dir.path(), "registry.ollama.ai/me/cold/latest",
               ollama_manifest(o.config_digest, static_cast<long>(kConfig.size()),
                               ollama_layer("model", o.weights_digest, static_cast<long>(o.weights.size())) + "," +
                                   ollama_layer("params", other_params, 20)));
  delete_model(store, ModelName::parse("tolstoy"));
  EXPECT_FALSE(fs::exists(o.dir.path() / "manifests/registry.ollama.ai/library"));
  EXPECT_TRUE(store.has_blob(o.weights_digest));
  EXPECT_TRUE(store.has_blob(o.config_digest));
  EXPECT_FALSE(store.has_blob(o.template_digest));
  EXPECT_FALSE(store.has_blob(o.params_digest));
  EXPECT_THROW(delete_model(store, ModelName::parse("tolstoy")), NotFoundError);

  delete_model(store, ModelName::parse("me/cold"));
  EXPECT_FALSE(store.has_blob(o.weights_digest));
  EXPECT_FALSE(store.has_blob(other_params));
  EXPECT_TRUE(fs::is_empty(o.dir.path() / "manifests"));
  EXPECT_TRUE(fs::is_empty(o.dir.path() / "blobs"));
}

TEST(Store, CorruptManifestsGiveClearErrorsAndAreSkipped) {
  OllamaStore o;
  put_manifest(o.dir.path(), "registry.ollama.ai/library/broken/latest", "{\"layers\":[{\"digest\":");
  put_manifest(o.dir.path(), "registry.ollama.ai/library/evil/latest",
               ollama_manifest(o.config_digest, 10, ollama_layer("model", "sha256:../../../../../../etc/passwd", 1)));
  put_manifest(o.dir.path(), "registry.ollama.ai/library/-bad-name/latest", o.manifest);
  Store store(o.dir.path());
  try {
    store.read_manifest(ModelName::parse("broken"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("manifest of broken:latest: not valid JSON"), std::string::npos) << e.what();
  }
  EXPECT_THROW(store.read_manifest(ModelName::parse("evil")), Error);
  std::vector<std::string> problems;
  const auto all = store.list_manifests(&problems);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].name.model, "tolstoy");
  EXPECT_EQ(problems.size(), 3u);
  EXPECT_EQ(list_models(store).size(), 1u);
  // Deleting a model never follows a hostile digest.
  EXPECT_THROW(delete_model(store, ModelName::parse("evil")), Error);
  EXPECT_TRUE(fs::exists(o.dir.path() / "manifests/registry.ollama.ai/library/evil/latest"));
}

TEST(Store, MissingBlobsAreReported) {
  OllamaStore o;
  Store store(o.dir.path());
  fs::remove(store.blob_path(o.config_digest));
  EXPECT_THROW(store.read_blob(o.config_digest), NotFoundError);
  EXPECT_TRUE(list_models(store).empty()) << "a model whose config blob is gone is skipped";
  EXPECT_FALSE(store.blob_size(o.config_digest));
  EXPECT_EQ(store.blob_size(o.weights_digest), static_cast<std::int64_t>(o.weights.size()));
}

TEST(Store, HostileNamesAndDigestsNeverBecomePaths) {
  test::TempDir dir;
  Store store(dir.path());
  EXPECT_THROW(store.blob_path("sha256:../../../etc/passwd"), Error);
  EXPECT_THROW(store.partial_path("sha256-" + std::string(63, 'a') + "/"), Error);
  EXPECT_THROW(store.manifest_path(ModelName::parse("../../x")), Error);
  EXPECT_THROW(store.write_manifest(ModelName::parse("ns/..:latest"), make_manifest({}, {})), Error);
  Manifest evil = make_manifest({}, {{"application/vnd.ollama.image.model", "sha256:../../x", 1, "", ""}});
  EXPECT_THROW(store.write_manifest(ModelName::parse("ok"), evil), Error);
  EXPECT_FALSE(fs::exists(dir.path() / "manifests/registry.ollama.ai")) << "nothing written on failure";
}

TEST(Store, WriteManifestIsAtomicAndGoEncoded) {
  test::TempDir dir;
  Store store(dir.path());
  const std::string cfg = store.write_blob(kConfig).digest;
  Manifest m = make_manifest({"application/vnd.docker.container.image.v1+json", cfg, (std::int64_t)kConfig.size(), "", ""},
                             {});
  const std::string hex = store.write_manifest(ModelName::parse("a/b:c"), m);
  const fs::path p = dir.path() / "manifests/registry.ollama.ai/a/b/c";
  EXPECT_EQ(sha256_hex(test::read_file(p)), hex);
  EXPECT_EQ(test::read_file(p), ollama_manifest(cfg, static_cast<long>(kConfig.size()), ""));
  struct stat st {};
  ::stat(p.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  // No temporary files left behind anywhere.
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    EXPECT_EQ(e.path().filename().string().find("tmp"), std::string::npos) << e.path();
}

TEST(Store, CommitBlobVerifiesTheHash) {
  test::TempDir dir;
  Store store(dir.path());
  const std::string data = "hello blob";
  {
    TempFile t = store.new_temp_blob();
    t.write(data);
    t.finish();
    const std::string wrong = "sha256:" + std::string(64, '0');
    try {
      store.commit_blob(t.path(), wrong);
      FAIL();
    } catch (const DigestMismatchError& e) {
      EXPECT_EQ(std::string(e.what()),
                "digest mismatch, expected \"" + wrong + "\", got \"" + digest_of(data) + "\"");
    }
    EXPECT_FALSE(fs::exists(t.path())) << "a mismatching temp file is removed";
    EXPECT_FALSE(store.has_blob(wrong));
  }
  TempFile t = store.new_temp_blob();
  t.write(data);
  t.finish();
  const BlobInfo info = store.commit_blob(t.path(), "sha256-" + sha256_hex(data));
  t.release();
  EXPECT_TRUE(info.created);
  EXPECT_EQ(info.digest, digest_of(data));
  EXPECT_EQ(test::read_file(store.blob_path(info.digest)), data);
  struct stat st {};
  ::stat(store.blob_path(info.digest).c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_FALSE(store.write_blob(data).created) << "the same content again is an existing layer";
}

TEST(Store, PartialDownloadState) {
  test::TempDir dir;
  Store store(dir.path());
  const std::string d = "sha256:" + std::string(64, 'c');
  EXPECT_EQ(store.partial_path(d), dir.path() / "blobs" / ("sha256-" + std::string(64, 'c') + "-partial"));
  store.write_partial_part(d, {1, 100, 100, 40});
  store.write_partial_part(d, {0, 0, 100, 100});
  EXPECT_EQ(test::read_file(store.partial_part_path(d, 0)), "{\"N\":0,\"Offset\":0,\"Size\":100,\"Completed\":100}\n");
  test::write_file(store.partial_path(d), std::string(200, 'x'));
  test::write_file(dir.path() / "blobs" / ("sha256-" + std::string(64, 'c') + "-partial-7"), "garbage");
  const auto parts = store.read_partial_parts(d);
  ASSERT_EQ(parts.size(), 2u) << "the unreadable part file is ignored";
  EXPECT_EQ(parts[0].n, 0);
  EXPECT_EQ(parts[1].offset, 100);
  EXPECT_EQ(parts[1].completed, 40);
  store.remove_partial(d);
  EXPECT_TRUE(fs::is_empty(dir.path() / "blobs"));
}

TEST(Store, DefaultRootFollowsOllamaModels) {
  const char* old = std::getenv("OLLAMA_MODELS");
  const std::string saved = old ? old : "";
  ::setenv("OLLAMA_MODELS", "  \"/srv/models\"  ", 1);
  EXPECT_EQ(Store::default_root(), fs::path("/srv/models"));
  ::unsetenv("OLLAMA_MODELS");
  const char* home = std::getenv("HOME");
  if (home) {
    EXPECT_EQ(Store::default_root(), fs::path(home) / ".ollama" / "models");
  }
  if (old) ::setenv("OLLAMA_MODELS", saved.c_str(), 1);
}

}  // namespace
}  // namespace corral::store
