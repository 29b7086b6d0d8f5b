// create_model: from GGUF files (linked into the store), from an existing
// model (shared blobs, inherited and merged layers), the status stream,
// byte-exact layer contents, quantization, and the error cases.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>
#include <nlohmann/json.hpp>

#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "store/create.h"
#include "store/media_types.h"
#include "store/model_ops.h"
#include "store/model_view.h"
#include "store/modelfile_request.h"
#include "store/store_errors.h"
#include "store_fixture.h"
#include "testutil/shared_data.h"
#include "testutil/temp_dir.h"
#include "util/error.h"
#include "util/fp16.h"
#include "util/sha256.h"

namespace corral::store {
namespace {

namespace fs = std::filesystem;
using namespace test_support;

// A small F16 "llama" GGUF: 2 tensors of 256 x 64, with a chat template.
void write_tiny_gguf(const fs::path& path, std::uint32_t file_type = 1, const std::string& chat = "{{ messages }}") {
  gguf::Writer w;
  w.set("general.architecture", gguf::Value::string("llama"));
  w.set("general.file_type", gguf::Value::u32(file_type));
  w.set("llama.context_length", gguf::Value::u32(2048));
  w.set("llama.embedding_length", gguf::Value::u32(256));
  if (!chat.empty()) w.set("tokenizer.chat_template", gguf::Value::string(chat));
  static std::vector<std::uint16_t> data(256 * 64);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = fp32_to_fp16(static_cast<float>(i % 97) / 97.0f - 0.5f);
  w.add_tensor("token_embd.weight", TensorType::F16, {256, 64}, data.data());
  w.add_tensor("output.weight", TensorType::F16, {256, 64}, data.data());
  w.write(path.string());
}

struct Recorder {
  std::vector<CreateProgress> events;
  CreateProgressFn fn() {
    return [this](const CreateProgress& p) { events.push_back(p); };
  }
  std::vector<std::string> statuses() const {
    std::vector<std::string> out;
    for (const auto& e : events)
      if (out.empty() || out.back() != e.status) out.push_back(e.status);
    return out;
  }
};

struct CreateScene {
  test::TempDir dir;
  Store store{dir.path() / "models"};
  fs::path gguf_path = dir.path() / "tiny.gguf";
  std::string weights_digest;

  CreateScene() {
    write_tiny_gguf(gguf_path);
    weights_digest = store.import_file(gguf_path).digest;
  }

