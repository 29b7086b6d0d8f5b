// Reading ServerConfig from environment variables.
#include "server/server_config.h"

#include <charconv>
#include <cstdlib>

#include "store/store.h"
#include "util/log.h"

namespace corral::server {

std::string clean_env_value(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '"' || v.front() == '\'')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '"' || v.back() == '\'')) v.remove_suffix(1);
  return std::string(v);
}

bool env_bool(std::string_view v) {
  if (v.empty()) return false;
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"})
    if (v == f) return false;
  return true;
}

namespace {

std::optional<std::int64_t> parse_int(const std::string& s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto comma = s.find(',', start);
    std::string item = clean_env_value(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

ServerConfig ServerConfig::from_env(const Getenv& getenv_fn) {
  auto get = [&](const char* name) -> std::string {
    std::optional<std::string> v;
    if (getenv_fn) {
      v = getenv_fn(name);
    } else if (const char* e = std::getenv(name)) {
      v = std::string(e);
    }
    return v ? clean_env_value(*v) : std::string();
  };
  auto get_uint = [&](const char* name, std::int64_t def) -> std::int64_t {
    const std::string v = get(name);
    if (v.empty()) return def;
    auto n = parse_int(v);
    if (!n || *n < 0) {
      log::warn("invalid {} {:?}, using {}", name, v, def);
      return def;
    }
    return *n;
  };

  ServerConfig c;
  const std::string host = get("OLLAMA_HOST");
  if (!host.empty()) c.listen = parse_host(host);
  const std::string models = get("OLLAMA_MODELS");
  c.models_dir = models.empty() ? store::Store::default_root() : std::filesystem::path(models);
  const std::string ka = get("OLLAMA_KEEP_ALIVE");
  if (!ka.empty()) c.keep_alive = api::keep_alive_from_env(ka);
  c.max_loaded_models = static_cast<int>(get_uint("OLLAMA_MAX_LOADED_MODELS", 0));
  if (c.max_loaded_models <= 0) c.max_loaded_models = 3;
  c.num_parallel = static_cast<int>(get_uint("OLLAMA_NUM_PARALLEL", 0));
  if (c.num_parallel <= 0) c.num_parallel = 1;
  c.max_queue = static_cast<int>(get_uint("OLLAMA_MAX_QUEUE", 512));
  if (c.max_queue <= 0) c.max_queue = 512;
  c.origins = split_list(get("OLLAMA_ORIGINS"));
  const std::string kv = get("OLLAMA_KV_CACHE_TYPE");
  if (kv.empty() || kv == "f16") {
    c.kv_type = kernels::KvType::f16;
  } else if (kv == "q8_0") {
    c.kv_type = kernels::KvType::q8_0;
  } else if (kv == "f32") {
    c.kv_type = kernels::KvType::f32;
  } else if (kv == "q4_0") {
    log::warn("OLLAMA_KV_CACHE_TYPE q4_0 is not supported by this engine; using q8_0");
    c.kv_type = kernels::KvType::q8_0;
  } else {
    log::warn("invalid OLLAMA_KV_CACHE_TYPE {:?}; using f16", kv);
  }
  const std::int64_t ctx = get_uint("OLLAMA_CONTEXT_LENGTH", 0);
  c.context_length = ctx > 0 ? ctx : 4096;
  const std::string debug = get("OLLAMA_DEBUG");
  c.debug = env_bool(debug);
  c.noprune = env_bool(get("OLLAMA_NOPRUNE"));
  c.api_keys = split_list(get("CORRAL_API_KEYS"));
  c.http_threads = static_cast<int>(get_uint("CORRAL_HTTP_THREADS", 64));
  if (c.http_threads < 4) c.http_threads = 4;
  const std::int64_t mb = get_uint("CORRAL_MAX_REQUEST_MB", 256);
  if (mb > 0) c.max_request_bytes = static_cast<std::size_t>(mb) << 20;
  c.num_threads = static_cast<int>(get_uint("CORRAL_NUM_THREADS", 0));
  return c;
}

}  // namespace corral::server
