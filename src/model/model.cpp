// Model loading.
#include "model/model.h"

#include <map>

namespace corral::model {

std::shared_ptr<const Model> Model::load(const std::string& path) {
  auto m = std::shared_ptr<Model>(new Model());
  m->file_ = gguf::File::open(path);
  m->file_.mapping().advise_hugepage();
  m->params_ = read_model_params(m->file_);
  m->weights_ = bind_weights(m->file_, m->params_);
  for (const auto& t : m->file_.tensors()) m->n_params_ += t.n_elements;
  return m;
}

std::string Model::type_label() const {
  // llama.cpp's file type names for general.file_type.
  static const std::map<std::uint64_t, const char*> names = {
      {0, "F32"},     {1, "F16"},     {2, "Q4_0"},    {3, "Q4_1"},    {7, "Q8_0"},    {8, "Q5_0"},
      {9, "Q5_1"},    {10, "Q2_K"},   {11, "Q3_K_S"}, {12, "Q3_K_M"}, {13, "Q3_K_L"}, {14, "Q4_K_S"},
      {15, "Q4_K_M"}, {16, "Q5_K_S"}, {17, "Q5_K_M"}, {18, "Q6_K"},   {25, "IQ4_NL"}, {30, "IQ4_XS"},
      {32, "BF16"}};
  if (auto ft = file_.get_uint("general.file_type")) {
    auto it = names.find(*ft);
    if (it != names.end()) return it->second;
  }
  return std::string(type_name(weights_.layers.empty() ? weights_.token_embd.type : weights_.layers[0].wq.type));
}

}  // namespace corral::model
