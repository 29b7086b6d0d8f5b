// libFuzzer target: the Modelfile parser, renderer and request builder must
// reject any input with an Error, never crash or hang; whatever parses must
// render to text that parses again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "store/modelfile.h"
#include "store/modelfile_request.h"
#include "util/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  corral::store::Modelfile m;
  try {
    m = corral::store::parse_modelfile(text);
  } catch (const corral::Error&) {
    return 0;
  }
  const std::string rendered = corral::store::render_modelfile(m);
  try {
    (void)corral::store::parse_modelfile(rendered);
  } catch (const corral::Error&) {
    // Values that cannot be written back exactly (control characters inside
    // values, unbalanced triple quotes) may fail to reparse; that is allowed.
  }
  // Only plain names: paths would make the fuzzer walk the real file system.
  for (const auto& c : m.commands) {
    if ((c.instruction == corral::store::Instruction::from || c.instruction == corral::store::Instruction::adapter ||
         c.instruction == corral::store::Instruction::draft) &&
        c.value.find_first_of("/~.\\") != std::string::npos)
      return 0;
  }
  try {
    // Relative names resolve under a directory that does not exist.
    corral::store::ModelfileRequestOptions o;
    o.base_dir = "/nonexistent-corral-fuzz-dir";
    o.digest_file = [](const std::filesystem::path&) { return std::string("sha256:") + std::string(64, '0'); };
    (void)corral::store::modelfile_to_request(m, o);
  } catch (const corral::Error&) {
  }
  return 0;
}
