// Evaluation of Jinja2 syntax trees: scopes (for-loop bodies and macros get
// their own), loop variables, macros, filters/tests dispatch, budgets.
#include <fmt/format.h>

#include "template/jinja/ast.h"
#include "template/jinja/builtins.h"
#include "template/jinja/lexer.h"
#include "template/jinja/parser.h"
#include "template/jinja/pystring.h"
#include "template/jinja/template.h"
#include "util/error.h"

namespace corral::jinja {

namespace {

enum class Flow { Normal, Break, Continue };
using Scope = std::vector<std::pair<std::string, Value>>;

class Interpreter : public Env {
 public:
  explicit Interpreter(const RenderLimits& limits) : limits_(limits) {}

  std::string run(const Body& body, const std::vector<std::pair<std::string, Value>>& variables) {
    scopes_.push_back(global_functions(*this));
    scopes_.push_back(variables);
    std::string out;
    out_ = &out;
    exec_body(body);
    return out;
  }

  // ---- Env ---------------------------------------------------------------
  Value filter(const std::string& name, const Value& v, CallArgs& args) override {
    return call_filter(name, v, args, *this);
  }
  bool test(const std::string& name, const Value& v, CallArgs& args) override { return call_test(name, v, args, *this); }
  void charge(std::size_t units) override {
    steps_ += units;
    if (steps_ > limits_.max_steps) fail("jinja: template execution exceeds the step limit");
  }
  std::size_t max_output_bytes() const override { return limits_.max_output_bytes; }

 private:
  const RenderLimits& limits_;
  std::vector<Scope> scopes_;
  std::string* out_ = nullptr;
  std::uint64_t steps_ = 0;
  int depth_ = 0;
  int line_ = 0;

  [[noreturn]] void error(const std::string& msg) { fail("jinja: line {}: {}", line_, msg); }

  // Runs f, prefixing a line number to errors that lack one.
  template <typename F>
  auto located(int line, F&& f) {
    int saved = line_;
    line_ = line;
    try {
      auto r = f();
      line_ = saved;
      return r;
    } catch (const Error& e) {
      std::string w = e.what();
      if (w.rfind("jinja:", 0) == 0) throw;
      throw Error(fmt::format("jinja: line {}: {}", line, w));
    }
  }

  void write(std::string_view s) {
    if (out_->size() + s.size() > limits_.max_output_bytes)
      fail("jinja: template output exceeds {} bytes", limits_.max_output_bytes);
    out_->append(s);
  }

  // Output redirected into a string for {% set %} blocks, filters and macros.
  struct Capture {
    Interpreter& in;
    std::string* saved;
    std::string text;
    explicit Capture(Interpreter& i) : in(i), saved(i.out_) { in.out_ = &text; }
    ~Capture() { in.out_ = saved; }
  };

  // ---- variables ---------------------------------------------------------
  const Value* lookup(const std::string& name) const {
    for (std::size_t i = scopes_.size(); i-- > 0;)
      for (std::size_t k = scopes_[i].size(); k-- > 0;)
        if (scopes_[i][k].first == name) return &scopes_[i][k].second;
    return nullptr;
  }

  void assign(const std::string& name, Value v) {
    Scope& s = scopes_.back();
    for (auto& [k, val] : s)
      if (k == name) {
        val = std::move(v);
        return;
      }
    s.emplace_back(name, std::move(v));
  }

  void bind(const Target& t, const Value& v) {
    if (!t.attr.empty()) {
      const Value* ns = lookup(t.names[0]);
      if (!ns || ns->kind() != Kind::Namespace) error("cannot assign attribute on non-namespace object");
      ns->ns_set(t.attr, v);
      return;
    }
    if (!t.tuple) {
      assign(t.names[0], v);
      return;
    }
    std::vector<Value> items = v.is_sequence() ? std::vector<Value>(v.items().begin(), v.items().end()) : iterate(v);
    if (items.size() > t.names.size()) error(fmt::format("too many values to unpack (expected {})", t.names.size()));
    if (items.size() < t.names.size())
      error(fmt::format("not enough values to unpack (expected {}, got {})", t.names.size(), items.size()));
    for (std::size_t i = 0; i < items.size(); ++i) assign(t.names[i], items[i]);
  }

  // ---- statements --------------------------------------------------------
  Flow exec_body(const Body& body) {
    for (const auto& s : body) {
      Flow f = exec(*s);
      if (f != Flow::Normal) return f;
    }
    return Flow::Normal;
  }

