// push() against a fake registry that behaves like registry.ollama.ai:
// PATCH chunks answered with 307 to pre-signed storage on another host
// (where the chunk goes by plain PUT, without credentials) and the next
// upload URL in Docker-Upload-Location; the commit carries ?digest= and
// Ollama's etag; the manifest goes up verbatim with its media type.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <map>
#include <mutex>

#include "registry/fake_http_server.h"
#include "registry/registry.h"
#include "registry/test_models.h"
#include "store/model_ops.h"
#include "store/store_errors.h"
#include "testutil/temp_dir.h"

namespace corral::registry {
namespace {

namespace fs = std::filesystem;
using test::FakeRequest;
using test::FakeResponse;

std::string md5(const std::string& bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_Digest(bytes.data(), bytes.size(), out, &n, EVP_md5(), nullptr);
  return std::string(reinterpret_cast<char*>(out), n);
}

std::string hex(const std::string& bytes) {
  static const char* k = "0123456789abcdef";
  std::string s;
  for (unsigned char c : bytes) {
    s += k[c >> 4];
    s += k[c & 15];
  }
  return s;
}

std::string query_value(const std::string& query, const std::string& key) {
  for (std::size_t pos = 0; pos <= query.size();) {
    const auto amp = query.find('&', pos);
    const std::string item = query.substr(pos, amp == std::string::npos ? std::string::npos : amp - pos);
    if (item.rfind(key + "=", 0) == 0) return item.substr(key.size() + 1);
    if (amp == std::string::npos) break;
    pos = amp + 1;
  }
  return {};
}

// Registry state: uploads assembled from chunks that went to storage.
struct OllamaLikeRegistry {
  std::mutex mu;
  std::map<std::string, std::string> blobs;     // committed
  std::map<std::string, std::string> chunks;    // storage key -> bytes
  std::map<std::string, std::string> sessions;  // upload id -> concatenated bytes
  std::vector<std::string> commit_queries;
  std::string manifest_body, manifest_type;
  std::unique_ptr<test::FakeHttpServer> storage;
  std::unique_ptr<test::FakeHttpServer> api;
  int next_id = 0;

  OllamaLikeRegistry() {
    storage = std::make_unique<test::FakeHttpServer>([this](const FakeRequest& r) {
      std::lock_guard<std::mutex> lock(mu);
      FakeResponse resp;
      if (r.method != "PUT" || !r.header("authorization").empty()) {
        resp.status = 403;
        return resp;
      }
      chunks[r.path] = r.body;
      return resp;
    });
    api = std::make_unique<test::FakeHttpServer>([this](const FakeRequest& r) { return handle(r); });
  }

