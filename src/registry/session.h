// Session: everything one pull or push says to one registry. It builds the
// URLs (<scheme>://<host>/v2/<namespace>/<model>/...), sends requests with
// the credentials it holds (only to the registry's own host), answers a 401
// by reading the WWW-Authenticate challenge and fetching a token (signed
// with the ed25519 identity as Ollama does, or anonymous / Basic), retries
// transport failures and 5xx/429 with backoff, and turns registry error
// bodies into readable messages.
#pragma once

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

#include "registry/http_client.h"
#include "registry/identity.h"
#include "registry/registry.h"
#include "registry/www_authenticate.h"
#include "store/name.h"

namespace corral::registry {

class Session {
 public:
  // action: "pull" or "push" (named in errors and token scopes' logs).
  // Throws Error("insecure protocol http") for an http name without insecure.
  Session(const store::ModelName& name, const TransferOptions& options, const std::atomic<bool>* cancel,
          std::string action);

  const TransferOptions& options() const { return options_; }
  const HttpSettings& settings() const { return settings_; }
  const std::atomic<bool>* cancel() const { return cancel_; }
  const std::string& base_url() const { return base_url_; }

  // <base>/v2/<namespace>/<model>/<rest>
  std::string repository_url(std::string_view rest) const;
  std::string manifest_url(std::string_view tag) const { return repository_url("manifests/" + std::string(tag)); }
  std::string blob_url(std::string_view digest) const { return repository_url("blobs/" + std::string(digest)); }

  // "Authorization: ..." for a request to `url` when it goes to the registry
  // host and credentials are held; "" otherwise.
  std::string authorization_header(std::string_view url) const;

  // Sends a request with credentials; a 401 gets one fresh token and one
  // more try (then UnauthorizedError). With `retry`, transport errors and
  // retryable statuses are tried up to max_attempts times with backoff
  // (transport errors then end as "max retries exceeded: ..."). Any other
  // status is returned.
  HttpResponse send(const HttpRequest& request, bool retry = true);

  // Obtains new credentials from a 401 response's challenge (for requests
  // made outside send(), such as the parallel downloader's).
  void authenticate(const HttpHeaders& headers, std::string_view request_url);

  // Throws CancelledError("<action> cancelled") when the flag is raised.
  void check_cancel() const;
  [[noreturn]] void cancelled() const;

 private:
  std::string fetch_token(const BearerChallenge& challenge, std::string_view request_url);
  const Identity* identity();

  TransferOptions options_;
  ConnectionCache connections_;
  HttpSettings settings_;
  const std::atomic<bool>* cancel_;
  std::string action_;
  store::ModelName name_;
  std::string base_url_;
  std::string registry_authority_;
  std::string bearer_token_;
  std::string basic_credentials_;  // base64(user:password) after a Basic challenge
  bool identity_loaded_ = false;
  std::optional<Identity> identity_;
};

// "<status>: <message>" for an error response: the registry's JSON
// {"errors":[{"code","message"}]} when present, else the start of the body.
std::string describe_http_error(const HttpResponse& response);

// User agent sent when the options give none.
std::string default_user_agent();

}  // namespace corral::registry
