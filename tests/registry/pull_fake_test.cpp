// pull() against fake registries on 127.0.0.1: Ollama's status sequence,
// plain 200 blobs (which Ollama rejects), redirects to another host without
// credentials, Bearer token flow (signed like Ollama's), parallel ranged
// parts, truncation, stalls, retries, wrong digests, corrupt manifests,
// hostile names, cancel and resume. After every failure the store must hold
// no manifest for the model and no unverified blob.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <atomic>
#include <memory>
#include <set>
#include <thread>

#include "util/base64.h"
#include "registry/fake_registry.h"
#include "registry/identity.h"
#include "registry/registry.h"
#include "registry/test_models.h"
#include "store/media_types.h"
#include "store/model_ops.h"
#include "store/store_errors.h"
#include "testutil/temp_dir.h"
#include "util/sha256.h"

namespace corral::registry {
namespace {

namespace fs = std::filesystem;
using test::FakeRequest;
using test::FakeResponse;

struct Events {
  std::mutex mu;
  std::vector<Progress> all;
  ProgressFn fn() {
    return [this](const Progress& p) {
      std::lock_guard<std::mutex> lock(mu);
      all.push_back(p);
    };
  }
  // Statuses with consecutive repeats collapsed.
  std::vector<std::string> statuses() {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<std::string> out;
    for (const auto& e : all)
      if (out.empty() || out.back() != e.status) out.push_back(e.status);
    return out;
  }
  std::vector<Progress> for_digest(const std::string& d) {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<Progress> out;
    for (const auto& e : all)
      if (e.digest == d) out.push_back(e);
    return out;
  }
};

PullOptions fast_options() {
  PullOptions o;
  o.insecure = true;
  o.identity_path = "/nonexistent/corral-test-key";
  o.retry_delay = std::chrono::milliseconds(10);
  o.stall_timeout = std::chrono::milliseconds(3000);
  o.progress_interval = std::chrono::milliseconds(0);
  o.checkpoint_interval = std::chrono::milliseconds(0);
  o.max_attempts = 4;
  return o;
}

std::string short12(const std::string& digest) { return digest.substr(7, 12); }

// A model: a 300 KB "weights" layer, a template and a params layer, a config.
test::RegistryModel sample_model(std::size_t weights = 300 * 1024, std::uint32_t seed = 1) {
  return test::make_registry_model({{std::string(store::media_type::kModel), test::random_bytes(weights, seed)},
                                    {std::string(store::media_type::kTemplate), "{{ .Prompt }}"},
                                    {std::string(store::media_type::kParams), R"({"temperature":0.5})"}},
                                   R"({"model_format":"gguf","model_family":"llama"})");
}

std::string layer_digest(const test::RegistryModel& m, std::size_t i) {
  return store::parse_manifest(m.manifest).layers.at(i).digest;
}

struct Scene {
  test::TempDir dir;
  store::Store store{dir.path() / "models"};
  test::FakeRegistry registry;
  Events events;
  std::atomic<bool> cancel{false};

