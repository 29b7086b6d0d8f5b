// Recursive-descent parser for Jinja2 templates.
#include "template/jinja/parser.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <set>

#include "util/error.h"

namespace corral::jinja {

namespace {

constexpr int kMaxNesting = 300;

class Parser {
 public:
  explicit Parser(const std::vector<Token>& t) : toks_(t) {}

  Body parse_template() {
    auto [body, end] = parse_body({});
    (void)end;
    return std::move(body);
  }

 private:
  const std::vector<Token>& toks_;
  std::size_t i_ = 0;
  int nesting_ = 0;
  int loop_depth_ = 0;

  const Token& cur() const { return toks_[i_]; }
  const Token& peek(std::size_t n = 1) const { return toks_[std::min(i_ + n, toks_.size() - 1)]; }
  void advance() {
    if (i_ + 1 < toks_.size()) ++i_;
  }

  [[noreturn]] void error(const std::string& msg) { fail("jinja: line {}: {}", cur().line, msg); }

  std::string describe(const Token& t) const {
    switch (t.type) {
      case TokenType::Eof: return "end of template";
      case TokenType::VarEnd: return "end of print statement";
      case TokenType::BlockEnd: return "end of statement block";
      case TokenType::VarBegin: return "begin of print statement";
      case TokenType::BlockBegin: return "begin of statement block";
      case TokenType::String: return "string";
      case TokenType::Data: return "template data";
      default: return "'" + t.value + "'";
    }
  }

  bool is_op(const char* op) const { return cur().type == TokenType::Op && cur().value == op; }
  bool is_name(const char* n) const { return cur().type == TokenType::Name && cur().value == n; }
  bool skip_op(const char* op) {
    if (!is_op(op)) return false;
    advance();
    return true;
  }
  bool skip_name(const char* n) {
    if (!is_name(n)) return false;
    advance();
    return true;
  }
  void expect_op(const char* op) {
    if (!skip_op(op)) error(fmt::format("expected '{}', got {}", op, describe(cur())));
  }
  std::string expect_name() {
    if (cur().type != TokenType::Name) error("expected name, got " + describe(cur()));
    std::string n = cur().value;
    advance();
    return n;
  }
  void expect_block_end() {
    if (cur().type != TokenType::BlockEnd) error("expected end of statement block, got " + describe(cur()));
    advance();
  }

  struct Depth {
    Parser& p;
    explicit Depth(Parser& parser) : p(parser) {
      if (++p.nesting_ > kMaxNesting) p.error("template nested too deeply");
    }
    ~Depth() { --p.nesting_; }
  };

  // ---- statements ------------------------------------------------------
  // Parses until a {% tag %} named in `ends`; returns the body and that tag
  // name (the tag's remaining tokens are left for the caller).
  std::pair<Body, std::string> parse_body(const std::set<std::string>& ends) {
    Depth d(*this);
    Body body;
    for (;;) {
      const Token& t = cur();
      switch (t.type) {
        case TokenType::Data:
          body.push_back(std::make_unique<OutputStmt>(t.line, t.value));
          advance();
          break;
        case TokenType::VarBegin: {
          advance();
          int line = cur().line;
          ExprPtr e = parse_tuple(false, true, {}, false);
          if (cur().type != TokenType::VarEnd) error("expected end of print statement, got " + describe(cur()));
          advance();
          body.push_back(std::make_unique<EmitStmt>(line, std::move(e)));
          break;
        }
        case TokenType::BlockBegin: {
          advance();
          int line = cur().line;
          std::string name = expect_name();
          if (ends.count(name)) return {std::move(body), name};
          body.push_back(parse_statement(name, line));
          break;
        }
        case TokenType::Eof:
          if (!ends.empty()) {
            std::string list;
            for (const auto& e : ends) list += (list.empty() ? "'" : " or '") + e + "'";
            error("unexpected end of template, expected " + list);
          }
          return {std::move(body), ""};
        default: error("unexpected " + describe(t));
      }
    }
  }

