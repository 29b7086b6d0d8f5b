// WWW-Authenticate parsing: a small cursor over the header with RFC 7230
// token / quoted-string rules.
#include "registry/www_authenticate.h"

#include "util/error.h"

namespace corral::registry {
namespace {

bool is_tchar(char c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  return c != '\0' && std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token68_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '+' || c == '/';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string describe(char c) {
  const auto u = static_cast<unsigned char>(c);
  if (u >= 0x21 && u < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", u);
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  std::size_t pos() const { return i_; }
  void seek(std::size_t p) { i_ = p; }
  void skip_ows() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  void skip_ows_and_commas() {
    while (!done() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ',')) ++i_;
  }
  std::string_view token() {
    const std::size_t start = i_;
    while (!done() && is_tchar(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }
  std::string_view token68() {
    const std::size_t start = i_;
    while (!done() && is_token68_char(s_[i_])) ++i_;
    while (!done() && s_[i_] == '=') ++i_;
    return s_.substr(start, i_ - start);
  }
  std::string quoted() {
    ++i_;  // opening quote
    std::string out;
    while (true) {
      if (done()) fail("WWW-Authenticate: unterminated quoted string");
      const char c = s_[i_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (done()) fail("WWW-Authenticate: unterminated quoted string");
        out += s_[i_++];
      } else {
        out += c;
      }
    }
  }
  [[noreturn]] void unexpected() const { fail("WWW-Authenticate: unexpected {} at offset {}", describe(peek()), i_); }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

// After a token at the cursor: is it "name = value" (an auth-param)?
bool param_follows(Cursor& c) {
  const std::size_t save = c.pos();
  const std::string_view name = c.token();
  bool is_param = false;
  if (!name.empty()) {
    c.skip_ows();
    if (c.peek() == '=') {
      c.seek(c.pos() + 1);
      c.skip_ows();
      // "x=" followed by the end, a comma or another '=' is token68 padding.
      is_param = !c.done() && c.peek() != ',' && c.peek() != '=';
    }
  }
  c.seek(save);
  return is_param;
}

std::pair<std::string, std::string> read_param(Cursor& c) {
  const std::string name = lower(c.token());
  c.skip_ows();
  c.seek(c.pos() + 1);  // '=' (checked by param_follows)
  c.skip_ows();
  std::string value;
  if (c.peek() == '"') {
    value = c.quoted();
  } else {
    value = std::string(c.token());
    if (value.empty()) c.unexpected();
  }
  return {name, value};
}

}  // namespace

std::optional<std::string> AuthChallenge::param(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return v;
  return std::nullopt;
}

std::vector<AuthChallenge> parse_www_authenticate(std::string_view header) {
  if (header.size() > kMaxChallengeHeader)
    fail("WWW-Authenticate: header of {} bytes is longer than {}", header.size(), kMaxChallengeHeader);
  std::vector<AuthChallenge> out;
  Cursor c(header);
  c.skip_ows_and_commas();
  while (!c.done()) {
    if (param_follows(c)) fail("WWW-Authenticate: parameter before any auth scheme at offset {}", c.pos());
    const std::string_view scheme = c.token();
    if (scheme.empty()) c.unexpected();
    AuthChallenge ch;
    ch.scheme = lower(scheme);
    c.skip_ows();
    // A token68 or the first parameter may follow the scheme directly.
    if (!c.done() && c.peek() != ',') {
      if (param_follows(c)) {
        ch.params.push_back(read_param(c));
      } else {
        const std::string_view t = c.token68();
        if (t.empty()) c.unexpected();
        ch.token68 = std::string(t);
      }
    }
    // Further parameters, each after a comma; a token not followed by '='
    // starts the next challenge.
    while (true) {
      c.skip_ows();
      if (c.done()) break;
      if (c.peek() != ',') c.unexpected();
      c.skip_ows_and_commas();
      if (c.done() || !param_follows(c)) break;
      if (!ch.token68.empty()) fail("WWW-Authenticate: parameters after a token68 at offset {}", c.pos());
      ch.params.push_back(read_param(c));
    }
    out.push_back(std::move(ch));
  }
  return out;
}

std::optional<BearerChallenge> find_bearer(const std::vector<AuthChallenge>& challenges) {
  for (const auto& ch : challenges) {
    if (ch.scheme != "bearer") continue;
    const auto realm = ch.param("realm");
    if (!realm || realm->empty()) continue;
    BearerChallenge b;
    b.realm = *realm;
    b.service = ch.param("service").value_or("");
    b.scope = ch.param("scope").value_or("");
    return b;
  }
  return std::nullopt;
}

}  // namespace corral::registry