  store::ModelName name(const std::string& model = "m", const std::string& tag = "latest") const {
    return store::parse_model_name(registry.authority() + "/library/" + model + ":" + tag);
  }
  void pull(const PullOptions& o = fast_options(), const std::string& model = "m") {
    registry::pull(store, name(model), o, events.fn(), &cancel);
  }
  // The store holds no manifest and no blob that was not verified.
  void expect_consistent_without_model() {
    EXPECT_FALSE(store.read_manifest(name()));
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(store.blobs_dir(), ec)) {
      const std::string n = e.path().filename().string();
      if (n.find("-partial") != std::string::npos) continue;
      ASSERT_EQ(n.rfind("sha256-", 0), 0u) << n;
      EXPECT_EQ("sha256-" + sha256_file_hex(e.path().string()), n) << "unverified blob " << n;
    }
  }
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "<no error>";
}

TEST(PullFake, PlainBlobResponsesWithOllamaStatusSequence) {
  Scene s;
  const auto model = sample_model();
  s.registry.add("library/m", "latest", model);
  s.pull();
  const auto m = store::parse_manifest(model.manifest);
  std::vector<std::string> want = {"pulling manifest"};
  for (const auto& l : m.layers) want.push_back("pulling " + short12(l.digest));
  want.push_back("pulling " + short12(m.config.digest));
  want.insert(want.end(), {"verifying sha256 digest", "writing manifest", "success"});
  EXPECT_EQ(s.events.statuses(), want);
  // Manifest bytes verbatim, every blob byte for byte, nothing left over.
  EXPECT_EQ(test::file_bytes(s.store.manifest_path(s.name())), model.manifest);
  for (const auto& [digest, bytes] : model.blobs) {
    EXPECT_EQ(test::file_bytes(s.store.blob_path(digest)), bytes);
    const auto ev = s.events.for_digest(digest);
    ASSERT_FALSE(ev.empty());
    EXPECT_EQ(ev.back().completed, static_cast<std::int64_t>(bytes.size()));
    EXPECT_EQ(ev.back().total, static_cast<std::int64_t>(bytes.size()));
  }
  EXPECT_TRUE(test::partial_files(s.store).empty());
  // Every manifest request asked for the schema-2 media type (docker-registry needs it).
  for (const auto& r : s.registry.requests_to("/manifests/"))
    EXPECT_NE(r.header("accept").find("application/vnd.docker.distribution.manifest.v2+json"), std::string::npos);
}

TEST(PullFake, BlobsAlreadyPresentAreOneCompletedEventAndNoDownload) {
  Scene s;
  const auto model = sample_model();
  s.registry.add("library/m", "latest", model);
  s.pull();
  s.registry.server().reset_counters();
  s.events.all.clear();
  s.pull();
  for (const auto& [digest, bytes] : model.blobs) {
    const auto ev = s.events.for_digest(digest);
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0].completed, static_cast<std::int64_t>(bytes.size()));
  }
  EXPECT_TRUE(s.registry.requests_to("/blobs/").empty());
  EXPECT_EQ(s.registry.server().body_bytes_sent(), static_cast<std::int64_t>(model.manifest.size()));
}

TEST(PullFake, BigBlobsDownloadAsRangedParts) {
  Scene s;
  const auto model = sample_model(3 * 1024 * 1024 + 17);
  s.registry.add("library/m", "latest", model);
  PullOptions o = fast_options();
  o.parallel_threshold = 1024 * 1024;
  o.part_size = 512 * 1024;
  o.max_parallel_parts = 4;
  s.pull(o);
  const std::string weights = layer_digest(model, 0);
  std::set<std::string> ranges;
  for (const auto& r : s.registry.requests_to(weights)) ranges.insert(r.header("range"));
  std::set<std::string> want;
  const std::int64_t size = 3 * 1024 * 1024 + 17;
  for (std::int64_t off = 0; off < size; off += 512 * 1024)
    want.insert("bytes=" + std::to_string(off) + "-" + std::to_string(std::min(size, off + 512 * 1024) - 1));
  EXPECT_EQ(ranges, want);
  EXPECT_EQ(test::file_bytes(s.store.blob_path(weights)), model.blobs.at(weights));
}