  StmtPtr parse_statement(const std::string& name, int line) {
    if (name == "if") return parse_if(line);
    if (name == "for") return parse_for(line);
    if (name == "set") return parse_set(line);
    if (name == "macro") return parse_macro(line);
    if (name == "filter") return parse_filter_block(line);
    if (name == "with") return parse_with(line);
    if (name == "block" || name == "generation") {
      std::string end = name == "block" ? "endblock" : "endgeneration";
      if (name == "block") {
        expect_name();
        while (skip_name("scoped") || skip_name("required")) {
        }
      }
      expect_block_end();
      auto s = std::make_unique<ScopeStmt>(line);
      auto [body, tag] = parse_body({end});
      if (cur().type == TokenType::Name) advance();  // {% endblock name %}
      expect_block_end();
      s->body = std::move(body);
      return s;
    }
    if (name == "break" || name == "continue") {
      if (loop_depth_ == 0) error(fmt::format("'{}' outside of a loop", name));
      expect_block_end();
      return std::make_unique<Stmt>(name == "break" ? Stmt::Type::Break : Stmt::Type::Continue, line);
    }
    static const std::set<std::string> unsupported = {"include", "import", "from", "extends", "call", "do",
                                                       "autoescape", "trans", "raw"};
    if (unsupported.count(name)) error(fmt::format("the '{}' tag is not supported", name));
    error(fmt::format("Encountered unknown tag '{}'.", name));
  }

  StmtPtr parse_if(int line) {
    auto s = std::make_unique<IfStmt>(line);
    ExprPtr cond = parse_tuple(false, false, {}, false);
    expect_block_end();
    for (;;) {
      auto [body, tag] = parse_body({"elif", "else", "endif"});
      s->branches.emplace_back(std::move(cond), std::move(body));
      if (tag == "elif") {
        cond = parse_tuple(false, false, {}, false);
        expect_block_end();
        continue;
      }
      if (tag == "else") {
        expect_block_end();
        auto [else_body, end] = parse_body({"endif"});
        s->else_body = std::move(else_body);
      }
      expect_block_end();
      return s;
    }
  }

  Target parse_target(bool with_namespace, const std::set<std::string>& extra_end) {
    Target t;
    if (with_namespace && cur().type == TokenType::Name && peek().type == TokenType::Op && peek().value == ".") {
      t.names.push_back(expect_name());
      advance();
      t.attr = expect_name();
      return t;
    }
    for (;;) {
      if (cur().type != TokenType::Name) error("can't assign to " + describe(cur()));
      t.names.push_back(expect_name());
      if (!is_op(",")) break;
      t.tuple = true;
      advance();
      if (cur().type != TokenType::Name || extra_end.count(cur().value)) break;
    }
    return t;
  }

  StmtPtr parse_for(int line) {
    auto s = std::make_unique<ForStmt>(line);
    s->target = parse_target(false, {"in"});
    if (!skip_name("in")) error("expected 'in', got " + describe(cur()));
    s->iter = parse_tuple(false, false, {"recursive"}, false);
    if (skip_name("if")) s->filter = parse_expression(true);
    if (skip_name("recursive")) s->recursive = true;
    expect_block_end();
    ++loop_depth_;
    auto [body, tag] = parse_body({"endfor", "else"});
    --loop_depth_;
    s->body = std::move(body);
    if (tag == "else") {
      expect_block_end();
      auto [else_body, end] = parse_body({"endfor"});
      s->else_body = std::move(else_body);
    }
    expect_block_end();
    return s;
  }

  StmtPtr parse_set(int line) {
    Target target = parse_target(true, {});
    if (skip_op("=")) {
      auto s = std::make_unique<SetStmt>(line);
      s->target = std::move(target);
      s->value = parse_tuple(false, true, {}, false);
      expect_block_end();
      return s;
    }
    auto s = std::make_unique<SetBlockStmt>(line);
    s->target = std::move(target);
    while (skip_op("|")) s->filters.push_back(parse_filter(nullptr));
    expect_block_end();
    auto [body, tag] = parse_body({"endset"});
    s->body = std::move(body);
    expect_block_end();
    return s;
  }

  StmtPtr parse_macro(int line) {
    auto s = std::make_unique<MacroStmt>(line);
    s->name = expect_name();
    expect_op("(");
    while (!is_op(")")) {
      if (!s->params.empty()) expect_op(",");
      if (is_op(")")) break;
      std::string p = expect_name();
      ExprPtr def;
      if (skip_op("=")) def = parse_expression(true);
      s->params.emplace_back(std::move(p), std::move(def));
    }
    advance();
    expect_block_end();
    int saved = loop_depth_;
    loop_depth_ = 0;
    auto [body, tag] = parse_body({"endmacro"});
    loop_depth_ = saved;
    s->body = std::move(body);
    if (cur().type == TokenType::Name) advance();
    expect_block_end();
    return s;
  }

  StmtPtr parse_filter_block(int line) {
    auto s = std::make_unique<FilterBlockStmt>(line);
    s->filters.push_back(parse_filter(nullptr));
    while (skip_op("|")) s->filters.push_back(parse_filter(nullptr));
    expect_block_end();
    auto [body, tag] = parse_body({"endfilter"});
    s->body = std::move(body);
    expect_block_end();
    return s;
  }

