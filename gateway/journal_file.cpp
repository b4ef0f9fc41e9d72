// gateway/journal_file.cpp: see the header.
#include "gateway/journal_file.hpp"

#include "gateway/queue/fd_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

namespace mixer::gateway::journal_file {

std::error_code last_error() { return queue::fd_io::last_error(); }

std::error_code write_all(int fd, std::string_view s) { return queue::fd_io::write_all(fd, s); }

std::error_code read(const std::filesystem::path& file, std::size_t max_bytes, std::string& out) {
  out.clear();
  int in = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) return errno == ENOENT ? std::error_code{} : last_error();
  char buf[65536];
  std::error_code ec;
  while (out.size() < max_bytes) {
    ssize_t r = ::read(in, buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) ec = last_error();
    if (r <= 0) break;
    out.append(buf, static_cast<std::size_t>(r));
  }
  ::close(in);
  return ec;
}

std::error_code replace_and_open(const std::filesystem::path& file, std::string_view contents, int& fd) {
  const auto tmp = file.string() + ".new";
  int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (out < 0) return last_error();
  auto ec = write_all(out, contents);
  if (!ec && ::fsync(out) != 0) ec = last_error();
  ::close(out);
  if (!ec && ::rename(tmp.c_str(), file.c_str()) != 0) ec = last_error();
  if (ec) return ec;
  if (int dir = ::open(file.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  if (fd >= 0) ::close(fd);
  fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  return fd < 0 ? last_error() : std::error_code{};
}

}  // namespace mixer::gateway::journal_file