TEST(PullFake, RedirectToAnotherHostCarriesNoCredentials) {
  Scene s;
  const auto model = sample_model();
  s.registry.add("library/m", "latest", model);
  // Storage on the same port under another host name ("localhost").
  test::FakeHttpServer storage([&](const FakeRequest& r) {
    const std::string digest = r.path.substr(r.path.rfind('/') + 1);
    return test::serve_bytes(r, model.blobs.at(digest));
  });
  const std::string realm = "http://" + s.registry.authority() + "/token";
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path == "/token") {
      FakeResponse t;
      t.body = R"({"token":"tok-123"})";
      return t;
    }
    if (r.header("authorization") != "Bearer tok-123") {
      FakeResponse u;
      u.status = 401;
      u.headers.emplace_back(
          "WWW-Authenticate",
          "Bearer realm=\"" + realm + "\",service=\"fake-registry\",scope=\"repository:library/m:pull\"");
      return u;
    }
    if (r.path.find("/blobs/") != std::string::npos) {
      FakeResponse red;
      red.status = 307;
      red.headers.emplace_back("Location", storage.url("localhost") + "/storage/" +
                                               r.path.substr(r.path.rfind('/') + 1) + "?X-Signature=abc");
      return red;
    }
    return std::nullopt;
  });
  s.pull();
  for (const auto& [digest, bytes] : model.blobs) EXPECT_EQ(test::file_bytes(s.store.blob_path(digest)), bytes);
  ASSERT_FALSE(storage.requests().empty());
  for (const auto& r : storage.requests()) {
    EXPECT_EQ(r.header("authorization"), "") << "credentials leaked to " << r.target;
    EXPECT_NE(r.query.find("X-Signature=abc"), std::string::npos);
  }
  const auto blob_requests = s.registry.requests_to("/blobs/");
  ASSERT_FALSE(blob_requests.empty());
  EXPECT_EQ(blob_requests.back().header("authorization"), "Bearer tok-123");
  const auto token_requests = s.registry.requests_to("/token");
  ASSERT_EQ(token_requests.size(), 1u);  // one token serves the whole pull
  const std::string q = token_requests[0].query;
  EXPECT_EQ(q.rfind("nonce=", 0), 0u) << q;  // keys sorted as Go encodes them
  EXPECT_NE(q.find("&scope=repository%3Alibrary%2Fm%3Apull&service=fake-registry&ts="), std::string::npos) << q;
  EXPECT_EQ(token_requests[0].header("authorization"), "");  // no identity: anonymous
}

// Verifies "<pub>:<sig>" over `message` with OpenSSL.
bool verify_ollama_signature(const std::string& header, const std::string& message) {
  const auto colon = header.find(':');
  if (colon == std::string::npos) return false;
  const auto blob = base64_decode(header.substr(0, colon));
  const auto sig = base64_decode(header.substr(colon + 1));
  if (!blob || !sig || blob->size() != 51 || sig->size() != 64) return false;
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(blob->data() + 19),
                                  32),
      EVP_PKEY_free);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!key || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig->data()), sig->size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

TEST(PullFake, TokenRequestsAreSignedWithTheIdentityLikeOllama) {
  Scene s;
  s.registry.add("library/m", "latest", sample_model(1000));
  const fs::path key = s.dir / "id_ed25519";
  const Identity id = ensure_identity(key);
  const std::string realm = "http://" + s.registry.authority() + "/v2/token";
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path == "/v2/token") {
      FakeResponse t;
      t.body = R"({"access_token":"docker-style"})";
      return t;
    }
    if (r.header("authorization") != "Bearer docker-style") {
      FakeResponse u;
      u.status = 401;
      u.headers.emplace_back("WWW-Authenticate",
                             "Bearer realm=\"" + realm + "\",service=\"svc\",scope=\"repository:library/m:pull\"");
      return u;
    }
    return std::nullopt;
  });
  PullOptions o = fast_options();
  o.identity_path = key;
  s.pull(o);
  const auto token = s.registry.requests_to("/v2/token");
  ASSERT_EQ(token.size(), 1u);
  const std::string auth = token[0].header("authorization");
  EXPECT_EQ(auth.substr(0, auth.find(':')), id.public_key_base64());
  // Ollama signs "GET,<token URL>,<base64 of the hex SHA-256 of an empty body>".
  const std::string empty_hex = sha256_hex("");
  std::string b64(((empty_hex.size() + 2) / 3) * 4 + 1, '\0');
  b64.resize(static_cast<std::size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()),
                                                      reinterpret_cast<const unsigned char*>(empty_hex.data()),
                                                      static_cast<int>(empty_hex.size()))));
  const std::string message = "GET,http://" + s.registry.authority() + token[0].target + "," + b64;
  EXPECT_TRUE(verify_ollama_signature(auth, message)) << message;
}

TEST(PullFake, StillUnauthorizedWithATokenIsAccessDenied) {
  Scene s;
  s.registry.add("library/m", "latest", sample_model(1000));
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    FakeResponse u;
    if (r.path == "/token") {
      u.body = R"({"token":"useless"})";
      return u;
    }
    u.status = 401;
    u.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"http://" + s.registry.authority() + "/token\"");
    return u;
  });
  EXPECT_EQ(error_of([&] { s.pull(); }), "unauthorized: access denied");
  s.expect_consistent_without_model();
}

