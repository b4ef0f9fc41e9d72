// gateway/queue/fd_io.cpp: see fd_io.hpp.
#include "gateway/queue/fd_io.hpp"

#include <unistd.h>

#include <cerrno>

namespace mixer::queue::fd_io {

std::error_code last_error() { return {errno, std::generic_category()}; }

std::error_code write_all(int fd, std::string_view bytes) {
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return last_error();
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return {};
}

}  // namespace mixer::queue::fd_io
