// The adapter from src/chat's ChatOutputParser to API types.
#include "server/output_parser.h"

#include "chat/chat_output_parser.h"
#include "util/log.h"

namespace corral::server {

namespace {

ParsedOutput convert(chat::ChatDelta&& d) {
  ParsedOutput out;
  out.content = std::move(d.content);
  out.thinking = std::move(d.thinking);
  for (auto& c : d.tool_calls) {
    api::ToolCall t;
    t.id = std::move(c.id);
    t.index = c.index;
    t.name = std::move(c.name);
    try {
      t.arguments = api::Json::parse(c.arguments);
      if (!t.arguments.is_object()) t.arguments = api::Json::object();
    } catch (const std::exception& e) {
      log::warn("tool call {}: arguments are not JSON: {}", t.name, e.what());
      t.arguments = api::Json::object();
    }
    out.tool_calls.push_back(std::move(t));
  }
  return out;
}

}  // namespace

OutputParser::OutputParser(const OutputParserConfig& c) {
  if (c.prompt_template)
    parser_ = std::make_unique<chat::ChatOutputParser>(
        chat::ChatOutputParser::for_request(*c.prompt_template, c.tools, c.think, c.rendered_prompt));
}

OutputParser::~OutputParser() = default;

ParsedOutput OutputParser::push(std::string_view text) {
  if (!parser_) return ParsedOutput{std::string(text), "", {}};
  return convert(parser_->add(text));
}

ParsedOutput OutputParser::finish() {
  if (!parser_) return {};
  return convert(parser_->finish());
}

}  // namespace corral::server
