// JSON Schema -> Grammar: the grammar's language is JSON text that is valid
// against the schema, for the subset that clients generate (Pydantic, zod,
// OpenAI-style tool schemas):
//
//   type (string or array; "nullable": true adds null), properties +
//   required (optional properties may be left out; properties come in schema
//   order), additionalProperties (absent means none when properties are
//   given, as llama.cpp does; extra keys come last, differ from the declared
//   ones and use no escapes), items / prefixItems / additionalItems,
//   minItems / maxItems, enum, const, anyOf, oneOf (as anyOf), allOf (of
//   objects: merged), $ref to "#..." JSON pointers ($defs, definitions,
//   recursion allowed), minLength / maxLength, formats date, time,
//   date-time and uuid (other formats are annotations and are ignored),
//   minimum / maximum / exclusiveMinimum / exclusiveMaximum (integers: any
//   bound; numbers: integer bounds), multipleOf 1 on integers, uniqueItems
//   with maxItems <= 1, minProperties / maxProperties when the required and
//   declared properties already decide them.
//
// Annotations (title, description, default, examples, ...) and unknown
// keywords are ignored. Keywords that constrain values in ways the grammar
// cannot follow (pattern, not, if/then/else, patternProperties, ...) throw
// corral::Error "unsupported JSON schema: ..." naming the place in the
// schema. Nesting is limited to 64 levels and the grammar's size is bounded;
// maxLength above 1024 and maxItems above 4096 are lowered to those (the
// output stays valid), larger minimums are unsupported.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "grammar/grammar.h"

namespace corral::grammar {

Grammar schema_to_grammar(const nlohmann::ordered_json& schema);

}  // namespace corral::grammar
