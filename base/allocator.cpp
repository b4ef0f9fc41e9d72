// base/allocator.cpp: see allocator.hpp.
#include "base/allocator.hpp"

#include <cstddef>  // defines __GLIBC__ (features.h) for the test below

#include <dlfcn.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace mixer::base {

void keep_message_buffers() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);   // glibc's maximum; fixed: no longer moved per free
  mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
#endif
}

std::string malloc_in_use() {
  // mimalloc's mi_version() returns MAJOR*100 + MINOR*10 + PATCH (209 for 2.0.9).
  using Version = int (*)();
  if (auto v = reinterpret_cast<Version>(dlsym(RTLD_DEFAULT, "mi_version"))) {
    const int n = v();
    return "mimalloc " + std::to_string(n / 100) + "." + std::to_string(n / 10 % 10) + "." + std::to_string(n % 10);
  }
  return "glibc";
}

}  // namespace mixer::base
