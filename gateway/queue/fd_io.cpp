// gateway/queue/fd_io.cpp: see fd_io.hpp.
#include "gateway/queue/fd_io.hpp"

#include <fcntl.h>
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

std::error_code sync_dir(const std::filesystem::path& dir) {
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return last_error();
  std::error_code ec;
  if (::fsync(dfd) != 0) ec = last_error();
  ::close(dfd);
  return ec;
}

}  // namespace mixer::queue::fd_io
