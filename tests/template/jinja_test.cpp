// Jinja2 semantics of the jinja engine as Hugging Face configures it
// (trim_blocks, lstrip_blocks, loop controls): whitespace control, loops and
// loop variables, scoping, namespaces, macros, filters, tests, Python
// methods and operators, undefined values, errors and limits. Expected
// strings are what Jinja2 renders for these templates.
#include <gtest/gtest.h>

#include "template/jinja/json.h"
#include "template/jinja/template.h"
#include "util/error.h"

namespace corral::jinja {
namespace {

using Vars = std::vector<std::pair<std::string, Value>>;

Vars vars() {
  return {{"name", Value::from_string("World")},
          {"items", Value::list({Value::from_int(1), Value::from_int(2), Value::from_int(3)})},
          {"msgs", from_json_text(R"([{"role":"system","content":"S"},{"role":"user","content":" hi "},
                                      {"role":"assistant","content":"yo","tool_calls":[{"function":{"name":"f","arguments":{"b":1,"a":"x"}}}]}])")},
          {"d", from_json_text(R"({"b": 2, "a": 1, "nested": {"k": [1, 2]}})")},
          {"empty", Value::list({})},
          {"none", Value::none()}};
}

std::string render(std::string_view src, const Vars& v = vars(), RenderLimits limits = {}) {
  return Template::parse(src).render(v, limits);
}

std::string error_of(std::string_view src, const Vars& v = vars(), RenderLimits limits = {}) {
  try {
    render(src, v, limits);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Jinja, WhitespaceControl) {
  EXPECT_EQ(render("a  {{- name -}}  b"), "aWorldb");
  // trim_blocks drops the newline after a block tag, lstrip_blocks the indentation before it.
  EXPECT_EQ(render("{% for i in items %}\n    {% if i > 1 %}\n{{ i }}\n    {% endif %}\n{% endfor %}"), "2\n3\n");
  EXPECT_EQ(render("x\n  {%- if true %} y{% endif %}"), "x y");
  EXPECT_EQ(render("{% if true -%}\n   z\n{%- endif %}"), "z");
  EXPECT_EQ(render("a {# comment #}\nb"), "a b");
  EXPECT_EQ(render("  {%+ if true %}k{% endif %}"), "  k");  // "+" keeps the indentation
  EXPECT_EQ(render("{{ name }}\n"), "World");                 // one trailing newline is dropped
  EXPECT_EQ(render("{% raw %}{{ not evaluated }}{% endraw %}"), "{{ not evaluated }}");
}

TEST(Jinja, LoopsAndLoopVariables) {
  EXPECT_EQ(render("{% for i in items %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.first }}{{ loop.last }}|{% endfor %}"),
            "103TrueFalse|212FalseFalse|321FalseTrue|");
  EXPECT_EQ(render("{% for i in items if i != 2 %}{{ i }}/{{ loop.length }} {% endfor %}"), "1/2 3/2 ");
  EXPECT_EQ(render("{% for i in empty %}x{% else %}none{% endfor %}"), "none");
  EXPECT_EQ(render("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}"), "b=2;a=1;nested={'k': [1, 2]};");
  EXPECT_EQ(render("{% for k in d %}{{ k }}{% endfor %}"), "banested");
  EXPECT_EQ(render("{% for i in items %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}"), "1");
  EXPECT_EQ(render("{% for i in items %}{{ loop.cycle('a', 'b') }}{{ loop.previtem | default('-') }}{% endfor %}"), "a-b1a2");
  EXPECT_EQ(render("{% for m in msgs[::-1] %}{{ m.role[0] }}{% endfor %}"), "aus");
  EXPECT_EQ(render("{% for c in 'ab' %}{{ c }}.{% endfor %}"), "a.b.");
}

TEST(Jinja, ScopingAndNamespaces) {
  // Assignments inside a loop body do not survive the iteration.
  EXPECT_EQ(render("{% set count = 0 %}{% for i in items %}{% set count = count + 1 %}{{ count }}{% endfor %}{{ count }}"), "1110");
  EXPECT_EQ(render("{% set ns = namespace(count=0) %}{% for i in items %}{% set ns.count = ns.count + i %}{% endfor %}{{ ns.count }}"), "6");
  EXPECT_EQ(render("{% if true %}{% set x = 5 %}{% endif %}{{ x }}"), "5");
  EXPECT_EQ(render("{% set a, b = 1, 2 %}{{ b }}{{ a }}"), "21");
  EXPECT_EQ(render("{% set block %}[{{ name }}]{% endset %}{{ block | upper }}"), "[WORLD]");
  EXPECT_EQ(render("{% with x = 3 %}{{ x }}{% endwith %}{{ x is defined }}"), "3False");
}

TEST(Jinja, Macros) {
  EXPECT_EQ(render("{% macro greet(who, punct='!') %}Hi {{ who }}{{ punct }}{% endmacro %}{{ greet(name) }} {{ greet('you', punct='?') }}"),
            "Hi World! Hi you?");
  EXPECT_EQ(render("{% macro m(a) %}{{ a }}{{ varargs | length }}{{ kwargs.z }}{% endmacro %}{{ m(1, 2, 3, z=9) }}"), "129");
  EXPECT_EQ(render("{% macro outer() %}{{ name }}{% endmacro %}{% for i in items %}{% set name = 'x' %}{{ outer() }}{% endfor %}"),
            "WorldWorldWorld");
  RenderLimits lim;
  lim.max_call_depth = 20;
  EXPECT_NE(error_of("{% macro r() %}{{ r() }}{% endmacro %}{{ r() }}", vars(), lim).find("maximum recursion depth"),
            std::string::npos);
}

TEST(Jinja, Filters) {
  EXPECT_EQ(render("{{ '  x  ' | trim }}|{{ 'xxaxx' | trim('x') }}|{{ name | length }}|{{ name | upper }}|{{ name | lower }}"),
            "x|a|5|WORLD|world");
  EXPECT_EQ(render("{{ 'hello wORLD-foo' | title }}|{{ 'hello World' | capitalize }}|{{ 'aXa' | replace('a', 'b') }}"),
            "Hello World-Foo|Hello world|bXb");
  EXPECT_EQ(render("{{ items | join(', ') }}|{{ items | first }}|{{ items | last }}|{{ missing | default('dflt') }}|{{ '' | default('e', true) }}"),
            "1, 2, 3|1|3|dflt|e");
  EXPECT_EQ(render("{{ d | items | list | length }}|{{ items | map('string') | join }}|{{ msgs | map(attribute='role') | join(',') }}"),
            "3|123|system,user,assistant");
  EXPECT_EQ(render("{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | first }}|"
                   "{{ msgs | rejectattr('role', 'in', ['system', 'user']) | list | length }}|{{ items | select('odd') | list }}"),
            " hi |1|[1, 3]");
  EXPECT_EQ(render("{{ '42' | int + 1 }}|{{ '4.7' | int }}|{{ 'x' | int(7) }}|{{ 3 | string ~ 'a' }}|{{ '2.5' | float }}|{{ 7 | float }}"),
            "43|4|7|3a|2.5|7.0");
  EXPECT_EQ(render("{{ 'a\nb\n\nc' | indent(2) }}|{{ 'a\nb' | indent(2, true) }}"), "a\n  b\n\n  c|  a\n  b");
  EXPECT_EQ(render("{{ [3, 1, 2] | sort | list }}|{{ [3, 1, 2] | sort(reverse=true) | first }}|{{ ['b', 'A', 'a'] | unique | list }}"),
            "[1, 2, 3]|3|['b', 'A']");
  EXPECT_EQ(render("{{ items | sum }}|{{ items | max }}|{{ items | min }}|{{ -3 | abs }}|{{ 2.5 | round }}|{{ 3.14159 | round(2) }}"),
            "6|3|1|3|2.0|3.14");
  EXPECT_EQ(render("{{ '<a & b>' | e }}|{{ '<x>' | safe }}|{{ d | dictsort | first }}|{{ 'abc' | reverse }}"),
            "&lt;a &amp; b&gt;|<x>|('a', 1)|cba");
  EXPECT_EQ(render("{{ items | batch(2) | list }}|{{ 'one two  three' | wordcount }}|{{ '%s-%d' | format('a', 3) }}"),
            "[[1, 2], [3]]|3|a-3");
}

TEST(Jinja, ToJsonMatchesTransformers) {
  EXPECT_EQ(render("{{ d | tojson }}"), "{\"b\": 2, \"a\": 1, \"nested\": {\"k\": [1, 2]}}");
  EXPECT_EQ(render("{{ {'x': '<é>\n', 'y': none, 'z': true, 'f': 1.5} | tojson }}"),
            "{\"x\": \"<é>\\n\", \"y\": null, \"z\": true, \"f\": 1.5}");
  EXPECT_EQ(render("{{ d.nested | tojson(indent=2) }}"), "{\n  \"k\": [\n    1,\n    2\n  ]\n}");
  EXPECT_EQ(render("{{ [] | tojson(indent=4) }}{{ {} | tojson }}"), "[]{}");
  EXPECT_EQ(render("{{ msgs[2].tool_calls[0].function.arguments | tojson }}"), "{\"b\": 1, \"a\": \"x\"}");
}

TEST(Jinja, Tests) {
  EXPECT_EQ(render("{{ missing is defined }}{{ name is defined }}{{ none is none }}{{ name is string }}{{ 3 is number }}"),
            "FalseTrueTrueTrueTrue");
  EXPECT_EQ(render("{{ d is mapping }}{{ items is iterable }}{{ items is sequence }}{{ 3 is odd }}{{ 4 is even }}{{ 9 is divisibleby 3 }}"),
            "TrueTrueTrueTrueTrueTrue");
  EXPECT_EQ(render("{{ 2 is equalto 2 }}{{ 'a' is in 'cat' }}{{ name is not none }}{{ true is true }}{{ 1 is true }}{{ 3 is integer }}{{ 3.0 is float }}"),
            "TrueTrueTrueTrueFalseTrueTrue");
  EXPECT_EQ(render("{{ 'abc' is lower }}{{ 'ABC' is upper }}{{ range is callable }}"), "TrueTrueTrue");
}

TEST(Jinja, MethodsAndOperators) {
  EXPECT_EQ(render("{{ ' x '.strip() }}|{{ 'a,b,,c'.split(',') }}|{{ 'a b  c'.split() }}|{{ 'xxhixx'.lstrip('x') }}|{{ 'hi\n\n'.rstrip('\n') }}"),
            "x|['a', 'b', '', 'c']|['a', 'b', 'c']|hixx|hi");
  EXPECT_EQ(render("{{ name.startswith('Wo') }}{{ name.endswith(('x', 'ld')) }}{{ name.upper() }}{{ name.lower() }}{{ name.replace('o', '0') }}"),
            "TrueTrueWORLDworldW0rld");
  EXPECT_EQ(render("{{ 'a</think>b</think>c'.split('</think>')[-1] }}|{{ 'hello'[1:3] }}|{{ 'hello'[::-1] }}|{{ items[-1] }}|{{ items[1:] }}"),
            "c|el|olleh|3|[2, 3]");
  EXPECT_EQ(render("{{ d.get('a') }}{{ d.get('zz', 'no') }}{{ d.keys() | list }}{{ d['b'] }}{{ d.nested.k[1] }}"), "1no['b', 'a', 'nested']22");
  EXPECT_EQ(render("{{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 7 / 2 }} {{ 2 ** 10 }} {{ 1 + 2.5 }} {{ 'ab' * 3 }} {{ [1] + [2] }}"),
            "3 -4 1 2 3.5 1024 3.5 ababab [1, 2]");
  EXPECT_EQ(render("{{ 'i' in 'hi' }}{{ 2 in items }}{{ 'a' in d }}{{ 5 not in items }}{{ 1 < 2 < 3 }}{{ 1 == 1.0 }}{{ 'a' ~ 1 ~ none }}"),
            "TrueTrueTrueTrueTrueTruea1None");
  EXPECT_EQ(render("{{ 'yes' if items else 'no' }}|{{ 'x' if false }}|{{ none or 'fallback' }}|{{ 0 and 1 }}|{{ not empty }}"),
            "yes||fallback|0|True");
  EXPECT_EQ(render("{{ true }} {{ none }} {{ 1.0 }} {{ 1e20 }} {{ [1, 'a', none] }} {{ (1,) }} {{ {'k': 'v'} }}"),
            "True None 1.0 1e+20 [1, 'a', None] (1,) {'k': 'v'}");
  EXPECT_EQ(render("{{ range(3) | list }}{{ range(1, 7, 2) | list }}{{ dict(a=1) }}"), "[0, 1, 2][1, 3, 5]{'a': 1}");
}

TEST(Jinja, UndefinedValues) {
  EXPECT_EQ(render("[{{ missing }}][{{ d.zz }}][{{ items[9] }}][{{ missing | length }}]"), "[][][][0]");
  EXPECT_EQ(render("{% for x in missing %}x{% endfor %}{{ missing ~ 'a' }}{{ not missing }}"), "aTrue");
  EXPECT_NE(error_of("{{ missing.attr }}").find("'missing' is undefined"), std::string::npos);
  EXPECT_NE(error_of("{{ d.zz.yy }}").find("'dict object' has no attribute 'zz'"), std::string::npos);
  EXPECT_NE(error_of("{{ missing + 1 }}").find("'missing' is undefined"), std::string::npos);
}

TEST(Jinja, ErrorsAndSandbox) {
  EXPECT_EQ(error_of("line1\n{{ raise_exception('Roles must alternate') }}"), "jinja: line 2: Roles must alternate");
  EXPECT_NE(error_of("{% for x in items %}").find("unexpected end of template"), std::string::npos);
  EXPECT_NE(error_of("a\nb\n{{ 1 + }}").find("jinja: line 3"), std::string::npos);
  EXPECT_NE(error_of("{% frobnicate %}").find("Encountered unknown tag 'frobnicate'"), std::string::npos);
  EXPECT_NE(error_of("{{ items.append(4) }}").find("access to attribute 'append' of 'list' object is unsafe"), std::string::npos);
  EXPECT_NE(error_of("{{ 'a' + 1 }}").find("unsupported operand type(s) for +: 'str' and 'int'"), std::string::npos);
  EXPECT_NE(error_of("{{ 1 // 0 }}").find("division"), std::string::npos);
  EXPECT_NE(error_of("{% break %}").find("outside of a loop"), std::string::npos);
  EXPECT_NE(error_of("{{ x | nosuchfilter }}").find("No filter named 'nosuchfilter'"), std::string::npos);
  EXPECT_NE(error_of("{{ range(1000000) }}").find("Range too big"), std::string::npos);
  EXPECT_NE(error_of("{% include 'x' %}").find("not supported"), std::string::npos);
}

TEST(Jinja, LimitsStopRunawayTemplates) {
  RenderLimits lim;
  lim.max_output_bytes = 1000;
  EXPECT_NE(error_of("{{ 'x' * 100000 }}", vars(), lim).find("too long"), std::string::npos);
  EXPECT_NE(error_of("{% for i in range(2000) %}xx{% endfor %}", vars(), lim).find("exceeds 1000 bytes"), std::string::npos);
  lim = {};
  lim.max_steps = 5000;
  EXPECT_NE(error_of("{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}", vars(), lim).find("step limit"),
            std::string::npos);
}

TEST(Jinja, StrftimeNow) {
  std::string year = render("{{ strftime_now('%Y') }}");
  ASSERT_EQ(year.size(), 4u);
  EXPECT_GE(std::stoi(year), 2024);
  EXPECT_EQ(render("{{ strftime_now('%d %b %Y') | length }}"), "11");
}

}  // namespace
}  // namespace corral::jinja
