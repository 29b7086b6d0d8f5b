// Parsing (with the {{ .Response }} fix-up) and the three execution modes of
// Ollama prompt templates.
#include "template/prompt_template.h"

#include <algorithm>

#include "template/ollama_funcs.h"
#include "template/template_inspect.h"
#include "template/template_values.h"

namespace corral::tmpl {

using gotmpl::Value;

namespace {

std::unique_ptr<gotmpl::ActionNode> response_action(std::size_t pos, int line) {
  auto field = std::make_unique<gotmpl::FieldNode>(pos, line, std::vector<std::string>{"Response"});
  auto cmd = std::make_unique<gotmpl::CommandNode>(pos, line);
  cmd->args.push_back(std::move(field));
  auto pipe = std::make_unique<gotmpl::PipeNode>(pos, line);
  pipe->cmds.push_back(std::move(cmd));
  return std::make_unique<gotmpl::ActionNode>(pos, line, std::move(pipe));
}

Value think_entries(std::vector<Value::Entry> entries, const Values& v) {
  entries.emplace_back("Think", Value::from_bool(v.think));
  entries.emplace_back("ThinkLevel", Value::from_string(v.think_level));
  entries.emplace_back("IsThinkSet", Value::from_bool(v.is_think_set));
  return Value::map(std::move(entries));
}

}  // namespace

std::pair<std::string, std::vector<Message>> collate(const std::vector<Message>& messages) {
  std::string system;
  bool first_system = true;
  std::vector<Message> out;
  for (const auto& m : messages) {
    if (m.role == "system") {
      if (!first_system) system += "\n\n";
      system += m.content;
      first_system = false;
    }
    if (!out.empty() && out.back().role == m.role && m.role != "tool") {
      out.back().content += "\n\n" + m.content;
    } else {
      out.push_back(m);
    }
  }
  return {system, out};
}

PromptTemplate PromptTemplate::parse(std::string_view text) {
  PromptTemplate t;
  t.raw_ = std::string(text);
  t.tmpl_ = gotmpl::Template::parse(text, ollama_functions());
  t.vars_ = template_vars(t.tmpl_);
  if (!t.uses("messages") && !t.uses("response")) {
    auto root = t.tmpl_.root().copy_list();
    root->nodes.push_back(response_action(text.size(), 1));
    t.tmpl_ = t.tmpl_.with_root(std::move(root));
    t.vars_ = template_vars(t.tmpl_);
  }
  return t;
}

const PromptTemplate& PromptTemplate::default_template() {
  static const PromptTemplate t = parse("{{ .Prompt }}");
  return t;
}

bool PromptTemplate::uses(std::string_view var) const {
  return std::binary_search(vars_.begin(), vars_.end(), std::string(var));
}

std::string PromptTemplate::execute(const Values& v, const gotmpl::ExecLimits& limits) const {
  auto [system, messages] = collate(v.messages);
  if (!v.prompt.empty() && !v.suffix.empty()) {
    return tmpl_.execute(think_entries({{"Prompt", Value::from_string(v.prompt)},
                                        {"Suffix", Value::from_string(v.suffix)},
                                        {"Response", Value::from_string("")}},
                                       v),
                         limits);
  }
  if (!v.force_legacy && uses("messages")) {
    return tmpl_.execute(think_entries({{"System", Value::from_string(system)},
                                        {"Messages", messages_value(messages)},
                                        {"Tools", tools_value(v.tools)},
                                        {"Response", Value::from_string("")}},
                                       v),
                         limits);
  }

  // Legacy: one execution per completed turn, the last turn cut after {{ .Response }}.
  std::string out;
  std::string sys, prompt, response;
  auto turn_values = [&] {
    return think_entries({{"System", Value::from_string(sys)},
                          {"Prompt", Value::from_string(prompt)},
                          {"Response", Value::from_string(response)}},
                         v);
  };
  auto execute_turn = [&] {
    tmpl_.execute_into(out, turn_values(), limits);
    sys.clear();
    prompt.clear();
    response.clear();
  };
  for (const auto& m : messages) {
    if (m.role == "system") {
      if (!prompt.empty() || !response.empty()) execute_turn();
      sys = m.content;
    } else if (m.role == "user") {
      if (!response.empty()) execute_turn();
      prompt = m.content;
    } else if (m.role == "assistant") {
      response = m.content;
    }
  }
  gotmpl::Template last = tmpl_.with_root(cut_after_response(tmpl_.root()));
  last.execute_into(out, turn_values(), limits);
  return out;
}

}  // namespace corral::tmpl
