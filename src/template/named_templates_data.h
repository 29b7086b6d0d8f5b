// The files of src/template/named (Go templates, stop lists, Jinja texts
// for auto-detection), embedded into the binary at build time.
#pragma once

#include <cstddef>

namespace corral::tmpl {

struct EmbeddedFile {
  const char* path;  // relative to src/template/named, e.g. "chatml.gotmpl"
  const unsigned char* data;
  std::size_t size;
};

extern const EmbeddedFile kEmbeddedNamedFiles[];
extern const std::size_t kEmbeddedNamedFileCount;

}  // namespace corral::tmpl
