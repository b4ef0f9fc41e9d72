// base/allocator.cpp: see allocator.hpp.
#include "base/allocator.hpp"

#include <cstddef>  // defines __GLIBC__ (features.h) for the test below

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

}  // namespace mixer::base
