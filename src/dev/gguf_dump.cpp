// gguf-dump: metadata (key, type, value) and tensors (name, type, shape, offset).
#include "dev/gguf_dump.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "gguf/gguf_file.h"

namespace corral::dev {

void dump_gguf(const std::string& path, std::ostream& out, bool all_items) {
  auto f = gguf::File::open(path);
  out << fmt::format("{}: GGUF v{}, {} bytes, {} metadata entries, {} tensors, alignment {}, data at {}\n", path,
                     f.version(), f.file_size(), f.metadata().size(), f.tensors().size(), f.alignment(),
                     f.data_offset());
  out << "metadata:\n";
  std::size_t i = 0;
  for (const auto& kv : f.metadata()) {
    std::string type(gguf::value_type_name(kv.value.type()));
    if (kv.value.is_array()) type += fmt::format("[{}]", gguf::value_type_name(kv.value.as_array().elem_type));
    out << fmt::format("  {:4} {:<48} {:<9} {}\n", i++, kv.key, type,
                       kv.value.to_display(all_items ? SIZE_MAX : 8));
  }
  out << "tensors:\n";
  i = 0;
  std::uint64_t params = 0;
  for (const auto& t : f.tensors()) {
    std::string shape;
    for (std::size_t d = 0; d < t.dims.size(); ++d) shape += fmt::format("{}{}", d ? " x " : "", t.dims[d]);
    out << fmt::format("  {:4} {:<40} {:<7} {:<22} offset {:>12} bytes {:>12}\n", i++, t.name, type_name(t.type),
                       shape, t.offset, t.n_bytes);
    params += t.n_elements;
  }
  out << fmt::format("total: {} elements\n", params);
}

void add_gguf_dump_command(CLI::App& dev) {
  auto* cmd = dev.add_subcommand("gguf-dump", "Print a GGUF file's metadata and tensor table");
  auto path = std::make_shared<std::string>();
  auto all = std::make_shared<bool>(false);
  cmd->add_option("file", *path, "GGUF file")->required();
  cmd->add_flag("--all", *all, "Print arrays in full");
  cmd->callback([path, all] { dump_gguf(*path, std::cout, *all); });
}

}  // namespace corral::dev
