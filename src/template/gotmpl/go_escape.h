// The escaping builtins of Go's text/template: html, js and urlquery.
#pragma once

#include <string>
#include <string_view>

namespace corral::gotmpl {

std::string go_html_escape(std::string_view s);      // template.HTMLEscapeString
std::string go_js_escape(std::string_view s);        // template.JSEscapeString
std::string go_query_escape(std::string_view s);     // url.QueryEscape

}  // namespace corral::gotmpl
