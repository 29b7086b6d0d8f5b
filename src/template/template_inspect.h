// Walks over a parsed Go template that Ollama performs: the identifiers it
// uses (Vars), cutting the tree after {{ .Response }} (legacy final turn),
// the tool-call tag (first text inside the {{ if ...ToolCalls }} block) and
// the thinking tags (text around {{ .Thinking }} inside a range over
// .Messages).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "template/gotmpl/template.h"

namespace corral::tmpl {

// Field and variable identifiers of every named template, lower-cased,
// sorted and unique ("$" and "$x" included). Throws corral::Error for
// {{ template "x" }} without a pipeline ("undefined template specified").
std::vector<std::string> template_vars(const gotmpl::Template& t);

// A copy of `root` with everything after the first {{ .Response }} field
// removed (Ollama's deleteNode), so execution stops where generation starts.
std::unique_ptr<gotmpl::ListNode> cut_after_response(const gotmpl::ListNode& root);

// The tool-call tag of a template ("<tool_call>", "[TOOL_CALLS]", ...), or
// "{" when none can be inferred (then raw JSON objects are parsed).
std::string infer_tool_call_tag(const gotmpl::Template& t);

// The (opening, closing) thinking tags, empty strings when not inferable.
std::pair<std::string, std::string> infer_thinking_tags(const gotmpl::Template& t);

}  // namespace corral::tmpl
