// Deep copies and Go-style String() of template parse nodes.
#include "template/gotmpl/ast.h"

#include "template/gotmpl/go_format.h"

namespace corral::gotmpl {

std::unique_ptr<ListNode> ListNode::copy_list() const {
  auto n = std::make_unique<ListNode>(pos, line);
  for (const auto& c : nodes) n->nodes.push_back(c->copy());
  return n;
}

std::string ListNode::str() const {
  std::string s;
  for (const auto& c : nodes) s += c->str();
  return s;
}

namespace {
std::string join_dots(const std::vector<std::string>& parts, bool leading) {
  std::string s;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0 || leading) s += '.';
    s += parts[i];
  }
  return s;
}
}  // namespace

std::string VariableNode::str() const { return join_dots(ident, false); }
std::string FieldNode::str() const { return join_dots(ident, true); }

std::unique_ptr<PipeNode> PipeNode::copy_pipe() const {
  auto n = std::make_unique<PipeNode>(pos, line);
  n->is_assign = is_assign;
  for (const auto& d : decl) n->decl.push_back(std::make_unique<VariableNode>(*d));
  for (const auto& c : cmds) n->cmds.push_back(c->copy_command());
  return n;
}

std::string PipeNode::str() const {
  std::string s;
  if (!decl.empty()) {
    for (std::size_t i = 0; i < decl.size(); ++i) {
      if (i > 0) s += ", ";
      s += decl[i]->str();
    }
    s += is_assign ? " = " : " := ";
  }
  for (std::size_t i = 0; i < cmds.size(); ++i) {
    if (i > 0) s += " | ";
    s += cmds[i]->str();
  }
  return s;
}

std::unique_ptr<CommandNode> CommandNode::copy_command() const {
  auto n = std::make_unique<CommandNode>(pos, line);
  for (const auto& a : args) n->args.push_back(a->copy());
  return n;
}

std::string CommandNode::str() const {
  std::string s;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) s += ' ';
    if (args[i]->type == NodeType::Pipe)
      s += "(" + args[i]->str() + ")";
    else
      s += args[i]->str();
  }
  return s;
}

NodePtr ChainNode::copy() const {
  auto n = std::make_unique<ChainNode>(pos, line, node->copy());
  n->field = field;
  return n;
}

std::string ChainNode::str() const {
  std::string s = node->type == NodeType::Pipe ? "(" + node->str() + ")" : node->str();
  for (const auto& f : field) s += "." + f;
  return s;
}

NodePtr BranchNode::copy() const {
  auto n = std::make_unique<BranchNode>(type, pos, line);
  n->pipe = pipe->copy_pipe();
  n->list = list->copy_list();
  if (else_list) n->else_list = else_list->copy_list();
  return n;
}

std::string BranchNode::str() const {
  const char* name = type == NodeType::If ? "if" : type == NodeType::Range ? "range" : "with";
  std::string s = std::string("{{") + name + " " + pipe->str() + "}}" + list->str();
  if (else_list) s += "{{else}}" + else_list->str();
  return s + "{{end}}";
}

NodePtr TemplateNode::copy() const {
  auto n = std::make_unique<TemplateNode>(pos, line, name);
  if (pipe) n->pipe = pipe->copy_pipe();
  return n;
}

std::string TemplateNode::str() const {
  std::string s = "{{template " + go_quote(name);
  if (pipe) s += " " + pipe->str();
  return s + "}}";
}

}  // namespace corral::gotmpl
