// gateway/queue/fd_io.hpp: the two descriptor operations the queue's files
// and the gateway's journals share: errno as an error_code, and a write of
// every octet (retrying on EINTR and short writes). Trusts the descriptor.
#pragma once

#include <string_view>
#include <system_error>

namespace mixer::queue::fd_io {

// errno as an error_code.
std::error_code last_error();
// Writes all of `bytes` to `fd`.
std::error_code write_all(int fd, std::string_view bytes);

}  // namespace mixer::queue::fd_io
