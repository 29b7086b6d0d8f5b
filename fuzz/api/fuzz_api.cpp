// libFuzzer target for the API request decoders: the input is an HTTP request
// body; every route's decoder reads it. Wrong types and shapes must become
// errors (api::StatusError or another std::exception), never a crash.
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string_view>

#include "api/requests.h"

namespace {

template <typename F>
void attempt(F&& f) {
  try {
    f();
  } catch (const std::exception&) {
    // a clear error: fine
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace corral::api;
  const auto j = Json::parse(std::string_view(reinterpret_cast<const char*>(data), size), nullptr, false);
  if (j.is_discarded()) return 0;
  attempt([&] { (void)parse_generate_request(j); });
  attempt([&] { (void)parse_chat_request(j); });
  attempt([&] { (void)parse_embed_request(j); });
  attempt([&] { (void)parse_embedding_request(j); });
  attempt([&] { (void)parse_show_request(j); });
  attempt([&] { (void)parse_copy_request(j); });
  attempt([&] { (void)parse_delete_request(j); });
  attempt([&] { (void)parse_pull_request(j); });
  attempt([&] { (void)parse_tokenize_request(j); });
  attempt([&] { (void)parse_detokenize_request(j); });
  return 0;
}
