// Go text/template semantics of gotmpl: trimming, control structures,
// variable scoping, builtins, Go's fmt printing, comparisons across integer
// kinds, parse and execution errors with positions, and execution limits.
// Expected strings are what Go's text/template produces for these inputs.
#include <gtest/gtest.h>

#include "template/gotmpl/go_format.h"
#include "template/gotmpl/go_json.h"
#include "template/gotmpl/template.h"
#include "util/error.h"

namespace corral::gotmpl {
namespace {

const GoType kPoint{"main.Point", {{"X", "x"}, {"Y", "y", true}, {"Name", "name"}}};

Value data() {
  std::vector<Value::Entry> m;
  m.emplace_back("L", Value::slice({Value::from_string("a"), Value::from_string("b"), Value::from_string("c")}));
  m.emplace_back("E", Value::slice({}));
  m.emplace_back("M", Value::map({{"b", Value::from_int(2)}, {"a", Value::from_int(1)}}));
  m.emplace_back("NilMap", Value::nil_map());
  m.emplace_back("S", Value::from_string("str"));
  m.emplace_back("Empty", Value::from_string(""));
  m.emplace_back("U", Value::from_uint(3));
  m.emplace_back("F", Value::from_float(2.5));
  m.emplace_back("T", Value::from_bool(true));
  m.emplace_back("P", Value::structure(kPoint, {Value::from_int(1), Value::from_int(0), Value::from_string("p")}));
  m.emplace_back("PP", Value::structure(kPoint, {Value::from_int(3), Value::from_int(4), Value::from_string("q")}).as_pointer());
  return Value::map(std::move(m));
}

std::string render(std::string_view text, const Value& d = data(), ExecLimits limits = {}) {
  return Template::parse(text).execute(d, limits);
}

std::string error_of(std::string_view text, const Value& d = data(), ExecLimits limits = {}) {
  try {
    render(text, d, limits);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(GoTemplate, TrimMarkers) {
  EXPECT_EQ(render("a  \n {{- \"x\" -}} \n  b"), "axb");
  EXPECT_EQ(render("a {{- /* comment */ -}} b"), "ab");
  EXPECT_EQ(render("a {{/* comment\nover lines */}} b"), "a  b");
  EXPECT_EQ(render("{{-3}}"), "-3");  // a number, not a trim marker
  EXPECT_EQ(render("x\n{{- if true }}\ny{{ end -}}\n"), "x\ny");
}

TEST(GoTemplate, IfElseChains) {
  const char* t = "{{if eq .S \"a\"}}A{{else if eq .S \"str\"}}S{{else}}X{{end}}";
  EXPECT_EQ(render(t), "S");
  EXPECT_EQ(render("{{if .Empty}}y{{else}}n{{end}}{{if .L}}y{{end}}{{if .E}}y{{else}}n{{end}}"), "nyn");
  EXPECT_EQ(render("{{with .Missing}}x{{else}}y{{end}}{{with .S}}<{{.}}>{{end}}"), "y<str>");
  EXPECT_EQ(render("{{with .Empty}}x{{else with .S}}[{{.}}]{{end}}"), "[str]");
}

TEST(GoTemplate, RangeForms) {
  EXPECT_EQ(render("{{range .L}}{{.}}{{end}}"), "abc");
  EXPECT_EQ(render("{{range $i, $e := .L}}{{$i}}={{$e}};{{end}}"), "0=a;1=b;2=c;");
  EXPECT_EQ(render("{{range $e := .L}}{{$e}}{{end}}"), "abc");  // one variable: the element
  EXPECT_EQ(render("{{range $k, $v := .M}}{{$k}}{{$v}}{{end}}"), "a1b2");  // map keys sorted
  EXPECT_EQ(render("{{range .E}}x{{else}}empty{{end}}"), "empty");
  EXPECT_EQ(render("{{range .NilMap}}x{{else}}nil{{end}}"), "nil");
  EXPECT_EQ(render("{{range .Missing}}x{{else}}missing{{end}}"), "missing");
  EXPECT_EQ(render("{{range 3}}{{.}}{{end}}"), "012");
  EXPECT_EQ(render("{{range .L}}{{if eq . \"b\"}}{{break}}{{end}}{{.}}{{end}}"), "a");
  EXPECT_EQ(render("{{range .L}}{{if eq . \"b\"}}{{continue}}{{end}}{{.}}{{end}}"), "ac");
  EXPECT_EQ(render("{{range .L}}{{$.S}}{{end}}"), "strstrstr");
  EXPECT_NE(error_of("{{range .S}}x{{end}}").find("range can't iterate over str"), std::string::npos);
}

TEST(GoTemplate, VariableScopes) {
  EXPECT_EQ(render("{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}"), "21");
  EXPECT_EQ(render("{{$x := 1}}{{if true}}{{$x = 2}}{{end}}{{$x}}"), "2");
  EXPECT_EQ(render("{{$s := \"\"}}{{range .L}}{{$s = printf \"%s%s\" $s .}}{{end}}{{$s}}"), "abc");
  EXPECT_EQ(render("{{range .L}}{{$y := .}}{{end}}{{$x := 5}}{{$x}}"), "5");
  EXPECT_NE(error_of("{{if true}}{{$y := 1}}{{end}}{{$y}}").find("undefined variable \"$y\""), std::string::npos);
  EXPECT_EQ(render("{{define \"T\"}}{{$}}{{end}}{{template \"T\" .S}}"), "str");
}

TEST(GoTemplate, Printf) {
  EXPECT_EQ(render("{{printf \"%s-%d-%v-%q-%t-%.2f\" \"a\" 3 4.5 \"q\" true 3.14159}}"), "a-3-4.5-\"q\"-true-3.14");
  EXPECT_EQ(render("{{printf \"%5d|%-5d|%05d|%+d\" 42 42 42 42}}"), "   42|42   |00042|+42");
  EXPECT_EQ(render("{{printf \"%x %X %o %b %c %U\" 255 255 8 5 65 65}}"), "ff FF 10 101 A U+0041");
  EXPECT_EQ(render("{{printf \"%6.2f|%e|%g\" 3.14159 1234.5678 0.000012}}"), "  3.14|1.234568e+03|1.2e-05");
  EXPECT_EQ(render("{{printf \"%d\" \"hi\"}}"), "%!d(string=hi)");
  EXPECT_EQ(render("{{printf \"%d %d\" 1}}"), "1 %!d(MISSING)");
  EXPECT_EQ(render("{{printf \"%d\" 1 2}}"), "1%!(EXTRA int=2)");
  EXPECT_EQ(render("{{printf \"%v|%+v\" .P .P}}"), "{1 0 p}|{X:1 Y:0 Name:p}");
  EXPECT_EQ(render("{{printf \"%v\" .PP}}"), "&{3 4 q}");
  EXPECT_EQ(render("{{printf \"%s|%10s|%-4s|%.2s\" .L \"r\" \"l\" \"trunc\"}}"), "[a b c]|         r|l   |tr");
  EXPECT_EQ(render("{{printf \"%q\" \"a\\tb\\u00e9\"}}"), "\"a\\tb\u00e9\"");
  EXPECT_EQ(render("{{printf \"100%%\"}}"), "100%");
}

TEST(GoTemplate, PrintFamilyAndGoFormatting) {
  EXPECT_EQ(render("{{print 1 2 \"a\" \"b\" 3}}"), "1 2ab3");
  EXPECT_EQ(render("{{println 1 \"a\" 2}}"), "1 a 2\n");
  EXPECT_EQ(render("{{1e6}} {{1.5}} {{3.0}} {{0.0001}} {{0.00001}} {{123456.0}}"), "1e+06 1.5 3 0.0001 1e-05 123456");
  EXPECT_EQ(render("{{.M}} {{.NilMap}} {{.L}} {{.E}} {{.P}} {{.PP}} {{.T}}"), "map[a:1 b:2] map[] [a b c] [] {1 0 p} {3 4 q} true");
  EXPECT_EQ(render("{{.Missing}}|{{print .Missing}}|{{print nil}}"), "<no value>|<nil>|<nil>");
  EXPECT_EQ(render("{{ 'a' }} {{ printf \"%c\" 'a' }} {{ 0x1F }} {{ 1_000 }} {{ 0b101 }} {{ 0o17 }}"), "97 a 31 1000 5 15");
  EXPECT_EQ(render("{{ `a\\nb` }}|{{ \"a\\x41\\u00e9\" }}"), "a\\nb|aA\u00e9");
}

TEST(GoTemplate, ComparisonsFollowGoRules) {
  EXPECT_EQ(render("{{eq .U 3}} {{lt -1 .U}} {{gt .U 5}} {{eq .U -3}}"), "true true false false");
  EXPECT_EQ(render("{{eq \"a\" \"b\" \"a\"}} {{eq \"a\" \"b\" \"c\"}}"), "true false");
  EXPECT_EQ(render("{{eq .Missing \"x\"}} {{ne 1 2}} {{le 2 2}} {{ge 1 2}} {{gt \"b\" \"a\"}}"), "false true true false true");
  EXPECT_EQ(render("{{eq .F 2.5}} {{lt .F 3.0}}"), "true true");
  EXPECT_NE(error_of("{{eq 1 1.0}}").find("error calling eq: incompatible types for comparison"), std::string::npos);
  EXPECT_NE(error_of("{{lt true false}}").find("invalid type for comparison"), std::string::npos);
  EXPECT_NE(error_of("{{lt .L .L}}").find("invalid type for comparison"), std::string::npos);
  EXPECT_NE(error_of("{{eq 1}}").find("missing argument for comparison"), std::string::npos);
}

TEST(GoTemplate, AndOrNotShortCircuit) {
  EXPECT_EQ(render("{{and 1 0 2}}|{{and 1 2}}|{{or 0 \"\" \"x\"}}|{{or 0 \"\"}}|{{not 0}}|{{not .S}}"), "0|2|x||true|false");
  EXPECT_EQ(render("{{or 1 (index .L 99)}}"), "1");  // the failing index is never evaluated
  EXPECT_EQ(render("{{and 0 (index .L 99)}}"), "0");
  EXPECT_EQ(render("{{if and .S (eq .S \"str\")}}ok{{end}}"), "ok");
}

TEST(GoTemplate, LenIndexSlice) {
  EXPECT_EQ(render("{{len \"h\xC3\xA9llo\"}} {{len .L}} {{len .M}} {{.L | len}}"), "6 3 2 3");
  EXPECT_EQ(render("{{index .L 1}} {{index .M \"a\"}} {{index \"abc\" 1}} {{index .M \"zz\"}}"), "b 1 98 <no value>");
  EXPECT_EQ(render("{{slice \"hello\" 1 3}} {{slice .L 1}} {{slice .L 1 2}} {{slice .L}}"), "el [b c] [b] [a b c]");
  EXPECT_NE(error_of("{{index .L 5}}").find("error calling index: index out of range: 5"), std::string::npos);
  EXPECT_NE(error_of("{{slice .L 2 1}}").find("invalid slice index: 2 > 1"), std::string::npos);
  EXPECT_NE(error_of("{{len 3}}").find("len of type int"), std::string::npos);
}

TEST(GoTemplate, EscapingBuiltins) {
  EXPECT_EQ(render("{{html \"<a href='x'>&\\\"\"}}"), "&lt;a href=&#39;x&#39;&gt;&amp;&#34;");
  EXPECT_EQ(render("{{js \"a'b\\\"<=>&\\n\"}}"), "a\\'b\\\"\\u003C\\u003D\\u003E\\u0026\\u000A");
  EXPECT_EQ(render("{{urlquery \"a b&c/d\"}}"), "a+b%26c%2Fd");
  EXPECT_EQ(render("{{html 1 2}}"), "1 2");
}

TEST(GoTemplate, PipelinesChainsAndFields) {
  EXPECT_EQ(render("{{\"abc\" | printf \"%s-%s\" \"x\"}}"), "x-abc");
  EXPECT_EQ(render("{{$n := len .L}}{{$n}}"), "3");
  EXPECT_EQ(render("{{.P.Name}} {{.PP.X}} {{(index .L 0)}} {{$.P.X}}"), "p 3 a 1");
  EXPECT_EQ(render("{{$p := .PP}}{{$p.Name}}"), "q");
  EXPECT_EQ(render("{{(.P).Name}}"), "p");
}

TEST(GoTemplate, DefineTemplateBlock) {
  EXPECT_EQ(render("{{define \"T\"}}[{{.}}]{{end}}{{template \"T\" \"x\"}}{{template \"T\" .S}}"), "[x][str]");
  EXPECT_EQ(render("{{block \"B\" .S}}<{{.}}>{{end}}"), "<str>");
  EXPECT_NE(error_of("{{template \"nope\" .}}").find("template \"nope\" not defined"), std::string::npos);
  ExecLimits lim;
  lim.max_call_depth = 50;
  EXPECT_NE(error_of("{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}", data(), lim)
                .find("exceeded maximum template depth (50)"),
            std::string::npos);
}

TEST(GoTemplate, ParseErrorsCarryLineNumbers) {
  auto parse_error = [](std::string_view t) {
    try {
      Template::parse(t);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(parse_error("line1\n{{ .Foo"), "template: :2: unclosed action");
  EXPECT_EQ(parse_error("{{ if }}x{{ end }}"), "template: :1: missing value for if");
  EXPECT_EQ(parse_error("a\nb\n{{ end }}"), "template: :3: unexpected {{end}}");
  EXPECT_EQ(parse_error("{{ $x }}"), "template: :1: undefined variable \"$x\"");
  EXPECT_EQ(parse_error("{{ foo 1 }}"), "template: :1: function \"foo\" not defined");
  EXPECT_EQ(parse_error("{{ break }}"), "template: :1: {{break}} outside {{range}}");
  EXPECT_EQ(parse_error("{{ if true }}x"), "template: :1: unexpected EOF");
  EXPECT_EQ(parse_error("{{ \"abc }}"), "template: :1: unterminated quoted string");
  EXPECT_EQ(parse_error("{{ .X | 3 }}"), "template: :1: non executable command in pipeline stage 2");
  EXPECT_EQ(parse_error("{{ 3x }}"), "template: :1: bad number syntax: \"3x\"");
  EXPECT_EQ(parse_error("{{/* open"), "template: :1: unclosed comment");
}

TEST(GoTemplate, ExecErrorsCarryPositionAndContext) {
  EXPECT_EQ(error_of("a\n{{ .S.Y }}"),
            "template: :2:3: executing \"\" at <.S.Y>: can't evaluate field Y in type string");
  EXPECT_EQ(error_of("{{ .P.Nope }}"),
            "template: :1:3: executing \"\" at <.P.Nope>: can't evaluate field Nope in type main.Point");
  EXPECT_NE(error_of("{{ .Missing.Field }}").find("nil pointer evaluating interface {}.Field"), std::string::npos);
  EXPECT_NE(error_of("{{ printf 3 }}").find("expected string; found 3"), std::string::npos);
  EXPECT_NE(error_of("{{ len }}").find("wrong number of args for len: want 1 got 0"), std::string::npos);
}

TEST(GoTemplate, LimitsStopRunawayTemplates) {
  ExecLimits lim;
  lim.max_steps = 10000;
  EXPECT_NE(error_of("{{range 100000000}}x{{end}}", data(), lim).find("step limit"), std::string::npos);
  lim = {};
  lim.max_output_bytes = 1000;
  EXPECT_NE(error_of("{{range 2000}}x{{end}}", data(), lim).find("output exceeds 1000 bytes"), std::string::npos);
  EXPECT_EQ(render("{{printf \"%99999999d\" 1}}"), "%!(NOVERB)%!(EXTRA int=1)");
}

TEST(GoJson, MarshalLikeEncodingJson) {
  EXPECT_EQ(go_json_marshal(data().map_find("P")[0]).value(), "{\"x\":1,\"name\":\"p\"}");  // Y omitted (omitempty)
  EXPECT_EQ(go_json_marshal(Value::from_string("<a&b>\u2028\x01\"")).value(), "\"\\u003ca\\u0026b\\u003e\\u2028\\u0001\\\"\"");
  EXPECT_EQ(go_json_marshal(Value::map({{"b", Value::from_float(1e21)}, {"a", Value::from_float(0.1)}})).value(),
            "{\"a\":0.1,\"b\":1e+21}");
  EXPECT_EQ(go_json_marshal(Value::from_float(1e-7)).value(), "1e-7");
  EXPECT_EQ(go_json_marshal(Value::nil_slice()).value(), "null");
  EXPECT_EQ(go_json_marshal(Value::slice({})).value(), "[]");
  EXPECT_EQ(go_json_marshal(Value::from_bytes("hi!")).value(), "\"aGkh\"");
  EXPECT_FALSE(go_json_marshal(Value::from_float(std::nan(""))).has_value());
  Value decoded = go_json_unmarshal("{\"z\":[1,2.5,\"s\",null,true],\"a\":{\"y\":1,\"x\":2}}");
  EXPECT_EQ(go_json_marshal(decoded).value(), "{\"a\":{\"x\":2,\"y\":1},\"z\":[1,2.5,\"s\",null,true]}");
  EXPECT_THROW(go_json_unmarshal("{bad"), Error);
}

TEST(GoFormat, QuoteAndPrintRules) {
  EXPECT_EQ(go_quote("a\"b\\\n\x01\xC3\xA9\xFF"), "\"a\\\"b\\\\\\n\\x01\u00e9\\xff\"");
  EXPECT_EQ(go_quote("\xC2\xA0"), "\"\\u00a0\"");  // NBSP is not printable in Go
  std::vector<Value> args{Value::from_int(1), Value::from_float(2), Value::from_string("x"), Value::from_bool(false)};
  EXPECT_EQ(go_sprint(args), "1 2xfalse");  // no space next to a string operand
  EXPECT_EQ(go_sprintln(args), "1 2 x false\n");
}

}  // namespace
}  // namespace corral::gotmpl