  Flow exec(const Stmt& s) {
    charge(1);
    line_ = s.line;
    switch (s.type) {
      case Stmt::Type::Output: write(static_cast<const OutputStmt&>(s).text); return Flow::Normal;
      case Stmt::Type::Emit: {
        Value v = eval(*static_cast<const EmitStmt&>(s).value);
        write(py_str(v));
        return Flow::Normal;
      }
      case Stmt::Type::If: {
        const auto& st = static_cast<const IfStmt&>(s);
        for (const auto& [cond, body] : st.branches)
          if (eval(*cond).truth()) return exec_body(body);
        return exec_body(st.else_body);
      }
      case Stmt::Type::For: return exec_for(static_cast<const ForStmt&>(s));
      case Stmt::Type::Set: {
        const auto& st = static_cast<const SetStmt&>(s);
        bind(st.target, eval(*st.value));
        return Flow::Normal;
      }
      case Stmt::Type::SetBlock: {
        const auto& st = static_cast<const SetBlockStmt&>(s);
        Value v;
        {
          Capture c(*this);
          exec_body(st.body);
          v = Value::from_string(std::move(c.text));
        }
        for (const auto& f : st.filters) v = apply_filter(*f, v);
        bind(st.target, v);
        return Flow::Normal;
      }
      case Stmt::Type::Macro: {
        const auto& st = static_cast<const MacroStmt&>(s);
        assign(st.name, make_macro(st));
        return Flow::Normal;
      }
      case Stmt::Type::FilterBlock: {
        const auto& st = static_cast<const FilterBlockStmt&>(s);
        Value v;
        {
          Capture c(*this);
          exec_body(st.body);
          v = Value::from_string(std::move(c.text));
        }
        for (const auto& f : st.filters) v = apply_filter(*f, v);
        write(py_str(v));
        return Flow::Normal;
      }
      case Stmt::Type::With: {
        const auto& st = static_cast<const WithStmt&>(s);
        scopes_.emplace_back();
        for (const auto& [target, expr] : st.assignments) bind(target, eval(*expr));
        Flow f = exec_body(st.body);
        scopes_.pop_back();
        return f;
      }
      case Stmt::Type::Scope: return exec_body(static_cast<const ScopeStmt&>(s).body);
      case Stmt::Type::Break: return Flow::Break;
      case Stmt::Type::Continue: return Flow::Continue;
    }
    return Flow::Normal;
  }

  Flow exec_for(const ForStmt& st) {
    if (st.recursive) error("recursive loops are not supported");
    Value iterable = eval(*st.iter);
    std::vector<Value> items = located(st.line, [&] { return iterate(iterable); });
    if (st.filter) {
      std::vector<Value> kept;
      for (const auto& item : items) {
        scopes_.emplace_back();
        bind(st.target, item);
        bool ok = eval(*st.filter).truth();
        scopes_.pop_back();
        if (ok) kept.push_back(item);
      }
      items = std::move(kept);
    }
    const std::int64_t n = static_cast<std::int64_t>(items.size());
    auto changed_state = std::make_shared<std::vector<Value>>();
    auto has_changed_state = std::make_shared<bool>(false);
    for (std::int64_t i = 0; i < n; ++i) {
      charge(1);
      scopes_.emplace_back();
      bind(st.target, items[static_cast<std::size_t>(i)]);
      std::vector<Value::Pair> loop;
      auto add = [&](const char* k, Value v) { loop.emplace_back(Value::from_string(k), std::move(v)); };
      add("index", Value::from_int(i + 1));
      add("index0", Value::from_int(i));
      add("revindex", Value::from_int(n - i));
      add("revindex0", Value::from_int(n - i - 1));
      add("first", Value::from_bool(i == 0));
      add("last", Value::from_bool(i == n - 1));
      add("length", Value::from_int(n));
      add("depth", Value::from_int(1));
      add("depth0", Value::from_int(0));
      add("previtem", i > 0 ? items[static_cast<std::size_t>(i - 1)] : Value::undefined("there is no previous item"));
      add("nextitem", i + 1 < n ? items[static_cast<std::size_t>(i + 1)] : Value::undefined("there is no next item"));
      add("cycle", Value::callable("cycle", [i](CallArgs& a) -> Value {
            if (a.positional.empty()) fail("no items for cycling given");
            return a.positional[static_cast<std::size_t>(i) % a.positional.size()];
          }));
      add("changed", Value::callable("changed", [changed_state, has_changed_state](CallArgs& a) {
            bool differs = !*has_changed_state || changed_state->size() != a.positional.size();
            for (std::size_t k = 0; !differs && k < a.positional.size(); ++k)
              differs = !py_equal((*changed_state)[k], a.positional[k]);
            *changed_state = a.positional;
            *has_changed_state = true;
            return Value::from_bool(differs);
          }));
      assign("loop", Value::dict(std::move(loop)));
      Flow f = exec_body(st.body);
      scopes_.pop_back();
      if (f == Flow::Break) break;
    }
    if (n == 0) return exec_body(st.else_body);
    return Flow::Normal;
  }

