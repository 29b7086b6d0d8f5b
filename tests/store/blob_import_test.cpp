// Importing files into the store (reflink / hard link / copy) and concurrent
// writers of the same blob and manifest.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "store/model_ops.h"
#include "store/store.h"
#include "store_fixture.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "util/error.h"
#include "util/sha256.h"

namespace corral::store {
namespace {

namespace fs = std::filesystem;
using namespace test_support;

ino_t inode_of(const fs::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_ino;
}

TEST(BlobImport, LinksInsteadOfCopyingOnTheSameFilesystem) {
  test::TempDir dir;
  Store store(dir.path() / "models");
  const fs::path src = dir.path() / "model.gguf";
  const std::string content(1 << 20, 'w');
  test::write_file(src, content);

  const BlobInfo b = store.import_file(src);
  EXPECT_NE(b.method, CloneMethod::copy) << "same filesystem: reflink or hard link expected";
  EXPECT_TRUE(b.created);
  EXPECT_EQ(b.digest, digest_of(content));
  EXPECT_EQ(b.size, static_cast<std::int64_t>(content.size()));
  EXPECT_EQ(test::read_file(store.blob_path(b.digest)), content);
  if (b.method == CloneMethod::hardlink) {
    EXPECT_EQ(inode_of(src), inode_of(store.blob_path(b.digest)));
  }
  EXPECT_TRUE(fs::exists(src)) << "the source stays";
  EXPECT_FALSE(store.import_file(src).created) << "second import finds the existing blob";
}

TEST(BlobImport, HardLinkSharesTheInode) {
  test::TempDir dir;
  Store store(dir.path() / "models");
  const fs::path src = dir.path() / "a.gguf";
  test::write_file(src, "abc");
  ::chmod(src.c_str(), 0600);
  const BlobInfo b = store.import_file(src, {.allow_reflink = false});
  EXPECT_EQ(b.method, CloneMethod::hardlink);
  EXPECT_EQ(inode_of(src), inode_of(store.blob_path(b.digest)));
  struct stat st {};
  ::stat(src.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "linking must not change the user's file";
}

TEST(BlobImport, CopyWhenLinksAreNotAllowed) {
  test::TempDir dir;
  Store store(dir.path() / "models");
  const fs::path src = dir.path() / "a.gguf";
  test::write_file(src, "abcdef");
  std::uint64_t last_done = 0;
  const BlobInfo b = store.import_file(
      src, {.allow_reflink = false, .allow_hardlink = false, .progress = [&](std::uint64_t d, std::uint64_t) { last_done = d; }});
  EXPECT_EQ(b.method, CloneMethod::copy);
  EXPECT_NE(inode_of(src), inode_of(store.blob_path(b.digest)));
  EXPECT_EQ(test::read_file(store.blob_path(b.digest)), "abcdef");
  EXPECT_EQ(last_done, 6u);
  // No temp files remain.
  for (const auto& e : fs::directory_iterator(store.blobs_dir()))
    EXPECT_EQ(e.path().filename(), fs::path("sha256-" + sha256_hex("abcdef")));
}

TEST(BlobImport, MissingSourceIsAClearError) {
  test::TempDir dir;
  Store store(dir.path() / "models");
  try {
    store.import_file(dir.path() / "nope.gguf");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.gguf: cannot open"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_empty(store.blobs_dir()));
}

// Several processes write the same blobs and the same manifest at once; the
// store must end up with exactly the right bytes and no debris.
TEST(StoreConcurrency, ProcessesWritingTheSameBlobAndManifest) {
  test::TempDir dir;
  Store store(dir.path());
  const std::string big(3 << 20, 'q');
  const int kProcs = 4, kRounds = 20;
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int rc = 0;
      try {
        Store s(dir.path());
        for (int r = 0; r < kRounds; ++r) {
          const BlobInfo cfg = s.write_blob("{\"round\":" + std::to_string(r % 2) + "}");
          const BlobInfo w = s.write_blob(big);
          s.write_manifest(ModelName::parse("shared"),
                           make_manifest({"application/vnd.docker.container.image.v1+json", cfg.digest, cfg.size, "", ""},
                                         {{"application/vnd.ollama.image.model", w.digest, w.size, "", ""}}));
        }
      } catch (...) {
        rc = 1;
      }
      ::_exit(rc);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const StoredManifest sm = store.require_manifest(ModelName::parse("shared"));
  for (const auto& d : sm.manifest.digests()) {
    ASSERT_TRUE(store.has_blob(d));
    EXPECT_EQ("sha256:" + sha256_hex(test::read_file(store.blob_path(d))), d);
  }
  int files = 0;
  for (const auto& e : fs::directory_iterator(store.blobs_dir())) {
    EXPECT_EQ(e.path().filename().string().find("tmp"), std::string::npos) << e.path();
    ++files;
  }
  EXPECT_EQ(files, 3);  // two config variants and the weights
}

}  // namespace
}  // namespace corral::store
