// Parser for Go text/template source into the parse trees of ast.h,
// following Go's grammar and its error messages ("template: NAME:LINE: ...").
// {{define}} and {{block}} bodies become separate named trees.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "template/gotmpl/ast.h"

namespace corral::gotmpl {

using TreeSet = std::map<std::string, std::shared_ptr<Tree>, std::less<>>;

// Parses `text` as the template called `name`, adding it and every template
// it defines to `trees`. has_function says which identifiers are functions.
// Throws corral::Error on a syntax error.
void parse_templates(std::string_view name, std::string_view text,
                     const std::function<bool(std::string_view)>& has_function, TreeSet& trees);

// strconv.Unquote for "..." and `...` literals; false on bad syntax.
bool go_unquote(std::string_view quoted, std::string& out);

// True if the tree holds nothing but whitespace text (Go's parse.IsEmptyTree).
bool is_empty_tree(const Node* n);

}  // namespace corral::gotmpl
