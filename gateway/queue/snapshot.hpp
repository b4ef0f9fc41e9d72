// gateway/queue/snapshot.hpp: writing DIR/snapshot (periodically while the
// daemon runs, and at the end of a clean shutdown), and using it at the next
// start (issue 14; the format is format/snapshot_format.hpp, the protocol
// store.hpp's "clean" and "snapshot"). Trusts the caller's entries when
// writing (the queue manager's state, each with the size of the file that
// holds exactly that state); trusts nothing it reads: a snapshot is used only
// whole, when every CRC and limit holds, and then only for entries whose file
// is still in msg/ with the same inode and, unless a clean marker names the
// snapshot's generation (nothing wrote to the queue after it), the same size
// and a ctime older than the snapshot (one fstatat per entry), or, when
// DIR/touched (touch_log.hpp) holds the snapshot's section, not among the
// IDs touched since it began (no fstatat). An entry the listing has and the
// snapshot does not, or that fails a check, is read from its file.
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

class TouchLog;

// A name in msg/ and its inode, as one directory listing (getdents) gives them.
struct ListedEntry {
  std::string name;
  std::uint64_t inode = 0;
};
// The names of `dir` (no "." or ".."), sorted.
std::vector<ListedEntry> list_directory(const std::filesystem::path& dir);

// Unix nanoseconds now (CLOCK_REALTIME: what the kernel stamps ctimes with).
std::uint64_t realtime_ns();

class SnapshotWriter {
 public:
  // Starts ROOT/snapshot.new, notes the time (the snapshot's as-of: the state
  // must be copied after this), opens the snapshot's section of `touched` (the
  // running daemon's; none at a clean shutdown) and lists ROOT/msg once (for
  // the inodes).
  static std::unique_ptr<SnapshotWriter> open(const std::filesystem::path& root, std::error_code& ec,
                                              SnapshotLimits limits = {}, TouchLog* touched = nullptr);
  ~SnapshotWriter();  // abandon()s an unfinished one
  // Adds an entry (IDs ascending) whose file msg/ID exists, with the size of
  // the file holding exactly its state (entry.file_size); false when it is
  // left out (no such file, size unknown, or out of the limits: read at start).
  // Encodes only: the octets wait for take_blocks()/write() or finish().
  bool add(const ControlFile& entry);
  // The encoded blocks so far (taken), and writing them to the file: a writer
  // thread may do the latter while another adds (never both on one call).
  std::string take_blocks() { return encoder_.take_blocks(); }
  std::error_code write(std::string_view blocks);
  // Writes the rest and the header, fsyncs, renames it to ROOT/snapshot (and
  // compacts `touched` to its section); returns the generation for
  // Store::mark_clean() (0 with ec on failure: no snapshot).
  std::uint64_t finish(std::error_code& ec);
  // Closes and removes ROOT/snapshot.new (an unfinished snapshot).
  void abandon();
  std::uint64_t entries() const { return encoder_.entries(); }
  std::uint64_t as_of_ns() const { return as_of_ns_; }
  // The names msg/ had at open(), sorted: the entries a snapshot can hold (one
  // made after that is read from its file at start).
  const std::vector<ListedEntry>& listing() const { return listing_; }

 private:
  SnapshotWriter(std::filesystem::path root, int fd, std::uint64_t generation, std::uint64_t as_of_ns,
                 SnapshotLimits limits);
  std::filesystem::path root_;
  int fd_ = -1;
  std::uint64_t generation_, as_of_ns_;
  SnapshotEncoder encoder_;
  std::vector<ListedEntry> listing_;
  TouchLog* touched_ = nullptr;  // its section opened
  std::size_t cursor_ = 0;  // into listing_ (entries come in ascending order)
  std::error_code error_;
};

// Reads a snapshot file whole, if its size is within the limits; nullopt with
// `why` otherwise.
std::optional<std::string> read_snapshot_file(int fd, const SnapshotLimits& limits, std::string& why);

// What a start finds of the last run (ROOT/clean, ROOT/snapshot).
struct CleanStart {
  bool clean = false;                   // ROOT/clean was there and is ours
  std::uint64_t generation = 0;         // the snapshot it names (0: none)
  std::optional<std::string> snapshot;  // ROOT/snapshot's octets, when there is one (named or not)
  std::optional<std::string> touched;   // ROOT/touched's octets, when there is one (within its limit)
  bool snapshot_left = false;           // keep_snapshot: ROOT/snapshot was there and is still
  std::string why;                      // why there are none although a file was there
};
// Reads both, then removes the marker durably (so a crash after this start
// does not take the snapshot on inodes alone), and the snapshot too unless
// `keep_snapshot` (the caller then forgets it, or continues its section of
// ROOT/touched before anything writes to an entry: TouchLog::continue_section);
// when they cannot be removed durably, trusts neither now either. Reads
// ROOT/touched too, which the run's Store::start_touch_log() remakes.
CleanStart take_clean_start(const std::filesystem::path& root, const SnapshotLimits& limits = {},
                            bool keep_snapshot = false);

// How a start used a snapshot.
struct SnapshotUse {
  std::size_t adopted = 0;  // entries handed on from it
  bool checked = false;     // per entry: fstatat (size, ctime), not the inode only
  bool touch_log = false;   // per entry: not touched since it (DIR/touched), no fstatat
  std::string touch_log_why;  // why DIR/touched was there but not used
  std::size_t changed = 0;  // entries with the same inode that failed that check (read from their files)
  std::uint64_t generation = 0;  // the snapshot's (its header's)
};
// A file changed this long before a snapshot's as-of counts as changed after it
// (file times come from a coarse clock).
constexpr std::uint64_t kSnapshotCtimeSlackNs = 2'000'000'000;

// Start-up with a snapshot: decodes it once, handing `each` the entries
// whose file `listing` (msg/, sorted) still has with the same inode, in ID
// order; when `clean_generation` (the clean marker's) is not the snapshot's,
// only those whose file (fstatat relative to `msg_dir_fd`, on several
// threads) is a regular file with that inode, the snapshot's size and a ctime
// before its as-of (less kSnapshotCtimeSlackNs); or, when `touched` (DIR/touched's
// octets) has the snapshot's section, only those whose ID is not in it (no
// fstatat). Returns the names of
// `listing` left to read from their files (sorted): with `why` set when a
// fault part-way stopped the decoding (each entry handed on before it passed
// its block's CRC and its own checks, so it stands). nullopt with `why` when
// the header cannot be used (nothing was handed on then).
std::optional<std::vector<std::string>> adopt_snapshot(std::string_view data, std::uint64_t clean_generation,
                                                       const std::vector<ListedEntry>& listing, int msg_dir_fd,
                                                       const std::string* touched,
                                                       const std::function<void(ControlFile&&)>& each,
                                                       SnapshotUse& use, std::string& why,
                                                       const SnapshotLimits& limits = {});

// The check behind a start from the snapshot, for tests and the differential
// check: every entry the snapshot at ROOT/snapshot would give (as above,
// the clean marker not trusted, ROOT/touched used as the start would use it;
// `touch_log`: whether it was) compared with its file read in full
// (Store::read, snapshot_view); the IDs whose state differs, each with why.
// Reads only. nullopt with `why` when the snapshot cannot be used.
std::optional<std::vector<std::string>> snapshot_mismatches(const std::filesystem::path& root, std::string& why,
                                                            std::size_t* adopted = nullptr, bool* touch_log = nullptr);

}  // namespace mixer::queue
