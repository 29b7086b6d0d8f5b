// Syntax tree of a Jinja2 template: expressions (literals, names, attribute
// and item access, slices, calls, filters, tests, operators, conditional
// expressions, list/tuple/dict displays) and statements (output, if, for,
// set, macro, filter blocks, with, block, break/continue).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "template/jinja/value.h"

namespace corral::jinja {

struct Expr {
  enum class Type {
    Literal, Name, List, Tuple, Dict, Attr, Item, Slice, Call, Filter, Test, Not, Neg, Pos, Binary, And, Or,
    Compare, Concat, Cond
  };
  Type type;
  int line;
  Expr(Type t, int l) : type(t), line(l) {}
  virtual ~Expr() = default;
};
using ExprPtr = std::unique_ptr<Expr>;

struct Keyword {
  std::string name;
  ExprPtr value;
};

struct LiteralExpr : Expr {
  Value value;
  LiteralExpr(int l, Value v) : Expr(Type::Literal, l), value(std::move(v)) {}
};
struct NameExpr : Expr {
  std::string name;
  NameExpr(int l, std::string n) : Expr(Type::Name, l), name(std::move(n)) {}
};
// List and Tuple displays.
struct SeqExpr : Expr {
  std::vector<ExprPtr> items;
  SeqExpr(Type t, int l) : Expr(t, l) {}
};
struct DictExpr : Expr {
  std::vector<std::pair<ExprPtr, ExprPtr>> items;
  explicit DictExpr(int l) : Expr(Type::Dict, l) {}
};
struct AttrExpr : Expr {
  ExprPtr object;
  std::string name;
  AttrExpr(int l, ExprPtr o, std::string n) : Expr(Type::Attr, l), object(std::move(o)), name(std::move(n)) {}
};
struct ItemExpr : Expr {
  ExprPtr object, key;
  ItemExpr(int l, ExprPtr o, ExprPtr k) : Expr(Type::Item, l), object(std::move(o)), key(std::move(k)) {}
};
struct SliceExpr : Expr {
  ExprPtr object, start, stop, step;  // any of start/stop/step may be null
  explicit SliceExpr(int l) : Expr(Type::Slice, l) {}
};
struct CallExpr : Expr {
  ExprPtr callee;
  std::vector<ExprPtr> args;
  std::vector<Keyword> kwargs;
  explicit CallExpr(int l) : Expr(Type::Call, l) {}
};
// `x | name(args)`; operand is null inside {% filter %} blocks.
struct FilterExpr : Expr {
  ExprPtr operand;
  std::string name;
  std::vector<ExprPtr> args;
  std::vector<Keyword> kwargs;
  explicit FilterExpr(int l) : Expr(Type::Filter, l) {}
};
struct TestExpr : Expr {
  ExprPtr operand;
  std::string name;
  bool negated = false;
  std::vector<ExprPtr> args;
  std::vector<Keyword> kwargs;
  explicit TestExpr(int l) : Expr(Type::Test, l) {}
};
// Not, Neg, Pos.
struct UnaryExpr : Expr {
  ExprPtr operand;
  UnaryExpr(Type t, int l, ExprPtr o) : Expr(t, l), operand(std::move(o)) {}
};
// Binary (op: + - * / // % **), And, Or.
struct BinaryExpr : Expr {
  std::string op;
  ExprPtr left, right;
  BinaryExpr(Type t, int l, std::string o, ExprPtr a, ExprPtr b)
      : Expr(t, l), op(std::move(o)), left(std::move(a)), right(std::move(b)) {}
};
struct CompareExpr : Expr {
  ExprPtr first;
  std::vector<std::pair<std::string, ExprPtr>> ops;  // eq ne lt lteq gt gteq in notin
  explicit CompareExpr(int l) : Expr(Type::Compare, l) {}
};
struct ConcatExpr : Expr {
  std::vector<ExprPtr> parts;
  explicit ConcatExpr(int l) : Expr(Type::Concat, l) {}
};
struct CondExpr : Expr {
  ExprPtr test, then_value, else_value;  // else_value may be null (undefined)
  explicit CondExpr(int l) : Expr(Type::Cond, l) {}
};

struct Stmt;
using StmtPtr = std::unique_ptr<Stmt>;
using Body = std::vector<StmtPtr>;

struct Stmt {
  enum class Type { Output, Emit, If, For, Set, SetBlock, Macro, FilterBlock, With, Scope, Break, Continue };
  Type type;
  int line;
  Stmt(Type t, int l) : type(t), line(l) {}
  virtual ~Stmt() = default;
};

struct OutputStmt : Stmt {
  std::string text;
  OutputStmt(int l, std::string t) : Stmt(Type::Output, l), text(std::move(t)) {}
};
struct EmitStmt : Stmt {
  ExprPtr value;
  EmitStmt(int l, ExprPtr v) : Stmt(Type::Emit, l), value(std::move(v)) {}
};
struct IfStmt : Stmt {
  std::vector<std::pair<ExprPtr, Body>> branches;
  Body else_body;
  explicit IfStmt(int l) : Stmt(Type::If, l) {}
};
// An assignment target: a name, a namespace attribute (ns.attr) or a tuple of names.
struct Target {
  std::vector<std::string> names;  // one name, or the names of a tuple target
  bool tuple = false;
  std::string attr;  // set for ns.attr: names[0] is the namespace
};
struct ForStmt : Stmt {
  Target target;
  ExprPtr iter, filter;
  Body body, else_body;
  bool recursive = false;
  explicit ForStmt(int l) : Stmt(Type::For, l) {}
};
struct SetStmt : Stmt {
  Target target;
  ExprPtr value;
  explicit SetStmt(int l) : Stmt(Type::Set, l) {}
};
struct SetBlockStmt : Stmt {
  Target target;
  std::vector<std::unique_ptr<FilterExpr>> filters;
  Body body;
  explicit SetBlockStmt(int l) : Stmt(Type::SetBlock, l) {}
};
struct MacroStmt : Stmt {
  std::string name;
  std::vector<std::pair<std::string, ExprPtr>> params;  // default may be null
  Body body;
  explicit MacroStmt(int l) : Stmt(Type::Macro, l) {}
};
struct FilterBlockStmt : Stmt {
  std::vector<std::unique_ptr<FilterExpr>> filters;
  Body body;
  explicit FilterBlockStmt(int l) : Stmt(Type::FilterBlock, l) {}
};
struct WithStmt : Stmt {
  std::vector<std::pair<Target, ExprPtr>> assignments;
  Body body;
  explicit WithStmt(int l) : Stmt(Type::With, l) {}
};
// {% block %} and {% generation %}: the body renders in place.
struct ScopeStmt : Stmt {
  Body body;
  explicit ScopeStmt(int l) : Stmt(Type::Scope, l) {}
};

}  // namespace corral::jinja
