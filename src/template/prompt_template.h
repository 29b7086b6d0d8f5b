// corral::tmpl::PromptTemplate: a model's TEMPLATE as Ollama parses and
// executes it (template/template.go): Go template with Ollama's functions
// and missingkey=zero; `{{ .Response }}` appended when the template uses
// neither .Messages nor .Response; execution in FIM, messages or legacy
// (turn-by-turn, final turn cut after {{ .Response }}) mode.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "template/gotmpl/template.h"
#include "template/prompt_data.h"

namespace corral::tmpl {

class PromptTemplate {
 public:
  // Parses TEMPLATE text; throws corral::Error (Go's message) when invalid.
  static PromptTemplate parse(std::string_view text);
  // "{{ .Prompt }}", what models without a TEMPLATE get.
  static const PromptTemplate& default_template();

  // Renders a prompt. Throws corral::Error on execution errors, including
  // templates that exceed the limits (runaway loops, huge outputs).
  std::string execute(const Values& values, const gotmpl::ExecLimits& limits = {}) const;

  const std::string& raw() const { return raw_; }  // the text as given
  const std::vector<std::string>& vars() const { return vars_; }
  bool uses(std::string_view var) const;  // a lower-cased Vars() entry
  bool contains(std::string_view s) const { return raw_.find(s) != std::string::npos; }
  const gotmpl::Template& go() const { return tmpl_; }

 private:
  std::string raw_;
  gotmpl::Template tmpl_;
  std::vector<std::string> vars_;
};

// Merges consecutive messages of the same role (except "tool") with
// "\n\n"; returns all system contents joined with "\n\n" and the merged list.
std::pair<std::string, std::vector<Message>> collate(const std::vector<Message>& messages);

}  // namespace corral::tmpl
