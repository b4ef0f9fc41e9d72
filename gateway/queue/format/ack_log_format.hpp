// gateway/queue/format/ack_log_format.hpp: DIR/acked (store.hpp), the list
// of the entries received over SMTP that were acknowledged (their 250 sent)
// since the daemon started, so that a start after the daemon's own crash
// can remove an entry whose files were complete but whose 250 was never
// sent: its client still holds the message and sends it again, and keeping
// our copy as well would deliver it twice (RFC 1047's duplicate; issue 14's
// "duplicates: target 0"). I/O-free; the decoder trusts nothing (a file on
// disk: torn, stale or edited).
//
//   mixer-acked 1 boot=UUID from=ID\n   header: the kernel's boot ID when the
//                                        run began (/proc/sys/kernel/random/
//                                        boot_id), and the least queue ID the
//                                        lines may name: every entry made by
//                                        this file's run is at or above it
//   ID ID ...\n                          one line per group commit: the IDs
//                                        (queue_id.hpp) it made durable and
//                                        then acknowledged, space-separated
//
// The file is written to the page cache only (no fsync): it is believed
// only after a crash of the process, when the kernel that holds its pages
// still runs (the same boot ID), which makes it exactly what was written.
// A torn last line (no newline) is a commit whose acknowledgements had not
// been sent: its whole IDs count (keeping an entry is always safe). Any
// other unreadable line, or more than the limits, makes the list unusable,
// and then every entry is kept.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::queue {

struct AckLogLimits {
  std::uint64_t max_bytes = std::uint64_t{64} << 20;  // the whole file
  std::size_t max_ids = 6'000'000;
};

struct AckedSince {
  bool usable = false;
  std::string boot;               // the header's boot ID
  std::int64_t from = 0;          // the header's least ID, as a value (decode_queue_id)
  std::vector<std::int64_t> ids;  // the IDs listed, as values, sorted, without repeats
  std::string why;                // why not usable
};

AckedSince decode_ack_log(std::string_view text, const AckLogLimits& limits = {});

// True for a boot ID as the kernel writes it (8-4-4-4-12 lower-case hex).
bool is_boot_id(std::string_view text);

// The lines, each with its newline. `from` must be a queue ID.
std::string ack_log_header(std::string_view boot, std::string_view from);
std::string ack_log_line(const std::vector<std::string>& ids);

}  // namespace mixer::queue
