// gateway/queue/store.hpp: the queue on disk (DESIGN.md "Queue", after PP).
//
//   DIR/lock            held (flock) by the daemon that owns the queue
//   DIR/msg/ID          one file per entry (one inode: creating and removing
//                       files is most of a relaying MTA's kernel time), in
//                       the order written:
//     header            32 octets, "mixer-entry 1 " + 16 hex digits + " \n":
//                       the offset of the control part; zeros until finish()
//     content           the message exactly as received (form 0)
//     forms 1..N        each converted form (format/control_file.hpp), in order
//     control part      the control file text (format/control_file.hpp) up to
//                       the end of the file, written last, with the status
//                       records appended after it: the entry is complete once
//                       the header points at a control part ending in "end",
//                       and acknowledged only after the Committer made it durable
//   DIR/quarantine/ID   entries that failed their check at start-up
//   DIR/clean           written last by a clean shutdown (mark_clean()), after
//                       a syncfs: "mixer-clean-shutdown 1[ snapshot=GEN]"
//   DIR/snapshot        written by the daemon while it runs (every
//                       queue.snapshot_interval) and by a clean shutdown just
//                       before DIR/clean: what the start-up needs of each entry
//                       (snapshot.hpp, format/snapshot_format.hpp), so that the
//                       next start reads one file and stats the entries instead
//                       of reading every entry's file; when DIR/clean names its
//                       generation, not even the stats. Both are removed
//                       (durably) at start before anything writes to the queue
//   DIR/touched         written while the daemon runs (touch_log.hpp): the
//                       entries written to since the periodic snapshot
//                       began, each made durable before the write, so that a
//                       start after a crash stats none of the others
//   DIR/acked           written while the daemon runs, to the page cache only
//                       (ack_log.hpp): the entries received over SMTP whose
//                       250 was sent, so that a start after the daemon's
//                       crash (same boot) removes those it made but never
//                       acknowledged (their clients send them again)
//   DIR/free/ID         spent entry files kept for reuse: a new entry takes one
//                       (its header zeroed first, then renamed into msg/) rather
//                       than a new inode, and is overwritten in place; creating
//                       and deleting an inode per message costs a relaying MTA
//                       more kernel time than its writes (ext4 without a journal
//                       scans every recently deleted inode at each creation)
//   DIR/free/new-N      empty files made ahead (premake(), at idle times), so
//                       that a queue growing faster than it is delivered still
//                       takes made files; never an entry: recovery reads msg/
//                       only, and a file enters msg/ with an unfinished header
//
// Readers skip entries whose header or control part is incomplete (being
// received, or left by a crash; recovery removes the latter). Everything
// here is plain POSIX file I/O, synchronous; the daemon calls it from its
// event loop only for small operations (create, append, rename).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "gateway/queue/format/control_file.hpp"

namespace mixer::queue {

// The size of an entry file's header (see above).
constexpr std::size_t kEntryHeaderSize = 32;
// How many files premake() keeps in free/ (empty ones cost an inode each).
constexpr std::size_t kPremadeTarget = 2048;
// How many decoded entries recover() holds at most before they are handed on.
constexpr std::size_t kRecoveryWindow = 4096;

class TouchLog;  // touch_log.hpp
// Who takes an appended record into the queue manager's state: the queue
// manager itself, at once (on its strand: `once`), or later (an operator's
// change, applied off the strand: `until_released`, see TouchLog).
enum class Touch { once, until_released };

// The files of one entry the Committer must make durable: the entry's
// file, and others that go with it (the P1 transfer journal).
struct DurableSet {
  int entry_fd = -1;
  std::vector<int> other_fds;
  void close_all();
};

// One message being written into msg/ID.
class Draft {
 public:
  Draft(const Draft&) = delete;
  Draft& operator=(const Draft&) = delete;
  ~Draft();  // aborts if neither finished nor aborted

  const std::string& id() const { return id_; }
  std::uint64_t size() const { return size_; }
  // Appends content octets (buffered; written in large blocks).
  void append(std::string_view bytes);
  // Writes one converted form after the content (N = 1, 2, ...: the number
  // returned); its size and CRC are filled in. Recipients name it by N.
  // No content may be appended after the first form.
  std::size_t add_form(FormRecord form, std::string_view bytes, std::error_code& ec);
  // Writes the control part (size and CRC filled in, the forms added so
  // far listed), points the header at it and hands back the file to sync.
  // The entry is complete but not yet durable.
  std::error_code finish(ControlFile& control, DurableSet& out);
  // Removes the partial entry.
  void abort();

