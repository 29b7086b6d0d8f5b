// Model names as Ollama parses them: [scheme://][host/][namespace/]model[:tag]
// with defaults registry.ollama.ai / library / latest, the per-part character
// and length rules, the display forms, and the 4-level manifest path. A name
// that passes is_valid() cannot escape the manifests directory: every part
// starts with [A-Za-z0-9_], holds no '/', and is at most 350 bytes.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace corral::store {

inline constexpr std::string_view kDefaultHost = "registry.ollama.ai";
inline constexpr std::string_view kDefaultNamespace = "library";
inline constexpr std::string_view kDefaultTag = "latest";
inline constexpr std::string_view kDefaultScheme = "https";
// Marks a part that a separator promised but that was empty ("m:", "/m").
inline constexpr std::string_view kMissingPart = "!MISSING!";

struct ModelName {
  std::string scheme;
  std::string host;
  std::string ns;
  std::string model;
  std::string tag;

  // Ollama's ParseName: parse, then fill the empty parts with the defaults.
  static ModelName parse(std::string_view s);
  // Ollama's ParseNameBare: parse without defaults.
  static ModelName parse_bare(std::string_view s);
  // Parses "host/namespace/model/tag" (a path relative to manifests/);
  // nullopt unless it has exactly four valid parts.
  static std::optional<ModelName> from_filepath(std::string_view relative);

  // All four of host, namespace, model and tag present and valid.
  bool is_valid() const;
  // Why the name is invalid, naming the part ("" when valid).
  std::string invalid_reason() const;

  // "host/namespace/model:tag" (the parts that are set).
  std::string to_string() const;
  // Ollama's DisplayShortest: "model:tag" for registry.ollama.ai/library,
  // "namespace/model:tag" for other namespaces on registry.ollama.ai,
  // otherwise the full "host/namespace/model:tag".
  std::string display_shortest() const;
  // "namespace/model" (the registry repository path).
  std::string namespace_model() const;
  // host/namespace/model/tag as a relative path. Throws Error unless valid.
  std::filesystem::path filepath() const;

  bool equal_fold(const ModelName& o) const;
  bool operator==(const ModelName&) const = default;
};

// Parses with defaults and throws Error("invalid model name \"...\": <reason>")
// when the result is not valid.
ModelName parse_model_name(std::string_view s);

// Part validity rules, exposed for tests and for namespace checks.
enum class NamePart { host, ns, model, tag };
bool is_valid_name_part(NamePart kind, std::string_view s);

// ASCII case-insensitive equality (names are ASCII once valid).
bool equal_fold(std::string_view a, std::string_view b);

}  // namespace corral::store