  StmtPtr parse_with(int line) {
    auto s = std::make_unique<WithStmt>(line);
    while (cur().type != TokenType::BlockEnd) {
      if (!s->assignments.empty()) expect_op(",");
      Target t = parse_target(false, {});
      expect_op("=");
      s->assignments.emplace_back(std::move(t), parse_expression(true));
    }
    expect_block_end();
    auto [body, tag] = parse_body({"endwith"});
    s->body = std::move(body);
    expect_block_end();
    return s;
  }

  // ---- expressions -----------------------------------------------------
  bool at_tuple_end(const std::set<std::string>& extra_end) const {
    if (cur().type == TokenType::VarEnd || cur().type == TokenType::BlockEnd || cur().type == TokenType::Eof) return true;
    if (cur().type == TokenType::Op && cur().value == ")") return true;
    return cur().type == TokenType::Name && extra_end.count(cur().value);
  }

  ExprPtr parse_tuple(bool simplified, bool with_condexpr, const std::set<std::string>& extra_end, bool explicit_parens) {
    int line = cur().line;
    std::vector<ExprPtr> args;
    bool is_tuple = false;
    for (;;) {
      if (!args.empty()) expect_op(",");
      if (at_tuple_end(extra_end)) break;
      args.push_back(simplified ? parse_primary() : parse_expression(with_condexpr));
      if (is_op(","))
        is_tuple = true;
      else
        break;
    }
    if (!is_tuple) {
      if (!args.empty()) return std::move(args[0]);
      if (!explicit_parens) error("Expected an expression, got " + describe(cur()));
    }
    auto t = std::make_unique<SeqExpr>(Expr::Type::Tuple, line);
    t->items = std::move(args);
    return t;
  }

  ExprPtr parse_expression(bool with_condexpr) { return with_condexpr ? parse_condexpr() : parse_or(); }

  ExprPtr parse_condexpr() {
    Depth d(*this);
    int line = cur().line;
    ExprPtr e = parse_or();
    while (skip_name("if")) {
      auto c = std::make_unique<CondExpr>(line);
      c->then_value = std::move(e);
      c->test = parse_or();
      if (skip_name("else")) c->else_value = parse_condexpr();
      e = std::move(c);
    }
    return e;
  }

  ExprPtr parse_or() {
    ExprPtr left = parse_and();
    while (is_name("or")) {
      int line = cur().line;
      advance();
      left = std::make_unique<BinaryExpr>(Expr::Type::Or, line, "or", std::move(left), parse_and());
    }
    return left;
  }

  ExprPtr parse_and() {
    ExprPtr left = parse_not();
    while (is_name("and")) {
      int line = cur().line;
      advance();
      left = std::make_unique<BinaryExpr>(Expr::Type::And, line, "and", std::move(left), parse_not());
    }
    return left;
  }

  ExprPtr parse_not() {
    if (is_name("not")) {
      Depth d(*this);
      int line = cur().line;
      advance();
      return std::make_unique<UnaryExpr>(Expr::Type::Not, line, parse_not());
    }
    return parse_compare();
  }

  ExprPtr parse_compare() {
    int line = cur().line;
    ExprPtr first = parse_math1();
    auto c = std::make_unique<CompareExpr>(line);
    for (;;) {
      std::string op;
      if (cur().type == TokenType::Op) {
        const std::string& v = cur().value;
        if (v == "==") op = "eq";
        else if (v == "!=") op = "ne";
        else if (v == "<") op = "lt";
        else if (v == "<=") op = "lteq";
        else if (v == ">") op = "gt";
        else if (v == ">=") op = "gteq";
        if (!op.empty()) advance();
      } else if (is_name("in")) {
        op = "in";
        advance();
      } else if (is_name("not") && peek().type == TokenType::Name && peek().value == "in") {
        op = "notin";
        advance();
        advance();
      }
      if (op.empty()) break;
      c->ops.emplace_back(op, parse_math1());
    }
    if (c->ops.empty()) return first;
    c->first = std::move(first);
    return c;
  }

  ExprPtr parse_math1() {
    ExprPtr left = parse_concat();
    while (is_op("+") || is_op("-")) {
      std::string op = cur().value;
      int line = cur().line;
      advance();
      left = std::make_unique<BinaryExpr>(Expr::Type::Binary, line, op, std::move(left), parse_concat());
    }
    return left;
  }

