// Model name parsing, validation and display, following Ollama's
// types/model/name.go rules exactly.
#include "store/name.h"

#include "util/error.h"

namespace corral::store {
namespace {

struct Cut {
  std::string_view before;
  std::string_view after;
  bool found = false;
};

// Cuts s at the last occurrence of sep; an empty side becomes kMissingPart.
Cut cut_promised(std::string_view s, std::string_view sep) {
  const auto i = s.rfind(sep);
  if (i == std::string_view::npos) return {s, {}, false};
  Cut c{s.substr(0, i), s.substr(i + sep.size()), true};
  if (c.before.empty()) c.before = kMissingPart;
  if (c.after.empty()) c.after = kMissingPart;
  return c;
}

bool is_alnum_or_underscore(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

std::size_t max_len(NamePart kind) { return kind == NamePart::host ? 350 : 80; }

std::string_view part_label(NamePart kind) {
  switch (kind) {
    case NamePart::host: return "host";
    case NamePart::ns: return "namespace";
    case NamePart::model: return "model";
    case NamePart::tag: return "tag";
  }
  return "part";
}

// Printable rendering of a possibly hostile string for error messages.
std::string shown(std::string_view s) {
  std::string out;
  const std::size_t limit = 120;
  for (std::size_t i = 0; i < s.size() && i < limit; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f)
      out += fmt::format("\\x{:02x}", c);
    else
      out.push_back(static_cast<char>(c));
  }
  if (s.size() > limit) out += "...";
  return out;
}

}  // namespace

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool is_valid_name_part(NamePart kind, std::string_view s) {
  if (s.empty() || s.size() > max_len(kind)) return false;
  if (!is_alnum_or_underscore(s[0])) return false;
  for (std::size_t i = 1; i < s.size(); ++i) {
    const char c = s[i];
    if (is_alnum_or_underscore(c) || c == '-') continue;
    if (c == '.' && kind != NamePart::ns) continue;
    if (c == ':' && kind == NamePart::host) continue;
    return false;
  }
  return true;
}

ModelName ModelName::parse_bare(std::string_view s) {
  ModelName n;
  // '/' cannot occur in a tag, so a ':' after the last '/' starts the tag.
  const auto colon = s.rfind(':');
  const auto slash = s.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    Cut c = cut_promised(s, ":");
    s = c.before;
    n.tag = std::string(c.after);
  }
  Cut m = cut_promised(s, "/");
  if (!m.found) {
    n.model = std::string(s);
    return n;
  }
  n.model = std::string(m.after);
  Cut ns = cut_promised(m.before, "/");
  if (!ns.found) {
    n.ns = std::string(m.before);
    return n;
  }
  n.ns = std::string(ns.after);
  std::string_view rest = ns.before;
  const auto scheme_end = rest.find("://");
  if (scheme_end != std::string_view::npos) {
    n.scheme = std::string(rest.substr(0, scheme_end));
    rest = rest.substr(scheme_end + 3);
  }
  n.host = std::string(rest);
  return n;
}

ModelName ModelName::parse(std::string_view s) {
  ModelName n = parse_bare(s);
  if (n.host.empty()) n.host = kDefaultHost;
  if (n.ns.empty()) n.ns = kDefaultNamespace;
  if (n.tag.empty()) n.tag = kDefaultTag;
  if (n.scheme.empty()) n.scheme = kDefaultScheme;
  return n;
}

std::optional<ModelName> ModelName::from_filepath(std::string_view rel) {
  ModelName n;
  std::string* parts[] = {&n.host, &n.ns, &n.model, &n.tag};
  std::size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    const auto end = rel.find('/', start);
    if (i < 3) {
      if (end == std::string_view::npos) return std::nullopt;
      *parts[i] = std::string(rel.substr(start, end - start));
      start = end + 1;
    } else {
      if (end != std::string_view::npos) return std::nullopt;
      *parts[i] = std::string(rel.substr(start));
    }
  }
  if (!n.is_valid()) return std::nullopt;
  return n;
}

bool ModelName::is_valid() const {
  return is_valid_name_part(NamePart::host, host) && is_valid_name_part(NamePart::ns, ns) &&
         is_valid_name_part(NamePart::model, model) && is_valid_name_part(NamePart::tag, tag);
}

std::string ModelName::invalid_reason() const {
  const std::pair<NamePart, const std::string*> parts[] = {
      {NamePart::host, &host}, {NamePart::ns, &ns}, {NamePart::model, &model}, {NamePart::tag, &tag}};
  for (const auto& [kind, value] : parts) {
    if (is_valid_name_part(kind, *value)) continue;
    const auto label = part_label(kind);
    if (value->empty() || *value == kMissingPart) return fmt::format("{} is missing", label);
    if (value->size() > max_len(kind))
      return fmt::format("{} is {} bytes long (at most {})", label, value->size(), max_len(kind));
    if (!is_alnum_or_underscore((*value)[0]))
      return fmt::format("{} \"{}\" must start with a letter, digit or '_'", label, shown(*value));
    std::string_view allowed = kind == NamePart::host ? "letters, digits, '_', '-', '.' and ':'"
                               : kind == NamePart::ns ? "letters, digits, '_' and '-'"
                                                      : "letters, digits, '_', '-' and '.'";
    return fmt::format("{} \"{}\" may only contain {}", label, shown(*value), allowed);
  }
  return {};
}

std::string ModelName::to_string() const {
  std::string s;
  if (!host.empty()) s += host + "/";
  if (!ns.empty()) s += ns + "/";
  s += model;
  if (!tag.empty()) s += ":" + tag;
  return s;
}

std::string ModelName::display_shortest() const {
  std::string s;
  if (!store::equal_fold(host, kDefaultHost))
    s = host + "/" + ns + "/";
  else if (!store::equal_fold(ns, kDefaultNamespace))
    s = ns + "/";
  s += model + ":" + tag;
  return s;
}

std::string ModelName::namespace_model() const { return ns + "/" + model; }

std::filesystem::path ModelName::filepath() const {
  if (!is_valid()) fail("invalid model name \"{}\": {}", shown(to_string()), invalid_reason());
  return std::filesystem::path(host) / ns / model / tag;
}

bool ModelName::equal_fold(const ModelName& o) const {
  return store::equal_fold(host, o.host) && store::equal_fold(ns, o.ns) && store::equal_fold(model, o.model) &&
         store::equal_fold(tag, o.tag);
}

ModelName parse_model_name(std::string_view s) {
  ModelName n = ModelName::parse(s);
  if (!n.is_valid()) fail("invalid model name \"{}\": {}", shown(s), n.invalid_reason());
  return n;
}

}  // namespace corral::store
