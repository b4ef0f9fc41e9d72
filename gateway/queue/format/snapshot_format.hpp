// gateway/queue/format/snapshot_format.hpp: the start-up snapshot, DIR/snapshot
// (store.hpp), written by the daemon while it runs (queue.snapshot_interval)
// and at the end of a clean shutdown, so that the next start need not open a
// million entry files (issue 14). I/O-free; the decoder trusts nothing (a
// snapshot is a file on disk: torn, stale or edited).
//
//   header   56 octets: "MIXSNAP\0", version (u32 LE), 0 (u32), generation
//            (u64: a clean marker naming the same one lets the start skip the
//            per-entry checks), entries (u64), file size (u64), as-of (u64:
//            unix nanoseconds when the copy of the state began; a file changed
//            since then is not taken from the snapshot), CRC-32C of the 48
//            octets before it (u32), 0 (u32)
//   blocks   to the end of the file: payload octets (u32), entries (u32),
//            CRC-32C of those 8 octets and the payload (u32), payload
//   entry    varints (LEB128) and strings (varint length, octets), in
//            strictly ascending queue ID order across the file:
//              id, inode of msg/ID, size of msg/ID (octets, > 0: the file
//              holding exactly this state), arrival_us, size, flags (1: held),
//              warned, mts_id, apdu (0 none, 1 message, 2 report, 3 probe),
//              forms: count, then per form kind (0 rfc822, 1 p1) and mts_id;
//              recipients: count, then per recipient index, channel (0 smtp,
//              1 p1, 2 local), next hop, fallback count and hops, form,
//              status (0 queued .. 3 failed), attempts, next_attempt, flags
//              (1: delivery report owed), address, dsn, diagnostic
//
// An entry holds exactly the ControlFile fields the start-up reads
// (QueueIndex::add, qmgr::Scheduler::add), and file_size: a new reader of
// another field at start-up must be added here, with a new version. Signed
// values are stored as their two's complement (u64). Version 1 (no file
// sizes, no as-of) is refused: such a snapshot is not used.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "gateway/queue/format/control_file.hpp"

namespace mixer::queue {

constexpr std::uint32_t kSnapshotVersion = 2;
constexpr std::size_t kSnapshotHeaderSize = 56;
constexpr std::size_t kSnapshotBlockHeaderSize = 12;

// What a decoder accepts; a writer leaves out (to be read from its file) an
// entry that would not fit them.
struct SnapshotLimits {
  std::uint64_t max_file_bytes = std::uint64_t{8} << 30;
  std::uint64_t max_entries = 50'000'000;
  std::size_t max_block_bytes = 16 << 20;
  std::size_t max_string = 64 << 10;        // any one string (address, diagnostic, hop, ...)
  std::size_t max_recipients = 100'000;     // of one entry
  std::size_t max_forms = 64;
  std::size_t max_fallback = 64;            // further hops of one recipient
};

// Builds a snapshot file's octets: blocks as they fill (take_blocks()), then
// the header (written last, at offset 0, once the size is known).
class SnapshotEncoder {
 public:
  // `as_of_ns`: unix nanoseconds when the copy of the state began.
  explicit SnapshotEncoder(std::uint64_t generation, std::uint64_t as_of_ns = 0, SnapshotLimits limits = {},
                           std::size_t block_bytes = 256 << 10);
  // Appends one entry; false (nothing added) when its ID is not above the last
  // one's, not a queue ID, its file_size is not known (0), or it does not fit
  // the limits.
  bool add(const ControlFile& entry, std::uint64_t inode);
  // Whole blocks ready to be written (taken); finish() first flushes the last.
  std::string take_blocks();
  void finish();
  // The header for what was added (after finish()).
  std::string header() const;
  std::uint64_t entries() const { return entries_; }

 private:
  void close_block();
  std::uint64_t generation_, as_of_ns_;
  SnapshotLimits limits_;
  std::size_t block_bytes_;
  std::string block_, ready_, last_id_;
  std::uint32_t block_entries_ = 0;
  std::uint64_t entries_ = 0;
  std::uint64_t size_ = kSnapshotHeaderSize;  // of the file so far
};

struct SnapshotDecode {
  bool ok = false;
  std::string error;  // why not, for the log
  std::uint64_t generation = 0;
  std::uint64_t entries = 0;
  std::uint64_t as_of_ns = 0;
};

// Reads the header only (enough to compare the generation before anything else).
SnapshotDecode decode_snapshot_header(std::string_view data, const SnapshotLimits& limits = {});
// Checks the whole file (header, every block's CRC and size, every entry
// within the limits, IDs ascending, the counts) and hands each entry to
// `each` (if set) in order (entry.file_size set). It stops at the first fault: a caller that must
// not act on part of a bad file decodes it once without `each` first.
using SnapshotEach = std::function<void(ControlFile&& entry, std::uint64_t inode)>;
SnapshotDecode decode_snapshot(std::string_view data, const SnapshotLimits& limits = {}, const SnapshotEach& each = {});

// The projection of a control file onto the state a snapshot keeps (for
// tests, and to compare a snapshot's entry with its file; file_size left 0).
ControlFile snapshot_view(const ControlFile& c);
// That projection as text, every field of it (recipients' states included;
// "delivery report owed" per entry, as the start-up reads it), so that two
// states compare equal exactly when the text does.
std::string snapshot_state_text(const ControlFile& c);

}  // namespace mixer::queue
