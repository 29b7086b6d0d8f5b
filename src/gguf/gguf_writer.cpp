// GGUF serialization: header, metadata, tensor infos, aligned tensor data.
#include "gguf/gguf_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "util/error.h"

namespace corral::gguf {
namespace {

template <typename T>
void put(std::vector<std::uint8_t>& out, T v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
  out.insert(out.end(), p, p + sizeof(T));
}

void put_string(std::vector<std::uint8_t>& out, const std::string& s) {
  put<std::uint64_t>(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

void put_value(std::vector<std::uint8_t>& out, const Value& v) {
  switch (v.type()) {
    case ValueType::UINT8: put<std::uint8_t>(out, static_cast<std::uint8_t>(v.as_u64())); break;
    case ValueType::INT8: put<std::int8_t>(out, static_cast<std::int8_t>(v.as_i64())); break;
    case ValueType::UINT16: put<std::uint16_t>(out, static_cast<std::uint16_t>(v.as_u64())); break;
    case ValueType::INT16: put<std::int16_t>(out, static_cast<std::int16_t>(v.as_i64())); break;
    case ValueType::UINT32: put<std::uint32_t>(out, static_cast<std::uint32_t>(v.as_u64())); break;
    case ValueType::INT32: put<std::int32_t>(out, static_cast<std::int32_t>(v.as_i64())); break;
    case ValueType::FLOAT32: put<float>(out, static_cast<float>(v.as_f64())); break;
    case ValueType::BOOL: put<std::uint8_t>(out, v.as_bool() ? 1 : 0); break;
    case ValueType::UINT64: put<std::uint64_t>(out, v.as_u64()); break;
    case ValueType::INT64: put<std::int64_t>(out, v.as_i64()); break;
    case ValueType::FLOAT64: put<double>(out, v.as_f64()); break;
    case ValueType::STRING: put_string(out, v.as_string()); break;
    case ValueType::ARRAY: {
      const Array& a = v.as_array();
      put<std::uint32_t>(out, static_cast<std::uint32_t>(a.elem_type));
      put<std::uint64_t>(out, a.items.size());
      for (const auto& item : a.items) put_value(out, item);
      break;
    }
  }
}

std::uint64_t align_up(std::uint64_t x, std::uint64_t a) { return (x + a - 1) / a * a; }

}  // namespace

Writer::Writer(const File& source) : version_(source.version()), kv_(source.metadata()) {
  for (const auto& t : source.tensors()) {
    const std::uint8_t* src = source.tensor_data(t);
    tensors_.push_back({t, [src](std::uint8_t* dst, std::size_t n) { std::memcpy(dst, src, n); }});
  }
}

void Writer::set(const std::string& key, Value value) {
  for (auto& kv : kv_) {
    if (kv.key == key) {
      kv.value = std::move(value);
      return;
    }
  }
  kv_.push_back({key, std::move(value)});
}

void Writer::remove(const std::string& key) {
  std::erase_if(kv_, [&](const KeyValue& kv) { return kv.key == key; });
}

const Value* Writer::find(const std::string& key) const {
  for (const auto& kv : kv_)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

void Writer::add_tensor(const std::string& name, TensorType type, std::vector<std::int64_t> dims, DataFn fill) {
  const auto& ti = type_info(type);
  if (dims.empty() || dims.size() > kMaxDims) fail("gguf writer: tensor '{}' needs 1 to 4 dimensions", name);
  if (dims[0] % ti.block_size != 0)
    fail("gguf writer: tensor '{}' row length {} is not a multiple of {}", name, dims[0], ti.block_size);
  for (const auto& t : tensors_)
    if (t.info.name == name) fail("gguf writer: duplicate tensor '{}'", name);
  TensorInfo info;
  info.name = name;
  info.type = type;
  info.dims = std::move(dims);
  info.n_elements = 1;
  for (auto d : info.dims) info.n_elements *= static_cast<std::uint64_t>(d);
  info.n_bytes = info.n_elements / ti.block_size * ti.type_size;
  tensors_.push_back({std::move(info), std::move(fill)});
}

void Writer::add_tensor(const std::string& name, TensorType type, std::vector<std::int64_t> dims, const void* data) {
  const auto* src = static_cast<const std::uint8_t*>(data);
  add_tensor(name, type, std::move(dims), [src](std::uint8_t* dst, std::size_t n) { std::memcpy(dst, src, n); });
}

std::uint32_t Writer::alignment() const {
  if (const Value* a = find("general.alignment"); a && a->is_integer()) {
    auto v = a->as_u64();
    if (v && (v & (v - 1)) == 0) return static_cast<std::uint32_t>(v);
  }
  return kDefaultAlignment;
}

void Writer::layout(std::vector<std::uint8_t>& h, std::uint64_t& data_size) const {
  const std::uint32_t al = alignment();
  h.insert(h.end(), {'G', 'G', 'U', 'F'});
  put<std::uint32_t>(h, version_);
  put<std::uint64_t>(h, tensors_.size());
  put<std::uint64_t>(h, kv_.size());
  for (const auto& kv : kv_) {
    put_string(h, kv.key);
    put<std::uint32_t>(h, static_cast<std::uint32_t>(kv.value.type()));
    put_value(h, kv.value);
  }
  std::uint64_t offset = 0;
  for (const auto& t : tensors_) {
    put_string(h, t.info.name);
    put<std::uint32_t>(h, static_cast<std::uint32_t>(t.info.dims.size()));
    for (auto d : t.info.dims) put<std::uint64_t>(h, static_cast<std::uint64_t>(d));
    put<std::uint32_t>(h, static_cast<std::uint32_t>(t.info.type));
    put<std::uint64_t>(h, offset);
    offset = align_up(offset + t.info.n_bytes, al);
  }
  if (!tensors_.empty()) h.resize(align_up(h.size(), al), 0);  // vocab-only files end unpadded
  data_size = offset;
}

std::vector<std::uint8_t> Writer::to_bytes() const {
  std::vector<std::uint8_t> out;
  std::uint64_t data_size = 0;
  layout(out, data_size);
  const std::size_t base = out.size();
  out.resize(base + data_size, 0);
  const std::uint32_t al = alignment();
  std::uint64_t offset = 0;
  for (const auto& t : tensors_) {
    t.fill(out.data() + base + offset, t.info.n_bytes);
    offset = align_up(offset + t.info.n_bytes, al);
  }
  return out;
}

void Writer::write(const std::string& path) const {
  std::vector<std::uint8_t> header;
  std::uint64_t data_size = 0;
  layout(header, data_size);
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("{}: cannot create: {}", tmp, std::strerror(errno));
  auto write_all = [&](const std::uint8_t* p, std::size_t n) {
    while (n > 0) {
      ssize_t w = ::write(fd, p, n);
      if (w < 0) {
        if (errno == EINTR) continue;
        int e = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        fail("{}: write failed: {}", tmp, std::strerror(e));
      }
      p += w;
      n -= static_cast<std::size_t>(w);
    }
  };
  write_all(header.data(), header.size());
  const std::uint32_t al = alignment();
  std::vector<std::uint8_t> buf;
  for (const auto& t : tensors_) {
    const std::uint64_t padded = align_up(t.info.n_bytes, al);
    buf.assign(static_cast<std::size_t>(padded), 0);
    try {
      t.fill(buf.data(), t.info.n_bytes);
    } catch (...) {  // a failing data source leaves no partial file behind
      ::close(fd);
      ::unlink(tmp.c_str());
      throw;
    }
    write_all(buf.data(), buf.size());
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    fail("{}: cannot flush: {}", tmp, std::strerror(errno));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    fail("{}: cannot rename into place: {}", path, std::strerror(e));
  }
}

}  // namespace corral::gguf
