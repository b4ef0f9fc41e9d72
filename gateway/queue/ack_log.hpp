// gateway/queue/ack_log.hpp: writing DIR/acked (format/ack_log_format.hpp)
// while the daemon runs: after each group commit, before any of its entries
// is acknowledged or handed to the queue manager, the IDs of its entries
// received over SMTP, in one write. So after a crash of the daemon (not of
// the kernel: the same boot ID), an entry received over SMTP, made by that
// run and not listed was never acknowledged, nor delivered: the start
// removes it, and its client, which got no 250, sends it again (one copy,
// not two). Nothing is synced: the file is believed only when the kernel
// that holds its pages still runs (the boot ID in its header); after a
// reboot every entry is kept, as before.
//
// When a write fails, the file is removed (the next start keeps every
// entry); if that fails too, acknowledged() fails, and so do the commits
// that asked for it (their entries are not acknowledged). The file is begun
// again at `from` = the greatest ID handed out so far + 1 when it grows past
// its limit: every ID the old file listed is below it, so nothing listed
// there is lost by the new one (an entry made before and acknowledged after
// is below `from`: kept). Called from the committer's thread only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "gateway/queue/format/ack_log_format.hpp"

namespace mixer::queue {

// The running kernel's boot ID, or nullopt when it cannot be read.
std::optional<std::string> current_boot_id();

// ROOT/acked when a start may believe it: there, readable, within AckLogLimits,
// and written under the kernel that runs now. `note`: why not, when the file is
// there but not used.
std::optional<AckedSince> read_ack_log(const std::filesystem::path& root, std::string& note);

class AckLog {
 public:
  // The least ID the file may list when it is begun (again): above every ID handed out so far.
  using NextId = std::function<std::int64_t()>;
  // ROOT/acked begun afresh for this run. Any earlier file is removed first;
  // when that fails, ec is set and nothing is returned (the daemon must not run
  // with another run's file in place: its entries would look unacknowledged).
  // Without a boot ID, or when the new file cannot be made, no file is left
  // and a disabled log is returned (every entry is kept after a crash).
  static std::unique_ptr<AckLog> start(const std::filesystem::path& root, NextId next_id, std::error_code& ec,
                                       std::uint64_t max_bytes = std::uint64_t{8} << 20);
  ~AckLog();
  AckLog(const AckLog&) = delete;
  AckLog& operator=(const AckLog&) = delete;

  // One commit's entries, durable and about to be acknowledged.
  std::error_code acknowledged(const std::vector<std::string>& ids);

  bool disabled() const { return fd_ < 0; }
  bool broken() const { return broken_; }  // disabled, and the file could not be removed
  std::uint64_t restarts() const { return restarts_; }  // times begun again at the size limit

 private:
  AckLog(std::filesystem::path root, NextId next_id, std::string boot, std::uint64_t max_bytes);
  // Writes a new file with the header (from next_id_()) and puts it in place.
  std::error_code begin();
  // Removes the file after a failure; an error when it is still there.
  std::error_code give_up();

  std::filesystem::path root_;
  NextId next_id_;
  std::string boot_;
  std::uint64_t max_bytes_;
  int fd_ = -1;
  bool broken_ = false;  // the file is still there after a failure: every acknowledged() fails
  std::uint64_t size_ = 0;
  std::uint64_t restarts_ = 0;
};

}  // namespace mixer::queue
