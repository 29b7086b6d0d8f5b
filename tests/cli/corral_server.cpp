// CorralServer: fork/exec `corral serve`, readiness, API helpers.
#include "cli/corral_server.h"

#include <fcntl.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "store/modelfile.h"
#include "store/modelfile_request.h"
#include "testutil/shared_data.h"

namespace corral::test {

namespace fs = std::filesystem;

std::optional<std::string> CorralServer::binary() {
  const std::string b = corral_binary();
  if (b.empty() || ::access(b.c_str(), X_OK) != 0) return std::nullopt;
  return b;
}

fs::path tolstoy_modelfile() { return source_dir() / "models" / "tolstoy" / "Modelfile"; }

CorralServer::CorralServer() {
  fs::create_directories(home());
  fs::create_directories(models());
  port_ = free_local_port();
  const fs::path log_file = dir_.path() / "server.log";
  pid_ = ::fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::setenv("OLLAMA_HOST", host().c_str(), 1);
    ::setenv("OLLAMA_MODELS", models().c_str(), 1);
    ::setenv("HOME", home().c_str(), 1);
    const std::string bin = *binary();
    ::execl(bin.c_str(), bin.c_str(), "serve", nullptr);
    ::_exit(127);
  }
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(std::chrono::milliseconds(300));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto r = c.Head("/"); r && r->status == 200) return;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("corral serve exited at start:\n" + log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("corral serve did not answer within 30 s:\n" + log());
}

CorralServer::~CorralServer() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  ::waitpid(pid_, nullptr, 0);
}

std::map<std::string, std::string> CorralServer::env() const {
  return {{"OLLAMA_HOST", host()}, {"HOME", home().string()}, {"LANG", "C.UTF-8"}};
}

std::string CorralServer::log() const {
  std::ifstream in(dir_.path() / "server.log");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool CorralServer::has_route(const std::string& method, const std::string& path) const {
  httplib::Client c("127.0.0.1", port_);
  httplib::Result r = method == "GET"    ? c.Get(path.c_str())
                      : method == "HEAD" ? c.Head(path.c_str())
                      : method == "DELETE" ? c.Delete(path.c_str(), "{}", "application/json")
                                           : c.Post(path.c_str(), "{}", "application/json");
  if (!r) return false;
  return !(r->status == 404 && r->body.find("404 page not found") != std::string::npos) && r->status != 405;
}

std::string CorralServer::create_tolstoy(const std::string& name) const {
  const fs::path modelfile = tolstoy_modelfile();
  const store::Modelfile mf = store::parse_modelfile(read_file(modelfile));
  store::ModelfileRequestOptions options;
  options.base_dir = modelfile.parent_path();
  const auto mr = store::modelfile_to_request(mf, options);

  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(std::chrono::seconds(120));
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [file_name, digest] : mr.request.files) {
    const std::string bytes = read_file(mr.local_files.at(file_name));
    auto r = c.Post(("/api/blobs/" + digest).c_str(), bytes, "application/octet-stream");
    if (!r) return "blob upload failed: " + httplib::to_string(r.error());
    if (r->status != 200 && r->status != 201) return "blob upload: " + std::to_string(r->status) + " " + r->body;
    files[file_name] = digest;
  }
  nlohmann::json body = {{"model", name}, {"files", files}};
  if (!mr.request.template_text.empty()) body["template"] = mr.request.template_text;
  if (mr.request.parameters.is_object()) body["parameters"] = mr.request.parameters;
  if (!mr.request.license.empty()) body["license"] = mr.request.license;
  return create(body);
}

std::string CorralServer::create(const nlohmann::json& request) const {
  nlohmann::json body = request;
  body["stream"] = false;
  httplib::Client c("127.0.0.1", port_);
  c.set_read_timeout(std::chrono::seconds(120));
  auto r = c.Post("/api/create", body.dump(), "application/json");
  if (!r) return "create failed: " + httplib::to_string(r.error());
  if (r->status != 200) return "create: " + std::to_string(r->status) + " " + r->body;
  return "";
}

ProcessResult CorralServer::cli(const std::vector<std::string>& args, const std::string& stdin_data,
                                std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv{*binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, env(), stdin_data, timeout);
}

}  // namespace corral::test
