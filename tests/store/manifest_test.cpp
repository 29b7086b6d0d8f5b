// Manifest and config blob JSON: strict parsing, and serialization that
// matches Go's json.Encoder byte for byte (expected texts written by hand in
// the shape Ollama writes them).
#include <gtest/gtest.h>

#include "store/manifest.h"
#include "store/media_types.h"
#include "store/model_config.h"
#include "util/error.h"

namespace corral::store {
namespace {

const std::string d1 = "sha256:" + std::string(64, '1');
const std::string d2 = "sha256:" + std::string(64, '2');
const std::string d3 = "sha256:" + std::string(64, '3');

TEST(Manifest, SerializesLikeOllamaCreate) {
  Manifest m = make_manifest({std::string(media_type::kConfig), d1, 485, "", ""},
                             {{std::string(media_type::kModel), d2, 11568768, "tolstoy:latest", ""},
                              {std::string(media_type::kParams), d3, 32, "", ""}});
  const std::string want =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
      "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" +
      d1 +
      "\",\"size\":485},"
      "\"layers\":[{\"mediaType\":\"application/vnd.ollama.image.model\",\"digest\":\"" +
      d2 +
      "\",\"size\":11568768,\"from\":\"tolstoy:latest\"},"
      "{\"mediaType\":\"application/vnd.ollama.image.params\",\"digest\":\"" +
      d3 + "\",\"size\":32}]}\n";
  EXPECT_EQ(serialize_manifest(m), want);
  EXPECT_EQ(parse_manifest(want), m);
  EXPECT_EQ(m.total_size(), 485 + 11568768 + 32);
}

TEST(Manifest, ParsesRegistryManifestWithExtraFields) {
  const std::string text = R"({"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
    "config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":")" +
                           d1 + R"(","size":561,"annotations":{"x":"y"}},
    "layers":[{"mediaType":"application/vnd.ollama.image.model","digest":")" +
                           d2 + R"(","size":2019377376,"urls":[]}],"annotations":{}})";
  const Manifest m = parse_manifest(text);
  EXPECT_EQ(m.schema_version, 2);
  EXPECT_EQ(m.config.size, 561);
  ASSERT_EQ(m.layers.size(), 1u);
  EXPECT_EQ(m.layers[0].size, 2019377376);
  EXPECT_EQ(m.digests(), (std::vector<std::string>{d1, d2}));
}

TEST(Manifest, RejectsCorruptAndHostileContent) {
  const std::string good_layer = R"({"mediaType":"m","digest":")" + d2 + R"(","size":1})";
  const std::string bad[] = {
      "",
      "{",
      "[]",
      "null",
      R"({"layers":{}})",
      R"({"layers":[1]})",
      R"({"schemaVersion":"2"})",
      R"({"layers":[{"mediaType":"m","size":1}]})",  // no digest
      R"({"layers":[{"mediaType":"m","digest":"sha256:../../../../etc/passwd","size":1}]})",
      R"({"layers":[{"mediaType":"m","digest":"sha256-)" + std::string(64, 'a') + R"(","size":1}]})",
      R"({"layers":[{"mediaType":"m","digest":"sha256:)" + std::string(64, 'A') + R"(","size":1}]})",
      R"({"layers":[{"mediaType":"m","digest":")" + d2 + R"(","size":-1}]})",
      R"({"layers":[{"mediaType":"m","digest":")" + d2 + R"(","size":1.5}]})",
      R"({"layers":[{"mediaType":"m","digest":")" + d2 + R"(","size":18446744073709551615}]})",
      R"({"config":{"digest":"x"},"layers":[)" + good_layer + "]}",
      R"({"layers":[{"mediaType":7,"digest":")" + d2 + R"(","size":1}]})",
      "{\"layers\":[{\"mediaType\":\"\xff\"}]}",
  };
  for (const auto& text : bad) EXPECT_THROW(parse_manifest(text, "test manifest"), Error) << text;
  try {
    parse_manifest(R"({"layers":[{"mediaType":"m","digest":"sha256:../x","size":1}]})", "manifest of x:latest");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("manifest of x:latest: layers[0] has an invalid digest"), std::string::npos)
        << e.what();
  }
}

TEST(Manifest, RejectsHugeInput) {
  std::string big = "{\"layers\":[" + std::string(kMaxManifestBytes, ' ') + "]}";
  EXPECT_THROW(parse_manifest(big), Error);
}

TEST(ModelConfig, SerializesLikeOllama) {
  ModelConfig c;
  c.model_format = "gguf";
  c.model_family = "llama";
  c.model_families = std::vector<std::string>{"llama"};
  c.model_type = "2.89M";
  c.file_type = "F32";
  EXPECT_EQ(serialize_model_config(c),
            "{\"model_format\":\"gguf\",\"model_family\":\"llama\",\"model_families\":[\"llama\"],"
            "\"model_type\":\"2.89M\",\"file_type\":\"F32\",\"architecture\":\"amd64\",\"os\":\"linux\"}\n");
  c.renderer = "qwen3-coder";
  c.parser = "qwen3-coder";
  c.requires_version = "0.14.0";
  c.capabilities = {"completion", "tools"};
  c.context_length = 131072;
  EXPECT_EQ(serialize_model_config(c),
            "{\"model_format\":\"gguf\",\"model_family\":\"llama\",\"model_families\":[\"llama\"],"
            "\"model_type\":\"2.89M\",\"file_type\":\"F32\",\"renderer\":\"qwen3-coder\",\"parser\":\"qwen3-coder\","
            "\"requires\":\"0.14.0\",\"capabilities\":[\"completion\",\"tools\"],\"context_length\":131072,"
            "\"architecture\":\"amd64\",\"os\":\"linux\"}\n");
}

TEST(ModelConfig, WeightlessConfigHasNullFamilies) {
  ModelConfig c;
  c.remote_host = "https://ollama.com:443";
  c.remote_model = "gpt-oss:120b";
  EXPECT_EQ(serialize_model_config(c),
            "{\"model_format\":\"\",\"model_family\":\"\",\"model_families\":null,\"model_type\":\"\","
            "\"file_type\":\"\",\"remote_host\":\"https://ollama.com:443\",\"remote_model\":\"gpt-oss:120b\","
            "\"architecture\":\"amd64\",\"os\":\"linux\"}\n");
}

TEST(ModelConfig, ParsesLegacyConfigAndRoundTrips) {
  const std::string legacy =
      R"({"model_format":"gguf","model_family":"llama","model_families":["llama"],"model_type":"8.0B",)"
      R"("file_type":"Q4_0","architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:x"]}})";
  const ModelConfig c = parse_model_config(legacy);
  EXPECT_EQ(c.model_type, "8.0B");
  EXPECT_EQ(c.file_type, "Q4_0");
  EXPECT_EQ(parse_model_config(serialize_model_config(c)), c);
  EXPECT_THROW(parse_model_config(R"({"model_family":1})"), Error);
  EXPECT_THROW(parse_model_config("[1]"), Error);
}

}  // namespace
}  // namespace corral::store
