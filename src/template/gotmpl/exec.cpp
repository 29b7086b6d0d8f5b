// Execution of parsed Go templates (Go's text/template exec.go semantics).
#include <fmt/format.h>

#include <algorithm>

#include "template/gotmpl/builtins.h"
#include "template/gotmpl/go_format.h"
#include "template/gotmpl/template.h"
#include "util/error.h"
#include "util/utf8.h"

namespace corral::gotmpl {

namespace {

constexpr std::string_view kBuiltins[] = {"and", "call", "html", "index", "slice", "js", "len", "not", "or",
                                          "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le",
                                          "lt", "ne"};

enum class Flow { Normal, Break, Continue };
enum class Param { Value, Any, String };

class State {
 public:
  State(const Template& t, std::string& out, const ExecLimits& limits, const FuncMap* funcs)
      : tmpl_(t), out_(out), limits_(limits), funcs_(funcs), exec_name_(t.name()) {}

  void run(const Value& data) {
    vars_.push_back({"$", data});
    walk(data, &tmpl_.root());
  }

 private:
  struct Var {
    std::string name;
    Value value;
  };

  const Template& tmpl_;
  std::string& out_;
  const ExecLimits& limits_;
  const FuncMap* funcs_;
  std::string exec_name_;
  std::vector<Var> vars_;
  const Node* node_ = nullptr;
  int depth_ = 0;
  std::uint64_t steps_ = 0;

  [[noreturn]] void errorf(const std::string& msg) {
    std::string_view text = tmpl_.text();
    std::size_t pos = node_ ? std::min(node_->pos, text.size()) : 0;
    std::string_view before = text.substr(0, pos);
    int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
    std::size_t nl = before.rfind('\n');
    std::size_t col = nl == std::string_view::npos ? pos : pos - (nl + 1);
    std::string context = node_ ? node_->str() : "";
    // Go shortens long contexts to 20 runes.
    std::size_t cut = 0;
    int runes = 0;
    while (cut < context.size() && runes < 20) {
      int len = utf8::sequence_length(static_cast<unsigned char>(context[cut]));
      cut += len > 0 ? static_cast<std::size_t>(len) : 1;
      ++runes;
    }
    if (cut < context.size()) context = context.substr(0, cut) + "...";
    throw Error(fmt::format("template: {}:{}:{}: executing {} at <{}>: {}", tmpl_.name(), line, col,
                            go_quote(exec_name_), context, msg));
  }

  void at(const Node* n) { node_ = n; }

  void step() {
    if (++steps_ > limits_.max_steps) errorf("template execution exceeds the step limit");
  }

  void write(std::string_view s) {
    if (out_.size() + s.size() > limits_.max_output_bytes)
      errorf(fmt::format("template output exceeds {} bytes", limits_.max_output_bytes));
    out_.append(s);
  }

  // ---- variables -------------------------------------------------------
  void push(const std::string& name, const Value& v) { vars_.push_back({name, v}); }
  std::size_t mark() const { return vars_.size(); }
  void pop(std::size_t m) { vars_.resize(m); }
  void set_top_var(std::size_t n, const Value& v) { vars_[vars_.size() - n].value = v; }
  void set_var(const std::string& name, const Value& v) {
    for (std::size_t i = vars_.size(); i-- > 0;)
      if (vars_[i].name == name) {
        vars_[i].value = v;
        return;
      }
    errorf("undefined variable: " + name);
  }
  Value var_value(const std::string& name) {
    for (std::size_t i = vars_.size(); i-- > 0;)
      if (vars_[i].name == name) return vars_[i].value;
    errorf("undefined variable: " + name);
  }

