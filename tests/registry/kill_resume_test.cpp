// A pull killed with SIGKILL at an arbitrary moment resumes from what its
// part state claims, fetches exactly the bytes it lacks, and verifies.
// The pull runs in a forked child against a slow fake registry; the parent
// kills it once the part state shows progress.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "registry/fake_registry.h"
#include "registry/registry.h"
#include "registry/test_models.h"
#include "store/media_types.h"
#include "testutil/temp_dir.h"

namespace corral::registry {
namespace {

PullOptions kill_options() {
  PullOptions o;
  o.insecure = true;
  o.identity_path = "/nonexistent/corral-test-key";
  o.retry_delay = std::chrono::milliseconds(10);
  o.parallel_threshold = 256 * 1024;
  o.part_size = 256 * 1024;
  o.max_parallel_parts = 2;
  o.checkpoint_interval = std::chrono::milliseconds(20);
  return o;
}

std::int64_t claimed(const store::Store& st, const std::string& digest) {
  std::int64_t sum = 0;
  for (const auto& p : st.read_partial_parts(digest)) sum += p.completed;
  return sum;
}

TEST(KillResume, PullKilledMidwayResumesWithOnlyTheMissingBytes) {
  const std::int64_t size = 3 * 1024 * 1024;
  const auto model = test::make_registry_model(
      {{std::string(store::media_type::kModel), test::random_bytes(static_cast<std::size_t>(size), 7)}},
      R"({"model_format":"gguf"})");
  const std::string weights = store::parse_manifest(model.manifest).layers[0].digest;
  test::FakeRegistry reg;
  reg.add("library/k", "latest", model);
  reg.set_blob_pacing(8 * 1024, std::chrono::milliseconds(8));  // about 1 MB/s per part
  test::TempDir dir;
  const store::ModelName name = store::parse_model_name(reg.authority() + "/library/k:latest");

  // Kill at several points: early, middle, late.
  for (const double fraction : {0.15, 0.5, 0.8}) {
    store::Store st(dir.path() / ("s" + std::to_string(static_cast<int>(fraction * 100))));
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        pull(st, name, kill_options(), {}, nullptr);
      } catch (...) {
        ::_exit(2);
      }
      ::_exit(0);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (claimed(st, weights) < static_cast<std::int64_t>(fraction * static_cast<double>(size)) &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the pull ended before it could be killed";
    ASSERT_FALSE(st.read_manifest(name));
    ASSERT_FALSE(st.has_blob(weights));

    const std::int64_t have = claimed(st, weights);
    EXPECT_GT(have, 0);
    // Let the server notice the dead client before counting anew.
    for (int i = 0; i < 2000 && reg.server().active_connections() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    reg.server().reset_counters();
    reg.set_blob_pacing(64 * 1024, std::chrono::milliseconds(0));
    pull(st, name, kill_options(), {}, nullptr);
    reg.set_blob_pacing(8 * 1024, std::chrono::milliseconds(8));
    EXPECT_EQ(test::file_bytes(st.blob_path(weights)), model.blobs.at(weights));
    // The manifest, the config (pulled after the weights) and the weights'
    // missing bytes: nothing else moved.
    std::int64_t expected = static_cast<std::int64_t>(model.manifest.size()) + (size - have);
    for (const auto& [d, b] : model.blobs)
      if (d != weights) expected += static_cast<std::int64_t>(b.size());
    EXPECT_EQ(reg.server().body_bytes_sent(), expected) << "killed at " << fraction;
    EXPECT_TRUE(test::partial_files(st).empty());
  }
}

}  // namespace
}  // namespace corral::registry
