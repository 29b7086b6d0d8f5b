// JSON Schema -> grammar: hand-written documents each schema must accept
// (also checked against the test validator, so the expectations are
// schema-valid) or reject; clear errors for schemas outside the subset.
#include <gtest/gtest.h>

#include "grammar/json_constraint.h"
#include "grammar/json_schema.h"
#include "match_util.h"
#include "schema_validator.h"
#include "util/error.h"

namespace corral::grammar {
namespace {

using test::matches;
using ojson = nlohmann::ordered_json;

struct Case {
  const char* name;
  const char* schema;
  std::vector<std::string> accept;
  std::vector<std::string> reject;
};

const Case kCases[] = {
    {"pydantic_model",
     R"({"title":"User","type":"object","properties":{"name":{"title":"Name","type":"string"},"age":{"type":"integer"},
         "nick":{"anyOf":[{"type":"string"},{"type":"null"}],"default":null}},"required":["name","age"]})",
     {R"({"name":"Ann","age":3})", R"({"name":"Ann","age":-3,"nick":null})", R"({"name":"Ann","age":3,"nick":"A"})",
      "{ \"name\" : \"x\" ,\n  \"age\" : 0 }"},
     {R"({"age":3,"name":"Ann"})", R"({"name":"Ann"})", R"({"name":"Ann","age":3.5})", R"({"name":"Ann","age":3,"x":1})",
      R"({"name":1,"age":3})", R"({"name":"Ann","age":3,"nick":5})"}},
    {"optional_properties_in_schema_order",
     R"({"type":"object","properties":{"a":{"type":"integer"},"b":{"type":"integer"},"c":{"type":"integer"},"d":{"type":"integer"}},
         "required":["b"]})",
     {R"({"b":1})", R"({"a":1,"b":2})", R"({"b":1,"c":2})", R"({"a":1,"b":2,"c":3,"d":4})", R"({"b":1,"d":2})"},
     {"{}", R"({"a":1})", R"({"b":1,"a":2})", R"({"a":1,"b":2,"d":3,"c":4})", R"({,"b":1})", R"({"b":1,})", R"({"b":1 "c":2})",
      R"({"b":1,"b":2})"}},
    {"all_optional",
     R"({"type":"object","properties":{"x":{"type":"integer"},"y":{"type":"integer"}}})",
     {"{}", R"({"x":1})", R"({"y":1})", R"({"x":1,"y":2})"},
     {R"({"y":1,"x":2})", R"({"x":1,})", R"({"z":1})"}},
    {"additional_properties_true",
     R"({"type":"object","properties":{"id":{"type":"integer"}},"required":["id"],"additionalProperties":true})",
     {R"({"id":1})", R"({"id":1,"extra":"x"})", R"({"id":1,"i":[1],"idx":{},"ID":2})", R"({"id":1,"":null})"},
     {R"({"id":1,"id":2})", R"({"extra":1,"id":1})", R"({"id":1,"a\"b":1})"}},
    {"additional_properties_schema",
     R"({"type":"object","additionalProperties":{"type":"number"}})",
     {"{}", R"({"a":1,"b":2.5})"},
     {R"({"a":"x"})"}},
    {"array_bounds",
     R"({"type":"array","items":{"type":"integer"},"minItems":2,"maxItems":3})",
     {"[1,2]", "[1,2,3]", "[ 1 , 2 ]"},
     {"[]", "[1]", "[1,2,3,4]", R"([1,"a"])"}},
    {"nested_arrays",
     R"({"type":"array","items":{"type":"array","items":{"type":"boolean"}}})",
     {"[]", "[[]]", "[[true],[false,true]]"},
     {"[true]", "[[1]]"}},
    {"prefix_items",
     R"({"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],"items":false,"minItems":1})",
     {R"(["a"])", R"(["a",1])"},
     {"[]", "[1]", R"(["a",1,2])", R"(["a","b"])"}},
    {"tuple_items_draft7",
     R"({"type":"array","items":[{"type":"string"},{"type":"integer"}],"additionalItems":{"type":"boolean"}})",
     {"[]", R"(["a"])", R"(["a",1,true,false])"},
     {R"(["a",1,2])"}},
    {"enum_of_mixed_values",
     R"({"enum":["red","green",1,null,{"a":[1]}]})",
     {R"("red")", "1", "null", R"({"a":[1]})"},
     {R"("blue")", R"("Red")", R"({"a":[2]})", R"({"a": [1]})"}},
    {"const", R"({"const":"fixed"})", {R"("fixed")"}, {R"("other")"}},
    {"enum_filtered_by_type", R"({"type":"string","enum":["a",1]})", {R"("a")"}, {"1"}},
    {"recursive_ref",
     R"({"$ref":"#/$defs/Node","$defs":{"Node":{"type":"object","properties":{"value":{"type":"integer"},
         "children":{"type":"array","items":{"$ref":"#/$defs/Node"}}},"required":["value"]}}})",
     {R"({"value":1})", R"({"value":1,"children":[]})", R"({"value":1,"children":[{"value":2,"children":[{"value":3}]}]})"},
     {R"({"value":1,"children":[{}]})"}},
    {"definitions",
     R"({"type":"object","properties":{"p":{"$ref":"#/definitions/Point"}},"required":["p"],
         "definitions":{"Point":{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"number"}},"required":["x","y"]}}})",
     {R"({"p":{"x":1,"y":-2.5}})"},
     {R"({"p":{"x":1}})"}},
    {"any_of_objects",
     R"({"anyOf":[{"type":"object","properties":{"kind":{"const":"circle"},"r":{"type":"number"}},"required":["kind","r"]},
                  {"type":"object","properties":{"kind":{"const":"square"},"side":{"type":"number"}},"required":["kind","side"]}]})",
     {R"({"kind":"circle","r":1.5})", R"({"kind":"square","side":2})"},
     {R"({"kind":"circle","side":2})"}},
    {"one_of", R"({"oneOf":[{"type":"integer"},{"type":"boolean"}]})", {"5", "true"}, {R"("5")"}},
    {"nullable_type_array", R"({"type":["string","null"],"maxLength":3})", {R"("abc")", "null", R"("")"}, {R"("abcd")", "1"}},
    {"nullable_keyword", R"({"type":"integer","nullable":true})", {"5", "null"}, {R"("5")"}},
    {"string_lengths",
     R"({"type":"string","minLength":2,"maxLength":4})",
     {R"("ab")", R"("abcd")", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80x\"", R"("\n\t")", R"("\u00e9a")"},
     {R"("a")", R"("abcde")", R"(""")"}},
    {"format_date", R"({"type":"string","format":"date"})", {R"("2024-02-29")"}, {R"("2024-13-01")", R"("2024-1-01")"}},
    {"format_uuid",
     R"({"type":"string","format":"uuid"})",
     {R"("123e4567-e89b-12d3-a456-426614174000")"},
     {R"("123e4567e89b12d3a456426614174000")"}},
    {"format_date_time",
     R"({"type":"string","format":"date-time"})",
     {R"("2024-01-02T03:04:05Z")", R"("2024-01-02T03:04:05.123+02:00")"},
     {R"("2024-01-02 03:04:05Z")", R"("2024-01-02T24:00:00Z")"}},
    {"format_time", R"({"type":"string","format":"time"})", {R"("23:59:59Z")"}, {R"("23:59:59")"}},
    {"format_ignored", R"({"type":"string","format":"email"})", {R"("not an email")"}, {"1"}},
    {"integer_range", R"({"type":"integer","minimum":1,"maximum":10})", {"1", "10", "5"}, {"0", "11", "-1", "1.0"}},
    {"integer_exclusive", R"({"type":"integer","exclusiveMinimum":0})", {"1", "99"}, {"0", "-5"}},
    {"integer_draft4_exclusive", R"({"type":"integer","minimum":0,"maximum":5,"exclusiveMaximum":true})", {"0", "4"}, {"5"}},
    {"number_range", R"({"type":"number","minimum":0,"maximum":1})", {"0", "1", "0.5", "1.0", "0.999"}, {"-0.1", "1.5", "2", "1e0"}},
    {"all_of_merge",
     R"({"allOf":[{"$ref":"#/$defs/A"},{"type":"object","properties":{"b":{"type":"integer"}},"required":["b"]}],
         "$defs":{"A":{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]}}})",
     {R"({"a":"x","b":1})"},
     {R"({"b":1,"a":"x"})", R"({"a":"x"})"}},
    {"all_of_single", R"({"allOf":[{"type":"integer"}],"description":"d"})", {"5"}, {R"("5")"}},
    {"empty_schema", "{}", {"1", R"("x")", R"({"a":[null]})", "true"}, {"tru", "{", ""}},
    {"any_object", R"({"type":"object"})", {"{}", R"({"a":1})"}, {"[]"}},
    {"false_property", R"({"type":"object","properties":{"a":false,"b":{"type":"integer"}}})", {"{}", R"({"b":1})"}, {R"({"a":1})"}},
    {"boolean_and_null", R"({"type":"object","properties":{"f":{"type":"boolean"},"n":{"type":"null"}},"required":["f","n"]})",
     {R"({"f":false,"n":null})"}, {R"({"f":0,"n":null})"}},
};

