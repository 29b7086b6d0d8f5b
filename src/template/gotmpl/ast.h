// Parse tree of a Go text/template, mirroring Go's text/template/parse node
// types so that tree walks written against Go's AST (Ollama's Vars(),
// {{ .Response }} truncation, tool-tag and thinking-tag inference) can be
// expressed the same way. If, range and with share BranchNode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace corral::gotmpl {

enum class NodeType {
  Text, Action, Bool, Chain, Command, Dot, Field, Identifier, If, List, Nil, Number,
  Pipe, Range, String, Template, Variable, With, Break, Continue
};

struct Node {
  NodeType type;
  std::size_t pos = 0;  // byte offset in the template text
  int line = 1;
  Node(NodeType t, std::size_t p, int l) : type(t), pos(p), line(l) {}
  virtual ~Node() = default;
  virtual std::unique_ptr<Node> copy() const = 0;
  virtual std::string str() const = 0;  // Go's Node.String()
};
using NodePtr = std::unique_ptr<Node>;

struct ListNode : Node {
  std::vector<NodePtr> nodes;
  ListNode(std::size_t p, int l) : Node(NodeType::List, p, l) {}
  std::unique_ptr<ListNode> copy_list() const;
  NodePtr copy() const override { return copy_list(); }
  std::string str() const override;
};

struct TextNode : Node {
  std::string text;
  TextNode(std::size_t p, int l, std::string t) : Node(NodeType::Text, p, l), text(std::move(t)) {}
  NodePtr copy() const override { return std::make_unique<TextNode>(*this); }
  std::string str() const override { return text; }
};

struct VariableNode : Node {
  std::vector<std::string> ident;  // "$x", then field names
  VariableNode(std::size_t p, int l, std::vector<std::string> i)
      : Node(NodeType::Variable, p, l), ident(std::move(i)) {}
  NodePtr copy() const override { return std::make_unique<VariableNode>(*this); }
  std::string str() const override;
};

struct CommandNode;

struct PipeNode : Node {
  bool is_assign = false;  // $x = ... rather than $x := ...
  std::vector<std::unique_ptr<VariableNode>> decl;
  std::vector<std::unique_ptr<CommandNode>> cmds;
  PipeNode(std::size_t p, int l) : Node(NodeType::Pipe, p, l) {}
  std::unique_ptr<PipeNode> copy_pipe() const;
  NodePtr copy() const override { return copy_pipe(); }
  std::string str() const override;
};

struct CommandNode : Node {
  std::vector<NodePtr> args;
  CommandNode(std::size_t p, int l) : Node(NodeType::Command, p, l) {}
  std::unique_ptr<CommandNode> copy_command() const;
  NodePtr copy() const override { return copy_command(); }
  std::string str() const override;
};

struct ActionNode : Node {
  std::unique_ptr<PipeNode> pipe;
  ActionNode(std::size_t p, int l, std::unique_ptr<PipeNode> pp) : Node(NodeType::Action, p, l), pipe(std::move(pp)) {}
  NodePtr copy() const override { return std::make_unique<ActionNode>(pos, line, pipe->copy_pipe()); }
  std::string str() const override { return "{{" + pipe->str() + "}}"; }
};

struct IdentifierNode : Node {
  std::string ident;
  IdentifierNode(std::size_t p, int l, std::string i) : Node(NodeType::Identifier, p, l), ident(std::move(i)) {}
  NodePtr copy() const override { return std::make_unique<IdentifierNode>(*this); }
  std::string str() const override { return ident; }
};

struct DotNode : Node {
  DotNode(std::size_t p, int l) : Node(NodeType::Dot, p, l) {}
  NodePtr copy() const override { return std::make_unique<DotNode>(*this); }
  std::string str() const override { return "."; }
};

struct NilNode : Node {
  NilNode(std::size_t p, int l) : Node(NodeType::Nil, p, l) {}
  NodePtr copy() const override { return std::make_unique<NilNode>(*this); }
  std::string str() const override { return "nil"; }
};

struct FieldNode : Node {
  std::vector<std::string> ident;  // field names without dots
  FieldNode(std::size_t p, int l, std::vector<std::string> i) : Node(NodeType::Field, p, l), ident(std::move(i)) {}
  NodePtr copy() const override { return std::make_unique<FieldNode>(*this); }
  std::string str() const override;
};

struct ChainNode : Node {
  NodePtr node;
  std::vector<std::string> field;
  ChainNode(std::size_t p, int l, NodePtr n) : Node(NodeType::Chain, p, l), node(std::move(n)) {}
  NodePtr copy() const override;
  std::string str() const override;
};

struct BoolNode : Node {
  bool value;
  BoolNode(std::size_t p, int l, bool v) : Node(NodeType::Bool, p, l), value(v) {}
  NodePtr copy() const override { return std::make_unique<BoolNode>(*this); }
  std::string str() const override { return value ? "true" : "false"; }
};

struct NumberNode : Node {
  bool is_int = false, is_uint = false, is_float = false, is_complex = false;
  std::int64_t int_value = 0;
  std::uint64_t uint_value = 0;
  double float_value = 0;
  std::string text;
  NumberNode(std::size_t p, int l, std::string t) : Node(NodeType::Number, p, l), text(std::move(t)) {}
  NodePtr copy() const override { return std::make_unique<NumberNode>(*this); }
  std::string str() const override { return text; }
};

struct StringNode : Node {
  std::string quoted;  // as written
  std::string text;    // unquoted
  StringNode(std::size_t p, int l, std::string q, std::string t)
      : Node(NodeType::String, p, l), quoted(std::move(q)), text(std::move(t)) {}
  NodePtr copy() const override { return std::make_unique<StringNode>(*this); }
  std::string str() const override { return quoted; }
};

// if / range / with.
struct BranchNode : Node {
  std::unique_ptr<PipeNode> pipe;
  std::unique_ptr<ListNode> list;
  std::unique_ptr<ListNode> else_list;  // may be null
  BranchNode(NodeType t, std::size_t p, int l) : Node(t, p, l) {}
  NodePtr copy() const override;
  std::string str() const override;
};

struct TemplateNode : Node {
  std::string name;
  std::unique_ptr<PipeNode> pipe;  // may be null
  TemplateNode(std::size_t p, int l, std::string n) : Node(NodeType::Template, p, l), name(std::move(n)) {}
  NodePtr copy() const override;
  std::string str() const override;
};

struct BreakNode : Node {
  BreakNode(std::size_t p, int l) : Node(NodeType::Break, p, l) {}
  NodePtr copy() const override { return std::make_unique<BreakNode>(*this); }
  std::string str() const override { return "{{break}}"; }
};

struct ContinueNode : Node {
  ContinueNode(std::size_t p, int l) : Node(NodeType::Continue, p, l) {}
  NodePtr copy() const override { return std::make_unique<ContinueNode>(*this); }
  std::string str() const override { return "{{continue}}"; }
};

// One named template: the main one ("") or a {{define}}/{{block}}.
struct Tree {
  std::string name;
  std::unique_ptr<ListNode> root;
};

}  // namespace corral::gotmpl
