// CPUID/XGETBV probing for CpuFeatures, and physical core counting.
#include "util/cpu_features.h"

#include <cpuid.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <string_view>
#include <utility>

namespace corral {
namespace {

unsigned long long xgetbv0() {
  unsigned eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}

int count_physical_cores() {
  // Distinct (physical id, core id) pairs from /proc/cpuinfo; falls back to online CPUs.
  std::ifstream in("/proc/cpuinfo");
  std::set<std::pair<int, int>> cores;
  std::string line;
  int phys = 0;
  while (std::getline(in, line)) {
    auto value = [&]() { return std::atoi(line.substr(line.find(':') + 1).c_str()); };
    if (line.rfind("physical id", 0) == 0) phys = value();
    if (line.rfind("core id", 0) == 0) cores.insert({phys, value()});
  }
  long online = ::sysconf(_SC_NPROCESSORS_ONLN);
  if (cores.empty()) return online > 0 ? static_cast<int>(online) : 1;
  return static_cast<int>(cores.size());
}

}  // namespace

CpuFeatures detect_cpu_features() {
  CpuFeatures f;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  const bool osxsave = c & (1u << 27);
  const bool fma = c & (1u << 12);
  const bool f16c = c & (1u << 29);
  const bool avx = c & (1u << 28);
  unsigned long long xcr0 = osxsave ? xgetbv0() : 0;
  const bool ymm_ok = (xcr0 & 0x6) == 0x6;
  const bool zmm_ok = (xcr0 & 0xe6) == 0xe6;
  const bool amx_ok = (xcr0 & 0x60000) == 0x60000;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return f;
  f.avx2 = avx && ymm_ok && (b & (1u << 5));
  f.fma = fma && ymm_ok;
  f.f16c = f16c && ymm_ok;
  f.avx512f = zmm_ok && (b & (1u << 16));
  f.avx512dq = zmm_ok && (b & (1u << 17));
  f.avx512bw = zmm_ok && (b & (1u << 30));
  f.avx512vl = zmm_ok && (b & (1u << 31));
  f.avx512vnni = zmm_ok && (c & (1u << 11));
  f.amx_bf16 = amx_ok && (d & (1u << 22));
  f.amx_int8 = amx_ok && (d & (1u << 25));
  unsigned a1, b1, c1, d1;
  if (__get_cpuid_count(7, 1, &a1, &b1, &c1, &d1)) {
    f.avx_vnni = ymm_ok && (a1 & (1u << 4));
    f.avx512bf16 = zmm_ok && (a1 & (1u << 5));
  }
  f.physical_cores = count_physical_cores();
  return f;
}

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = [] {
    CpuFeatures f = detect_cpu_features();
    const char* cap = std::getenv("CORRAL_CPU");
    if (cap) {
      std::string_view v(cap);
      if (v == "scalar" || v == "avx2") {
        f.avx512f = f.avx512bw = f.avx512vl = f.avx512dq = f.avx512vnni = f.avx512bf16 = false;
        f.amx_int8 = f.amx_bf16 = false;
      }
      if (v == "scalar") f.avx2 = f.fma = f.f16c = f.avx_vnni = false;
    }
    return f;
  }();
  return features;
}

std::string CpuFeatures::describe() const {
  std::string s;
  auto add = [&](bool on, const char* name) {
    if (!on) return;
    if (!s.empty()) s += ' ';
    s += name;
  };
  add(avx2, "AVX2");
  add(fma, "FMA");
  add(f16c, "F16C");
  add(avx_vnni, "AVX_VNNI");
  add(avx512f, "AVX512F");
  add(avx512bw, "AVX512BW");
  add(avx512vnni, "AVX512_VNNI");
  add(avx512bf16, "AVX512_BF16");
  add(amx_int8, "AMX_INT8");
  if (s.empty()) s = "scalar";
  return s;
}

}  // namespace corral