  // ---- walking ---------------------------------------------------------
  Flow walk(const Value& dot, const Node* node) {
    at(node);
    step();
    switch (node->type) {
      case NodeType::Action: {
        const auto* a = static_cast<const ActionNode*>(node);
        Value v = eval_pipeline(dot, a->pipe.get());
        if (a->pipe->decl.empty()) print_value(node, v);
        return Flow::Normal;
      }
      case NodeType::Break: return Flow::Break;
      case NodeType::Continue: return Flow::Continue;
      case NodeType::If:
      case NodeType::With: return walk_if_or_with(dot, static_cast<const BranchNode*>(node));
      case NodeType::List:
        for (const auto& c : static_cast<const ListNode*>(node)->nodes) {
          Flow f = walk(dot, c.get());
          if (f != Flow::Normal) return f;
        }
        return Flow::Normal;
      case NodeType::Range: walk_range(dot, static_cast<const BranchNode*>(node)); return Flow::Normal;
      case NodeType::Template: walk_template(dot, static_cast<const TemplateNode*>(node)); return Flow::Normal;
      case NodeType::Text: write(static_cast<const TextNode*>(node)->text); return Flow::Normal;
      default: errorf("unknown node: " + node->str());
    }
  }

  Flow walk_if_or_with(const Value& dot, const BranchNode* n) {
    std::size_t m = mark();
    Value val = eval_pipeline(dot, n->pipe.get());
    Flow f = Flow::Normal;
    if (val.truth()) {
      f = walk(n->type == NodeType::With ? val : dot, n->list.get());
    } else if (n->else_list) {
      f = walk(dot, n->else_list.get());
    }
    pop(m);
    return f;
  }

  void walk_range(const Value& dot, const BranchNode* r) {
    at(r);
    std::size_t outer = mark();
    Value val = eval_pipeline(dot, r->pipe.get()).deref();
    std::size_t body_mark = mark();
    const PipeNode& pipe = *r->pipe;
    bool stop = false;
    auto one_iteration = [&](const Value& index, const Value& elem) {
      step();
      if (!pipe.decl.empty()) {
        if (pipe.is_assign) {
          if (pipe.decl.size() > 1)
            set_var(pipe.decl[0]->ident[0], index);
          else
            set_var(pipe.decl[0]->ident[0], elem);
        } else {
          set_top_var(1, elem);
        }
      }
      if (pipe.decl.size() > 1) {
        if (pipe.is_assign)
          set_var(pipe.decl[1]->ident[0], elem);
        else
          set_top_var(2, index);
      }
      Flow f = walk(elem, r->list.get());
      pop(body_mark);
      if (f == Flow::Break) stop = true;
    };
    bool iterated = false;
    switch (val.kind()) {
      case Kind::Slice: {
        auto items = val.items();
        for (std::size_t i = 0; i < items.size() && !stop; ++i) {
          iterated = true;
          one_iteration(Value::from_int(static_cast<std::int64_t>(i)), items[i]);
        }
        break;
      }
      case Kind::Bytes: {
        const std::string& s = val.as_string();
        for (std::size_t i = 0; i < s.size() && !stop; ++i) {
          iterated = true;
          one_iteration(Value::from_int(static_cast<std::int64_t>(i)),
                        Value::from_uint(static_cast<unsigned char>(s[i])));
        }
        break;
      }
      case Kind::Map:
        for (const auto& e : val.entries()) {
          if (stop) break;
          iterated = true;
          one_iteration(Value::from_string(e.first), e.second);
        }
        break;
      case Kind::Int:
      case Kind::Uint: {
        if (pipe.decl.size() > 1)
          errorf("can't use " + go_sprint_one(val) + " to iterate over more than one variable");
        std::uint64_t n = val.kind() == Kind::Int ? (val.as_int() > 0 ? static_cast<std::uint64_t>(val.as_int()) : 0)
                                                  : val.as_uint();
        for (std::uint64_t i = 0; i < n && !stop; ++i) {
          iterated = true;
          Value iv = val.kind() == Kind::Int ? Value::from_int(static_cast<std::int64_t>(i)) : Value::from_uint(i);
          one_iteration(iv, iv);
        }
        break;
      }
      case Kind::Invalid: break;
      default: errorf("range can't iterate over " + go_sprint_one(val));
    }
    if (!iterated && r->else_list) walk(dot, r->else_list.get());
    pop(outer);
  }