TEST(PullFake, MissingModelHasOllamasExactError) {
  Scene s;
  try {
    s.pull();
    FAIL();
  } catch (const ManifestNotFoundError& e) {
    EXPECT_STREQ(e.what(), "pull model manifest: file does not exist");
  }
  EXPECT_EQ(s.events.statuses(), std::vector<std::string>{"pulling manifest"});
  s.expect_consistent_without_model();
}

TEST(PullFake, MissingBlobIsAClearErrorAndNoManifest) {
  Scene s;
  auto model = sample_model();
  const std::string lost = layer_digest(model, 1);
  model.blobs.erase(lost);
  s.registry.add("library/m", "latest", model);
  const std::string err = error_of([&] { s.pull(); });
  EXPECT_NE(err.find(lost), std::string::npos) << err;
  EXPECT_NE(err.find("404"), std::string::npos) << err;
  EXPECT_NE(err.find("BLOB_UNKNOWN"), std::string::npos) << err;
  s.expect_consistent_without_model();
}

TEST(PullFake, TruncatedBodyResumesFromWhereItStopped) {
  Scene s;
  const auto model = sample_model(1000 * 1000);
  const std::string weights = layer_digest(model, 0);
  s.registry.add("library/m", "latest", model);
  std::atomic<int> weight_gets{0};
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path.find(weights) == std::string::npos || weight_gets++ > 0) return std::nullopt;
    FakeResponse cut = test::serve_bytes(r, model.blobs.at(weights));
    cut.cut_after = 400 * 1000;  // Content-Length promises 1 MB
    return cut;
  });
  s.pull();
  EXPECT_EQ(test::file_bytes(s.store.blob_path(weights)), model.blobs.at(weights));
  const auto gets = s.registry.requests_to(weights);
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[1].header("range"), "bytes=400000-999999");
  // Nothing fetched twice: the manifest, every other blob, the weights once.
  std::int64_t expected = static_cast<std::int64_t>(model.manifest.size());
  for (const auto& [d, b] : model.blobs) expected += static_cast<std::int64_t>(b.size());
  EXPECT_EQ(s.registry.server().body_bytes_sent(), expected);
}

TEST(PullFake, ConnectionsThatDeliverNothingEndInMaxRetries) {
  Scene s;
  const auto model = sample_model();
  const std::string weights = layer_digest(model, 0);
  s.registry.add("library/m", "latest", model);
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path.find(weights) == std::string::npos) return std::nullopt;
    FakeResponse cut = test::serve_bytes(r, model.blobs.at(weights));
    cut.cut_after = 0;
    return cut;
  });
  const std::string err = error_of([&] { s.pull(); });
  EXPECT_EQ(err.rfind("max retries exceeded: ", 0), 0u) << err;
  EXPECT_EQ(s.registry.requests_to(weights).size(), 4u);  // max_attempts
  s.expect_consistent_without_model();
}

TEST(PullFake, WrongBytesAreADigestMismatchAndLeaveNothingBehind) {
  Scene s;
  const auto model = sample_model();
  const std::string weights = layer_digest(model, 0);
  const std::string impostor = test::random_bytes(model.blobs.at(weights).size(), 99);
  s.registry.add("library/m", "latest", model);
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path.find(weights) == std::string::npos) return std::nullopt;
    return test::serve_bytes(r, impostor);
  });
  try {
    s.pull();
    FAIL();
  } catch (const DigestMismatchError& e) {
    EXPECT_EQ(std::string(e.what()),
              "digest mismatch, file must be downloaded again: want " + weights + ", got " + test::digest_of(impostor));
  }
  EXPECT_FALSE(s.store.has_blob(weights));
  EXPECT_TRUE(test::partial_files(s.store).empty());
  s.expect_consistent_without_model();
}