  ExprPtr parse_concat() {
    int line = cur().line;
    ExprPtr first = parse_math2();
    if (!is_op("~")) return first;
    auto c = std::make_unique<ConcatExpr>(line);
    c->parts.push_back(std::move(first));
    while (skip_op("~")) c->parts.push_back(parse_math2());
    return c;
  }

  ExprPtr parse_math2() {
    ExprPtr left = parse_pow();
    while (is_op("*") || is_op("/") || is_op("//") || is_op("%")) {
      std::string op = cur().value;
      int line = cur().line;
      advance();
      left = std::make_unique<BinaryExpr>(Expr::Type::Binary, line, op, std::move(left), parse_pow());
    }
    return left;
  }

  ExprPtr parse_pow() {
    ExprPtr left = parse_unary(true);
    while (is_op("**")) {
      int line = cur().line;
      advance();
      left = std::make_unique<BinaryExpr>(Expr::Type::Binary, line, "**", std::move(left), parse_unary(true));
    }
    return left;
  }

  ExprPtr parse_unary(bool with_filter) {
    Depth d(*this);
    int line = cur().line;
    ExprPtr node;
    if (is_op("-")) {
      advance();
      node = std::make_unique<UnaryExpr>(Expr::Type::Neg, line, parse_unary(false));
    } else if (is_op("+")) {
      advance();
      node = std::make_unique<UnaryExpr>(Expr::Type::Pos, line, parse_unary(false));
    } else {
      node = parse_primary();
    }
    node = parse_postfix(std::move(node));
    if (with_filter) node = parse_filter_expr(std::move(node));
    return node;
  }

  ExprPtr parse_primary() {
    Depth d(*this);
    const Token& t = cur();
    int line = t.line;
    switch (t.type) {
      case TokenType::Name: {
        std::string n = t.value;
        advance();
        if (n == "true" || n == "True") return std::make_unique<LiteralExpr>(line, Value::from_bool(true));
        if (n == "false" || n == "False") return std::make_unique<LiteralExpr>(line, Value::from_bool(false));
        if (n == "none" || n == "None") return std::make_unique<LiteralExpr>(line, Value::none());
        return std::make_unique<NameExpr>(line, n);
      }
      case TokenType::String: {
        std::string s;
        while (cur().type == TokenType::String) {
          s += cur().value;
          advance();
        }
        return std::make_unique<LiteralExpr>(line, Value::from_string(std::move(s)));
      }
      case TokenType::Int: {
        errno = 0;
        char* end = nullptr;
        long long v = std::strtoll(t.value.c_str(), &end, 10);
        if (errno == ERANGE) error("integer literal " + t.value + " is too large");
        advance();
        return std::make_unique<LiteralExpr>(line, Value::from_int(v));
      }
      case TokenType::Float: {
        double v = std::strtod(t.value.c_str(), nullptr);
        advance();
        return std::make_unique<LiteralExpr>(line, Value::from_float(v));
      }
      case TokenType::Op:
        if (t.value == "(") {
          advance();
          ExprPtr e = parse_tuple(false, true, {}, true);
          expect_op(")");
          return e;
        }
        if (t.value == "[") {
          advance();
          auto l = std::make_unique<SeqExpr>(Expr::Type::List, line);
          while (!is_op("]")) {
            if (!l->items.empty()) expect_op(",");
            if (is_op("]")) break;
            l->items.push_back(parse_expression(true));
          }
          advance();
          return l;
        }
        if (t.value == "{") {
          advance();
          auto dct = std::make_unique<DictExpr>(line);
          while (!is_op("}")) {
            if (!dct->items.empty()) expect_op(",");
            if (is_op("}")) break;
            ExprPtr k = parse_expression(true);
            expect_op(":");
            dct->items.emplace_back(std::move(k), parse_expression(true));
          }
          advance();
          return dct;
        }
        break;
      default: break;
    }
    error("unexpected " + describe(t));
  }

  ExprPtr parse_postfix(ExprPtr node) {
    for (;;) {
      if (is_op(".") || is_op("[")) {
        node = parse_subscript(std::move(node));
      } else if (is_op("(")) {
        node = parse_call(std::move(node));
      } else {
        return node;
      }
    }
  }

  ExprPtr parse_filter_expr(ExprPtr node) {
    for (;;) {
      if (is_op("|")) {
        advance();
        auto f = parse_filter(std::move(node));
        node = std::move(f);
      } else if (is_name("is")) {
        node = parse_test(std::move(node));
      } else if (is_op("(")) {
        node = parse_call(std::move(node));
      } else {
        return node;
      }
    }
  }

