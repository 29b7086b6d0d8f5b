// Parser from Jinja2 tokens to the syntax tree of ast.h, following Jinja's
// grammar and operator precedence (condexpr < or < and < not < compare <
// + - < ~ < * / // % < ** < unary < postfix/filters/tests).
#pragma once

#include <vector>

#include "template/jinja/ast.h"
#include "template/jinja/lexer.h"

namespace corral::jinja {

// Parses a whole template; throws corral::Error ("jinja: line N: ...").
Body parse(const std::vector<Token>& tokens);

}  // namespace corral::jinja
