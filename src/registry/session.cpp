// Session: URLs, credentials, the token flow, retries and error texts.
#include "registry/session.h"

#include <openssl/rand.h>

#include <nlohmann/json.hpp>

#include "util/base64.h"
#include "registry/retry.h"
#include "registry/url.h"
#include "util/log.h"
#include "util/sha256.h"

namespace corral::registry {
namespace {

constexpr std::size_t kMaxTokenResponse = 64 * 1024;

std::string printable_prefix(std::string_view s, std::size_t max) {
  std::string out;
  for (const char c : s.substr(0, max)) {
    const auto u = static_cast<unsigned char>(c);
    out += (u == '\n' || u == '\r' || u == '\t') ? ' ' : (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (s.size() > max) out += "...";
  return out;
}

std::vector<std::string> split_spaces(std::string_view s) {
  // Go's strings.Split(s, " "): empty pieces kept (so "" gives one "").
  std::vector<std::string> out;
  while (true) {
    const auto sp = s.find(' ');
    out.emplace_back(s.substr(0, sp));
    if (sp == std::string_view::npos) break;
    s.remove_prefix(sp + 1);
  }
  return out;
}

std::string nonce() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) fail("no random bytes for the token nonce");
  return base64url_encode_nopad(std::string_view(reinterpret_cast<const char*>(bytes), sizeof bytes));
}

}  // namespace

std::string default_user_agent() {
#ifdef CORRAL_VERSION
  return "corral/" CORRAL_VERSION " (amd64 linux)";
#else
  return "corral (amd64 linux)";
#endif
}

std::string describe_http_error(const HttpResponse& response) {
  std::string message;
  try {
    const auto j = nlohmann::json::parse(response.body);
    if (j.is_object() && j.contains("errors") && j["errors"].is_array()) {
      for (const auto& e : j["errors"]) {
        if (!e.is_object()) continue;
        std::string one;
        if (e.contains("code") && e["code"].is_string()) one = e["code"].get<std::string>();
        if (e.contains("message") && e["message"].is_string()) {
          if (!one.empty()) one += ": ";
          one += e["message"].get<std::string>();
        }
        if (one.empty()) continue;
        if (!message.empty()) message += "; ";
        message += one;
      }
    } else if (j.is_object() && j.contains("error") && j["error"].is_string()) {
      message = j["error"].get<std::string>();
    }
  } catch (const nlohmann::json::exception&) {
  }
  if (message.empty()) message = response.body;
  message = printable_prefix(message, 400);
  if (message.empty()) return std::to_string(response.status);
  return fmt::format("{}: {}", response.status, message);
}

Session::Session(const store::ModelName& name, const TransferOptions& options, const std::atomic<bool>* cancel,
                 std::string action)
    : options_(options), cancel_(cancel), action_(std::move(action)), name_(name) {
  if (!name.is_valid()) fail("invalid model name \"{}\": {}", name.to_string(), name.invalid_reason());
  std::string scheme = name.scheme.empty() ? "https" : name.scheme;
  if (scheme != "http" && scheme != "https") fail("unsupported protocol \"{}\" in model name", scheme);
  if (scheme == "http" && !options.insecure) fail("insecure protocol http");
  if (options.insecure) scheme = "http";  // as Ollama: --insecure talks plain http
  base_url_ = scheme + "://" + name.host;
  registry_authority_ = url_authority(base_url_);
  if (options_.max_attempts < 1) options_.max_attempts = 1;
  settings_.connect_timeout = options.connect_timeout;
  settings_.stall_timeout = options.stall_timeout;
  settings_.allow_http = options.insecure;
  settings_.user_agent = options.user_agent.empty() ? default_user_agent() : options.user_agent;
  settings_.cancel = cancel;
  settings_.share = connections_.get();
}

std::string Session::repository_url(std::string_view rest) const {
  return fmt::format("{}/v2/{}/{}/{}", base_url_, name_.ns, name_.model, rest);
}

std::string Session::authorization_header(std::string_view url) const {
  if (bearer_token_.empty() && basic_credentials_.empty()) return {};
  std::string authority;
  try {
    authority = url_authority(url);
  } catch (const Error&) {
    return {};
  }
  if (authority != registry_authority_) return {};
  if (!bearer_token_.empty()) return "Authorization: Bearer " + bearer_token_;
  return "Authorization: Basic " + basic_credentials_;
}

void Session::check_cancel() const {
  if (cancel_ && cancel_->load()) cancelled();
}

void Session::cancelled() const { throw CancelledError(action_ + " cancelled"); }

HttpResponse Session::send(const HttpRequest& request, bool retry) {
  int attempt = 0;
  bool reauthenticated = false;
  while (true) {
    check_cancel();
    HttpRequest r = request;
    if (const std::string auth = authorization_header(r.url); !auth.empty()) r.headers.push_back(auth);
    HttpResponse resp;
    try {
      resp = http_perform(r, settings_);
    } catch (const RequestCancelled&) {
      cancelled();
    } catch (const TransportError& e) {
      ++attempt;
      if (!retry) throw;
      if (attempt >= options_.max_attempts) fail("max retries exceeded: {}", e.what());
      log::info("registry: {} (attempt {} of {}), retrying", e.what(), attempt, options_.max_attempts);
      if (!sleep_unless_cancelled(backoff_delay(options_.retry_delay, attempt), cancel_)) cancelled();
      continue;
    }
    if (resp.status == 401) {
      if (reauthenticated) throw UnauthorizedError();
      authenticate(resp.headers, r.url);
      reauthenticated = true;
      continue;
    }
    if (retry && is_retryable_status(resp.status) && attempt + 1 < options_.max_attempts) {
      ++attempt;
      log::info("registry: {} {} answered {}, retrying", r.method, url_without_query(r.url), resp.status);
      if (!sleep_unless_cancelled(backoff_delay(options_.retry_delay, attempt), cancel_)) cancelled();
      continue;
    }
    return resp;
  }
}

void Session::authenticate(const HttpHeaders& headers, std::string_view request_url) {
  const auto header = headers.get("www-authenticate");
  if (!header) throw UnauthorizedError();
  std::vector<AuthChallenge> challenges;
  try {
    challenges = parse_www_authenticate(*header);
  } catch (const Error& e) {
    fail("{}: {}", url_without_query(request_url), e.what());
  }
  if (const auto bearer = find_bearer(challenges)) {
    bearer_token_ = fetch_token(*bearer, request_url);
    return;
  }
  for (const auto& ch : challenges) {
    if (ch.scheme == "basic" && !options_.username.empty()) {
      basic_credentials_ = base64_encode(options_.username + ":" + options_.password);
      bearer_token_.clear();
      return;
    }
  }
  throw UnauthorizedError();
}

const Identity* Session::identity() {
  if (!identity_loaded_) {
    identity_loaded_ = true;
    const auto path = options_.identity_path.empty() ? default_identity_path() : options_.identity_path;
    if (!path.empty()) {
      try {
        identity_ = load_identity(path);
      } catch (const Error& e) {
        log::warn("registry: not signing token requests: {}", e.what());
      }
    }
  }
  return identity_ ? &*identity_ : nullptr;
}

std::string Session::fetch_token(const BearerChallenge& challenge, std::string_view request_url) {
  const UrlParts realm = parse_url(challenge.realm);
  if (realm.scheme == "http" && !options_.insecure)
    fail("token realm \"{}\" is not https (use insecure to allow it)", url_without_query(challenge.realm));
  // The query Ollama builds: the realm's own parameters, service, each scope,
  // ts and nonce, sorted by key (Go's url.Values.Encode).
  auto values = parse_query(realm.query);
  values.emplace_back("service", challenge.service);
  for (auto& s : split_spaces(challenge.scope)) values.emplace_back("scope", std::move(s));
  values.emplace_back("ts", std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                               std::chrono::system_clock::now().time_since_epoch())
                                               .count()));
  values.emplace_back("nonce", nonce());
  const std::string authority = realm.port.empty() ? realm.host : realm.host + ":" + realm.port;
  const std::string url = realm.scheme + "://" + authority + realm.path + "?" + encode_query(values);

  HttpRequest req;
  req.url = url;
  req.max_response_body = kMaxTokenResponse;
  // Sign only for the registry's own host (Ollama refuses any other realm
  // host; a foreign realm gets an anonymous or Basic request instead).
  std::string request_authority;
  try {
    request_authority = url_authority(request_url);
  } catch (const Error&) {
  }
  const bool same_host = authority == request_authority || authority == registry_authority_;
  if (same_host && identity()) {
    const std::string data = fmt::format("GET,{},{}", url, base64_encode(sha256_hex("")));
    req.headers.push_back("Authorization: " + identity()->authorization(data));
  } else if (!options_.username.empty()) {
    req.headers.push_back("Authorization: Basic " + base64_encode(options_.username + ":" + options_.password));
  }

  HttpResponse resp;
  for (int attempt = 1;; ++attempt) {
    check_cancel();
    try {
      resp = http_perform(req, settings_);
    } catch (const RequestCancelled&) {
      cancelled();
    } catch (const TransportError& e) {
      if (attempt >= options_.max_attempts) fail("max retries exceeded: {}", e.what());
      if (!sleep_unless_cancelled(backoff_delay(options_.retry_delay, attempt), cancel_)) cancelled();
      continue;
    }
    if (is_retryable_status(resp.status) && attempt < options_.max_attempts) {
      if (!sleep_unless_cancelled(backoff_delay(options_.retry_delay, attempt), cancel_)) cancelled();
      continue;
    }
    break;
  }
  if (resp.status == 401 || resp.status == 403) throw UnauthorizedError();
  if (resp.status >= 400) fail("token request to {}: {}", url_without_query(url), describe_http_error(resp));
  std::string token;
  try {
    const auto j = nlohmann::json::parse(resp.body);
    if (j.is_object()) {
      if (j.contains("token") && j["token"].is_string()) token = j["token"].get<std::string>();
      if (token.empty() && j.contains("access_token") && j["access_token"].is_string())
        token = j["access_token"].get<std::string>();
    }
  } catch (const nlohmann::json::exception&) {
    fail("token request to {}: the answer is not JSON", url_without_query(url));
  }
  if (token.empty()) fail("token request to {}: the answer holds no token", url_without_query(url));
  for (const char c : token)
    if (static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e)
      fail("token request to {}: the token holds characters not allowed in a header", url_without_query(url));
  return token;
}

}  // namespace corral::registry
