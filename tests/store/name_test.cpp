// Model names: Ollama's parsing, validity table, display forms, file paths,
// and hostile inputs.
#include <gtest/gtest.h>

#include <string>

#include "store/name.h"
#include "util/error.h"

namespace corral::store {
namespace {

const std::string part80(80, '8');
const std::string part350(350, '3');

TEST(ModelName, ParsesPartsLikeOllama) {
  struct Case {
    std::string in, scheme, host, ns, model, tag;
  };
  const Case cases[] = {
      {"registry.ollama.ai/library/dolphin-mistral:7b-v2.6-dpo-laser-q6_K", "", "registry.ollama.ai", "library",
       "dolphin-mistral", "7b-v2.6-dpo-laser-q6_K"},
      {"scheme://host:port/namespace/model:tag", "scheme", "host:port", "namespace", "model", "tag"},
      {"host/namespace/model:tag", "", "host", "namespace", "model", "tag"},
      {"host:port/namespace/model:tag", "", "host:port", "namespace", "model", "tag"},
      {"host:port/namespace/model", "", "host:port", "namespace", "model", ""},
      {"localhost:5000/ns/m", "", "localhost:5000", "ns", "m", ""},
      {"namespace/model", "", "", "namespace", "model", ""},
      {"model", "", "", "", "model", ""},
      {"ns/m:1b", "", "", "ns", "m", "1b"},
      {"m:", "", "", "", "m", "!MISSING!"},
      {"/m", "", "", "!MISSING!", "m", ""},
  };
  for (const auto& c : cases) {
    const ModelName n = ModelName::parse_bare(c.in);
    EXPECT_EQ(n.scheme, c.scheme) << c.in;
    EXPECT_EQ(n.host, c.host) << c.in;
    EXPECT_EQ(n.ns, c.ns) << c.in;
    EXPECT_EQ(n.model, c.model) << c.in;
    EXPECT_EQ(n.tag, c.tag) << c.in;
  }
}

TEST(ModelName, FillsDefaults) {
  const ModelName n = ModelName::parse("xx");
  EXPECT_EQ(n.to_string(), "registry.ollama.ai/library/xx:latest");
  EXPECT_EQ(n.scheme, "https");
  EXPECT_EQ(ModelName::parse("ns/m").filepath(), "registry.ollama.ai/ns/m/latest");
  EXPECT_EQ(ModelName::parse("h:1/ns/m").filepath(), "h:1/ns/m/latest");
}

TEST(ModelName, ValidityTable) {
  const std::pair<std::string, bool> cases[] = {
      {"", false},
      {"_why/_the/_lucky:_stiff", true},
      {"h/n/m:t", true},
      {"host/namespace/model:tag", true},
      {"host/namespace/model", false},  // bare parse: no tag
      {"namespace/model", false},
      {"model", false},
      {part80 + "/" + part80 + "/" + part80 + ":" + part80, true},
      {part350 + "/" + part80 + "/" + part80 + ":" + part80, true},
      {part350 + "3/" + part80 + "/" + part80 + ":" + part80, false},  // host 351
      {part80 + "/" + part80 + "8/" + part80 + ":" + part80, false},   // namespace 81
      {part80 + "/" + part80 + "/" + part80 + "8:" + part80, false},   // model 81
      {part80 + "/" + part80 + "/" + part80 + ":" + part80 + "8", false},  // tag 81
      {"n/m:", false},
      {"@t", false},
      {"m@d", false},
      {"^", false},
      {"mm:", false},
      {"/nn/mm", false},
      {"//", false},
      {"//mm", false},
      {"hh//", false},
      {"//mm:@", false},
      {"-hh/nn/mm:tt", false},
      {"hh/-nn/mm:tt", false},
      {"hh/nn/-mm:tt", false},
      {"hh/nn/mm:-tt", false},
      {"host:https/namespace/model:tag", true},
      {"host/name:space/model:tag", false},
      {"host/name.space/model:tag", false},  // no '.' in namespaces
      {"host/ns/mo.del:ta.g", true},
  };
  for (const auto& [s, want] : cases) {
    const ModelName n = ModelName::parse_bare(s);
    EXPECT_EQ(n.is_valid(), want) << '"' << s << '"';
    if (want) {
      EXPECT_EQ(n.to_string(), s) << "valid names print back unchanged";
    }
    if (!want) {
      EXPECT_FALSE(n.invalid_reason().empty()) << s;
    }
  }
}

TEST(ModelName, HostileNamesAreInvalid) {
  const std::string hostile[] = {
      "..", "../../etc/passwd", "a/../b:c", "../x", "..:..", "ns/..:latest", "ns/m:..", "/etc/passwd",
      std::string("m\0x", 3), "m:t\n", "m m", "m/", "\\\\server\\share", "héllo", "m:t/..",
      "../../../../../../tmp/x", "a/b/c/d/e", std::string(100000, 'a'), "h/ns/" + std::string(5000, 'm'),
      ".hidden", "ns/.m", "m:.t", "~/m",
  };
  for (const auto& s : hostile) {
    const ModelName n = ModelName::parse(s);
    EXPECT_FALSE(n.is_valid()) << s.substr(0, 60);
    EXPECT_THROW(parse_model_name(s), Error) << s.substr(0, 60);
    EXPECT_THROW(n.filepath(), Error);
  }
}

TEST(ModelName, ErrorsNameThePart) {
  try {
    parse_model_name("hh/nn/-mm:tt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("model \"-mm\" must start with a letter, digit or '_'"), std::string::npos)
        << e.what();
  }
  try {
    parse_model_name("host/name.space/m");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("namespace \"name.space\" may only contain"), std::string::npos) << e.what();
  }
  try {
    parse_model_name(std::string("m\0x", 3));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("\\x00"), std::string::npos) << "NUL shown escaped: " << e.what();
  }
}

TEST(ModelName, DisplayShortest) {
  const std::pair<std::string, std::string> cases[] = {
      {"registry.ollama.ai/library/model:latest", "model:latest"},
      {"registry.ollama.ai/library/model:tag", "model:tag"},
      {"registry.ollama.ai/namespace/model:tag", "namespace/model:tag"},
      {"Registry.Ollama.AI/Library/model:tag", "model:tag"},
      {"host/namespace/model:tag", "host/namespace/model:tag"},
      {"host/library/model:tag", "host/library/model:tag"},
      {"hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M", "hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q4_K_M"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(ModelName::parse_bare(in).display_shortest(), want) << in;
  EXPECT_EQ(ModelName::parse("llama3.2").display_shortest(), "llama3.2:latest");
}

TEST(ModelName, FromFilepath) {
  auto n = ModelName::from_filepath("host:port/namespace/model/tag");
  ASSERT_TRUE(n);
  EXPECT_EQ(n->host, "host:port");
  EXPECT_EQ(n->tag, "tag");
  for (const char* bad : {"namespace/model/tag", "model/tag", "model", "../../model/tag", "/namespace/./tag",
                          "./././.", "/path/to/random/file", "a/b/c/d/e", "h/n/m/", "h/n//t"})
    EXPECT_FALSE(ModelName::from_filepath(bad)) << bad;
}

TEST(ModelName, EqualFold) {
  EXPECT_TRUE(ModelName::parse("LLAMA3.2:Latest").equal_fold(ModelName::parse("llama3.2")));
  EXPECT_FALSE(ModelName::parse("llama3.1").equal_fold(ModelName::parse("llama3.2")));
}

}  // namespace
}  // namespace corral::store
