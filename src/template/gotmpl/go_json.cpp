// encoding/json.Marshal for gotmpl values.
#include "template/gotmpl/go_json.h"

#include <cmath>

#include "template/common/number_text.h"
#include "util/utf8.h"

namespace corral::gotmpl {

std::string go_json_quote(std::string_view s, bool escape_html) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      switch (b) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (b < 0x20 || (escape_html && (b == '<' || b == '>' || b == '&'))) {
            out += "\\u00";
            out += hex[b >> 4];
            out += hex[b & 0xF];
          } else {
            out += static_cast<char>(b);
          }
      }
      ++i;
      continue;
    }
    int len = utf8::sequence_length(b);
    bool ok = len > 0 && i + static_cast<std::size_t>(len) <= s.size() &&
              utf8::is_valid(s.substr(i, static_cast<std::size_t>(len)));
    if (!ok) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    std::size_t p = i;
    char32_t cp = utf8::decode(s, p);
    if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, static_cast<std::size_t>(len)));
    }
    i += static_cast<std::size_t>(len);
  }
  out += '"';
  return out;
}

namespace {

std::string base64(std::string_view in) {
  static constexpr char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  while (i + 3 <= in.size()) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += tbl[v & 63];
    i += 3;
  }
  std::size_t rest = in.size() - i;
  if (rest == 1) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += tbl[(v >> 18) & 63];
    out += tbl[(v >> 12) & 63];
    out += tbl[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// encoding/json isEmptyValue, for omitempty.
bool is_empty(const Value& v) {
  if (v.type() && v.type()->pointer_semantics) return v.is_nil();
  switch (v.kind()) {
    case Kind::Invalid: return true;
    case Kind::Bool: return !v.as_bool();
    case Kind::Int: return v.as_int() == 0;
    case Kind::Uint: return v.as_uint() == 0;
    case Kind::Float: return v.as_float() == 0;
    case Kind::String:
    case Kind::Bytes:
    case Kind::Slice:
    case Kind::Map: return v.length() == 0;
    case Kind::Struct: return false;
  }
  return false;
}

bool encode(const Value& v, std::string& out, int depth) {
  if (depth > 1000) return false;
  if (v.type() && v.type()->marshal_json && !(v.is_nil_interface())) {
    out += v.type()->marshal_json(v);
    return true;
  }
  switch (v.kind()) {
    case Kind::Invalid: out += "null"; return true;
    case Kind::Bool: out += v.as_bool() ? "true" : "false"; return true;
    case Kind::Int: out += std::to_string(v.as_int()); return true;
    case Kind::Uint: out += std::to_string(v.as_uint()); return true;
    case Kind::Float:
      if (!std::isfinite(v.as_float())) return false;
      out += textnum::go_json_float(v.as_float());
      return true;
    case Kind::String: out += go_json_quote(v.as_string()); return true;
    case Kind::Bytes:
      if (v.is_nil()) {
        out += "null";
      } else {
        out += '"';
        out += base64(v.as_string());
        out += '"';
      }
      return true;
    case Kind::Slice: {
      if (v.is_nil()) {
        out += "null";
        return true;
      }
      out += '[';
      bool first = true;
      for (const auto& item : v.items()) {
        if (!first) out += ',';
        first = false;
        if (!encode(item, out, depth + 1)) return false;
      }
      out += ']';
      return true;
    }
    case Kind::Map: {
      if (v.is_nil()) {
        out += "null";
        return true;
      }
      out += '{';
      bool first = true;
      for (const auto& e : v.entries()) {
        if (!first) out += ',';
        first = false;
        out += go_json_quote(e.first);
        out += ':';
        if (!encode(e.second, out, depth + 1)) return false;
      }
      out += '}';
      return true;
    }
    case Kind::Struct: {
      out += '{';
      bool first = true;
      auto fields = v.fields();
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const GoField& f = v.type()->fields[i];
        if (f.omitempty && is_empty(fields[i])) continue;
        if (!first) out += ',';
        first = false;
        out += go_json_quote(f.json_name.empty() ? f.name : f.json_name);
        out += ':';
        if (!encode(fields[i], out, depth + 1)) return false;
      }
      out += '}';
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> go_json_marshal(const Value& v) {
  std::string out;
  if (!encode(v, out, 0)) return std::nullopt;
  return out;
}

}  // namespace corral::gotmpl