  void walk_template(const Value& dot, const TemplateNode* t) {
    at(t);
    auto it = tmpl_.trees().find(t->name);
    if (it == tmpl_.trees().end() || !it->second->root) errorf("template " + go_quote(t->name) + " not defined");
    if (depth_ >= limits_.max_call_depth)
      errorf(fmt::format("exceeded maximum template depth ({})", limits_.max_call_depth));
    Value new_dot = eval_pipeline(dot, t->pipe.get());
    auto saved_vars = std::move(vars_);
    std::string saved_name = std::move(exec_name_);
    vars_.clear();
    vars_.push_back({"$", new_dot});
    exec_name_ = t->name;
    ++depth_;
    walk(new_dot, it->second->root.get());
    --depth_;
    exec_name_ = std::move(saved_name);
    vars_ = std::move(saved_vars);
  }

  void print_value(const Node* n, const Value& v) {
    at(n);
    if (!v.valid()) {
      write("<no value>");
      return;
    }
    write(go_sprint_one(v.deref()));
  }

  // ---- evaluation ------------------------------------------------------
  Value eval_pipeline(const Value& dot, const PipeNode* pipe) {
    if (!pipe) return Value();
    at(pipe);
    Value value;
    bool have_final = false;
    for (const auto& cmd : pipe->cmds) {
      value = eval_command(dot, cmd.get(), have_final ? &value : nullptr);
      have_final = true;
      if (value.is_nil_interface()) value = Value();
    }
    for (const auto& v : pipe->decl) {
      if (pipe->is_assign)
        set_var(v->ident[0], value);
      else
        push(v->ident[0], value);
    }
    return value;
  }

  void not_a_function(const std::vector<NodePtr>& args, const Value* final) {
    if (args.size() > 1 || final) errorf("can't give argument to non-function " + args[0]->str());
  }

  Value eval_command(const Value& dot, const CommandNode* cmd, const Value* final) {
    step();
    const Node* first = cmd->args[0].get();
    switch (first->type) {
      case NodeType::Field:
        return eval_field_node(dot, static_cast<const FieldNode*>(first), &cmd->args, final);
      case NodeType::Chain:
        return eval_chain_node(dot, static_cast<const ChainNode*>(first), &cmd->args, final);
      case NodeType::Identifier:
        return eval_function(dot, static_cast<const IdentifierNode*>(first), cmd, &cmd->args, final);
      case NodeType::Pipe:
        not_a_function(cmd->args, final);
        return eval_pipeline(dot, static_cast<const PipeNode*>(first));
      case NodeType::Variable:
        return eval_variable_node(dot, static_cast<const VariableNode*>(first), &cmd->args, final);
      default: break;
    }
    at(first);
    not_a_function(cmd->args, final);
    switch (first->type) {
      case NodeType::Bool: return Value::from_bool(static_cast<const BoolNode*>(first)->value);
      case NodeType::Dot: return dot;
      case NodeType::Nil: errorf("nil is not a command");
      case NodeType::Number: return ideal_constant(static_cast<const NumberNode*>(first));
      case NodeType::String: return Value::from_string(static_cast<const StringNode*>(first)->text);
      default: errorf("can't evaluate command " + go_quote(first->str()));
    }
  }

  Value ideal_constant(const NumberNode* c) {
    at(c);
    const std::string& t = c->text;
    bool hex_int = t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && t.find_first_of("pP") == std::string::npos;
    bool rune_int = !t.empty() && t[0] == '\'';
    if (c->is_float && !hex_int && !rune_int && t.find_first_of(".eEpP") != std::string::npos)
      return Value::from_float(c->float_value);
    if (c->is_int) return Value::from_int(c->int_value);
    if (c->is_uint) errorf(t + " overflows int");
    return Value();
  }

  Value eval_field_node(const Value& dot, const FieldNode* f, const std::vector<NodePtr>* args, const Value* final) {
    at(f);
    return eval_field_chain(dot, dot, f, f->ident, 0, args, final);
  }

  Value eval_chain_node(const Value& dot, const ChainNode* c, const std::vector<NodePtr>* args, const Value* final) {
    at(c);
    if (c->field.empty()) errorf("internal error: no fields in evalChainNode");
    if (c->node->type == NodeType::Nil) errorf("indirection through explicit nil in " + c->str());
    Value pipe = eval_arg(dot, Param::Any, c->node.get());
    if (pipe.is_nil_interface()) pipe = Value();
    return eval_field_chain(dot, pipe, c, c->field, 0, args, final);
  }

