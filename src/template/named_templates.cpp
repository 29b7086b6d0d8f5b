// Loads the embedded named templates, stop lists and Jinja catalogue.
#include "template/named_templates.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "template/gotmpl/go_json.h"
#include "template/named_templates_data.h"
#include "template/text_util.h"
#include "util/error.h"

namespace corral::tmpl {

namespace {

struct Catalogue {
  std::vector<NamedTemplate> named;
  std::vector<KnownChatTemplate> known;
};

std::string_view file_text(const EmbeddedFile& f) {
  return {reinterpret_cast<const char*>(f.data), f.size};
}

Catalogue load() {
  Catalogue c;
  std::vector<std::pair<std::string, std::string>> jinja;  // path, text
  for (std::size_t i = 0; i < kEmbeddedNamedFileCount; ++i) {
    const EmbeddedFile& f = kEmbeddedNamedFiles[i];
    std::string path = f.path;
    if (path.ends_with(".gotmpl")) {
      NamedTemplate t;
      t.name = path.substr(0, path.size() - 7);
      t.go_template = replace_all(file_text(f), "\r\n", "\n");
      c.named.push_back(std::move(t));
    } else if (path.starts_with("jinja/") && path.ends_with(".jinja")) {
      jinja.emplace_back(path, std::string(file_text(f)));
    }
  }
  for (auto& t : c.named) {
    for (std::size_t i = 0; i < kEmbeddedNamedFileCount; ++i) {
      const EmbeddedFile& f = kEmbeddedNamedFiles[i];
      if (std::string(f.path) != t.name + ".json") continue;
      auto j = nlohmann::json::parse(file_text(f));
      for (const auto& s : j.at("stop")) t.stop.push_back(s.get<std::string>());
    }
  }
  std::sort(c.named.begin(), c.named.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  // jinja/NN-name.jinja, in NN order (the order of Ollama's index).
  std::sort(jinja.begin(), jinja.end());
  for (auto& [path, text] : jinja) {
    std::string stem = path.substr(6, path.size() - 6 - 6);
    std::size_t dash = stem.find('-');
    KnownChatTemplate k;
    k.name = dash == std::string::npos ? stem : stem.substr(dash + 1);
    // The files end with one newline added for editing; the template is the text before it.
    if (text.ends_with("\n")) text.pop_back();
    k.jinja = std::move(text);
    c.known.push_back(std::move(k));
  }
  return c;
}

const Catalogue& catalogue() {
  static const Catalogue c = load();
  return c;
}

std::u32string code_points(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + static_cast<std::size_t>(len) <= s.size();
    char32_t cp = 0;
    if (ok) {
      cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
      for (int k = 1; k < len && ok; ++k) {
        unsigned char c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((c & 0xC0) != 0x80) ok = false;
        cp = (cp << 6) | (c & 0x3F);
      }
    }
    if (!ok) {
      out.push_back(0xFFFD);  // Go decodes an invalid byte as U+FFFD
      ++i;
    } else {
      out.push_back(cp);
      i += static_cast<std::size_t>(len);
    }
  }
  return out;
}

}  // namespace

std::string NamedTemplate::params_json() const {
  std::string out = "{\"stop\":[";
  for (std::size_t i = 0; i < stop.size(); ++i) {
    if (i > 0) out += ',';
    out += gotmpl::go_json_quote(stop[i]);
  }
  return out + "]}\n";
}

const std::vector<NamedTemplate>& named_templates() { return catalogue().named; }

const NamedTemplate* find_named_template(std::string_view name) {
  for (const auto& t : catalogue().named)
    if (t.name == name) return &t;
  return nullptr;
}

const std::vector<KnownChatTemplate>& known_chat_templates() { return catalogue().known; }

std::size_t levenshtein(std::string_view a8, std::string_view b8, std::size_t limit) {
  std::u32string a = code_points(a8), b = code_points(b8);
  std::size_t n = a.size(), m = b.size();
  std::size_t diff = n > m ? n - m : m - n;
  if (diff >= limit) return limit;
  if (n == 0 || m == 0) return std::max(n, m);
  // Only cells with |i - j| < limit can lie on a path cheaper than limit.
  const std::size_t inf = limit;
  std::vector<std::size_t> prev(m + 1, inf), cur(m + 1, inf);
  for (std::size_t j = 0; j <= m && j < limit; ++j) prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    std::size_t lo = i >= limit ? i - limit + 1 : 1;
    std::size_t hi = std::min(m, i + limit - 1);
    std::size_t row_min = inf;
    if (lo == 1) {
      cur[0] = i < limit ? i : inf;
      row_min = cur[0];
    } else {
      cur[lo - 1] = inf;
    }
    for (std::size_t j = lo; j <= hi; ++j) {
      std::size_t best = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      best = std::min(best, prev[j] + 1);
      best = std::min(best, cur[j - 1] + 1);
      cur[j] = std::min(best, inf);
      row_min = std::min(row_min, cur[j]);
    }
    if (hi + 1 <= m) cur[hi + 1] = inf;
    if (row_min >= limit) return limit;
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit);
}

std::optional<DetectedTemplate> detect_named_template(std::string_view chat_template) {
  constexpr std::size_t kThreshold = 100;
  std::size_t best = kThreshold;
  const KnownChatTemplate* found = nullptr;
  for (const auto& k : catalogue().known) {
    std::size_t d = levenshtein(chat_template, k.jinja, best);
    if (d < best) {
      best = d;
      found = &k;
    }
  }
  if (!found) return std::nullopt;
  const NamedTemplate* named = find_named_template(found->name);
  if (!named) fail("named template {} is missing", found->name);
  return DetectedTemplate{named, best};
}

}  // namespace corral::tmpl
