// gateway/queue/snapshot.hpp: writing DIR/snapshot at the end of a clean
// shutdown, and using it at the next start (issue 14; the format is
// format/snapshot_format.hpp, the protocol store.hpp's "clean" and
// "snapshot"). Trusts the caller's entries when writing (the queue
// manager's state after a drain, which is what the control files say);
// trusts nothing it reads: a snapshot is used only whole, when its
// generation is the clean marker's, every CRC and limit holds, and then
// only for entries whose file is still in msg/ with the same inode. An
// entry the listing has and the snapshot does not is read from its file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "gateway/queue/format/snapshot_format.hpp"

namespace mixer::queue {

// A name in msg/ and its inode, as one directory listing (getdents) gives them.
struct ListedEntry {
  std::string name;
  std::uint64_t inode = 0;
};
// The names of `dir` (no "." or ".."), sorted.
std::vector<ListedEntry> list_directory(const std::filesystem::path& dir);

class SnapshotWriter {
 public:
  // Starts ROOT/snapshot.new and lists ROOT/msg once (for the inodes).
  static std::unique_ptr<SnapshotWriter> open(const std::filesystem::path& root, std::error_code& ec,
                                              SnapshotLimits limits = {});
  ~SnapshotWriter();
  // Adds an entry (IDs ascending) whose file msg/ID exists; false when it is
  // left out (no such file, or out of the limits: it is read at start).
  bool add(const ControlFile& entry);
  // Writes the rest and the header, fsyncs, renames it to ROOT/snapshot; returns
  // the generation for Store::mark_clean() (0 with ec on failure: no snapshot).
  std::uint64_t finish(std::error_code& ec);
  std::uint64_t entries() const { return encoder_.entries(); }

 private:
  SnapshotWriter(std::filesystem::path root, int fd, std::uint64_t generation, SnapshotLimits limits);
  std::filesystem::path root_;
  int fd_ = -1;
  std::uint64_t generation_;
  SnapshotEncoder encoder_;
  std::vector<ListedEntry> listing_;
  std::size_t cursor_ = 0;  // into listing_ (entries come in ascending order)
  std::error_code error_;
};

// Reads a snapshot file whole, if its size is within the limits; nullopt with
// `why` otherwise.
std::optional<std::string> read_snapshot_file(int fd, const SnapshotLimits& limits, std::string& why);

// What a start finds of the last shutdown (ROOT/clean, ROOT/snapshot).
struct CleanStart {
  bool clean = false;                   // ROOT/clean was there and is ours
  std::uint64_t generation = 0;         // the snapshot it names (0: none)
  std::optional<std::string> snapshot;  // ROOT/snapshot's octets, when the marker names one
  std::string why;                      // why there are none although a file was there
};
// Reads both, then removes both durably (so a crash after this start trusts
// neither); when they cannot be removed durably, trusts neither now either.
CleanStart take_clean_start(const std::filesystem::path& root, const SnapshotLimits& limits = {});

// Start-up with a snapshot whose generation the clean marker named: checks it
// whole, then hands `each` the entries whose file `listing` (msg/, sorted)
// still has with the same inode, in ID order. Returns the names of `listing`
// left to read from their files (sorted), or nullopt with `why` when the
// snapshot cannot be used (nothing was handed on then).
std::optional<std::vector<std::string>> adopt_snapshot(std::string_view data, std::uint64_t generation,
                                                       const std::vector<ListedEntry>& listing,
                                                       const std::function<void(ControlFile&&)>& each,
                                                       std::size_t& adopted, std::string& why,
                                                       const SnapshotLimits& limits = {});

}  // namespace mixer::queue
