// Ollama's walks over Go template parse trees (template.go Identifiers and
// deleteNode, tools/template.go parseTag, thinking/template.go InferTags).
#include "template/template_inspect.h"

#include <algorithm>
#include <set>

#include "template/text_util.h"
#include "util/error.h"

namespace corral::tmpl {

using namespace gotmpl;

namespace {

void identifiers(const Node* n, std::vector<std::string>& out) {
  if (!n) return;
  switch (n->type) {
    case NodeType::List:
      for (const auto& c : static_cast<const ListNode*>(n)->nodes) identifiers(c.get(), out);
      return;
    case NodeType::Template: {
      const auto* t = static_cast<const TemplateNode*>(n);
      if (!t->pipe) throw Error("undefined template specified");
      identifiers(t->pipe.get(), out);
      return;
    }
    case NodeType::Action: identifiers(static_cast<const ActionNode*>(n)->pipe.get(), out); return;
    case NodeType::If:
    case NodeType::Range:
    case NodeType::With: {
      const auto* b = static_cast<const BranchNode*>(n);
      identifiers(b->pipe.get(), out);
      identifiers(b->list.get(), out);
      identifiers(b->else_list.get(), out);
      return;
    }
    case NodeType::Pipe:
      for (const auto& c : static_cast<const PipeNode*>(n)->cmds)
        for (const auto& a : c->args) identifiers(a.get(), out);
      return;
    case NodeType::Field: {
      const auto& id = static_cast<const FieldNode*>(n)->ident;
      out.insert(out.end(), id.begin(), id.end());
      return;
    }
    case NodeType::Variable: {
      const auto& id = static_cast<const VariableNode*>(n)->ident;
      out.insert(out.end(), id.begin(), id.end());
      return;
    }
    default: return;
  }
}

// deleteNode with Ollama's predicate: keep everything up to and including
// the first .Response field, drop every node visited after it.
class ResponseCutter {
 public:
  bool cut = false;

  // Returns false when the node is to be deleted.
  bool delete_now(const Node* n) {
    if (n->type == NodeType::Field) {
      const auto& id = static_cast<const FieldNode*>(n)->ident;
      if (std::find(id.begin(), id.end(), "Response") != id.end()) {
        cut = true;
        return false;
      }
    }
    return cut;
  }

  std::unique_ptr<ListNode> list(std::unique_ptr<ListNode> l) {
    if (delete_now(l.get())) return nullptr;
    std::vector<NodePtr> kept;
    for (auto& c : l->nodes)
      if (NodePtr k = node(std::move(c))) kept.push_back(std::move(k));
    l->nodes = std::move(kept);
    return l;
  }

  std::unique_ptr<PipeNode> pipe(std::unique_ptr<PipeNode> p) {
    if (delete_now(p.get())) return nullptr;
    std::vector<std::unique_ptr<CommandNode>> cmds;
    for (auto& c : p->cmds) {
      std::vector<NodePtr> args;
      for (auto& a : c->args)
        if (NodePtr k = node(std::move(a))) args.push_back(std::move(k));
      if (args.empty()) return nullptr;
      c->args = std::move(args);
      cmds.push_back(std::move(c));
    }
    if (cmds.empty()) return nullptr;
    p->cmds = std::move(cmds);
    return p;
  }

  NodePtr node(NodePtr n) {
    switch (n->type) {
      case NodeType::List: {
        std::unique_ptr<ListNode> l(static_cast<ListNode*>(n.release()));
        return list(std::move(l));
      }
      case NodeType::Pipe: {
        std::unique_ptr<PipeNode> p(static_cast<PipeNode*>(n.release()));
        return pipe(std::move(p));
      }
      default: break;
    }
    if (delete_now(n.get())) return nullptr;
    switch (n->type) {
      case NodeType::If:
      case NodeType::Range:
      case NodeType::With: {
        auto* b = static_cast<BranchNode*>(n.get());
        // Go re-checks the embedded BranchNode before descending.
        if (delete_now(b)) return nullptr;
        b->list = list(std::move(b->list));
        if (!b->list) b->list = std::make_unique<ListNode>(b->pos, b->line);
        // Ollama panics when the else branch follows the cut; drop it instead.
        if (b->else_list) b->else_list = list(std::move(b->else_list));
        return n;
      }
      case NodeType::Action: {
        auto* a = static_cast<ActionNode*>(n.get());
        a->pipe = pipe(std::move(a->pipe));
        if (!a->pipe) return nullptr;
        return n;
      }
      default: return n;
    }
  }
};

bool is_tool_calls_if(const BranchNode* n) {
  for (const auto& cmd : n->pipe->cmds)
    for (const auto& arg : cmd->args)
      if (arg->type == NodeType::Field) {
        const auto& id = static_cast<const FieldNode*>(arg.get())->ident;
        if (std::find(id.begin(), id.end(), "ToolCalls") != id.end()) return true;
      }
  return false;
}

const BranchNode* find_tool_call_node(const std::vector<NodePtr>& nodes) {
  for (const auto& node : nodes) {
    switch (node->type) {
      case NodeType::If:
      case NodeType::Range:
      case NodeType::With: {
        const auto* b = static_cast<const BranchNode*>(node.get());
        if (b->type == NodeType::If && is_tool_calls_if(b)) return b;
        if (const auto* r = find_tool_call_node(b->list->nodes)) return r;
        if (b->else_list)
          if (const auto* r = find_tool_call_node(b->else_list->nodes)) return r;
        break;
      }
      case NodeType::List:
        if (const auto* r = find_tool_call_node(static_cast<const ListNode*>(node.get())->nodes)) return r;
        break;
      default: break;
    }
  }
  return nullptr;
}

const TextNode* find_text_node(const std::vector<NodePtr>& nodes) {
  for (const auto& node : nodes) {
    switch (node->type) {
      case NodeType::Text: {
        const auto* t = static_cast<const TextNode*>(node.get());
        if (go_trim_space(t->text).empty()) continue;
        return t;
      }
      case NodeType::If:
      case NodeType::Range:
      case NodeType::With: {
        const auto* b = static_cast<const BranchNode*>(node.get());
        if (const auto* t = find_text_node(b->list->nodes)) return t;
        if (b->else_list)
          if (const auto* t = find_text_node(b->else_list->nodes)) return t;
        return nullptr;
      }
      case NodeType::List:
        if (const auto* t = find_text_node(static_cast<const ListNode*>(node.get())->nodes)) return t;
        break;
      case NodeType::Action: return nullptr;
      default: break;
    }
  }
  return nullptr;
}

bool range_uses_field(const BranchNode* r, const std::string& field) {
  for (const auto& cmd : r->pipe->cmds)
    for (const auto& arg : cmd->args)
      if (arg->type == NodeType::Field && static_cast<const FieldNode*>(arg.get())->ident[0] == field) return true;
  return false;
}

// thinking.InferTags: a visit keeping the chain of ancestors.
class ThinkingTagFinder {
 public:
  std::string opening, closing;