  CreateResult create_base(Recorder& rec, CreateOptions options = {}) {
    CreateRequest r;
    r.model = "tiny";
    r.files["tiny.gguf"] = weights_digest;
    return create_model(store, r, rec.fn(), options);
  }
};

std::string blob_of(const Store& s, const Manifest& m, std::string_view media) {
  const Layer* l = m.find_layer(media);
  return l ? s.read_blob(l->digest) : std::string("<none>");
}

TEST(Create, FromGgufFile) {
  CreateScene s;
  Recorder rec;
  const CreateResult r = s.create_base(rec);
  EXPECT_EQ(r.name.to_string(), "registry.ollama.ai/library/tiny:latest");
  EXPECT_EQ(rec.statuses(), (std::vector<std::string>{"parsing GGUF", "using existing layer " + s.weights_digest,
                                                       "writing manifest", "success"}));
  ASSERT_EQ(r.manifest.layers.size(), 1u);
  const Layer& w = r.manifest.layers[0];
  EXPECT_EQ(w.media_type, media_type::kModel);
  EXPECT_EQ(w.digest, s.weights_digest);
  EXPECT_EQ(w.from, "tiny.gguf");
  EXPECT_EQ(w.size, static_cast<std::int64_t>(fs::file_size(s.gguf_path)));
  EXPECT_EQ(s.store.read_blob(r.manifest.config.digest),
            "{\"model_format\":\"gguf\",\"model_family\":\"llama\",\"model_families\":[\"llama\"],"
            "\"model_type\":\"33K\",\"file_type\":\"F16\",\"architecture\":\"amd64\",\"os\":\"linux\"}\n");
  // The manifest on disk is the one returned, and its digest is what list reports.
  const auto models = list_models(s.store);
  ASSERT_EQ(models.size(), 1u);
  EXPECT_EQ(models[0].digest_hex, r.digest_hex);
  EXPECT_EQ(models[0].details.context_length, 2048);
  EXPECT_EQ(models[0].details.embedding_length, 256);
}

TEST(Create, LinksTheWeightsInsteadOfCopying) {
  test::TempDir dir;
  Store store(dir.path() / "models");
  const fs::path src = dir.path() / "m.gguf";
  write_tiny_gguf(src);
  // The Modelfile path: FROM ./m.gguf, files imported into the store as they are hashed.
  std::vector<CloneMethod> methods;
  ModelfileRequestOptions mo;
  mo.base_dir = dir.path();
  mo.digest_file = [&](const fs::path& p) {
    const BlobInfo b = store.import_file(p);
    methods.push_back(b.method);
    return b.digest;
  };
  ModelfileRequest mr = modelfile_to_request(parse_modelfile("FROM ./m.gguf\n"), mo);
  mr.request.model = "linked";
  const CreateResult r = create_model(store, mr.request, {});
  ASSERT_EQ(methods.size(), 1u);
  EXPECT_NE(methods[0], CloneMethod::copy);
  if (methods[0] == CloneMethod::hardlink) {
    struct stat a {}, b {};
    ::stat(src.c_str(), &a);
    ::stat(store.blob_path(r.manifest.layers[0].digest).c_str(), &b);
    EXPECT_EQ(a.st_ino, b.st_ino);
  }
}

TEST(Create, AutodetectedTemplateAndStopList) {
  CreateScene s;
  Recorder rec;
  CreateOptions o;
  std::string seen;
  o.detect_template = [&](std::string_view jinja) -> std::optional<NamedTemplate> {
    seen = std::string(jinja);
    return NamedTemplate{"vicuna", "{{ .System }}\nUSER: {{ .Prompt }}\nASSISTANT: ", {"USER:", "<b>&"}};
  };
  const CreateResult r = s.create_base(rec, o);
  EXPECT_EQ(seen, "{{ messages }}");
  const auto st = rec.statuses();
  ASSERT_GE(st.size(), 5u);
  EXPECT_EQ(st[2], "using autodetected template vicuna");
  EXPECT_EQ(st[3].substr(0, 19), "creating new layer ");
  EXPECT_EQ(blob_of(s.store, r.manifest, media_type::kTemplate), "{{ .System }}\nUSER: {{ .Prompt }}\nASSISTANT: ");
  EXPECT_EQ(blob_of(s.store, r.manifest, media_type::kParams), "{\"stop\":[\"USER:\",\"\\u003cb\\u003e\\u0026\"]}\n");
}

TEST(Create, FromModelLayersAndMerges) {
  CreateScene s;
  Recorder base_rec;
  CreateOptions o;
  o.detect_template = [](std::string_view) -> std::optional<NamedTemplate> {
    return NamedTemplate{"chatml", "<|im_start|>{{ .Prompt }}", {"<|im_end|>"}};
  };
  const CreateResult base = s.create_base(base_rec, o);

  const std::string text =
      "FROM tiny\nSYSTEM You are Mario.\nPARAMETER temperature 0.7\nPARAMETER num_ctx 4096\n"
      "MESSAGE user Is Toronto in Canada?\nMESSAGE assistant yes\nLICENSE MIT\n";
  ModelfileRequest mr = modelfile_to_request(parse_modelfile(text));
  mr.request.model = "me/mario";
  Recorder rec;
  const CreateResult r = create_model(s.store, mr.request, rec.fn(), o);

  const Manifest& m = r.manifest;
  std::vector<std::string> kinds;
  for (const auto& l : m.layers) kinds.push_back(l.media_type.substr(std::string("application/vnd.ollama.image.").size()));
  EXPECT_EQ(kinds, (std::vector<std::string>{"model", "template", "system", "license", "params", "messages"}));
  EXPECT_EQ(m.layers[0].digest, s.weights_digest) << "weights shared, not copied";
  EXPECT_EQ(m.layers[0].from, "tiny:latest");
  EXPECT_EQ(m.layers[1].digest, base.manifest.find_layer(media_type::kTemplate)->digest);
  EXPECT_EQ(blob_of(s.store, m, media_type::kSystem), "You are Mario.");
  EXPECT_EQ(blob_of(s.store, m, media_type::kParams),
            "{\"num_ctx\":4096,\"stop\":[\"\\u003c|im_end|\\u003e\"],\"temperature\":0.7}\n");
  EXPECT_EQ(blob_of(s.store, m, media_type::kMessages),
            "[{\"role\":\"user\",\"content\":\"Is Toronto in Canada?\"},{\"role\":\"assistant\",\"content\":\"yes\"}]\n");
  EXPECT_EQ(blob_of(s.store, m, media_type::kLicense), "MIT");
  // Status stream: every layer, then the manifest.
  const auto st = rec.statuses();
  EXPECT_EQ(st.front(), "using existing layer " + s.weights_digest);
  EXPECT_EQ(st[st.size() - 2], "writing manifest");
  EXPECT_EQ(st.back(), "success");
  EXPECT_NE(std::find(st.begin(), st.end(), "creating new layer " + m.find_layer(media_type::kSystem)->digest), st.end());
  // The base model is untouched and its params blob survives (still referenced).
  EXPECT_TRUE(s.store.has_blob(base.manifest.find_layer(media_type::kParams)->digest));
  EXPECT_EQ(s.store.require_manifest(ModelName::parse("tiny")).digest_hex, base.digest_hex);

  // show data: the Modelfile as Ollama renders it, which parses back to the same content.
  const StoredModel sm = load_model(s.store, ModelName::parse("me/mario"));
  EXPECT_EQ(sm.parent_model, "tiny:latest");
  const std::string shown = render_show_modelfile(sm);
  const std::string blob = s.store.blob_path(s.weights_digest).string();
  EXPECT_EQ(shown,
            "# Modelfile generated by \"ollama show\"\n"
            "# To build a new Modelfile based on this, replace FROM with:\n"
            "# FROM me/mario:latest\n\n"
            "FROM " + blob + "\n"
            "TEMPLATE <|im_start|>{{ .Prompt }}\n"
            "SYSTEM You are Mario.\n"
            "PARAMETER num_ctx 4096\n"
            "PARAMETER stop <|im_end|>\n"
            "PARAMETER temperature 0.7\n"
            "LICENSE MIT\n"
            "MESSAGE user Is Toronto in Canada?\n"
            "MESSAGE assistant yes\n");
  EXPECT_EQ(format_show_parameters(sm.options),
            "num_ctx                        4096\n"
            "stop                           \"<|im_end|>\"\n"
            "temperature                    0.7");
  // Recreating a model from its shown Modelfile gives the same layers.
  ModelfileRequest again = modelfile_to_request(parse_modelfile(shown), {.digest_file = [&](const fs::path& p) {
                                                                             return s.store.import_file(p).digest;
                                                                           }});
  again.request.model = "me/mario2";
  const CreateResult r2 = create_model(s.store, again.request, {}, o);
  for (auto mt : {media_type::kModel, media_type::kSystem, media_type::kParams, media_type::kMessages, media_type::kLicense})
    EXPECT_EQ(r2.manifest.find_layer(mt)->digest, m.find_layer(mt)->digest) << mt;
}

TEST(Create, RecreatingRemovesLayersOnlyTheOldManifestUsed) {
  CreateScene s;
  Recorder rec;
  s.create_base(rec);
  CreateRequest r;
  r.model = "tiny";
  r.from = "tiny";
  r.system = "first";
  const CreateResult first = create_model(s.store, r, {});
  const std::string first_system = first.manifest.find_layer(media_type::kSystem)->digest;
  r.system = "second";
  create_model(s.store, r, {});
  EXPECT_FALSE(s.store.has_blob(first_system)) << "replaced, unreferenced";
  EXPECT_TRUE(s.store.has_blob(s.weights_digest));

  CreateOptions keep;
  keep.prune_replaced = false;  // OLLAMA_NOPRUNE
  r.system = "third";
  const std::string second_system = s.store.require_manifest(ModelName::parse("tiny")).manifest.find_layer(media_type::kSystem)->digest;
  create_model(s.store, r, {}, keep);
  // Dropping a replaced SYSTEM layer still removes it (Ollama does so even
  // under OLLAMA_NOPRUNE), but the old config blob is kept.
  EXPECT_FALSE(s.store.has_blob(second_system));
}

TEST(Create, Errors) {
  CreateScene s;
  auto err = [&](CreateRequest r, CreateOptions o = {}) -> std::pair<std::string, std::string> {
    try {
      create_model(s.store, r, {}, o);
    } catch (const BadRequestError& e) {
      return {"bad request", e.what()};
    } catch (const NotFoundError& e) {
      return {"not found", e.what()};
    } catch (const Error& e) {
      return {"error", e.what()};
    }
    return {"ok", ""};
  };
  CreateRequest r;
  r.model = "../../etc";
  r.from = "tiny";
  EXPECT_EQ(err(r), std::make_pair(std::string("bad request"), std::string("invalid model name")));
  r.model = "x";
  r.from.clear();
  EXPECT_EQ(err(r).second, "neither 'from' or 'files' was specified");
  r.from = "missing";
  EXPECT_EQ(err(r), std::make_pair(std::string("not found"), std::string("model 'missing' not found")));
  r.from = "bad name!";
  EXPECT_EQ(err(r).second, "invalid model name");
  r.from.clear();
  r.files["notes.txt"] = s.store.write_blob("just text").digest;
  EXPECT_EQ(err(r), std::make_pair(std::string("bad request"), std::string("unknown type")));
  r.files.clear();
  r.files["fake.gguf"] = s.store.write_blob("not a gguf at all").digest;
  EXPECT_EQ(err(r).second, "supplied file was not in GGUF format");
  r.files.clear();
  r.files["tiny.gguf"] = s.weights_digest;
  r.adapters["a.gguf"] = s.weights_digest;
  r.adapters["b.gguf"] = s.weights_digest;
  EXPECT_EQ(err(r).second, "only one adapter is currently supported");
  r.adapters.clear();
  r.template_text = "{{ .Broken";
  CreateOptions o;
  o.validate_template = [](std::string_view t) {
    if (t.find("}}") == std::string_view::npos) fail("template: :1: unclosed action");
  };
  EXPECT_EQ(err(r, o), std::make_pair(std::string("bad request"), std::string("template error: template: :1: unclosed action")));
  r.template_text.clear();
  r.quantize = "q3_wat";
  EXPECT_EQ(err(r).second.substr(0, 40), "unsupported quantization type Q3_WAT - s");
  EXPECT_FALSE(fs::exists(s.store.manifest_path(ModelName::parse("x")))) << "no manifest after a failed create";
}

TEST(Create, MissingBaseBlobIsReported) {
  CreateScene s;
  Recorder rec;
  s.create_base(rec);
  fs::remove(s.store.blob_path(s.weights_digest));
  CreateRequest r;
  r.model = "child";
  r.from = "tiny";
  try {
    create_model(s.store, r, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is incomplete"), std::string::npos) << e.what();
  }
}

TEST(Create, Quantize) {
  if (supported_quantize_types().empty()) GTEST_SKIP() << "built without the quantizer";
  CORRAL_SHARED_FILE_OR_SKIP(f16_path, "models/tolstoy/tolstoy-f16.gguf");
  test::TempDir dir;
  Store store(dir.path());
  CreateRequest base;
  base.model = "tolstoy";
  base.files["tolstoy-f16.gguf"] = store.import_file(f16_path).digest;
  create_model(store, base, {});

  CreateRequest r;
  r.model = "tolstoy:q8";
  r.from = "tolstoy";
  r.quantize = "q8_0";
  Recorder rec;
  const CreateResult q = create_model(store, r, rec.fn());
  const auto st = rec.statuses();
  ASSERT_GE(st.size(), 4u);
  EXPECT_EQ(st[0], "quantizing F16 model to Q8_0");
  EXPECT_EQ(rec.events[0].digest, "0000000000000000000");
  EXPECT_EQ(rec.events[0].total, q.manifest.layers.empty() ? 0 : static_cast<std::int64_t>(fs::file_size(f16_path)));
  EXPECT_EQ(st[1], "verifying conversion");
  EXPECT_EQ(st[2].substr(0, 19), "creating new layer ");
  const Layer& w = q.manifest.layers[0];
  EXPECT_NE(w.digest, base.files.begin()->second);
  EXPECT_EQ(w.from, "");
  const auto f = gguf::File::open(store.blob_path(w.digest).string());
  EXPECT_EQ(f.get_uint("general.file_type"), 7u);
  EXPECT_EQ(f.find_tensor("blk.0.attn_q.weight")->type, TensorType::Q8_0);
  EXPECT_NE(store.read_blob(q.manifest.config.digest).find("\"file_type\":\"Q8_0\""), std::string::npos);

  // A quantized model cannot be quantized again.
  r.model = "tolstoy:q4";
  r.from = "tolstoy:q8";
  r.quantize = "Q4_K_M";
  try {
    create_model(store, r, {});
    FAIL();
  } catch (const BadRequestError& e) {
    EXPECT_STREQ(e.what(), "quantization is only supported for F16, BF16 and F32 models");
  }
}

TEST(Create, DefaultOptionsDetectAndValidateTemplates) {
  CreateOptions o = default_create_options();
  if (!o.detect_template || !o.validate_template) GTEST_SKIP() << "built without src/template";
  CORRAL_SHARED_FILE_OR_SKIP(jsonl, "templates/testdata/templates.jsonl");
  CORRAL_SHARED_FILE_OR_SKIP(chatml_json, "templates/chatml.json");
  // The first chatml-style Jinja template of Ollama's detection vectors.
  std::string jinja;
  std::istringstream lines(test::read_file(jsonl));
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j.contains("chatml")) {
      jinja = j["chatml"].get<std::string>();
      break;
    }
  }
  ASSERT_FALSE(jinja.empty());
  test::TempDir dir;
  Store store(dir.path());
  write_tiny_gguf(dir / "m.gguf", 1, jinja);
  CreateRequest r;
  r.model = "detected";
  r.files["m.gguf"] = store.import_file(dir / "m.gguf").digest;
  Recorder rec;
  const CreateResult c = create_model(store, r, rec.fn(), o);
  const auto st = rec.statuses();
  EXPECT_NE(std::find(st.begin(), st.end(), "using autodetected template chatml"), st.end());
  // The named template itself belongs to src/template; it must be a chatml prompt.
  const std::string tmpl = blob_of(store, c.manifest, media_type::kTemplate);
  EXPECT_NE(tmpl.find("<|im_start|>"), std::string::npos) << tmpl;
  EXPECT_NE(tmpl.find("{{ .Content }}"), std::string::npos) << tmpl;
  // Its stop list is Ollama's chatml.json, written as Ollama writes the params layer.
  const auto stops = nlohmann::json::parse(test::read_file(chatml_json))["stop"];
  ASSERT_EQ(stops, nlohmann::json({"<|im_start|>", "<|im_end|>"}));
  EXPECT_EQ(blob_of(store, c.manifest, media_type::kParams), "{\"stop\":[\"\\u003c|im_start|\\u003e\",\"\\u003c|im_end|\\u003e\"]}\n");

  // A template that does not parse is refused with Go's message.
  r.model = "broken";
  r.template_text = "{{ if .System }}unclosed";
  try {
    create_model(store, r, {}, o);
    FAIL();
  } catch (const BadRequestError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("template error: ", 0), 0u) << e.what();
  }
}

TEST(Create, FromTolstoyGguf) {
  CORRAL_SHARED_FILE_OR_SKIP(gguf_path, "models/tolstoy/tolstoy-f32.gguf");
  test::TempDir dir;
  Store store(dir.path());
  CreateRequest r;
  r.model = "tolstoy";
  r.files["tolstoy-f32.gguf"] = store.import_file(gguf_path).digest;
  const CreateResult c = create_model(store, r, {});
  EXPECT_EQ(store.read_blob(c.manifest.config.digest),
            "{\"model_format\":\"gguf\",\"model_family\":\"llama\",\"model_families\":[\"llama\"],"
            "\"model_type\":\"2.89M\",\"file_type\":\"F32\",\"architecture\":\"amd64\",\"os\":\"linux\"}\n");
}

}  // namespace
}  // namespace corral::store
