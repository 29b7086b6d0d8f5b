// corral::gotmpl::Template: a parsed Go text/template and its execution.
// Parse with Go's grammar and errors; execute over gotmpl::Value data with
// Go's semantics (missingkey=zero, Go truthiness and printing, builtins
// and/or/not/len/index/slice/print/printf/println/html/js/urlquery/eq/ne/
// lt/le/gt/ge/call) plus caller-supplied functions. Execution is bounded
// (output size, steps, template call depth) so hostile templates end in a
// corral::Error instead of hanging or exhausting memory.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "template/gotmpl/ast.h"
#include "template/gotmpl/parser.h"
#include "template/gotmpl/value.h"

namespace corral::gotmpl {

// A function callable from templates. Arguments arrive evaluated; a Go
// "string" parameter list (string_args) rejects non-string arguments.
struct Function {
  std::function<Value(std::span<const Value>)> call;  // throws corral::Error to fail
  int min_args = 0;
  int max_args = -1;  // -1: variadic
  bool string_args = false;
};
using FuncMap = std::map<std::string, Function, std::less<>>;

struct ExecLimits {
  std::size_t max_output_bytes = std::size_t{64} << 20;
  std::uint64_t max_steps = 20'000'000;
  int max_call_depth = 1000;
};

class Template {
 public:
  // Parses `text`; `funcs` (may be null) adds functions next to Go's builtins.
  static Template parse(std::string_view text, std::shared_ptr<const FuncMap> funcs = nullptr,
                        std::string name = "");

  // Executes the main template with `data` as dot and $.
  std::string execute(const Value& data, const ExecLimits& limits = {}) const;
  void execute_into(std::string& out, const Value& data, const ExecLimits& limits = {}) const;

  const std::string& name() const { return name_; }
  const std::string& text() const { return *text_; }
  const TreeSet& trees() const { return *trees_; }
  // The main template's root list (never null after parse).
  const ListNode& root() const;
  // A copy of this template whose main tree is `root` (the other named
  // templates are shared).
  Template with_root(std::unique_ptr<ListNode> root) const;

 private:
  std::string name_;
  std::shared_ptr<const std::string> text_;
  std::shared_ptr<const TreeSet> trees_;
  std::shared_ptr<const FuncMap> funcs_;
};

// True if `name` is one of Go's builtin template functions.
bool is_builtin_function(std::string_view name);

}  // namespace corral::gotmpl
