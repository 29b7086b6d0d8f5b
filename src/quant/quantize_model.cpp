// quantize_model: plans the tensor types (tensor_mix), then streams every
// tensor through gguf::Writer, converting rows in parallel on a thread pool
// while the writer asks for each tensor's bytes.
#include "quant/quantize_model.h"

#include <algorithm>
#include <exception>
#include <mutex>
#include <numeric>
#include <vector>

#include "gguf/gguf_writer.h"
#include "quant/dequantize.h"
#include "quant/quantize.h"
#include "quant/tensor_mix.h"
#include "util/error.h"
#include "util/thread_pool.h"

namespace corral::quant {
namespace {

constexpr std::uint32_t kQuantizationVersion = 2;  // GGML_QNT_VERSION

// Converts rows [0, rows) of a tensor from its input type to `to`, in parallel.
void convert_rows(ThreadPool& pool, const gguf::TensorInfo& t, const std::uint8_t* src, TensorType to, std::uint8_t* dst) {
  const std::int64_t n = t.dims[0];
  const std::int64_t rows = t.rows();
  const std::size_t in_row = row_bytes(t.type, n), out_row = row_bytes(to, n);
  std::mutex mu;
  std::exception_ptr error;
  pool.parallel_for(rows, [&](std::int64_t begin, std::int64_t end, int) {
    try {
      std::vector<float> buf(static_cast<std::size_t>(n));
      for (std::int64_t r = begin; r < end; ++r) {
        dequantize_row(t.type, src + static_cast<std::size_t>(r) * in_row, buf.data(), n);
        quantize_row(to, buf.data(), dst + static_cast<std::size_t>(r) * out_row, n);
      }
    } catch (...) {
      std::lock_guard lock(mu);
      if (!error) error = std::current_exception();
    }
  });
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    fail("quantize: tensor '{}': {}", t.name, e.what());
  }
}

}  // namespace

void quantize_model(const gguf::File& in, const std::string& out_path, FileType ftype, int n_threads,
                    std::function<void(std::size_t done, std::size_t total)> progress) {
  const ModelInfo model = ModelInfo::from_gguf(in);
  const auto& infos = in.tensors();
  std::vector<TensorDesc> descs;
  descs.reserve(infos.size());
  for (const auto& t : infos) descs.push_back({t.name, t.dims, t.type});
  const std::vector<TensorType> types = choose_tensor_types(model, descs, ftype);

  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (types[i] != infos[i].type && !can_dequantize(infos[i].type))
      fail("{}: cannot quantize tensor '{}': its type {} cannot be converted", in.name(), infos[i].name,
           type_name(infos[i].type));
  }

  gguf::Writer out;
  for (const auto& kv : in.metadata()) {
    if (kv.key == "split.no" || kv.key == "split.count" || kv.key == "split.tensors.count") continue;
    out.set(kv.key, kv.value);
  }
  out.set("general.quantization_version", gguf::Value::u32(kQuantizationVersion));
  out.set("general.file_type", gguf::Value::u32(static_cast<std::uint32_t>(ftype)));

  std::vector<std::size_t> order(infos.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return comes_before(infos[a].name, infos[b].name); });

  std::size_t total = 0, done = 0;
  for (const auto& t : infos) total += t.n_bytes;
  if (progress) progress(0, total);

  ThreadPool pool(n_threads);
  for (std::size_t i : order) {
    const gguf::TensorInfo* t = &infos[i];
    const TensorType to = types[i];
    const std::uint8_t* src = in.tensor_data(*t);
    out.add_tensor(t->name, to, t->dims, [&pool, &progress, &done, total, t, src, to](std::uint8_t* dst, std::size_t n_bytes) {
      if (to == t->type)
        std::copy(src, src + n_bytes, dst);
      else
        convert_rows(pool, *t, src, to, dst);
      done += t->n_bytes;
      if (progress) progress(done, total);
    });
  }
  out.write(out_path);
}

}  // namespace corral::quant
