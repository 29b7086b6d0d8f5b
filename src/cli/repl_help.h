// The REPL's help texts: /?, /? set, /? show, /? shortcuts, and the
// parameter list shown by a bare /set parameter.
#pragma once

#include <string>

namespace corral::cli {

std::string repl_usage();
std::string repl_usage_set();
std::string repl_usage_show();
std::string repl_usage_shortcuts();
std::string repl_usage_parameters();

}  // namespace corral::cli