  Value make_macro(const MacroStmt& m) {
    const MacroStmt* def = &m;
    return Value::callable(m.name, [this, def](CallArgs& a) { return call_macro(*def, a); });
  }

  Value call_macro(const MacroStmt& m, CallArgs& a) {
    if (depth_ >= limits_.max_call_depth) error("maximum recursion depth exceeded in macro '" + m.name + "'");
    std::vector<Scope> saved(scopes_.begin() + 2, scopes_.end());
    scopes_.resize(2);
    scopes_.emplace_back();
    ++depth_;
    int saved_line = line_;
    struct Restore {
      Interpreter& in;
      std::vector<Scope>& saved;
      int line;
      ~Restore() {
        in.scopes_.resize(2);
        for (auto& s : saved) in.scopes_.push_back(std::move(s));
        --in.depth_;
        in.line_ = line;
      }
    } restore{*this, saved, saved_line};
    std::vector<Value> varargs;
    for (std::size_t i = 0; i < a.positional.size(); ++i) {
      if (i < m.params.size())
        assign(m.params[i].first, a.positional[i]);
      else
        varargs.push_back(a.positional[i]);
    }
    std::vector<Value::Pair> kwargs;
    for (const auto& [k, v] : a.keywords) {
      bool is_param = false;
      for (std::size_t i = 0; i < m.params.size(); ++i)
        if (m.params[i].first == k) {
          if (i < a.positional.size()) error(fmt::format("macro '{}' got multiple values for argument '{}'", m.name, k));
          is_param = true;
        }
      if (is_param)
        assign(k, v);
      else
        kwargs.emplace_back(Value::from_string(k), v);
    }
    for (std::size_t i = a.positional.size(); i < m.params.size(); ++i) {
      const auto& [name, def] = m.params[i];
      if (a.keyword(name)) continue;
      assign(name, def ? eval(*def) : Value::undefined(fmt::format("parameter '{}' was not provided", name)));
    }
    assign("varargs", Value::list(std::move(varargs)));
    assign("kwargs", Value::dict(std::move(kwargs)));
    Capture c(*this);
    exec_body(m.body);
    return Value::from_string(std::move(c.text));
  }

  // ---- expressions -------------------------------------------------------
  CallArgs eval_args(const std::vector<ExprPtr>& args, const std::vector<Keyword>& kwargs) {
    CallArgs ca;
    for (const auto& e : args) ca.positional.push_back(eval(*e));
    for (const auto& k : kwargs) ca.keywords.emplace_back(k.name, eval(*k.value));
    return ca;
  }

  Value apply_filter(const FilterExpr& f, const Value& v) {
    CallArgs ca = eval_args(f.args, f.kwargs);
    return located(f.line, [&] { return call_filter(f.name, v, ca, *this); });
  }

  std::optional<std::int64_t> slice_bound(const ExprPtr& e) {
    if (!e) return std::nullopt;
    Value v = eval(*e);
    if (v.is_none()) return std::nullopt;
    if (v.kind() != Kind::Int && v.kind() != Kind::Bool) error("slice indices must be integers or None");
    return v.as_int();
  }