 private:
  friend class Store;
  Draft(std::filesystem::path root, std::string id, int fd, bool reused, std::uint64_t reused_size);
  std::error_code flush();

  std::filesystem::path root_;
  std::string id_;
  int fd_ = -1;
  std::uint64_t written_ = 0;  // octets of the file so far (header included)
  bool reused_ = false;        // a spent file: cut to its new size at finish() when it was longer
  std::uint64_t reused_size_ = 0;  // its size when spent (UINT64_MAX: unknown)
  std::string buffer_;
  std::vector<FormRecord> forms_;
  std::uint64_t size_ = 0;
  std::uint32_t crc_ = 0;
  std::error_code error_;
  bool done_ = false;
};

struct RecoveryReport {
  std::vector<ControlFile> entries;        // complete and checked (recover() without a receiver)
  std::size_t recovered = 0;               // how many complete and checked entries there were
  std::vector<std::string> removed;        // incomplete (never acknowledged), removed
  std::vector<std::string> quarantined;    // complete control file but content does not match
  std::vector<std::string> finished_removal;  // operator deletions a crash interrupted
  std::vector<std::string> never_acknowledged;  // received over SMTP, complete, but no 250 sent (DIR/acked), removed
  bool ack_log = false;                    // DIR/acked was used (the daemon's crash, same boot)
  std::string acked;                       // why DIR/acked, which is there, was not used
  bool clean = false;                      // after a clean shutdown: content sizes checked, not CRCs
  std::size_t from_snapshot = 0;           // of `recovered`: taken from DIR/snapshot, their files not opened
  bool snapshot_checked = false;           // its entries' files stat'ed (no clean marker naming it, no DIR/touched)
  bool snapshot_touch_log = false;         // DIR/touched said which entries changed after it (none stat'ed)
  std::size_t snapshot_changed = 0;        // entries whose file changed (or, by DIR/touched, may have) after the snapshot (read from the file)
  std::string snapshot;                    // why the snapshot was not used ("" when used or none was written)
  // keep_used_snapshot(): DIR/snapshot is still there; the caller continues its section of
  // DIR/touched (TouchLog::continue_section) before anything writes to an entry, or forgets it.
  bool snapshot_left = false;
  std::uint64_t snapshot_generation = 0;   // ... when every entry of it was taken as it stands (0: forget it)
  std::vector<std::string> snapshot_rest;  // ... the names of msg/ not taken from it (sorted): what that section names
  std::string listing_greatest;            // the greatest name msg/ had
};

class Store {
 public:
  explicit Store(std::filesystem::path root);
  ~Store();

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path entry_path(const std::string& id) const { return root_ / "msg" / id; }

  // Creates the directory tree if missing (throws std::system_error).
  void prepare();
  // Takes the daemon's exclusive lock; false if another process holds it.
  bool lock();
  // True if some process (a daemon) holds the lock right now.
  bool locked_by_other() const;

  // Starts receiving a message (creates the file msg/ID).
  std::unique_ptr<Draft> begin(const std::string& id, std::error_code& ec);

  // Start-up scan: checks every entry in msg/ (control file complete,
  // content size and CRC), removes incomplete ones, finishes interrupted
  // removals. After a clean shutdown (mark_clean(), the file DIR/clean)
  // the content files are only checked for their size, not read for their
  // CRC: nothing can have been torn since they were synced. The mark is
  // removed (durably) first, so a crash after this start checks everything.
  // With a snapshot (DIR/snapshot), the entries it holds whose file is still
  // in msg/ (one directory listing, the same inode) are taken from it without
  // opening their files: after the clean shutdown that wrote it (its
  // generation in DIR/clean) on the inode alone, otherwise (a crash, or a
  // snapshot written while the daemon ran) only those whose file has the
  // snapshot's size and was not changed after it (fstatat: ctime); the others
  // in msg/ are read as above. A snapshot that fails any check is not used at
  // all (RecoveryReport::snapshot says why). The snapshot is removed with the
  // mark, unless keep_used_snapshot() (the daemon continues it in DIR/touched);
  // the mark counts once either way. After a crash of the daemon alone, entries
  // received over SMTP that its run made but never answered are removed
  // (DIR/acked: RecoveryReport::never_acknowledged).
  RecoveryReport recover(const ControlLimits& limits = {});
  // The same, streamed: each complete and checked entry is handed to `each`
  // on the calling thread, in the order of the IDs, as soon as it and those
  // before it are checked (while later ones are still being read), and not
  // kept (report.entries stays empty); with a snapshot, those taken from it
  // first (in ID order), then those read from their files. At most `window` entries (a multiple
  // of 64; tests use a small one) are checked ahead of the one handed on,
  // whatever the size of the queue. An exception from `each` stops the scan
  // (what was not handed on stays on disk as it was) and is passed on.
  using RecoveredEntry = std::function<void(ControlFile&& entry)>;
  RecoveryReport recover(const RecoveredEntry& each, const ControlLimits& limits = {},
                         std::size_t window = kRecoveryWindow);
  // At the end of a clean shutdown (nothing writes to the queue any more):
  // syncs the queue's filesystem, then writes and syncs DIR/clean, naming
  // the generation of the snapshot written just before (SnapshotWriter; 0:
  // none).
  std::error_code mark_clean(std::uint64_t snapshot = 0);
  // Removes DIR/snapshot (durably): the queue's files are changed while no
  // daemon runs (the CLI), so the snapshot would no longer describe them.
  std::error_code forget_snapshot();
  // recover() leaves the snapshot it used in place (the daemon, which continues it in
  // DIR/touched, so that a crash before this run's first periodic snapshot still
  // starts from it: RecoveryReport::snapshot_left). Without it, recover() removes it.
  void keep_used_snapshot(bool keep) { keep_snapshot_ = keep; }

