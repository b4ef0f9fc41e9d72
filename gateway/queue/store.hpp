// gateway/queue/store.hpp: the queue on disk (DESIGN.md "Queue", after PP).
//
//   DIR/lock            held (flock) by the daemon that owns the queue
//   DIR/msg/ID/base     the content exactly as received, written first
//   DIR/msg/ID/formN    each converted form (format/control_file.hpp), next
//   DIR/msg/ID/control  the control file (format/control_file.hpp), written
//                       last: an entry is complete once its control file
//                       ends with "end", and acknowledged only after the
//                       Committer has made it durable
//   DIR/quarantine/ID/  entries that failed their check at start-up
//
// Readers skip entries whose control file is missing or incomplete (being
// received, or left by a crash; recovery removes the latter). Everything
// here is plain POSIX file I/O, synchronous; the daemon calls it from its
// event loop only for small operations (create, append, rename).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "gateway/queue/format/control_file.hpp"

namespace mixer::queue {

// The files of one entry the Committer must make durable.
struct DurableSet {
  int entry_dir_fd = -1;
  int base_fd = -1;
  int control_fd = -1;
  std::vector<int> form_fds;
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
  // Writes one converted form as file "formN" (N = 1, 2, ...: the number
  // returned); its size and CRC are filled in. Recipients name it by N.
  std::size_t add_form(FormRecord form, std::string_view bytes, std::error_code& ec);
  // Writes the control file (size and CRC filled in, the forms added so
  // far listed) and hands back the files to sync. The entry is complete but
  // not yet durable.
  std::error_code finish(ControlFile& control, DurableSet& out);
  // Removes the partial entry.
  void abort();

 private:
  friend class Store;
  Draft(std::filesystem::path root, std::string id, int dir_fd, int base_fd);
  std::error_code flush();

  std::filesystem::path root_;
  std::string id_;
  int dir_fd_ = -1, base_fd_ = -1;
  std::string buffer_;
  std::vector<FormRecord> forms_;
  std::vector<int> form_fds_;
  std::uint64_t size_ = 0;
  std::uint32_t crc_ = 0;
  std::error_code error_;
  bool done_ = false;
};

struct RecoveryReport {
  std::vector<ControlFile> entries;        // complete and checked
  std::vector<std::string> removed;        // incomplete (never acknowledged), removed
  std::vector<std::string> quarantined;    // complete control file but content does not match
  std::vector<std::string> finished_removal;  // operator deletions a crash interrupted
  bool clean = false;                      // after a clean shutdown: content sizes checked, not CRCs
};

class Store {
 public:
  explicit Store(std::filesystem::path root);
  ~Store();

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path entry_dir(const std::string& id) const { return root_ / "msg" / id; }

  // Creates the directory tree if missing (throws std::system_error).
  void prepare();
  // Takes the daemon's exclusive lock; false if another process holds it.
  bool lock();
  // True if some process (a daemon) holds the lock right now.
  bool locked_by_other() const;

  // Starts receiving a message (creates msg/ID).
  std::unique_ptr<Draft> begin(const std::string& id, std::error_code& ec);

  // Start-up scan: checks every entry in msg/ (control file complete,
  // content size and CRC), removes incomplete ones, finishes interrupted
  // removals. After a clean shutdown (mark_clean(), the file DIR/clean)
  // the content files are only checked for their size, not read for their
  // CRC: nothing can have been torn since they were synced. The mark is
  // removed (durably) first, so a crash after this start checks everything.
  RecoveryReport recover(const ControlLimits& limits = {});
  // At the end of a clean shutdown (nothing writes to the queue any more):
  // syncs the queue's filesystem, then writes and syncs DIR/clean.
  std::error_code mark_clean();

  // Read-only views (safe while a daemon runs).
  std::vector<std::string> list_ids() const;
  std::optional<ControlFile> read(const std::string& id, std::string* error = nullptr) const;

  // Appends one record to the control file and fsyncs it (sync = false for
  // advisory records, e.g. a deferral, whose loss in a crash only means an
  // earlier retry).
  std::error_code append(const std::string& id, const Record& record, bool sync = true);
  // Marks the entry removed (durably), then deletes its files.
  std::error_code remove(const std::string& id);
  // Deletes a delivered entry without waiting for the disk: the control
  // file first, so that a crash leaves either the whole entry (sent again:
  // a duplicate, never a loss) or an incomplete one that start-up removes.
  std::error_code discard(const std::string& id);
  // The content file (the message as received).
  std::optional<std::string> content(const std::string& id) const;
  // A form's file (form 0: the content as received).
  std::optional<std::string> form(const std::string& id, std::size_t index) const;

  // The msg/ directory (for fsync of new entries) and a file descriptor on
  // the queue's filesystem (for syncfs).
  int msg_dir_fd() const { return msg_fd_; }

 private:
  std::filesystem::path root_;
  int lock_fd_ = -1;
  int msg_fd_ = -1;
};

// Deletes a directory's regular files and the directory itself.
std::error_code remove_entry_dir(const std::filesystem::path& dir);

}  // namespace mixer::queue
