// Grammar: builders, rule bookkeeping and the GBNF-like printer.
#include "grammar/grammar.h"

#include <fmt/format.h>

#include "util/error.h"

namespace corral::grammar {

Expr lit(std::string_view bytes) {
  Expr e;
  e.kind = Expr::Kind::Bytes;
  e.bytes = std::string(bytes);
  return e;
}

Expr set(ByteSet s) {
  Expr e;
  e.kind = Expr::Kind::Set;
  e.set = s;
  return e;
}

Expr ref(RuleId r) {
  Expr e;
  e.kind = Expr::Kind::Ref;
  e.rule = r;
  return e;
}

Expr seq(std::vector<Expr> items) {
  if (items.size() == 1) return std::move(items[0]);
  Expr e;
  e.kind = Expr::Kind::Seq;
  e.items = std::move(items);
  return e;
}

Expr alt(std::vector<Expr> items) {
  if (items.size() == 1) return std::move(items[0]);
  Expr e;
  e.kind = Expr::Kind::Alt;
  e.items = std::move(items);
  return e;
}

Expr repeat(Expr x, std::uint32_t min, std::uint32_t max) {
  if (max != kUnbounded && max < min) fail("grammar: repetition {{{},{}}} has max < min", min, max);
  if (min == 1 && max == 1) return x;
  Expr e;
  e.kind = Expr::Kind::Repeat;
  e.min = min;
  e.max = max;
  e.items.push_back(std::move(x));
  return e;
}

RuleId Grammar::declare(std::string name, bool keep_as_call) {
  if (has_rule(name)) fail("grammar: rule '{}' declared twice", name);
  names_.emplace(name, static_cast<RuleId>(rules_.size()));
  Rule r;
  r.name = std::move(name);
  r.keep_as_call = keep_as_call;
  rules_.push_back(std::move(r));
  return static_cast<RuleId>(rules_.size() - 1);
}

void Grammar::define(RuleId id, Expr body) {
  Rule& r = rules_.at(id);
  if (r.defined) fail("grammar: rule '{}' defined twice", r.name);
  r.body = std::move(body);
  r.defined = true;
}

RuleId Grammar::add(std::string name, Expr body, bool keep_as_call) {
  RuleId id = declare(std::move(name), keep_as_call);
  define(id, std::move(body));
  return id;
}

bool Grammar::has_rule(std::string_view name) const { return names_.count(std::string(name)) != 0; }

std::string Grammar::fresh_name(std::string_view base) const {
  if (!has_rule(base)) return std::string(base);
  for (std::size_t i = 1;; ++i) {
    std::string n = fmt::format("{}-{}", base, i);
    if (!has_rule(n)) return n;
  }
}

std::size_t expr_size(const Expr& e) {
  std::size_t n = 1 + e.bytes.size();
  for (const auto& c : e.items) n += expr_size(c);
  return n;
}

std::size_t Grammar::size() const {
  std::size_t n = 0;
  for (const auto& r : rules_) n += 1 + expr_size(r.body);
  return n;
}

namespace {

void append_byte(std::string& out, unsigned char b, bool in_class) {
  if (b == '"' && !in_class) {
    out += "\\\"";
  } else if (b == '\\') {
    out += "\\\\";
  } else if (in_class && (b == ']' || b == '-' || b == '^')) {
    out += '\\';
    out += static_cast<char>(b);
  } else if (b == '\n') {
    out += "\\n";
  } else if (b == '\t') {
    out += "\\t";
  } else if (b == '\r') {
    out += "\\r";
  } else if (b >= 0x20 && b < 0x7f) {
    out += static_cast<char>(b);
  } else {
    out += fmt::format("\\x{:02X}", b);
  }
}

std::string set_text(const ByteSet& s) {
  std::string out = "[";
  for (int b = 0; b < 256;) {
    if (!s.has(static_cast<unsigned char>(b))) {
      ++b;
      continue;
    }
    int e = b;
    while (e + 1 < 256 && s.has(static_cast<unsigned char>(e + 1))) ++e;
    append_byte(out, static_cast<unsigned char>(b), true);
    if (e > b) {
      if (e > b + 1) out += '-';
      append_byte(out, static_cast<unsigned char>(e), true);
    }
    b = e + 1;
  }
  return out + "]";
}

void print(const Grammar& g, const Expr& e, std::string& out, bool nested) {
  switch (e.kind) {
    case Expr::Kind::Bytes:
      out += '"';
      for (char c : e.bytes) append_byte(out, static_cast<unsigned char>(c), false);
      out += '"';
      return;
    case Expr::Kind::Set:
      out += set_text(e.set);
      return;
    case Expr::Kind::Ref:
      out += e.rule < g.rules().size() ? g.rule(e.rule).name : fmt::format("<rule {}>", e.rule);
      return;
    case Expr::Kind::Seq:
    case Expr::Kind::Alt: {
      const bool is_alt = e.kind == Expr::Kind::Alt;
      if (e.items.empty()) {
        out += is_alt ? "[]" : "\"\"";
        return;
      }
      if (nested) out += '(';
      for (std::size_t i = 0; i < e.items.size(); ++i) {
        if (i) out += is_alt ? " | " : " ";
        print(g, e.items[i], out, true);
      }
      if (nested) out += ')';
      return;
    }
    case Expr::Kind::Repeat: {
      print(g, e.items[0], out, true);
      if (e.min == 0 && e.max == 1)
        out += '?';
      else if (e.min == 0 && e.max == kUnbounded)
        out += '*';
      else if (e.min == 1 && e.max == kUnbounded)
        out += '+';
      else if (e.max == kUnbounded)
        out += fmt::format("{{{},}}", e.min);
      else if (e.min == e.max)
        out += fmt::format("{{{}}}", e.min);
      else
        out += fmt::format("{{{},{}}}", e.min, e.max);
      return;
    }
  }
}

}  // namespace

std::string expr_text(const Grammar& g, const Expr& e) {
  std::string out;
  print(g, e, out, false);
  return out;
}

std::string Grammar::to_text() const {
  std::string out;
  auto line = [&](const Rule& r) { out += r.name + " ::= " + expr_text(*this, r.body) + "\n"; };
  if (root_ < rules_.size()) line(rules_[root_]);
  for (std::size_t i = 0; i < rules_.size(); ++i)
    if (i != root_) line(rules_[i]);
  return out;
}

}  // namespace corral::grammar
