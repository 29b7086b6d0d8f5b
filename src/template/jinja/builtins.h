// Jinja2's builtin behaviour over jinja::Value: attribute and item access
// (dict keys, str/list/dict methods, the immutable sandbox's refusals),
// operators, filters, tests and globals (range, dict, namespace, joiner,
// raise_exception, strftime_now).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "template/jinja/value.h"

namespace corral::jinja {

// What builtins need from the running template.
class Env {
 public:
  virtual ~Env() = default;
  virtual Value filter(const std::string& name, const Value& v, CallArgs& args) = 0;
  virtual bool test(const std::string& name, const Value& v, CallArgs& args) = 0;
  // Charges work against the execution budget (items produced, loop steps).
  virtual void charge(std::size_t units) = 0;
  virtual std::size_t max_output_bytes() const = 0;
};

[[noreturn]] void raise_undefined(const Value& u);

Value get_attribute(const Value& obj, const std::string& name);
Value get_item(const Value& obj, const Value& key);
// Attribute path "a.b.0" as filters take it (attribute= arguments).
Value get_path(const Value& obj, const Value& path);

// The items a for loop (and list-consuming filters) iterate over.
std::vector<Value> iterate(const Value& v);

Value binary_op(const std::string& op, const Value& a, const Value& b, Env& env);
bool compare_op(const std::string& op, const Value& a, const Value& b);
bool contains(const Value& container, const Value& item);
// Python < for sorting (numbers, strings, sequences); throws on mixed types.
bool py_less(const Value& a, const Value& b);
// Python "fmt % args" formatting.
std::string percent_format(const std::string& fmt, const Value& args);

bool has_filter(std::string_view name);
bool has_test(std::string_view name);
Value call_filter(const std::string& name, const Value& v, CallArgs& args, Env& env);
bool call_test(const std::string& name, const Value& v, CallArgs& args, Env& env);

// The globals every template sees (range, dict, namespace, ...).
std::vector<std::pair<std::string, Value>> global_functions(Env& env);

}  // namespace corral::jinja