  ExprPtr parse_subscript(ExprPtr node) {
    Depth d(*this);
    int line = cur().line;
    if (skip_op(".")) {
      if (cur().type == TokenType::Name) return std::make_unique<AttrExpr>(line, std::move(node), expect_name());
      if (cur().type == TokenType::Int) {
        auto key = std::make_unique<LiteralExpr>(line, Value::from_int(std::strtoll(cur().value.c_str(), nullptr, 10)));
        advance();
        return std::make_unique<ItemExpr>(line, std::move(node), std::move(key));
      }
      error("expected name or number, got " + describe(cur()));
    }
    expect_op("[");
    std::vector<ExprPtr> args;
    std::unique_ptr<SliceExpr> slice;
    while (!is_op("]")) {
      if (!args.empty() || slice) expect_op(",");
      ExprPtr a = parse_subscribed(slice);
      if (a) args.push_back(std::move(a));
    }
    advance();
    if (slice) {
      if (!args.empty()) error("slices cannot be combined with other subscripts");
      slice->object = std::move(node);
      return slice;
    }
    if (args.empty()) error("expected a subscript");
    ExprPtr key;
    if (args.size() == 1) {
      key = std::move(args[0]);
    } else {
      auto t = std::make_unique<SeqExpr>(Expr::Type::Tuple, line);
      t->items = std::move(args);
      key = std::move(t);
    }
    return std::make_unique<ItemExpr>(line, std::move(node), std::move(key));
  }

  // Returns an expression, or null after filling `slice` for a[start:stop:step].
  ExprPtr parse_subscribed(std::unique_ptr<SliceExpr>& slice) {
    int line = cur().line;
    ExprPtr start;
    if (is_op(":")) {
      advance();
    } else {
      ExprPtr e = parse_expression(true);
      if (!is_op(":")) return e;
      advance();
      start = std::move(e);
    }
    slice = std::make_unique<SliceExpr>(line);
    slice->start = std::move(start);
    if (!is_op(":") && !is_op("]") && !is_op(",")) slice->stop = parse_expression(true);
    if (skip_op(":")) {
      if (!is_op("]") && !is_op(",")) slice->step = parse_expression(true);
    }
    return nullptr;
  }

  void parse_call_args(std::vector<ExprPtr>& args, std::vector<Keyword>& kwargs) {
    expect_op("(");
    bool first = true;
    while (!is_op(")")) {
      if (!first) expect_op(",");
      first = false;
      if (is_op(")")) break;
      if (is_op("*") || is_op("**")) error("argument unpacking (*args, **kwargs) is not supported");
      if (cur().type == TokenType::Name && peek().type == TokenType::Op && peek().value == "=") {
        std::string k = expect_name();
        advance();
        kwargs.push_back({std::move(k), parse_expression(true)});
      } else {
        if (!kwargs.empty()) error("positional argument after keyword argument");
        args.push_back(parse_expression(true));
      }
    }
    advance();
  }

  ExprPtr parse_call(ExprPtr callee) {
    Depth d(*this);
    auto c = std::make_unique<CallExpr>(cur().line);
    c->callee = std::move(callee);
    parse_call_args(c->args, c->kwargs);
    return c;
  }

  std::unique_ptr<FilterExpr> parse_filter(ExprPtr operand) {
    Depth d(*this);
    auto f = std::make_unique<FilterExpr>(cur().line);
    f->operand = std::move(operand);
    f->name = expect_name();
    while (is_op(".")) {
      advance();
      f->name += "." + expect_name();
    }
    if (is_op("(")) parse_call_args(f->args, f->kwargs);
    return f;
  }

  ExprPtr parse_test(ExprPtr operand) {
    Depth d(*this);
    auto t = std::make_unique<TestExpr>(cur().line);
    advance();  // "is"
    t->operand = std::move(operand);
    t->negated = skip_name("not");
    t->name = expect_name();
    while (is_op(".")) {
      advance();
      t->name += "." + expect_name();
    }
    if (is_op("(")) {
      parse_call_args(t->args, t->kwargs);
    } else {
      bool arg_start = cur().type == TokenType::Name || cur().type == TokenType::String ||
                       cur().type == TokenType::Int || cur().type == TokenType::Float || is_op("(") || is_op("[") ||
                       is_op("{");
      if (arg_start && !is_name("else") && !is_name("or") && !is_name("and")) {
        if (is_name("is")) error("You cannot chain multiple tests with is");
        t->args.push_back(parse_postfix(parse_primary()));
      }
    }
    return t;
  }
};

}  // namespace

Body parse(const std::vector<Token>& tokens) {
  Parser p(tokens);
  return p.parse_template();
}

}  // namespace corral::jinja
