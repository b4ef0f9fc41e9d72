// gateway/transfer_journal.hpp: the P1 responder's record of the MTS-APDUs
// it has taken responsibility for, so that one a peer transfers again is
// confirmed without being queued twice (issue 14, "exactly once over P1").
//
// The case it closes: we commit an APDU, then the association (or we) die
// before the peer has our confirmation; the peer still holds the message
// and sends it again on a new association. X.411 gives each message one MTS
// identifier, but a split copy of one message may come to us again with
// other recipients, so an APDU is known by its MTS identifier, its size and
// its CRC-32C: a retransmission is the same octets.
//
// On disk: QUEUE/transfers, one line per record, appended
// (gateway/queue/format/transfer_journal_format.hpp):
//   T SECONDS QUEUEID SIZE CRC32C MTS-ID     taken: written once the entry's control file is
//   D QUEUEID                                durable: written once the group commit made it so,
//                                            at once (before the confirmation, and before the
//                                            entry can be delivered and removed)
//   C QUEUEID                                the entry's sync failed: forget it
//   S SECONDS HASH                           we took a recipient of an APDU and relay it to
//                                            a peer (advisory, not synced; HASH: FNV-1a 64 of
//                                            peer, MTS identifier and recipient): if that peer
//                                            sends it back for that recipient, it loops (X.411
//                                            §12.2.1.1.1.4; an X.400(1984) MTA in our own
//                                            domain leaves no trace that shows it)
// After a restart a T counts with its D, or when its entry is in the
// recovered queue (the crash came after the commit, before the D); a crash
// before the commit leaves an entry start-up removes and a T alone, so the
// peer's retransmission is queued, never wrongly confirmed. Records older than the
// window are dropped at start-up, when the file is rewritten. Thread-safe. Trusts nothing in the file: a
// line it cannot read is skipped (and counted).
#pragma once

#include <chrono>
#include <deque>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_map>

namespace mixer::gateway {

struct TransferKey {
  std::string mts_id;  // RFC 2156 §5.3 text
  std::uint64_t size = 0;
  std::uint32_t crc32c = 0;
  std::string text() const;  // "SIZE CRC32C MTS-ID"
};

class TransferJournal {
 public:
  // At most `max_records` are remembered (the oldest are forgotten first).
  TransferJournal(std::filesystem::path file, std::chrono::seconds window, std::size_t max_records = 1'000'000);
  ~TransferJournal();

  // Loads the file, drops expired and cancelled records, rewrites it. A
  // taken record without its D is kept when `in_queue` says its entry was
  // recovered complete (the crash came between the commit and the D: the
  // entry is durable, its confirmation was never sent), else forgotten.
  std::error_code open(std::int64_t now_seconds, const std::function<bool(const std::string&)>& in_queue = {});
  // The queue ID an identical APDU was committed as, within the window.
  std::optional<std::string> find(const TransferKey& key, std::int64_t now_seconds) const;
  // Records a taken APDU (written, not synced); returns a descriptor of the
  // file for the committer to sync with the entry (the caller's to close),
  // or -1 with `ec` set. Without `want_fd` (a syncfs commit covers the file):
  // -1, with `ec` set only on failure. Written at once, with the records
  // buffered before it (D, C, S: written by flush() or with the next T).
  int record(const TransferKey& key, const std::string& queue_id, std::int64_t now_seconds, std::error_code& ec,
             bool want_fd = true);
  // Writes the records not written yet, in one write (the committer calls it
  // before each sync and when idle: the D, C and S records of a batch cost one
  // write, or go with the next T record, instead of one write each).
  std::error_code flush();
  // The entry is durable: from now on find() answers with it. (Until then an
  // identical APDU is queued again: a duplicate rather than a loss if this
  // entry's sync fails; P1Intake holds such a copy back while the first is in
  // flight.) Its D is written at once (with any records buffered before it), not
  // synced: a crash of the process after this keeps it.
  std::error_code committed(const std::string& queue_id);
  // The entry was not made durable: forget its record.
  void cancel(const std::string& queue_id);
  // `recipient` (its O/R address text) of the APDU `mts_id` is relayed to `peer` (recorded
  // when the entry is written, before the transfer, so a fast loop cannot outrun it).
  void sent(std::string_view peer, std::string_view mts_id, std::string_view recipient, std::int64_t now_seconds);
  // True if `recipient` of `mts_id` was relayed to `peer` within the window.
  bool sent_to(std::string_view peer, std::string_view mts_id, std::string_view recipient,
               std::int64_t now_seconds) const;

  std::size_t size() const;
  std::size_t unreadable_lines() const { return unreadable_; }

 private:
  struct Taken {
    std::string queue_id;
    std::int64_t time = 0;
    bool durable = true;  // records read from the file are
  };
  std::filesystem::path file_;
  std::chrono::seconds window_;
  mutable std::mutex mutex_;
  int fd_ = -1;
  std::string unwritten_;  // records made, not yet written (flush())
  std::error_code flush_locked();
  void buffer(const std::string& line);  // into unwritten_ (lock held)
  void forget_old(std::int64_t now);  // expired, and beyond max_records_ (oldest first)
  std::size_t max_records_;
  std::unordered_map<std::string, Taken> taken_;  // by TransferKey::text()
  std::unordered_map<std::string, std::string> by_id_;  // queue ID -> key
  std::deque<std::string> order_;                 // keys, oldest first (may hold stale ones)
  std::unordered_map<std::uint64_t, std::int64_t> sent_;  // relay hash -> when
  std::deque<std::uint64_t> sent_order_;                  // its keys, oldest first (may repeat)
  std::size_t unreadable_ = 0;
};

}  // namespace mixer::gateway
