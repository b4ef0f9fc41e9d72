// gateway/queue/fd_io.hpp: the descriptor operations the queue's files and
// the gateway's journals share: errno as an error_code, a write of every
// octet (retrying on EINTR and short writes), and the fsync of a directory
// (a rename or a new name made durable). Trusts the descriptor and the path.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace mixer::queue::fd_io {

// errno as an error_code.
std::error_code last_error();
// Writes all of `bytes` to `fd`.
std::error_code write_all(int fd, std::string_view bytes);
// fsync of the directory `dir`.
std::error_code sync_dir(const std::filesystem::path& dir);
// The whole of the regular file open on `fd` when it has at most `max_bytes`
// octets; nullopt with `why` otherwise (not a regular file, too large, a read error).
std::optional<std::string> read_whole(int fd, std::uint64_t max_bytes, std::string& why);

}  // namespace mixer::queue::fd_io