  Value eval_variable_node(const Value& dot, const VariableNode* v, const std::vector<NodePtr>* args,
                           const Value* final) {
    at(v);
    Value value = var_value(v->ident[0]);
    if (v->ident.size() == 1) {
      if (args) not_a_function(*args, final);
      return value;
    }
    return eval_field_chain(dot, value, v, v->ident, 1, args, final);
  }

  Value eval_field_chain(const Value& dot, Value receiver, const Node* node, const std::vector<std::string>& ident,
                         std::size_t first, const std::vector<NodePtr>* args, const Value* final) {
    for (std::size_t i = first; i + 1 < ident.size(); ++i)
      receiver = eval_field(dot, ident[i], node, nullptr, nullptr, receiver);
    return eval_field(dot, ident.back(), node, args, final, receiver);
  }

  Value eval_field(const Value& dot, const std::string& name, const Node* node, const std::vector<NodePtr>* args,
                   const Value* final, const Value& receiver) {
    (void)dot;
    if (!receiver.valid()) {
      if (receiver.is_nil_interface()) errorf("nil pointer evaluating interface {}." + name);
      return Value();
    }
    std::size_t given = (args ? args->size() - 1 : 0) + (final ? 1 : 0);
    bool has_args = (args && args->size() > 1) || final;
    if (const GoMethod* m = receiver.method(name)) {
      if (given != 0) errorf(fmt::format("wrong number of args for {}: want 0 got {}", name, given));
      return m->call(receiver);
    }
    if (name == "String" && receiver.has_string_method()) {
      if (given != 0) errorf(fmt::format("wrong number of args for {}: want 0 got {}", name, given));
      return Value::from_string(receiver.type()->string_method(receiver));
    }
    switch (receiver.kind()) {
      case Kind::Struct:
        if (const Value* f = receiver.field(name)) {
          if (has_args) errorf(name + " has arguments but cannot be invoked as function");
          return *f;
        }
        break;
      case Kind::Map: {
        if (has_args) errorf(name + " is not a method but has arguments");
        const Value* v = receiver.map_find(name);
        return v ? *v : Value::nil_interface();
      }
      default: break;
    }
    (void)node;
    errorf("can't evaluate field " + name + " in type " + receiver.type_name());
  }

  Value validate(const Value& v, Param p) {
    switch (p) {
      case Param::Value: return v;
      case Param::Any: return v.valid() ? v : Value::nil_interface();
      case Param::String:
        if (v.kind() == Kind::String) return v;
        if (!v.valid()) errorf("invalid value; expected string");
        errorf("wrong type for value; expected string; got " + v.type_name());
    }
    return v;
  }

  Value eval_arg(const Value& dot, Param p, const Node* n) {
    at(n);
    switch (n->type) {
      case NodeType::Dot: return validate(dot, p);
      case NodeType::Nil:
        if (p == Param::String) errorf("cannot assign nil to string");
        return p == Param::Any ? Value::nil_interface() : Value();
      case NodeType::Field:
        return validate(eval_field_node(dot, static_cast<const FieldNode*>(n), nullptr, nullptr), p);
      case NodeType::Variable:
        return validate(eval_variable_node(dot, static_cast<const VariableNode*>(n), nullptr, nullptr), p);
      case NodeType::Pipe: return validate(eval_pipeline(dot, static_cast<const PipeNode*>(n)), p);
      case NodeType::Identifier:
        return validate(eval_function(dot, static_cast<const IdentifierNode*>(n), n, nullptr, nullptr), p);
      case NodeType::Chain:
        return validate(eval_chain_node(dot, static_cast<const ChainNode*>(n), nullptr, nullptr), p);
      default: break;
    }
    if (p == Param::String) {
      if (n->type == NodeType::String) return Value::from_string(static_cast<const StringNode*>(n)->text);
      errorf("expected string; found " + n->str());
    }
    switch (n->type) {
      case NodeType::Bool: return Value::from_bool(static_cast<const BoolNode*>(n)->value);
      case NodeType::Number: return ideal_constant(static_cast<const NumberNode*>(n));
      case NodeType::String: return Value::from_string(static_cast<const StringNode*>(n)->text);
      default: errorf("can't handle " + n->str() + " for arg of type interface {}");
    }
  }