  Value eval(const Expr& e) {
    charge(1);
    switch (e.type) {
      case Expr::Type::Literal: return static_cast<const LiteralExpr&>(e).value;
      case Expr::Type::Name: {
        const auto& n = static_cast<const NameExpr&>(e);
        const Value* v = lookup(n.name);
        return v ? *v : Value::undefined(fmt::format("'{}' is undefined", n.name));
      }
      case Expr::Type::List:
      case Expr::Type::Tuple: {
        std::vector<Value> items;
        for (const auto& i : static_cast<const SeqExpr&>(e).items) items.push_back(eval(*i));
        return e.type == Expr::Type::List ? Value::list(std::move(items)) : Value::tuple(std::move(items));
      }
      case Expr::Type::Dict: {
        std::vector<Value::Pair> pairs;
        for (const auto& [k, v] : static_cast<const DictExpr&>(e).items) pairs.emplace_back(eval(*k), eval(*v));
        return Value::dict(std::move(pairs));
      }
      case Expr::Type::Attr: {
        const auto& a = static_cast<const AttrExpr&>(e);
        Value obj = eval(*a.object);
        return located(e.line, [&] { return get_attribute(obj, a.name); });
      }
      case Expr::Type::Item: {
        const auto& it = static_cast<const ItemExpr&>(e);
        Value obj = eval(*it.object);
        Value key = eval(*it.key);
        return located(e.line, [&] { return get_item(obj, key); });
      }
      case Expr::Type::Slice: return eval_slice(static_cast<const SliceExpr&>(e));
      case Expr::Type::Call: {
        const auto& c = static_cast<const CallExpr&>(e);
        Value callee = eval(*c.callee);
        CallArgs ca = eval_args(c.args, c.kwargs);
        return located(e.line, [&]() -> Value {
          if (callee.is_undefined()) raise_undefined(callee);
          if (callee.kind() != Kind::Callable) fail("'{}' object is not callable", py_type_name(callee));
          return callee.callable_object().call(ca);
        });
      }
      case Expr::Type::Filter: {
        const auto& f = static_cast<const FilterExpr&>(e);
        Value v = f.operand ? eval(*f.operand) : Value();
        return apply_filter(f, v);
      }
      case Expr::Type::Test: {
        const auto& t = static_cast<const TestExpr&>(e);
        Value v = eval(*t.operand);
        CallArgs ca = eval_args(t.args, t.kwargs);
        bool r = located(e.line, [&] { return call_test(t.name, v, ca, *this); });
        return Value::from_bool(t.negated ? !r : r);
      }
      case Expr::Type::Not: return Value::from_bool(!eval(*static_cast<const UnaryExpr&>(e).operand).truth());
      case Expr::Type::Neg:
      case Expr::Type::Pos: {
        Value v = eval(*static_cast<const UnaryExpr&>(e).operand);
        return located(e.line, [&]() -> Value {
          if (v.is_undefined()) raise_undefined(v);
          if (!v.is_number()) fail("bad operand type for unary {}: '{}'", e.type == Expr::Type::Neg ? "-" : "+", py_type_name(v));
          if (e.type == Expr::Type::Pos) return v.kind() == Kind::Bool ? Value::from_int(v.as_int()) : v;
          if (v.kind() == Kind::Float) return Value::from_float(-v.as_number());
          if (v.as_int() == INT64_MIN) fail("integer overflow");
          return Value::from_int(-v.as_int());
        });
      }
      case Expr::Type::And:
      case Expr::Type::Or: {
        const auto& b = static_cast<const BinaryExpr&>(e);
        Value l = eval(*b.left);
        if (l.truth() == (e.type == Expr::Type::Or)) return l;
        return eval(*b.right);
      }
      case Expr::Type::Binary: {
        const auto& b = static_cast<const BinaryExpr&>(e);
        Value l = eval(*b.left);
        Value r = eval(*b.right);
        return located(e.line, [&] { return binary_op(b.op, l, r, *this); });
      }
      case Expr::Type::Compare: {
        const auto& c = static_cast<const CompareExpr&>(e);
        Value left = eval(*c.first);
        for (const auto& step : c.ops) {
          Value right = eval(*step.second);
          const std::string& op = step.first;
          bool ok = located(e.line, [&] { return compare_op(op, left, right); });
          if (!ok) return Value::from_bool(false);
          left = std::move(right);
        }
        return Value::from_bool(true);
      }
      case Expr::Type::Concat: {
        std::string s;
        for (const auto& p : static_cast<const ConcatExpr&>(e).parts) {
          s += py_str(eval(*p));
          if (s.size() > limits_.max_output_bytes) error("string too long");
        }
        return Value::from_string(std::move(s));
      }
      case Expr::Type::Cond: {
        const auto& c = static_cast<const CondExpr&>(e);
        if (eval(*c.test).truth()) return eval(*c.then_value);
        if (c.else_value) return eval(*c.else_value);
        return Value::undefined(fmt::format(
            "the inline if-expression on line {} evaluated to false and no else section was defined.", e.line));
      }
    }
    error("unknown expression");
  }

  Value eval_slice(const SliceExpr& s) {
    Value obj = eval(*s.object);
    auto start = slice_bound(s.start), stop = slice_bound(s.stop), step = slice_bound(s.step);
    return located(s.line, [&]() -> Value {
      if (obj.is_undefined()) raise_undefined(obj);
      if (obj.is_string()) {
        std::u32string u = py::decode(obj.as_string());
        std::u32string out;
        for (auto i : py::slice_indices(static_cast<std::int64_t>(u.size()), start, stop, step)) out += u[static_cast<std::size_t>(i)];
        return Value::from_string(py::encode(out));
      }
      if (obj.is_sequence()) {
        auto items = obj.items();
        std::vector<Value> out;
        for (auto i : py::slice_indices(static_cast<std::int64_t>(items.size()), start, stop, step))
          out.push_back(items[static_cast<std::size_t>(i)]);
        return obj.kind() == Kind::Tuple ? Value::tuple(std::move(out)) : Value::list(std::move(out));
      }
      fail("'{}' object is not subscriptable", py_type_name(obj));
    });
  }
};

}  // namespace

Template Template::parse(std::string_view source) {
  Template t;
  auto body = std::make_shared<Body>(jinja::parse(tokenize(source)));
  t.body_ = std::move(body);
  return t;
}

std::string Template::render(const std::vector<std::pair<std::string, Value>>& variables, const RenderLimits& limits) const {
  Interpreter in(limits);
  return in.run(*static_cast<const Body*>(body_.get()), variables);
}

}  // namespace corral::jinja
