// A small JSON Schema validator for tests, written apart from the converter:
// type (+ nullable), enum, const, properties, required, additionalProperties,
// items / prefixItems / additionalItems, minItems / maxItems, minLength /
// maxLength (code points), minimum / maximum / exclusive bounds, anyOf,
// oneOf (exactly one), allOf, $ref into the root, formats date, time,
// date-time, uuid. Returns "" when valid, else what failed and where.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace corral::grammar::test {

std::string validate(const nlohmann::ordered_json& doc, const nlohmann::ordered_json& schema);

}  // namespace corral::grammar::test
