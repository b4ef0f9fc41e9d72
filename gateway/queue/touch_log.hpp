// gateway/queue/touch_log.hpp: writing DIR/touched (format/touch_log_format.hpp)
// while the daemon runs: before any write to an existing entry's file
// (Store::append) its ID is made durable here, once per start-up snapshot,
// so that a start after a crash knows which entries of the last snapshot
// may have changed and takes the rest on their inode alone, without an
// fstatat each (issue 14: a million cold fstatats are most of such a start).
//
// Protocol (the durability argument):
//   - SnapshotWriter::open() calls open_section(G) before it lists msg/ and
//     before any state is copied: "open G" is durable before snapshot G can
//     exist under its name, and every write to an entry after it is preceded
//     by a durable ID line after it;
//   - an entry above the greatest ID msg/ had in any listing of the run so far
//     (IDs ascend with arrival) is in no snapshot of the run: its writes need
//     no ID (a new message deferred at once costs no sync), except while a
//     snapshot is listing msg/ (open_section() to listed()), when every one does;
//   - the queue manager touches the entries of the jobs it is about to start in
//     one batch (touch_all()), so their records then need no sync of their own;
//   - a write made before "open G" is in the state the snapshot copies,
//     provided the writer updated that state first: true on the queue
//     manager's strand, where the copy is made too; a write from elsewhere
//     (the operator's hold, release, retry, delete) is touched `sticky`: its
//     ID is repeated after every "open" line until the queue manager, on its
//     strand, has taken the change in (release());
//   - once snapshot G is in place, compact(G) rewrites the file with G's
//     section only (a new file, renamed, directory synced, before any later
//     ID is written to it).
// If the file cannot be written, it is removed (the start then checks every
// file); if it cannot be removed either, touch() fails, and so does the write
// that asked for it (nothing is written that a start could miss). Thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <unordered_set>
#include <vector>

namespace mixer::queue {

class TouchLog {
 public:
  // ROOT/touched made afresh for this run (the header only), durably.
  static std::unique_ptr<TouchLog> start(const std::filesystem::path& root, std::error_code& ec);
  ~TouchLog();
  TouchLog(const TouchLog&) = delete;
  TouchLog& operator=(const TouchLog&) = delete;

  // Before a write to msg/ID: the ID durable after the current "open" line (at
  // once when it is not there yet; nothing before the run's first snapshot
  // began, as no snapshot of this run can be found then, nor for an ID above
  // every listing's, as no snapshot holds it). `sticky`: repeated after every
  // later "open" line until release(ID).
  std::error_code touch(const std::string& id, bool sticky = false);
  // touch() of several IDs with one write and one sync (the queue manager, for the
  // entries it is about to attempt: their deferrals then need no sync of their own).
  std::error_code touch_all(const std::vector<std::string>& ids);
  // The queue manager's state has taken in the writes touched `sticky` for ID.
  void release(const std::string& id);
  // A snapshot of `generation` begins (before its listing and its copy of the state).
  // Until listed(), every ID is touched; after it, only those up to the greatest ID
  // any listing of this run had (queue IDs ascend: an entry above it is in no snapshot
  // of the run, and a new entry's deferral costs no sync).
  std::error_code open_section(std::uint64_t generation);
  // The snapshot's listing of msg/ is done; `greatest` is its last (greatest) name.
  void listed(const std::string& greatest);
  // At start, before anything writes to an entry: snapshot `generation`, which this
  // start used and left in place, goes on as if it had begun now: its "open" line,
  // then `carried` (every name of msg/ the start did not take from it: changed since
  // it, or not in it), durably; `greatest`: the greatest name of the start's listing
  // (every entry of the snapshot is at or below it). Only before any other section.
  std::error_code continue_section(std::uint64_t generation, const std::vector<std::string>& carried,
                                   const std::string& greatest);
  // Snapshot `generation` is in place: the file keeps its section only.
  std::error_code compact(std::uint64_t generation);

  // How many ID lines were written (for tests and stats).
  std::uint64_t lines() const;
  bool disabled() const;  // removed after an error: the start checks every file

 private:
  TouchLog(std::filesystem::path root, int fd);
  std::error_code append_locked(const std::string& text);
  bool needs_line_locked(const std::string& id) const;
  std::error_code give_up_locked(std::error_code why);

  std::filesystem::path root_;
  mutable std::mutex mutex_;
  int fd_ = -1;
  bool disabled_ = false;                     // removed after an error: touches need nothing
  std::error_code broken_;                    // could not be removed either: every touch fails
  std::uint64_t generation_ = 0;              // of the current section (0: none yet)
  bool listing_ = false;                      // its snapshot is listing msg/: every ID counts
  std::string high_water_;                    // the greatest ID any listing of this run had
  std::unordered_set<std::string> section_;   // IDs written after its "open" line
  std::unordered_set<std::string> sticky_;
  std::uint64_t lines_ = 0;
};

}  // namespace mixer::queue
