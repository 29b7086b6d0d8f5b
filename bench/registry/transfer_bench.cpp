// Pull and push throughput of one 256 MiB blob over loopback HTTP: one
// stream versus parallel ranged parts, with SHA-256 verification, part
// checkpoints and the final rename included. The registry is the tests'
// fake server serving from memory, so the numbers are the client's cost.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "registry/fake_registry.h"
#include "registry/registry.h"
#include "store/manifest.h"
#include "store/media_types.h"
#include "store/model_ops.h"

namespace {

namespace fs = std::filesystem;
using namespace corral;

constexpr std::size_t kBlob = 256u << 20;

const test::RegistryModel& model() {
  static const test::RegistryModel m = test::make_registry_model(
      {{std::string(store::media_type::kModel), test::random_bytes(kBlob, 3)}}, R"({"model_format":"gguf"})");
  return m;
}

fs::path scratch() {
  const fs::path p = fs::temp_directory_path() / ("corral-bench-registry-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

void BM_Pull(benchmark::State& state) {
  const int parts = static_cast<int>(state.range(0));
  test::FakeRegistry reg;
  reg.add("library/bench", "latest", model());
  registry::PullOptions o;
  o.insecure = true;
  o.identity_path = "/nonexistent";
  o.parallel_threshold = parts > 1 ? 1 : static_cast<std::int64_t>(kBlob) + 1;
  o.part_size = static_cast<std::int64_t>(kBlob) / parts;
  o.max_parallel_parts = parts;
  const auto name = store::parse_model_name(reg.authority() + "/library/bench:latest");
  for (auto _ : state) {
    state.PauseTiming();
    const fs::path dir = scratch();
    store::Store st(dir);
    state.ResumeTiming();
    registry::pull(st, name, o, {}, nullptr);
    state.PauseTiming();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kBlob));
}
BENCHMARK(BM_Pull)->Arg(1)->Arg(4)->Arg(8)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_Push(benchmark::State& state) {
  // A registry that accepts uploads and keeps nothing (HEAD: absent).
  test::FakeHttpServer reg([](const test::FakeRequest& r) {
    test::FakeResponse resp;
    if (r.method == "HEAD") {
      resp.status = 404;
    } else if (r.method == "POST") {
      resp.status = 202;
      resp.headers.emplace_back("Location", "/upload/1");
    } else if (r.method == "PATCH") {
      resp.status = 202;
      resp.headers.emplace_back("Location", "/upload/1");
    } else {
      resp.status = 201;
    }
    return resp;
  });
  const fs::path dir = scratch();
  store::Store st(dir);
  const auto& m = model();
  for (const auto& [d, bytes] : m.blobs) st.write_blob(bytes);
  const auto name = store::parse_model_name(reg.authority() + "/library/bench:latest");
  st.write_manifest_bytes(name, m.manifest);
  registry::PushOptions o;
  o.insecure = true;
  o.identity_path = "/nonexistent";
  o.chunk_size = state.range(0) << 20;
  for (auto _ : state) {
    registry::push(st, name, o, {}, nullptr);
    state.PauseTiming();
    reg.reset_counters();  // drops the logged request bodies
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kBlob));
  fs::remove_all(dir);
}
BENCHMARK(BM_Push)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