  FakeResponse handle(const FakeRequest& r) {
    std::lock_guard<std::mutex> lock(mu);
    FakeResponse resp;
    if (r.method == "HEAD" && r.path.find("/blobs/") != std::string::npos) {
      const std::string d = r.path.substr(r.path.rfind('/') + 1);
      resp.status = blobs.count(d) ? 200 : 404;
      resp.declared_length = blobs.count(d) ? static_cast<std::int64_t>(blobs[d].size()) : 0;
      return resp;
    }
    if (r.method == "POST" && r.path.find("/blobs/uploads/") != std::string::npos) {
      const std::string id = std::to_string(++next_id);
      sessions[id];
      resp.status = 202;
      resp.headers.emplace_back("Location", "/upload/" + id + "/0");
      return resp;
    }
    if (r.method == "PATCH" && r.path.rfind("/upload/", 0) == 0) {
      // /upload/<id>/<n>: send the chunk to storage, hand out the next URL.
      const std::string rest = r.path.substr(8);
      const std::string id = rest.substr(0, rest.find('/'));
      const int n = std::stoi(rest.substr(rest.find('/') + 1));
      if (r.header("x-redirect-uploads") != "1" || r.header("content-type") != "application/octet-stream") {
        resp.status = 400;
        return resp;
      }
      resp.status = 307;
      resp.headers.emplace_back(
          "Location", storage->url("localhost") + "/bucket/" + id + "/" + std::to_string(n) + "?X-Amz-Signature=s");
      resp.headers.emplace_back("Docker-Upload-Location", "/upload/" + id + "/" + std::to_string(n + 1));
      return resp;
    }
    if (r.method == "PUT" && r.path.rfind("/upload/", 0) == 0) {
      const std::string rest = r.path.substr(8);
      const std::string id = rest.substr(0, rest.find('/'));
      const int parts = std::stoi(rest.substr(rest.find('/') + 1));
      std::string data;
      for (int i = 0; i < parts; ++i) data += chunks["/bucket/" + id + "/" + std::to_string(i)];
      commit_queries.push_back(r.query);
      const std::string d = query_value(r.query, "digest");
      blobs["sha256:" + d.substr(d.find("%3A") + 3)] = data;
      resp.status = 201;
      return resp;
    }
    if (r.method == "PUT" && r.path.find("/manifests/") != std::string::npos) {
      manifest_body = r.body;
      manifest_type = r.header("content-type");
      resp.status = 201;
      return resp;
    }
    resp.status = 404;
    return resp;
  }
};

PushOptions fast_push_options() {
  PushOptions o;
  o.insecure = true;
  o.identity_path = "/nonexistent/corral-test-key";
  o.retry_delay = std::chrono::milliseconds(10);
  o.progress_interval = std::chrono::milliseconds(0);
  o.max_attempts = 3;
  return o;
}

TEST(PushFake, ChunksGoToStorageAndTheCommitCarriesOllamasEtag) {
  test::TempDir dir;
  store::Store st(dir.path() / "models");
  OllamaLikeRegistry reg;
  const auto created = test::create_generated_model(st, dir.path() / "gen", "local", test::tiny_spec());
  const store::ModelName src = store::parse_model_name("local");
  const store::ModelName dst = store::parse_model_name(reg.api->authority() + "/me/tiny:v1");
  store::copy_model(st, src, dst);

  std::vector<Progress> events;
  PushOptions o = fast_push_options();
  o.chunk_size = 100 * 1024;
  push(st, dst, o, [&](const Progress& p) { events.push_back(p); });

  const auto& m = created.manifest;
  std::vector<store::Layer> layers = m.layers;
  layers.push_back(m.config);
  std::vector<std::string> statuses;
  for (const auto& e : events)
    if (statuses.empty() || statuses.back() != e.status) statuses.push_back(e.status);
  std::vector<std::string> want = {"retrieving manifest"};
  for (const auto& l : layers) want.push_back("pushing " + l.digest.substr(7, 12));
  want.insert(want.end(), {"pushing manifest", "success"});
  EXPECT_EQ(statuses, want);

  ASSERT_EQ(reg.commit_queries.size(), layers.size());
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string bytes = test::file_bytes(st.blob_path(layers[i].digest));
    EXPECT_EQ(reg.blobs[layers[i].digest], bytes) << layers[i].digest;
    // etag = md5 over the chunks' md5s, then "-<chunks>".
    std::string md5s;
    int n = 0;
    for (std::size_t off = 0; off < bytes.size(); off += 100 * 1024, ++n) md5s += md5(bytes.substr(off, 100 * 1024));
    EXPECT_EQ(query_value(reg.commit_queries[i], "etag"), hex(md5(md5s)) + "-" + std::to_string(n));
  }
  EXPECT_EQ(reg.manifest_body, test::file_bytes(st.manifest_path(dst)));
  EXPECT_EQ(reg.manifest_type, "application/vnd.docker.distribution.manifest.v2+json");
  // The weights (> 100 KB) went in several chunks.
  EXPECT_GT(reg.chunks.size(), layers.size());
}

TEST(PushFake, BlobsTheRegistryHasAreNotUploaded) {
  test::TempDir dir;
  store::Store st(dir.path() / "models");
  OllamaLikeRegistry reg;
  test::create_generated_model(st, dir.path() / "gen", "local", test::tiny_spec());
  const store::ModelName dst = store::parse_model_name(reg.api->authority() + "/me/tiny:v1");
  store::copy_model(st, store::parse_model_name("local"), dst);
  push(st, dst, fast_push_options(), {});
  const std::size_t chunks = reg.chunks.size();
  std::vector<Progress> events;
  push(st, dst, fast_push_options(), [&](const Progress& p) { events.push_back(p); });
  EXPECT_EQ(reg.chunks.size(), chunks);
  for (const auto& e : events) {
    if (!e.digest.empty()) {
      EXPECT_EQ(e.completed, e.total) << e.status;
    }
  }
}

TEST(PushFake, MissingModelOrBlobIsAClearError) {
  test::TempDir dir;
  store::Store st(dir.path() / "models");
  OllamaLikeRegistry reg;
  const store::ModelName dst = store::parse_model_name(reg.api->authority() + "/me/none:v1");
  std::vector<std::string> statuses;
  EXPECT_THROW(push(st, dst, fast_push_options(), [&](const Progress& p) { statuses.push_back(p.status); }),
               store::NotFoundError);
  EXPECT_EQ(statuses, (std::vector<std::string>{"retrieving manifest", "couldn't retrieve manifest"}));

  const auto created = test::create_generated_model(st, dir.path() / "gen", "local", test::tiny_spec());
  const store::ModelName broken = store::parse_model_name(reg.api->authority() + "/me/broken:v1");
  store::copy_model(st, store::parse_model_name("local"), broken);
  st.remove_blob(created.manifest.layers[0].digest);
  try {
    push(st, broken, fast_push_options(), {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "blob " + created.manifest.layers[0].digest + " is missing from the store");
  }
  EXPECT_TRUE(reg.manifest_body.empty());
}

TEST(PushFake, UnauthorizedPushIsAccessDenied) {
  test::TempDir dir;
  store::Store st(dir.path() / "models");
  std::string realm;  // set once the server knows its port
  test::FakeHttpServer reg([&](const FakeRequest& r) {
    FakeResponse resp;
    if (r.path == "/token") {
      resp.body = R"({"token":"t"})";
      return resp;
    }
    resp.status = 401;
    resp.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"" + realm + "\",scope=\"repository:x:push\"");
    return resp;
  });
  realm = reg.url() + "/token";
  test::create_generated_model(st, dir.path() / "gen", "local", test::tiny_spec());
  const store::ModelName dst = store::parse_model_name(reg.authority() + "/someone/else:v1");
  store::copy_model(st, store::parse_model_name("local"), dst);
  try {
    push(st, dst, fast_push_options(), {});
    FAIL();
  } catch (const UnauthorizedError& e) {
    EXPECT_STREQ(e.what(), "unauthorized: access denied");
  }
  for (const auto& r : reg.requests()) {
    if (r.path != "/token") {
      EXPECT_TRUE(r.method == "HEAD" || r.method == "POST") << r.method << " " << r.path;
    }
  }
}

}  // namespace
}  // namespace corral::registry