  // Read-only views (safe while a daemon runs).
  std::vector<std::string> list_ids() const;
  std::optional<ControlFile> read(const std::string& id, std::string* error = nullptr) const;
  // read() and form() at once: the control file, and form `index`'s octets into
  // `octets` (one open and, for an entry under 64 KiB, one read of its file).
  std::optional<ControlFile> read(const std::string& id, std::size_t index, std::string& octets,
                                  std::string* error = nullptr) const;

  // Appends one record to the control file and fsyncs it (sync = false for
  // advisory records, e.g. a deferral, whose loss in a crash only means an
  // earlier retry). With the touch log started, the ID is made durable there
  // first (TouchLog::touch); when that fails, nothing is appended.
  std::error_code append(const std::string& id, const Record& record, bool sync = true, Touch touch = Touch::once);
  // Marks the entry removed (durably), then deletes its files (an operator's
  // change: touched `until_released`).
  std::error_code remove(const std::string& id);

  // DIR/touched made afresh for this run (the daemon, after recover() and
  // before anything writes to an entry); touch_log() null until then, and
  // after a failure to start it (the next start after a crash then stats
  // every entry of the snapshot, as without it).
  std::error_code start_touch_log();
  TouchLog* touch_log() const { return touch_log_.get(); }
  // Deletes a delivered entry without waiting for the disk: a crash leaves
  // the whole entry (sent again: a duplicate, never a loss) or none. Its
  // file is kept in free/ for a new entry when it is small and few are.
  std::error_code discard(const std::string& id);
  // Deletes an entry that was never acknowledged (its sync failed).
  void drop(const std::string& id);
  // Makes up to `at_most` empty files in free/ while it holds fewer than
  // kPremadeTarget; true while it still holds fewer (more to make).
  bool premake(std::size_t at_most);
  // How many files free/ holds for new entries.
  std::size_t free_files() const;
  // The content (the message as received).
  std::optional<std::string> content(const std::string& id) const;
  // A form's octets (form 0: the content as received).
  std::optional<std::string> form(const std::string& id, std::size_t index) const;

  // The msg/ directory (for fsync of new entries; also a file descriptor on
  // the queue's filesystem, for syncfs).
  int msg_dir_fd() const { return msg_fd_; }

 private:
  // The spent files in free/ (shared by the threads that receive and deliver),
  // each with its size when it was spent (UINT64_MAX when not known).
  struct FreeFile {
    std::string name;
    std::uint64_t size = UINT64_MAX;
  };
  struct FreeFiles {
    std::mutex mutex;
    std::vector<FreeFile> names;
  };
  // A spent file made into the entry msg/ID, open for writing (its size when
  // spent in `size`); -1 when there is none, or (with ec) when msg/ID exists.
  int reuse_free_file(const std::string& id, std::uint64_t& size, std::error_code& ec);

  std::filesystem::path root_;
  int lock_fd_ = -1;
  int msg_fd_ = -1;
  int free_fd_ = -1;
  std::uint64_t premade_ = 0;  // names made by premake() so far (its thread only)
  std::unique_ptr<FreeFiles> free_ = std::make_unique<FreeFiles>();
  std::unique_ptr<TouchLog> touch_log_;
  bool keep_snapshot_ = false;
};

}  // namespace mixer::queue
