// The /api/create body the CLI writes reads back, through the store's own
// parser, as the same request.
#include <gtest/gtest.h>

#include "cli/create_request_json.h"
#include "store/create_request.h"

namespace corral::cli {
namespace {

TEST(CreateRequestJson, RoundTripsThroughTheServersParser) {
  store::CreateRequest r;
  r.model = "tolstoy";
  r.files = {{"tolstoy-q8_0.gguf", "sha256:" + std::string(64, 'a')}};
  r.template_text = "{{ .Prompt }}";
  r.system = "Be brief.";
  r.license = {"one", "two"};
  r.parameters = nlohmann::json{{"temperature", 0.7}, {"stop", {"USER:"}}};
  store::CreateMessage m;
  m.role = "user";
  m.content = "Hello";
  r.messages.push_back(m);
  r.quantize = "q8_0";

  const api::Json j = create_request_to_json(r);
  EXPECT_TRUE(j["stream"].get<bool>());
  EXPECT_FALSE(j.contains("from"));
  const auto back = store::parse_create_request(nlohmann::json::parse(j.dump()));
  EXPECT_EQ(back.model, r.model);
  EXPECT_EQ(back.files, r.files);
  EXPECT_EQ(back.template_text, r.template_text);
  EXPECT_EQ(back.system, r.system);
  EXPECT_EQ(back.license, r.license);
  EXPECT_EQ(back.parameters, r.parameters);
  ASSERT_EQ(back.messages.size(), 1u);
  EXPECT_EQ(back.messages[0].content, "Hello");
  EXPECT_EQ(back.quantize, "q8_0");
}

TEST(CreateRequestJson, SaveFromAModel) {
  store::CreateRequest r;
  r.model = "mine";
  r.from = "tolstoy:latest";
  const api::Json j = create_request_to_json(r);
  EXPECT_EQ(j["from"], "tolstoy:latest");
  EXPECT_FALSE(j.contains("files"));
  EXPECT_EQ(store::parse_create_request(nlohmann::json::parse(j.dump())).from, "tolstoy:latest");
}

}  // namespace
}  // namespace corral::cli