class SchemaCases : public ::testing::TestWithParam<Case> {};

TEST_P(SchemaCases, AcceptsAndRejects) {
  const Case& c = GetParam();
  const auto schema = ojson::parse(c.schema);
  const auto a = compile_format(schema);
  for (const auto& doc : c.accept) {
    EXPECT_TRUE(matches(a, doc)) << doc;
    EXPECT_EQ(test::validate(ojson::parse(doc), schema), "") << doc << " (the expectation itself is wrong)";
  }
  for (const auto& doc : c.reject) EXPECT_FALSE(matches(a, doc)) << doc;
}

INSTANTIATE_TEST_SUITE_P(JsonSchema, SchemaCases, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& i) { return std::string(i.param.name); });

std::string error_of(const std::string& format_json) {
  try {
    compile_format(ojson::parse(format_json));
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JsonSchema, UnsupportedSchemasGiveClearErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"type":"string","pattern":"^a"})", R"(unsupported JSON schema: keyword "pattern" (at #))"},
      {R"({"type":"object","properties":{"zip":{"type":"string","pattern":"x"}}})", R"(keyword "pattern" (at #/properties/zip))"},
      {R"({"$ref":"http://example.com/s.json"})", "only references into this schema"},
      {R"({"$ref":"#/$defs/Missing"})", R"($ref "#/$defs/Missing" does not point into the schema)"},
      {R"({"type":"strin"})", R"(type "strin")"},
      {R"({"type":5})", R"("type" must be a string or an array of strings)"},
      {R"({"not":{}})", R"(keyword "not")"},
      {R"({"type":"array","uniqueItems":true})", R"(keyword "uniqueItems")"},
      {R"({"type":"number","minimum":0.5})", "a bound that is not an integer"},
      {R"({"type":"integer","multipleOf":2})", R"("multipleOf" other than 1)"},
      {R"({"enum":[]})", "unsupported JSON schema: no JSON value satisfies it"},
      {R"({"type":"object","properties":{"a":{}},"required":["b"],"additionalProperties":false})", "no JSON value satisfies it"},
      {R"({"$ref":"#"})", "no JSON value satisfies it"},
      {R"({"anyOf":[{"$ref":"#"},{"type":"integer"}]})", "a $ref cycle that reads no text before repeating"},
      {R"({"type":"array","minItems":100000})", R"("minItems" above 4096)"},
      {R"({"anyOf":[]})", R"("anyOf" must be a non-empty array)"},
      {R"({"type":"object","patternProperties":{}})", R"(keyword "patternProperties")"},
      {R"({"$ref":"#/$defs/A","type":"object","$defs":{"A":{}}})", R"(keyword "type" next to "$ref")"},
      {R"({"type":"object","properties":{"a":{"type":"integer","minimum":"x"}}})", R"("minimum" must be a number (at #/properties/a))"},
      {R"("xml")", R"(invalid format: "xml"; expected "json" or a valid JSON Schema object)"},
      {"5", R"(invalid format: 5; expected "json")"},
  };
  for (const auto& [schema, want] : cases) EXPECT_NE(error_of(schema).find(want), std::string::npos) << schema << " -> " << error_of(schema);
}

TEST(JsonSchema, DeepNestingIsRefused) {
  std::string s = R"({"type":"integer"})";
  for (int i = 0; i < 100; ++i) s = R"({"type":"array","items":)" + s + "}";
  EXPECT_NE(error_of(s).find("nested more than 64 levels deep"), std::string::npos) << error_of(s);
}

TEST(JsonSchema, LargeMaxLengthIsLoweredNotRefused) {
  const auto a = compile_format(ojson::parse(R"({"type":"string","maxLength":1000000})"));
  EXPECT_TRUE(matches(a, "\"" + std::string(1024, 'x') + "\""));
  EXPECT_FALSE(matches(a, "\"" + std::string(1025, 'x') + "\""));
}

TEST(JsonSchema, PropertyOrderFollowsTheSchemaText) {
  const auto a = compile_format(ojson::parse(R"({"type":"object","properties":{"z":{"type":"integer"},"a":{"type":"integer"}},
                                                 "required":["z","a"]})"));
  EXPECT_TRUE(matches(a, R"({"z":1,"a":2})"));
  EXPECT_FALSE(matches(a, R"({"a":2,"z":1})"));
}

TEST(JsonSchema, GrammarTextNamesRulesAfterProperties) {
  const Grammar g = schema_to_grammar(ojson::parse(R"({"type":"object","properties":{"first name":{"type":"string"}},"required":["first name"]})"));
  const std::string text = g.to_text();
  EXPECT_NE(text.find("kv-first-name ::= \"\\\"first name\\\"\""), std::string::npos) << text;
}

}  // namespace
}  // namespace corral::grammar
