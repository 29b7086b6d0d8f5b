// `corral dev gguf-dump FILE`: prints a GGUF file's metadata and tensor table.
#pragma once

#include <ostream>
#include <string>

namespace CLI {
class App;
}

namespace corral::dev {

void add_gguf_dump_command(CLI::App& dev);
// Writes the dump of `path` to out (throws Error on a bad file).
void dump_gguf(const std::string& path, std::ostream& out, bool all_items);

}  // namespace corral::dev
