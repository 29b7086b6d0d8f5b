// Recursive-descent parser for Go text/template.
#include "template/gotmpl/parser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "template/gotmpl/go_format.h"
#include "template/gotmpl/lexer.h"
#include "util/error.h"
#include "util/utf8.h"

namespace corral::gotmpl {

namespace {

constexpr int kMaxNesting = 400;

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// strconv.UnquoteChar: decodes one character or escape of a literal quoted by `quote`.
bool unquote_char(std::string_view s, std::size_t& pos, char quote, std::string& out) {
  unsigned char c = static_cast<unsigned char>(s[pos]);
  if (c == static_cast<unsigned char>(quote) && (quote == '\'' || quote == '"')) return false;
  if (c != '\\') {
    int len = utf8::sequence_length(c);
    if (len <= 1 || pos + static_cast<std::size_t>(len) > s.size()) {
      out += static_cast<char>(c);
      ++pos;
    } else {
      out.append(s.substr(pos, static_cast<std::size_t>(len)));
      pos += static_cast<std::size_t>(len);
    }
    return true;
  }
  if (pos + 1 >= s.size()) return false;
  char e = s[pos + 1];
  pos += 2;
  switch (e) {
    case 'a': out += '\a'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case 'n': out += '\n'; return true;
    case 'r': out += '\r'; return true;
    case 't': out += '\t'; return true;
    case 'v': out += '\v'; return true;
    case '\\': out += '\\'; return true;
    case '\'':
    case '"':
      if (e != quote) return false;
      out += e;
      return true;
    case 'x':
    case 'u':
    case 'U': {
      int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
      if (pos + static_cast<std::size_t>(n) > s.size()) return false;
      std::uint32_t v = 0;
      for (int i = 0; i < n; ++i) {
        int h = hex_value(s[pos + static_cast<std::size_t>(i)]);
        if (h < 0) return false;
        v = v * 16 + static_cast<std::uint32_t>(h);
      }
      pos += static_cast<std::size_t>(n);
      if (e == 'x') {
        out += static_cast<char>(v);
        return true;
      }
      if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return false;
      utf8::append(out, static_cast<char32_t>(v));
      return true;
    }
    default:
      if (e >= '0' && e <= '7') {
        if (pos + 2 > s.size()) return false;
        std::uint32_t v = static_cast<std::uint32_t>(e - '0');
        for (int i = 0; i < 2; ++i) {
          char d = s[pos + static_cast<std::size_t>(i)];
          if (d < '0' || d > '7') return false;
          v = v * 8 + static_cast<std::uint32_t>(d - '0');
        }
        if (v > 255) return false;
        pos += 2;
        out += static_cast<char>(v);
        return true;
      }
      return false;
  }
}

// Go's underscoreOK: '_' only between digits (a base prefix counts as a digit).
bool underscores_ok(std::string_view s) {
  char saw = '^';
  std::size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s = s.substr(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x' || p == 'o' || p == 'b') {
      hex = p == 'x';
      i = 2;
      saw = '0';
    }
  }
  for (; i < s.size(); ++i) {
    char c = s[i];
    if ((c >= '0' && c <= '9') || (hex && hex_value(c) >= 0)) {
      saw = '0';
      continue;
    }
    if (c == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

// strconv.ParseUint(s, 0, 64).
bool parse_uint(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  int base = 10;
  std::string_view digits = s;
  bool prefixed = false;
  if (s.size() >= 2 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    if (p == 'x') base = 16, digits = s.substr(2), prefixed = true;
    else if (p == 'o') base = 8, digits = s.substr(2), prefixed = true;
    else if (p == 'b') base = 2, digits = s.substr(2), prefixed = true;
    else base = 8, digits = s.substr(1), prefixed = true;
  }
  if (digits.empty() && !(base == 8 && s == "0")) return false;
  (void)prefixed;
  bool underscores = false;
  std::uint64_t v = 0;
  for (char c : digits) {
    if (c == '_') {
      underscores = true;
      continue;
    }
    int d = hex_value(c);
    if (d < 0 || d >= base) return false;
    if (v > (UINT64_MAX - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base)) return false;
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  if (underscores && !underscores_ok(s)) return false;
  out = v;
  return true;
}

// strconv.ParseInt(s, 0, 64).
bool parse_int(std::string_view s, std::int64_t& out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s = s.substr(1);
  }
  std::uint64_t u;
  if (!parse_uint(s, u)) return false;
  if (!neg && u > static_cast<std::uint64_t>(INT64_MAX)) return false;
  if (neg && u > static_cast<std::uint64_t>(INT64_MAX) + 1) return false;
  out = neg ? static_cast<std::int64_t>(0 - u) : static_cast<std::int64_t>(u);
  return true;
}

// strconv.ParseFloat(s, 64) for the spellings the lexer can produce.
bool parse_float(std::string_view s, double& out) {
  if (s.find('_') != std::string_view::npos && !underscores_ok(s)) return false;
  std::string clean;
  for (char c : s)
    if (c != '_') clean += c;
  std::string_view body = clean;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) body = body.substr(1);
  if (body.size() >= 2 && body[0] == '0' && ((body[1] | 0x20) == 'o' || (body[1] | 0x20) == 'b')) return false;
  bool hex = body.size() >= 2 && body[0] == '0' && (body[1] | 0x20) == 'x';
  if (hex && clean.find_first_of("pP") == std::string::npos && clean.find('.') != std::string::npos) return false;
  if (body.empty() || body == ".") return false;
  errno = 0;
  char* end = nullptr;
  double v = std::strtod(clean.c_str(), &end);
  if (end != clean.c_str() + clean.size()) return false;
  if (errno == ERANGE && std::isinf(v)) return false;
  out = v;
  return true;
}

enum class Mark { None, End, Else };

struct Parsed {
  NodePtr node;
  Mark mark = Mark::None;
  std::string text;  // "{{end}}" / "{{else}}" for messages
};

class Parser {
 public:
  Parser(std::string_view name, std::string_view text, const std::function<bool(std::string_view)>& has_function,
         TreeSet& trees)
      : name_(name), lex_(text), has_function_(has_function), trees_(trees) {}

  void parse_main() {
    vars_ = {"$"};
    auto root = std::make_unique<ListNode>(peek().pos, peek().line);
    while (peek().type != Tok::Eof) {
      if (peek().type == Tok::LeftDelim) {
        Item delim = next();
        if (next_non_space().type == Tok::Define) {
          parse_definition();
          continue;
        }
        backup2(delim);
      }
      Parsed p = text_or_action();
      if (p.mark != Mark::None) errorf("unexpected " + p.text);
      root->nodes.push_back(std::move(p.node));
    }
    add_tree(std::string(name_), std::move(root));
  }

 private:
  std::string_view name_;
  Lexer lex_;
  const std::function<bool(std::string_view)>& has_function_;
  TreeSet& trees_;
  Item token_[3];
  int peek_count_ = 0;
  std::vector<std::string> vars_;
  int range_depth_ = 0;
  int nesting_ = 0;
  int action_line_ = 0;

  [[noreturn]] void errorf(const std::string& msg) {
    throw Error("template: " + std::string(name_) + ":" + std::to_string(token_[0].line) + ": " + msg);
  }

  Item next() {
    if (peek_count_ > 0)
      --peek_count_;
    else
      token_[0] = lex_.next_item();
    return token_[peek_count_];
  }
  void backup() { ++peek_count_; }
  void backup2(const Item& t1) {
    token_[1] = t1;
    peek_count_ = 2;
  }
  void backup3(const Item& t2, const Item& t1) {
    token_[1] = t1;
    token_[2] = t2;
    peek_count_ = 3;
  }
  Item peek() {
    if (peek_count_ > 0) return token_[peek_count_ - 1];
    peek_count_ = 1;
    token_[0] = lex_.next_item();
    return token_[0];
  }
  Item next_non_space() {
    Item t;
    do {
      t = next();
    } while (t.type == Tok::Space);
    return t;
  }
  Item peek_non_space() {
    Item t = next_non_space();
    backup();
    return t;
  }
  Item expect(Tok expected, const std::string& context) {
    Item t = next_non_space();
    if (t.type != expected) unexpected(t, context);
    return t;
  }

  [[noreturn]] void unexpected(const Item& token, const std::string& context) {
    if (token.type == Tok::Error) {
      std::string extra;
      if (action_line_ != 0 && action_line_ != token.line) {
        extra = " in action started at " + std::string(name_) + ":" + std::to_string(action_line_);
        if (token.val.ends_with(" action")) extra = extra.substr(std::string(" in action").size());
      }
      errorf(token.val + extra);
    }
    errorf("unexpected " + describe(token) + " in " + context);
  }

  void enter() {
    if (++nesting_ > kMaxNesting) errorf("template nesting too deep");
  }
  void leave() { --nesting_; }

  void add_tree(const std::string& name, std::unique_ptr<ListNode> root) {
    auto it = trees_.find(name);
    if (it == trees_.end() || is_empty_tree(it->second->root.get())) {
      auto t = std::make_shared<Tree>();
      t->name = name;
      t->root = std::move(root);
      trees_[name] = std::move(t);
      return;
    }
    if (!is_empty_tree(root.get())) errorf("template: multiple definition of template \"" + name + "\"");
  }

  void parse_definition() {
    const std::string context = "define clause";
    Item name = next_non_space();
    if (name.type != Tok::String && name.type != Tok::RawString) unexpected(name, context);
    std::string tname;
    if (!go_unquote(name.val, tname)) errorf("invalid syntax");
    expect(Tok::RightDelim, context);
    auto saved_vars = std::move(vars_);
    vars_ = {"$"};
    auto [list, end] = item_list();
    if (end.mark != Mark::End) errorf("unexpected " + end.text + " in " + context);
    vars_ = std::move(saved_vars);
    add_tree(tname, std::move(list));
  }

  std::pair<std::unique_ptr<ListNode>, Parsed> item_list() {
    enter();
    Item first = peek_non_space();
    auto list = std::make_unique<ListNode>(first.pos, first.line);
    while (peek_non_space().type != Tok::Eof) {
      Parsed p = text_or_action();
      if (p.mark != Mark::None) {
        leave();
        return {std::move(list), std::move(p)};
      }
      list->nodes.push_back(std::move(p.node));
    }
    errorf("unexpected EOF");
  }

  Parsed text_or_action() {
    Item token = next_non_space();
    switch (token.type) {
      case Tok::Text: {
        Parsed p;
        p.node = std::make_unique<TextNode>(token.pos, token.line, token.val);
        return p;
      }
      case Tok::LeftDelim: {
        action_line_ = token.line;
        Parsed p = action();
        action_line_ = 0;
        return p;
      }
      default: unexpected(token, "input");
    }
  }

  Parsed action() {
    Item token = next_non_space();
    Parsed p;
    switch (token.type) {
      case Tok::Block: p.node = block_control(); return p;
      case Tok::Break:
      case Tok::Continue: {
        bool is_break = token.type == Tok::Break;
        Item t = next_non_space();
        if (t.type != Tok::RightDelim) unexpected(t, is_break ? "{{break}}" : "{{continue}}");
        if (range_depth_ == 0) errorf(is_break ? "{{break}} outside {{range}}" : "{{continue}} outside {{range}}");
        if (is_break)
          p.node = std::make_unique<BreakNode>(token.pos, token.line);
        else
          p.node = std::make_unique<ContinueNode>(token.pos, token.line);
        return p;
      }
      case Tok::Else: {
        Item pk = peek_non_space();
        if (pk.type != Tok::If && pk.type != Tok::With) expect(Tok::RightDelim, "else");
        p.mark = Mark::Else;
        p.text = "{{else}}";
        return p;
      }
      case Tok::End:
        expect(Tok::RightDelim, "end");
        p.mark = Mark::End;
        p.text = "{{end}}";
        return p;
      case Tok::If: p.node = control(NodeType::If, "if"); return p;
      case Tok::Range: p.node = control(NodeType::Range, "range"); return p;
      case Tok::With: p.node = control(NodeType::With, "with"); return p;
      case Tok::Template: p.node = template_control(); return p;
      default: break;
    }
    backup();
    Item t = peek();
    p.node = std::make_unique<ActionNode>(t.pos, t.line, pipeline("command", Tok::RightDelim));
    return p;
  }

  NodePtr control(NodeType type, const std::string& context) {
    enter();
    std::size_t saved_vars = vars_.size();
    auto node = std::make_unique<BranchNode>(type, 0, 0);
    node->pipe = pipeline(context, Tok::RightDelim);
    node->pos = node->pipe->pos;
    node->line = node->pipe->line;
    if (type == NodeType::Range) ++range_depth_;
    auto [list, next_mark] = item_list();
    if (type == NodeType::Range) --range_depth_;
    node->list = std::move(list);
    if (next_mark.mark == Mark::Else) {
      Tok chained = type == NodeType::If ? Tok::If : type == NodeType::With ? Tok::With : Tok::Error;
      if (chained != Tok::Error && peek().type == chained) {
        Item kw = next();
        node->else_list = std::make_unique<ListNode>(kw.pos, kw.line);
        node->else_list->nodes.push_back(control(type, context));
      } else {
        auto [else_list, end] = item_list();
        if (end.mark != Mark::End) errorf("expected end; found " + end.text);
        node->else_list = std::move(else_list);
      }
    }
    vars_.resize(saved_vars);
    leave();
    return node;
  }

  std::string template_name(const Item& token, const std::string& context) {
    if (token.type != Tok::String && token.type != Tok::RawString) unexpected(token, context);
    std::string s;
    if (!go_unquote(token.val, s)) errorf("invalid syntax");
    return s;
  }

  NodePtr template_control() {
    const std::string context = "template clause";
    Item token = next_non_space();
    std::string name = template_name(token, context);
    auto node = std::make_unique<TemplateNode>(token.pos, token.line, name);
    if (next_non_space().type != Tok::RightDelim) {
      backup();
      node->pipe = pipeline(context, Tok::RightDelim);
    }
    return node;
  }

  NodePtr block_control() {
    const std::string context = "block clause";
    Item token = next_non_space();
    std::string name = template_name(token, context);
    auto node = std::make_unique<TemplateNode>(token.pos, token.line, name);
    node->pipe = pipeline(context, Tok::RightDelim);
    auto saved_vars = std::move(vars_);
    vars_ = {"$"};
    int saved_range = range_depth_;
    range_depth_ = 0;
    auto [list, end] = item_list();
    if (end.mark != Mark::End) errorf("unexpected " + end.text + " in " + context);
    range_depth_ = saved_range;
    vars_ = std::move(saved_vars);
    add_tree(name, std::move(list));
    return node;
  }

  std::unique_ptr<VariableNode> new_variable(const Item& t) {
    std::vector<std::string> ident;
    std::size_t start = 0;
    for (;;) {
      std::size_t dot = t.val.find('.', start);
      ident.push_back(t.val.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    return std::make_unique<VariableNode>(t.pos, t.line, std::move(ident));
  }

  std::unique_ptr<PipeNode> pipeline(const std::string& context, Tok end) {
    enter();
    Item first = peek_non_space();
    auto pipe = std::make_unique<PipeNode>(first.pos, first.line);
  decls:
    if (Item v = peek_non_space(); v.type == Tok::Variable) {
      next();
      Item after = peek();
      Item nxt = peek_non_space();
      if (nxt.type == Tok::Assign || nxt.type == Tok::Declare) {
        pipe->is_assign = nxt.type == Tok::Assign;
        next_non_space();
        pipe->decl.push_back(new_variable(v));
        vars_.push_back(v.val);
      } else if (nxt.type == Tok::Char && nxt.val == ",") {
        next_non_space();
        pipe->decl.push_back(new_variable(v));
        vars_.push_back(v.val);
        if (context == "range" && pipe->decl.size() < 2) {
          Tok t = peek_non_space().type;
          if (t == Tok::Variable || t == Tok::RightDelim || t == Tok::RightParen) goto decls;
          errorf("range can only initialize variables");
        }
        errorf("too many declarations in " + context);
      } else if (after.type == Tok::Space) {
        backup3(v, after);
      } else {
        backup2(v);
      }
    }
    for (;;) {
      Item token = next_non_space();
      if (token.type == end) {
        check_pipeline(*pipe, context);
        leave();
        return pipe;
      }
      switch (token.type) {
        case Tok::Bool: case Tok::CharConstant: case Tok::Complex: case Tok::Dot: case Tok::Field:
        case Tok::Identifier: case Tok::Number: case Tok::Nil: case Tok::RawString: case Tok::String:
        case Tok::Variable: case Tok::LeftParen:
          backup();
          pipe->cmds.push_back(command());
          break;
        default: unexpected(token, context);
      }
    }
  }

  void check_pipeline(const PipeNode& pipe, const std::string& context) {
    if (pipe.cmds.empty()) errorf("missing value for " + context);
    for (std::size_t i = 1; i < pipe.cmds.size(); ++i) {
      switch (pipe.cmds[i]->args[0]->type) {
        case NodeType::Bool: case NodeType::Dot: case NodeType::Nil: case NodeType::Number: case NodeType::String:
          errorf("non executable command in pipeline stage " + std::to_string(i + 1));
        default: break;
      }
    }
  }

  std::unique_ptr<CommandNode> command() {
    Item first = peek_non_space();
    auto cmd = std::make_unique<CommandNode>(first.pos, first.line);
    for (;;) {
      peek_non_space();
      if (NodePtr operand = this->operand()) cmd->args.push_back(std::move(operand));
      Item token = next();
      if (token.type == Tok::Space) continue;
      if (token.type == Tok::RightDelim || token.type == Tok::RightParen) {
        backup();
      } else if (token.type != Tok::Pipe) {
        unexpected(token, "operand");
      }
      break;
    }
    if (cmd->args.empty()) errorf("empty command");
    return cmd;
  }

  NodePtr operand() {
    NodePtr node = term();
    if (!node) return nullptr;
    if (peek().type == Tok::Field) {
      auto chain = std::make_unique<ChainNode>(peek().pos, peek().line, nullptr);
      while (peek().type == Tok::Field) {
        Item f = next();
        chain->field.push_back(f.val.substr(1));
      }
      switch (node->type) {
        case NodeType::Field: {
          auto* fn = static_cast<FieldNode*>(node.get());
          for (auto& f : chain->field) fn->ident.push_back(f);
          return node;
        }
        case NodeType::Variable: {
          auto* vn = static_cast<VariableNode*>(node.get());
          for (auto& f : chain->field) vn->ident.push_back(f);
          return node;
        }
        case NodeType::Bool: case NodeType::String: case NodeType::Number: case NodeType::Nil: case NodeType::Dot:
          errorf("unexpected . after term " + go_quote_str(node->str()));
        default:
          chain->pos = node->pos;
          chain->line = node->line;
          chain->node = std::move(node);
          return chain;
      }
    }
    return node;
  }

  static std::string go_quote_str(const std::string& s) { return go_quote(s); }

  NodePtr term() {
    Item token = next_non_space();
    switch (token.type) {
      case Tok::Identifier:
        if (!has_function_(token.val)) errorf("function \"" + token.val + "\" not defined");
        return std::make_unique<IdentifierNode>(token.pos, token.line, token.val);
      case Tok::Dot: return std::make_unique<DotNode>(token.pos, token.line);
      case Tok::Nil: return std::make_unique<NilNode>(token.pos, token.line);
      case Tok::Variable: {
        auto v = new_variable(token);
        bool known = false;
        for (const auto& name : vars_)
          if (name == v->ident[0]) known = true;
        if (!known) errorf("undefined variable \"" + v->ident[0] + "\"");
        return v;
      }
      case Tok::Field: {
        std::vector<std::string> ident{token.val.substr(1)};
        return std::make_unique<FieldNode>(token.pos, token.line, std::move(ident));
      }
      case Tok::Bool: return std::make_unique<BoolNode>(token.pos, token.line, token.val == "true");
      case Tok::CharConstant:
      case Tok::Complex:
      case Tok::Number: return number(token);
      case Tok::LeftParen: return pipeline("parenthesized pipeline", Tok::RightParen);
      case Tok::String:
      case Tok::RawString: {
        std::string s;
        if (!go_unquote(token.val, s)) errorf("invalid syntax");
        return std::make_unique<StringNode>(token.pos, token.line, token.val, std::move(s));
      }
      default: backup(); return nullptr;
    }
  }

  NodePtr number(const Item& token) {
    auto n = std::make_unique<NumberNode>(token.pos, token.line, token.val);
    const std::string& text = token.val;
    if (token.type == Tok::CharConstant) {
      std::string decoded;
      std::size_t pos = 1;
      if (text.size() < 3 || !unquote_char(text, pos, '\'', decoded) || pos != text.size() - 1)
        errorf("malformed character constant: " + text);
      std::size_t p = 0;
      char32_t cp = decoded.size() == 1 ? static_cast<unsigned char>(decoded[0]) : utf8::decode(decoded, p);
      n->is_int = n->is_uint = n->is_float = true;
      n->int_value = cp;
      n->uint_value = cp;
      n->float_value = cp;
      return n;
    }
    if (token.type == Tok::Complex || (!text.empty() && text.back() == 'i'))
      errorf("complex number " + go_quote_str(text) + " is not supported");
    std::uint64_t u = 0;
    if (parse_uint(text, u)) {
      n->is_uint = true;
      n->uint_value = u;
    }
    std::int64_t i = 0;
    if (parse_int(text, i)) {
      n->is_int = true;
      n->int_value = i;
      if (i == 0) {
        n->is_uint = true;
        n->uint_value = 0;
      }
    }
    if (n->is_int) {
      n->is_float = true;
      n->float_value = static_cast<double>(n->int_value);
    } else if (n->is_uint) {
      n->is_float = true;
      n->float_value = static_cast<double>(n->uint_value);
    } else {
      double f;
      if (parse_float(text, f)) {
        if (text.find_first_of(".eEpP") == std::string::npos) errorf("integer overflow: " + go_quote_str(text));
        n->is_float = true;
        n->float_value = f;
        if (f == std::trunc(f) && std::fabs(f) < 9.2e18) {
          n->is_int = true;
          n->int_value = static_cast<std::int64_t>(f);
        }
        if (f == std::trunc(f) && f >= 0 && f < 1.8e19) {
          n->is_uint = true;
          n->uint_value = static_cast<std::uint64_t>(f);
        }
      }
    }
    if (!n->is_int && !n->is_uint && !n->is_float) errorf("illegal number syntax: " + go_quote_str(text));
    return n;
  }
};

}  // namespace

bool go_unquote(std::string_view quoted, std::string& out) {
  out.clear();
  if (quoted.size() < 2) return false;
  char q = quoted.front();
  if (q != quoted.back()) return false;
  std::string_view body = quoted.substr(1, quoted.size() - 2);
  if (q == '`') {
    if (body.find('`') != std::string_view::npos) return false;
    for (char c : body)
      if (c != '\r') out += c;
    return true;
  }
  if (q != '"') return false;
  if (body.find('\n') != std::string_view::npos) return false;
  std::size_t pos = 0;
  while (pos < body.size())
    if (!unquote_char(body, pos, '"', out)) return false;
  return true;
}

bool is_empty_tree(const Node* n) {
  if (!n) return true;
  switch (n->type) {
    case NodeType::List:
      for (const auto& c : static_cast<const ListNode*>(n)->nodes)
        if (!is_empty_tree(c.get())) return false;
      return true;
    case NodeType::Text: {
      for (char c : static_cast<const TextNode*>(n)->text)
        if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f')) return false;
      return true;
    }
    default: return false;
  }
}

void parse_templates(std::string_view name, std::string_view text,
                     const std::function<bool(std::string_view)>& has_function, TreeSet& trees) {
  Parser p(name, text, has_function, trees);
  p.parse_main();
}

}  // namespace corral::gotmpl
