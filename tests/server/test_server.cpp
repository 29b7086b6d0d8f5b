// Test harness implementation.
#include "test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>

#include "dev/model_generator.h"
#include "store/create.h"
#include "store/store.h"

namespace corral::server::test {

const char* const kChatTemplate =
    "{{- if .Tools }}<|tools|>{{ .Tools }}<|end|>\n{{ end }}"
    "{{- if .System }}<|system|>{{ .System }}<|end|>\n{{ end }}"
    "{{- range .Messages }}{{- if ne .Role \"system\" }}<|{{ .Role }}|>"
    "{{- if .Thinking }}<think>{{ .Thinking }}</think>{{ end }}"
    "{{- .Content }}"
    "{{- if .ToolCalls }}<tool_call>{{ range .ToolCalls }}{\"name\": \"{{ .Function.Name }}\", \"arguments\": "
    "{{ .Function.Arguments }}}{{ end }}</tool_call>{{ end }}<|end|>\n{{ end }}"
    "{{- end }}<|assistant|>";

void add_model(const std::filesystem::path& models_dir, const std::filesystem::path& work_dir, const std::string& name,
               const std::string& template_text, const Json& parameters, std::uint64_t seed) {
  dev::ModelSpec spec;
  spec.hidden = 64;
  spec.layers = 2;
  spec.heads = 4;
  spec.kv_heads = 2;
  spec.ffn = 128;
  spec.ctx = 1024;
  spec.type = "F32";
  spec.vocab_size = 400;
  spec.seed = seed;
  spec.threads = 1;
  const auto gguf = work_dir / (name.substr(0, name.find(':')) + std::to_string(seed) + ".gguf");
  dev::generate_model(spec, gguf.string());
  store::Store store(models_dir);
  const auto blob = store.import_file(gguf);
  store::CreateRequest req;
  req.model = name;
  req.files["model.gguf"] = blob.digest;
  req.template_text = template_text;
  if (!parameters.is_null()) req.parameters = nlohmann::json::parse(parameters.dump());
  store::CreateOptions opts;
  opts.prune_replaced = false;
  store::create_model(store, req, {}, opts);
}

Json Reply::json() const { return Json::parse(body); }

TestServer::TestServer(const std::filesystem::path& models_dir, const std::function<void(ServerConfig&)>& configure,
                       EngineFactory factory, MemoryProbe probe) {
  ServerOptions o;
  o.config.models_dir = models_dir;
  o.config.listen.host = "127.0.0.1";
  o.config.listen.port = 0;
  o.config.num_threads = 1;
  o.config.http_threads = 32;
  if (configure) configure(o.config);
  o.engine_factory = std::move(factory);
  o.memory_probe = probe ? std::move(probe) : MemoryProbe([] { return std::int64_t{-1}; });
  server_ = std::make_unique<Server>(std::move(o));
  server_->start();
}

TestServer::~TestServer() { server_.reset(); }

namespace {

Reply to_reply(const httplib::Result& r) {
  if (!r) throw std::runtime_error("HTTP request failed: " + httplib::to_string(r.error()));
  Reply out;
  out.status = r->status;
  out.body = r->body;
  out.content_type = r->get_header_value("Content-Type");
  return out;
}

httplib::Client client(int port) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(120, 0);
  c.set_write_timeout(120, 0);
  return c;
}

}  // namespace

Reply TestServer::get(const std::string& path, const httplib::Headers& headers) {
  auto c = client(port());
  return to_reply(c.Get(path, headers));
}

Reply TestServer::post(const std::string& path, const std::string& body, const httplib::Headers& headers) {
  auto c = client(port());
  return to_reply(c.Post(path, headers, body, "application/json"));
}

Reply TestServer::del(const std::string& path, const std::string& body) {
  auto c = client(port());
  return to_reply(c.Delete(path, body, "application/json"));
}

Reply TestServer::head(const std::string& path) {
  auto c = client(port());
  return to_reply(c.Head(path));
}

Reply TestServer::options(const std::string& path, const httplib::Headers& headers) {
  auto c = client(port());
  httplib::Request req;
  req.method = "OPTIONS";
  req.path = path;
  req.headers = headers;
  return to_reply(c.send(req));
}

std::vector<Json> TestServer::ndjson(const std::string& body) {
  std::vector<Json> out;
  std::size_t start = 0;
  while (start < body.size()) {
    auto nl = body.find('\n', start);
    if (nl == std::string::npos) nl = body.size();
    if (nl > start) out.push_back(Json::parse(body.substr(start, nl - start)));
    start = nl + 1;
  }
  return out;
}

std::vector<Json> TestServer::sse(const std::string& body, bool* done) {
  std::vector<Json> out;
  if (done) *done = false;
  std::size_t start = 0;
  while (start < body.size()) {
    auto end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    std::string event = body.substr(start, end - start);
    if (event.rfind("data: ", 0) == 0) {
      const std::string data = event.substr(6);
      if (data == "[DONE]") {
        if (done) *done = true;
      } else {
        out.push_back(Json::parse(data));
      }
    }
    start = end + 2;
  }
  return out;
}

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) throw std::runtime_error("connect failed");
}

RawConnection::~RawConnection() { close(); }

void RawConnection::send_post(const std::string& path, const std::string& body) {
  const std::string req = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                          "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::size_t sent = 0;
  while (sent < req.size()) {
    const ssize_t n = ::send(fd_, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) throw std::runtime_error("send failed");
    sent += static_cast<std::size_t>(n);
  }
}

std::string RawConnection::read_until(const std::string& needle, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (buf_.find(needle) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    char tmp[4096];
    const ssize_t n = ::recv(fd_, tmp, sizeof(tmp), 0);
    if (n <= 0) break;
    buf_.append(tmp, static_cast<std::size_t>(n));
  }
  return buf_;
}

void RawConnection::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

}  // namespace corral::server::test
