// gotmpl::Value construction, accessors, Go type names and truthiness.
#include "template/gotmpl/value.h"

#include <algorithm>

namespace corral::gotmpl {

namespace {
const std::string& empty_string() {
  static const std::string s;
  return s;
}
}  // namespace

Value Value::nil_interface() {
  Value v;
  v.flag_ = true;
  return v;
}

Value Value::from_bool(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.num_.b = b;
  return v;
}

Value Value::from_int(std::int64_t i) {
  Value v;
  v.kind_ = Kind::Int;
  v.num_.i = i;
  return v;
}

Value Value::from_uint(std::uint64_t u, const GoType* type) {
  Value v;
  v.kind_ = Kind::Uint;
  v.num_.u = u;
  v.type_ = type;
  return v;
}

Value Value::from_float(double f) {
  Value v;
  v.kind_ = Kind::Float;
  v.num_.f = f;
  return v;
}

Value Value::from_string(std::string s) {
  Value v;
  v.kind_ = Kind::String;
  v.data_ = std::make_shared<const std::string>(std::move(s));
  return v;
}

Value Value::from_bytes(std::string bytes, const GoType* type, bool nil) {
  Value v;
  v.kind_ = Kind::Bytes;
  v.type_ = type;
  v.flag_ = nil && bytes.empty();
  v.data_ = std::make_shared<const std::string>(std::move(bytes));
  return v;
}

Value Value::slice(std::vector<Value> items, const GoType* type) {
  Value v;
  v.kind_ = Kind::Slice;
  v.type_ = type;
  v.data_ = std::make_shared<const std::vector<Value>>(std::move(items));
  return v;
}

Value Value::nil_slice(const GoType* type) {
  Value v = slice({}, type);
  v.flag_ = true;
  return v;
}

Value Value::map(std::vector<Entry> entries, const GoType* type) {
  if (!type || !type->insertion_ordered) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const Entry& a, const Entry& b) { return a.first < b.first; });
    // Go maps hold one value per key: keep the last one given.
    std::vector<Entry> unique;
    for (auto& e : entries) {
      if (!unique.empty() && unique.back().first == e.first)
        unique.back().second = std::move(e.second);
      else
        unique.push_back(std::move(e));
    }
    entries = std::move(unique);
  }
  Value v;
  v.kind_ = Kind::Map;
  v.type_ = type;
  v.data_ = std::make_shared<const std::vector<Entry>>(std::move(entries));
  return v;
}

Value Value::nil_map(const GoType* type) {
  Value v = map({}, type);
  v.flag_ = true;
  return v;
}

Value Value::structure(const GoType& type, std::vector<Value> fields) {
  fields.resize(type.fields.size());
  Value v;
  v.kind_ = Kind::Struct;
  v.type_ = &type;
  v.data_ = std::make_shared<const std::vector<Value>>(std::move(fields));
  return v;
}

Value Value::as_pointer() const {
  Value v = *this;
  if (v.kind_ == Kind::Struct) v.flag_ = true;
  return v;
}

Value Value::deref() const {
  Value v = *this;
  if (v.kind_ == Kind::Struct) v.flag_ = false;
  return v;
}

bool Value::is_nil() const {
  switch (kind_) {
    case Kind::Invalid: return true;
    case Kind::Slice:
    case Kind::Map:
    case Kind::Bytes: return flag_;
    default: return false;
  }
}

std::string Value::type_name() const {
  std::string base;
  if (type_) {
    base = type_->name;
  } else {
    switch (kind_) {
      case Kind::Invalid: return "<nil>";
      case Kind::Bool: base = "bool"; break;
      case Kind::Int: base = "int"; break;
      case Kind::Uint: base = "uint"; break;
      case Kind::Float: base = "float64"; break;
      case Kind::String: base = "string"; break;
      case Kind::Bytes: base = "[]uint8"; break;
      case Kind::Slice: base = "[]interface {}"; break;
      case Kind::Map: base = "map[string]interface {}"; break;
      case Kind::Struct: base = "struct {}"; break;
    }
  }
  return is_pointer() ? "*" + base : base;
}

const std::string& Value::as_string() const {
  if ((kind_ == Kind::String || kind_ == Kind::Bytes) && data_)
    return *static_cast<const std::string*>(data_.get());
  return empty_string();
}

std::span<const Value> Value::items() const {
  if (kind_ != Kind::Slice || !data_) return {};
  return *static_cast<const std::vector<Value>*>(data_.get());
}

std::span<const Value::Entry> Value::entries() const {
  if (kind_ != Kind::Map || !data_) return {};
  return *static_cast<const std::vector<Entry>*>(data_.get());
}

std::span<const Value> Value::fields() const {
  if (kind_ != Kind::Struct || !data_) return {};
  return *static_cast<const std::vector<Value>*>(data_.get());
}

const Value* Value::map_find(std::string_view key) const {
  for (const auto& e : entries())
    if (e.first == key) return &e.second;
  return nullptr;
}

const Value* Value::field(std::string_view go_name) const {
  if (kind_ != Kind::Struct) return nullptr;
  auto f = fields();
  for (std::size_t i = 0; i < type_->fields.size(); ++i)
    if (type_->fields[i].name == go_name) return &f[i];
  return nullptr;
}

const GoMethod* Value::method(std::string_view name) const {
  if (!type_) return nullptr;
  for (const auto& m : type_->methods)
    if (m.name == name) return &m;
  return nullptr;
}

std::size_t Value::length() const {
  switch (kind_) {
    case Kind::String:
    case Kind::Bytes: return as_string().size();
    case Kind::Slice: return items().size();
    case Kind::Map: return entries().size();
    default: return 0;
  }
}

bool Value::truth() const {
  switch (kind_) {
    case Kind::Invalid: return false;
    case Kind::Bool: return num_.b;
    case Kind::Int: return num_.i != 0;
    case Kind::Uint: return num_.u != 0;
    case Kind::Float: return num_.f != 0;
    case Kind::String:
    case Kind::Bytes:
    case Kind::Slice:
    case Kind::Map: return length() > 0;
    case Kind::Struct: return true;
  }
  return false;
}

}  // namespace corral::gotmpl