TEST(PullFake, RegistryBlobOfAnotherSizeIsRefusedEarly) {
  Scene s;
  const auto model = sample_model();
  const std::string weights = layer_digest(model, 0);
  s.registry.add("library/m", "latest", model);
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path.find(weights) == std::string::npos) return std::nullopt;
    return test::serve_bytes(r, model.blobs.at(weights) + "extra");
  });
  const std::string err = error_of([&] { s.pull(); });
  EXPECT_NE(err.find("has " + std::to_string(300 * 1024 + 5) + " bytes in the registry but the manifest says " +
                     std::to_string(300 * 1024)),
            std::string::npos)
      << err;
  s.expect_consistent_without_model();
}

TEST(PullFake, CorruptManifestsAreRefusedAndNothingIsWritten) {
  const std::string good = sample_model(100).manifest;
  const std::string hex(64, 'a');
  struct Case {
    std::string body;
    std::string needle;
  };
  const std::vector<Case> cases = {
      {"this is not json", "pull model manifest: "},
      {R"({"schemaVersion":2,"layers":[{"mediaType":"x","digest":"sha256:../../../../etc/passwd","size":1}]})",
       "pull model manifest: "},
      {R"({"schemaVersion":2,"layers":[{"mediaType":"x","digest":"sha256:)" + std::string(64, 'A') + R"(","size":1}]})",
       "pull model manifest: "},
      {R"({"schemaVersion":2,"layers":[{"mediaType":"x","digest":"sha256:)" + hex + R"(","size":-5}]})",
       "pull model manifest: "},
      {R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})",
       "unsupported manifest type"},
      {R"({"schemaVersion":2,"layers":[]})", "no layers"},
  };
  for (const auto& c : cases) {
    Scene s;
    s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
      FakeResponse resp;
      resp.body = c.body;
      if (r.path.find("/manifests/") == std::string::npos) resp.status = 500;
      return resp;
    });
    const std::string err = error_of([&] { s.pull(); });
    EXPECT_NE(err.find(c.needle), std::string::npos) << c.body << " -> " << err;
    EXPECT_EQ(err.rfind("pull model manifest: ", 0), 0u) << err;
    EXPECT_TRUE(s.registry.requests_to("/blobs/").empty());
    s.expect_consistent_without_model();
    EXPECT_FALSE(fs::exists(s.dir.path() / "etc"));
  }
  // A body that does not match the registry's own Docker-Content-Digest.
  Scene s;
  s.registry.set_hook([&](const FakeRequest&) -> std::optional<FakeResponse> {
    FakeResponse resp;
    resp.body = good;
    resp.headers.emplace_back("Docker-Content-Digest", "sha256:" + hex);
    return resp;
  });
  EXPECT_NE(error_of([&] { s.pull(); }).find("but the registry says sha256:" + hex), std::string::npos);
  s.expect_consistent_without_model();
}

TEST(PullFake, HostileNamesAreRejectedBeforeAnyRequest) {
  Scene s;
  const std::string host = s.registry.authority();
  for (const std::string& raw : std::vector<std::string>{
           host + "/../../etc:passwd", host + "/library/m:tag@sha256:" + std::string(64, 'a'), host + "/a/b/c/d",
           host + "/library/.hidden", host + "/library/m:" + std::string(81, 't'), host + "/library/m\n:x",
           std::string("../") + "x/y/z"}) {
    const store::ModelName n = store::ModelName::parse(raw);
    ASSERT_FALSE(n.is_valid()) << raw;
    EXPECT_THROW(registry::pull(s.store, n, fast_options(), s.events.fn(), nullptr), store::BadRequestError) << raw;
  }
  EXPECT_TRUE(s.registry.server().requests().empty());
  EXPECT_TRUE(s.store.list_names().empty());
}

TEST(PullFake, PlainHttpNeedsInsecure) {
  Scene s;
  s.registry.add("library/m", "latest", sample_model(100));
  const store::ModelName n = store::parse_model_name("http://" + s.registry.authority() + "/library/m:latest");
  PullOptions o = fast_options();
  o.insecure = false;
  EXPECT_EQ(error_of([&] { registry::pull(s.store, n, o, s.events.fn(), nullptr); }), "insecure protocol http");
  EXPECT_TRUE(s.registry.server().requests().empty());
  o.insecure = true;
  registry::pull(s.store, n, o, s.events.fn(), nullptr);
  EXPECT_TRUE(s.store.read_manifest(n));
}