  void visit(const Node* n) {
    if (!n) return;
    ancestors_.push_back(n);
    if (n->type == NodeType::Field && static_cast<const FieldNode*>(n)->ident[0] == "Thinking") on_thinking();
    switch (n->type) {
      case NodeType::List:
        for (const auto& c : static_cast<const ListNode*>(n)->nodes) visit(c.get());
        break;
      case NodeType::If:
      case NodeType::Range:
      case NodeType::With: {
        const auto* b = static_cast<const BranchNode*>(n);
        visit(b->pipe.get());
        visit(b->list.get());
        visit(b->else_list.get());
        break;
      }
      case NodeType::Action: visit(static_cast<const ActionNode*>(n)->pipe.get()); break;
      case NodeType::Template: visit(static_cast<const TemplateNode*>(n)->pipe.get()); break;
      case NodeType::Pipe:
        for (const auto& c : static_cast<const PipeNode*>(n)->cmds) visit(c.get());
        break;
      case NodeType::Command:
        for (const auto& a : static_cast<const CommandNode*>(n)->args) visit(a.get());
        break;
      default: break;
    }
    ancestors_.pop_back();
  }

 private:
  std::vector<const Node*> ancestors_;

  void on_thinking() {
    const BranchNode* range = nullptr;
    for (std::size_t i = ancestors_.size(); i-- > 0;)
      if (ancestors_[i]->type == NodeType::Range) {
        range = static_cast<const BranchNode*>(ancestors_[i]);
        break;
      }
    if (!range || !range_uses_field(range, "Messages")) return;
    for (std::size_t i = ancestors_.size(); i-- > 0;) {
      if (ancestors_[i]->type != NodeType::List) continue;
      const auto* l = static_cast<const ListNode*>(ancestors_[i]);
      if (l->nodes.empty()) break;
      if (l->nodes.front()->type == NodeType::Text)
        opening = go_trim_space(static_cast<const TextNode*>(l->nodes.front().get())->text);
      if (l->nodes.back()->type == NodeType::Text)
        closing = go_trim_space(static_cast<const TextNode*>(l->nodes.back().get())->text);
      break;
    }
  }
};

}  // namespace

std::vector<std::string> template_vars(const Template& t) {
  std::vector<std::string> ids;
  for (const auto& [name, tree] : t.trees())
    if (tree && tree->root) identifiers(tree->root.get(), ids);
  std::set<std::string> unique;
  for (const auto& id : ids) unique.insert(ascii_lower(id));
  return {unique.begin(), unique.end()};
}

std::unique_ptr<ListNode> cut_after_response(const ListNode& root) {
  ResponseCutter c;
  auto out = c.list(root.copy_list());
  if (!out) out = std::make_unique<ListNode>(root.pos, root.line);
  return out;
}

std::string infer_tool_call_tag(const Template& t) {
  const BranchNode* tc = find_tool_call_node(t.root().nodes);
  if (!tc) return "{";
  const TextNode* tn = find_text_node(tc->list->nodes);
  if (!tn) return "{";
  std::string tag = tn->text;
  for (std::size_t p; (p = tag.find("\r\n")) != std::string::npos;) tag.replace(p, 2, "\n");
  tag = tag.substr(0, tag.find('{'));
  tag = go_trim_space(tag);
  return tag.empty() ? "{" : tag;
}

std::pair<std::string, std::string> infer_thinking_tags(const Template& t) {
  ThinkingTagFinder f;
  f.visit(&t.root());
  return {f.opening, f.closing};
}

}  // namespace corral::tmpl
