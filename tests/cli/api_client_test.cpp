// ApiClient against a small in-test HTTP server: NDJSON lines split across
// chunks, error lines, error statuses, cancelling a silent stream, blob
// upload, and "nothing listens".
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <unistd.h>

#include "api/status_error.h"
#include "cli/api_client.h"

namespace corral::cli {
namespace {

class FakeServer {
 public:
  FakeServer() {
    port_ = http_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { http_.listen_after_bind(); });
    while (!http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeServer() {
    http_.stop();
    thread_.join();
  }
  httplib::Server& http() { return http_; }
  ApiClient client() const {
    ServerAddress a;
    a.port = port_;
    return ApiClient(a);
  }

 private:
  httplib::Server http_;
  int port_ = 0;
  std::thread thread_;
};

TEST(ApiClient, StreamsLinesSplitAcrossChunks) {
  FakeServer s;
  s.http().Post("/api/chat", [](const httplib::Request& req, httplib::Response& res) {
    EXPECT_EQ(api::Json::parse(req.body)["model"], "m");
    res.set_chunked_content_provider("application/x-ndjson", [](size_t, httplib::DataSink& sink) {
      const std::string a = R"({"message":{"content":"Hel"},"done":false})" "\n" R"({"message":{"con)";
      const std::string b = R"(tent":"lo"},"done":false})" "\n" R"({"done":true})";  // no final newline
      sink.write(a.data(), a.size());
      sink.write(b.data(), b.size());
      sink.done();
      return true;
    });
  });
  std::vector<api::Json> lines;
  const auto end = s.client().stream("/api/chat", api::Json{{"model", "m"}}, [&](const api::Json& j) {
    lines.push_back(j);
    return true;
  });
  EXPECT_EQ(end, ApiClient::StreamEnd::finished);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["message"]["content"], "Hel");
  EXPECT_EQ(lines[1]["message"]["content"], "lo");
  EXPECT_TRUE(lines[2]["done"].get<bool>());
}

TEST(ApiClient, ErrorLineInAStreamThrows) {
  FakeServer s;
  s.http().Post("/api/pull", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("{\"status\":\"pulling manifest\"}\n{\"error\":\"pull model manifest: file does not exist\"}\n",
                    "application/x-ndjson");
  });
  int seen = 0;
  try {
    s.client().stream("/api/pull", api::Json::object(), [&](const api::Json&) {
      ++seen;
      return true;
    });
    FAIL() << "no error";
  } catch (const api::StatusError& e) {
    EXPECT_STREQ(e.what(), "pull model manifest: file does not exist");
  }
  EXPECT_EQ(seen, 1);
}

TEST(ApiClient, ErrorStatusCarriesTheServersMessage) {
  FakeServer s;
  s.http().Post("/api/show", [](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content(R"({"error":"model 'nope' not found"})", "application/json");
  });
  try {
    s.client().post("/api/show", api::Json{{"model", "nope"}});
    FAIL();
  } catch (const api::StatusError& e) {
    EXPECT_EQ(e.status(), 404);
    EXPECT_STREQ(e.what(), "model 'nope' not found");
  }
  s.http().Post("/api/chat", [](const httplib::Request&, httplib::Response& res) {
    res.status = 400;
    res.set_content(R"({"error":"model is required"})", "application/json");
  });
  EXPECT_THROW(s.client().stream("/api/chat", api::Json::object(), [](const api::Json&) { return true; }),
               api::StatusError);
}

TEST(ApiClient, CancelClosesASilentStreamPromptly) {
  FakeServer s;
  s.http().Post("/api/generate", [](const httplib::Request&, httplib::Response& res) {
    res.set_chunked_content_provider("application/x-ndjson", [](size_t, httplib::DataSink& sink) {
      // Say nothing (a long prompt being read) until the client leaves.
      for (int i = 0; i < 200 && sink.is_writable(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return false;
    });
  });
  std::atomic<bool> cancel{false};
  std::thread presser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel = true;
  });
  const auto t0 = std::chrono::steady_clock::now();
  const auto end = s.client().stream("/api/generate", api::Json::object(), [](const api::Json&) { return true; }, &cancel);
  const auto took = std::chrono::steady_clock::now() - t0;
  presser.join();
  EXPECT_EQ(end, ApiClient::StreamEnd::cancelled);
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(ApiClient, BlobCheckAndUpload) {
  FakeServer s;
  std::string received;
  s.http().Post(R"(/api/blobs/(sha256:[0-9a-f]+))",
                [&](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
                  reader([&](const char* d, size_t n) {
                    received.append(d, n);
                    return true;
                  });
                  res.status = 201;
                  (void)req;
                });
  s.http().Get(R"(/api/blobs/(sha256:[0-9a-f]+))", [&](const httplib::Request& req, httplib::Response& res) {
    res.status = req.matches[1] == "sha256:aa" ? 200 : 404;
  });
  const auto client = s.client();
  EXPECT_TRUE(client.has_blob("sha256:aa"));
  EXPECT_FALSE(client.has_blob("sha256:bb"));

  const auto file = std::filesystem::temp_directory_path() / ("corral-cli-blob-" + std::to_string(::getpid()));
  std::string data(3'000'000, 'x');
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 7);
  {
    std::ofstream(file, std::ios::binary) << data;
  }
  std::uint64_t last = 0, total = 0;
  client.upload_blob("sha256:cc", file, [&](std::uint64_t sent, std::uint64_t t) {
    EXPECT_GE(sent, last);
    last = sent;
    total = t;
  });
  std::filesystem::remove(file);
  EXPECT_EQ(received, data);
  EXPECT_EQ(last, data.size());
  EXPECT_EQ(total, data.size());
}

TEST(ApiClient, NothingListening) {
  ServerAddress a;
  a.port = 1;  // nothing listens on port 1
  ApiClient c(a);
  EXPECT_FALSE(c.heartbeat(std::chrono::milliseconds(300)));
  EXPECT_THROW(c.get("/api/tags"), ConnectionError);
}

}  // namespace
}  // namespace corral::cli