TEST(PullFake, CancelKeepsStateAndResumeFetchesOnlyTheMissingBytes) {
  Scene s;
  const std::int64_t size = 2 * 1024 * 1024;
  const auto model = sample_model(static_cast<std::size_t>(size));
  const std::string weights = layer_digest(model, 0);
  s.registry.add("library/m", "latest", model);
  s.registry.set_blob_pacing(8 * 1024, std::chrono::milliseconds(10));  // about 2.4 MB/s over 3 parts
  PullOptions o = fast_options();
  o.parallel_threshold = 512 * 1024;
  o.part_size = 256 * 1024;
  o.max_parallel_parts = 3;
  auto events = std::make_shared<Events>();
  const ProgressFn watch = [&](const Progress& p) {
    events->fn()(p);
    if (p.digest == weights && p.completed >= size / 2) s.cancel = true;
  };
  EXPECT_THROW(registry::pull(s.store, s.name(), o, watch, &s.cancel), CancelledError);
  s.expect_consistent_without_model();
  const auto parts = s.store.read_partial_parts(weights);
  std::int64_t kept = 0;
  for (const auto& p : parts) kept += p.completed;
  EXPECT_EQ(parts.size(), 8u);
  EXPECT_GE(kept, size / 2);
  EXPECT_LT(kept, size);

  s.cancel = false;
  // The cancelled transfers' server threads may still be writing: wait for
  // them before counting anew.
  for (int i = 0; i < 2000 && s.registry.server().active_connections() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  s.registry.server().reset_counters();
  s.registry.set_blob_pacing(64 * 1024, std::chrono::milliseconds(0));
  Events again;
  registry::pull(s.store, s.name(), o, again.fn(), &s.cancel);
  EXPECT_EQ(test::file_bytes(s.store.blob_path(weights)), model.blobs.at(weights));
  const auto ev = again.for_digest(weights);
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.front().completed, kept);  // the first event shows what was on disk
  // The weights come first, so the other blobs were never started: they
  // move whole, the weights only for what was missing.
  std::int64_t expected = static_cast<std::int64_t>(model.manifest.size()) + (size - kept);
  for (const auto& [d, b] : model.blobs)
    if (d != weights) expected += static_cast<std::int64_t>(b.size());
  EXPECT_EQ(s.registry.server().body_bytes_sent(), expected);
  EXPECT_TRUE(test::partial_files(s.store).empty());
}

TEST(PullFake, ServerThatIgnoresRangesStillWorks) {
  Scene s;
  const auto model = sample_model(1024 * 1024);
  const std::string weights = layer_digest(model, 0);
  s.registry.add("library/m", "latest", model);
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path.find(weights) == std::string::npos) return std::nullopt;
    FakeResponse full;
    full.body = model.blobs.at(weights);
    return full;
  });
  PullOptions o = fast_options();
  o.parallel_threshold = 100 * 1024;
  o.part_size = 128 * 1024;
  s.pull(o);
  EXPECT_EQ(test::file_bytes(s.store.blob_path(weights)), model.blobs.at(weights));
}

TEST(PullFake, StalledTransferIsRestarted) {
  Scene s;
  const auto model = sample_model();
  const std::string weights = layer_digest(model, 0);
  s.registry.add("library/m", "latest", model);
  std::atomic<int> gets{0};
  s.registry.set_hook([&](const FakeRequest& r) -> std::optional<FakeResponse> {
    if (r.path.find(weights) == std::string::npos || gets++ > 0) return std::nullopt;
    FakeResponse slow = test::serve_bytes(r, model.blobs.at(weights));
    slow.stall_before_body = std::chrono::milliseconds(10000);
    return slow;
  });
  PullOptions o = fast_options();
  o.stall_timeout = std::chrono::milliseconds(300);
  const auto t0 = std::chrono::steady_clock::now();
  s.pull(o);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(8000));  // not the 10 s stall
  EXPECT_EQ(gets.load(), 2);
  EXPECT_EQ(test::file_bytes(s.store.blob_path(weights)), model.blobs.at(weights));
}

