// gateway/journal_file.hpp: the file operations the gateway's append-only
// journals share (gateway/transfer_journal, gateway/correlation_journal):
// read the whole file (up to a limit), replace it atomically with what is
// live (a temporary file, fsync'd, renamed, the folder fsync'd), then append
// lines to it. Trusts nothing in the file (the journals' parsers judge it).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace mixer::gateway::journal_file {

// errno as an error_code.
std::error_code last_error();
// Writes all of `bytes` to `fd` (retrying on EINTR and short writes).
std::error_code write_all(int fd, std::string_view bytes);
// The file's first `max_bytes` (about) into `out`; a missing file is empty, not an error.
std::error_code read(const std::filesystem::path& file, std::size_t max_bytes, std::string& out);
// `file` replaced by `contents` (durably), then opened for appending into `fd`
// (closed first when it is open).
std::error_code replace_and_open(const std::filesystem::path& file, std::string_view contents, int& fd);

}  // namespace mixer::gateway::journal_file
