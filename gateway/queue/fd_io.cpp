// gateway/queue/fd_io.cpp: see fd_io.hpp.
#include "gateway/queue/fd_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

std::optional<std::string> read_whole(int fd, std::uint64_t max_bytes, std::string& why) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    why = "not a regular file";
    return std::nullopt;
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size > max_bytes) {
    why = "larger than the limit (" + std::to_string(size) + " octets)";
    return std::nullopt;
  }
  std::string data(size, '\0');
  std::size_t at = 0;
  while (at < data.size()) {
    ssize_t r = ::pread(fd, data.data() + at, std::min<std::size_t>(data.size() - at, 8 << 20), static_cast<off_t>(at));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      why = r < 0 ? "read error: " + last_error().message() : "shorter than its size";
      return std::nullopt;
    }
    at += static_cast<std::size_t>(r);
  }
  return data;
}

}  // namespace mixer::queue::fd_io