TEST(PullFake, SpeedLimitHoldsTheWholePull) {
  Scene s;
  const auto model = sample_model(12 << 20);
  s.registry.add("library/m", "latest", model);
  PullOptions o = fast_options();
  o.parallel_threshold = 1 << 20;
  o.part_size = 4 << 20;
  o.max_bytes_per_second = 4 << 20;
  const auto t0 = std::chrono::steady_clock::now();
  s.pull(o);
  // 12 MiB at 4 MiB/s is 3 s; libcurl lets each transfer start with a burst
  // of what the socket holds (up to 1.6 MB), so allow for that.
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(1500));
  EXPECT_EQ(test::file_bytes(s.store.blob_path(layer_digest(model, 0))), model.blobs.at(layer_digest(model, 0)));
}

TEST(PullFake, TransientServerErrorsAreRetried) {
  Scene s;
  s.registry.add("library/m", "latest", sample_model());
  std::atomic<int> failures{0};
  s.registry.set_hook([&](const FakeRequest&) -> std::optional<FakeResponse> {
    if (failures++ % 2 == 1) return std::nullopt;  // every other request fails
    FakeResponse busy;
    busy.status = 503;
    return busy;
  });
  s.pull();
  EXPECT_TRUE(s.store.read_manifest(s.name()));
}

TEST(PullFake, ConcurrentPullsOfOneModelDownloadItOnce) {
  Scene s;
  const auto model = sample_model(1024 * 1024);
  s.registry.add("library/m", "latest", model);
  s.registry.set_blob_pacing(32 * 1024, std::chrono::milliseconds(3));
  std::vector<std::string> errors(2);
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i)
    threads.emplace_back([&, i] {
      try {
        registry::pull(s.store, s.name(), fast_options(), {}, nullptr);
      } catch (const std::exception& e) {
        errors[static_cast<std::size_t>(i)] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors, std::vector<std::string>(2));
  std::int64_t blob_bytes = 0;
  for (const auto& [d, b] : model.blobs) blob_bytes += static_cast<std::int64_t>(b.size());
  EXPECT_EQ(s.registry.server().body_bytes_sent(), blob_bytes + 2 * static_cast<std::int64_t>(model.manifest.size()));
  for (const auto& [d, b] : model.blobs) EXPECT_EQ(test::file_bytes(s.store.blob_path(d)), b);
}

TEST(PullFake, PullOverAnExistingTagRemovesLayersNoLongerUsed) {
  Scene s;
  const auto v1 = sample_model(1000, 1);
  s.registry.add("library/m", "latest", v1);
  s.pull();
  const auto v2 = test::make_registry_model({{std::string(store::media_type::kModel), test::random_bytes(1000, 1)},
                                             {std::string(store::media_type::kTemplate), "{{ .System }}{{ .Prompt }}"}},
                                            R"({"model_format":"gguf","model_family":"llama"})");
  s.registry.add("library/m", "latest", v2);
  s.events.all.clear();
  s.pull();
  const auto st = s.events.statuses();
  ASSERT_GE(st.size(), 3u);
  EXPECT_EQ(st[st.size() - 2], "removing unused layers");
  EXPECT_FALSE(s.store.has_blob(layer_digest(v1, 1)));  // old template
  EXPECT_FALSE(s.store.has_blob(layer_digest(v1, 2)));  // old params
  EXPECT_TRUE(s.store.has_blob(layer_digest(v2, 0)));   // shared weights stay
  EXPECT_EQ(test::file_bytes(s.store.manifest_path(s.name())), v2.manifest);
}

TEST(PullFake, DamagedLocalBlobIsDownloadedAgain) {
  Scene s;
  const auto model = sample_model();
  const std::string weights = layer_digest(model, 0);
  s.registry.add("library/m", "latest", model);
  test::write_file(s.store.blob_path(weights), "truncated");
  s.pull();
  EXPECT_EQ(test::file_bytes(s.store.blob_path(weights)), model.blobs.at(weights));
}

}  // namespace
}  // namespace corral::registry
