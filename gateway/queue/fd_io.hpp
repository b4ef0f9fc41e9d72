// gateway/queue/fd_io.hpp: the descriptor operations the queue's files and
// the gateway's journals share: errno as an error_code, a write of every
// octet (retrying on EINTR and short writes), and the fsync of a directory
// (a rename or a new name made durable). Trusts the descriptor and the path.
#pragma once

#include <filesystem>
#include <string_view>
#include <system_error>

namespace mixer::queue::fd_io {

// errno as an error_code.
std::error_code last_error();
// Writes all of `bytes` to `fd`.
std::error_code write_all(int fd, std::string_view bytes);
// fsync of the directory `dir`.
std::error_code sync_dir(const std::filesystem::path& dir);

}  // namespace mixer::queue::fd_io
