// Ollama's built-in named templates (chatml, llama3-instruct, ...): the Go
// template text and stop list of each, and the catalogue of known Jinja
// chat templates used to auto-detect a named template for a GGUF file's
// tokenizer.chat_template (Levenshtein distance < 100 to the closest entry).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace corral::tmpl {

struct NamedTemplate {
  std::string name;
  std::string go_template;        // TEMPLATE text (line endings normalised to \n)
  std::vector<std::string> stop;  // PARAMETER stop values
  // The params layer `ollama create` writes for it: {"stop":[...]} + "\n",
  // with Go's HTML escaping ("\u003c|im_start|\u003e").
  std::string params_json() const;
};

// All named templates, sorted by name.
const std::vector<NamedTemplate>& named_templates();
const NamedTemplate* find_named_template(std::string_view name);

// One entry of the detection catalogue (Ollama's template/index.json).
struct KnownChatTemplate {
  std::string name;   // named template it maps to
  std::string jinja;  // the Jinja chat template text
};
const std::vector<KnownChatTemplate>& known_chat_templates();

struct DetectedTemplate {
  const NamedTemplate* named;
  std::size_t distance;  // Levenshtein distance in code points
};
// template.Named: the named template whose known Jinja text is closest to
// `chat_template`, if that distance is below 100.
std::optional<DetectedTemplate> detect_named_template(std::string_view chat_template);

// Levenshtein distance over Unicode code points, or `limit` when the
// distance is >= limit (computed in a band, so large inputs stay cheap).
std::size_t levenshtein(std::string_view a, std::string_view b, std::size_t limit);

}  // namespace corral::tmpl