  Value eval_function(const Value& dot, const IdentifierNode* id, const Node* cmd, const std::vector<NodePtr>* args,
                      const Value* final) {
    at(id);
    const std::string& name = id->ident;
    const Function* user = nullptr;
    if (funcs_) {
      auto it = funcs_->find(name);
      if (it != funcs_->end()) user = &it->second;
    }
    bool builtin = !user && is_builtin_function(name);
    if (!user && !builtin) errorf(go_quote(name) + " is not a defined function");
    std::size_t nargs = args ? args->size() - 1 : 0;
    std::size_t num_in = nargs + (final ? 1 : 0);
    auto [min_args, max_args] = user ? std::pair<int, int>{user->min_args, user->max_args} : builtin_arity(name);
    if (max_args < 0) {
      if (num_in < static_cast<std::size_t>(min_args))
        errorf(fmt::format("wrong number of args for {}: want at least {} got {}", name, min_args, nargs));
    } else if (num_in != static_cast<std::size_t>(max_args)) {
      errorf(fmt::format("wrong number of args for {}: want {} got {}", name, max_args, num_in));
    }
    (void)cmd;
    if (builtin && (name == "and" || name == "or")) {
      bool is_or = name == "or";
      Value v;
      for (std::size_t i = 1; i <= nargs; ++i) {
        v = eval_arg(dot, Param::Value, (*args)[i].get());
        if (v.truth() == is_or) return v;
      }
      if (final) v = *final;
      return v;
    }
    std::vector<Value> argv;
    argv.reserve(num_in);
    for (std::size_t i = 1; i <= nargs; ++i) {
      Param p = Param::Any;
      if (user)
        p = user->string_args ? Param::String : Param::Any;
      else if (builtin_takes_values(name))
        p = Param::Value;
      else if (name == "printf" && i == 1)
        p = Param::String;
      argv.push_back(eval_arg(dot, p, (*args)[i].get()));
    }
    if (final) {
      Param p = Param::Any;
      if (user)
        p = user->string_args ? Param::String : Param::Any;
      else if (builtin_takes_values(name))
        p = Param::Value;
      else if (name == "printf" && argv.empty())
        p = Param::String;
      argv.push_back(validate(*final, p));
    }
    at(id);
    try {
      if (user) return user->call(argv);
      return call_builtin(name, argv);
    } catch (const Error& e) {
      errorf("error calling " + name + ": " + e.what());
    }
  }
};

}  // namespace

bool is_builtin_function(std::string_view name) {
  return std::find(std::begin(kBuiltins), std::end(kBuiltins), name) != std::end(kBuiltins);
}

Template Template::parse(std::string_view text, std::shared_ptr<const FuncMap> funcs, std::string name) {
  Template t;
  t.name_ = std::move(name);
  t.text_ = std::make_shared<const std::string>(text);
  t.funcs_ = std::move(funcs);
  auto trees = std::make_shared<TreeSet>();
  const FuncMap* fm = t.funcs_.get();
  std::function<bool(std::string_view)> has_function = [fm](std::string_view n) {
    return is_builtin_function(n) || (fm && fm->find(n) != fm->end());
  };
  parse_templates(t.name_, *t.text_, has_function, *trees);
  t.trees_ = std::move(trees);
  return t;
}

const ListNode& Template::root() const {
  static const ListNode empty(0, 1);
  auto it = trees_->find(name_);
  if (it == trees_->end() || !it->second->root) return empty;
  return *it->second->root;
}

Template Template::with_root(std::unique_ptr<ListNode> root) const {
  Template t = *this;
  auto trees = std::make_shared<TreeSet>(*trees_);
  auto tree = std::make_shared<Tree>();
  tree->name = name_;
  tree->root = std::move(root);
  (*trees)[name_] = std::move(tree);
  t.trees_ = std::move(trees);
  return t;
}

void Template::execute_into(std::string& out, const Value& data, const ExecLimits& limits) const {
  State s(*this, out, limits, funcs_.get());
  s.run(data);
}

std::string Template::execute(const Value& data, const ExecLimits& limits) const {
  std::string out;
  execute_into(out, data, limits);
  return out;
}

}  // namespace corral::gotmpl
