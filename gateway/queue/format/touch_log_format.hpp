// gateway/queue/format/touch_log_format.hpp: DIR/touched (store.hpp), the
// durable list of the entries written to since a start-up snapshot began,
// so that a start after a crash takes every other entry of that snapshot on
// its inode alone instead of an fstatat per entry (issue 14). I/O-free; the
// decoder trusts nothing (a file on disk: torn, stale or edited).
//
//   mixer-touched 1\n            header
//   open GGGGGGGGGGGGGGGG\n      a snapshot of generation G (16 hex digits)
//                                began: the IDs after this line are the
//                                entries written to since (or about to be)
//   ID\n                         a queue ID (queue_id.hpp), one per line
//
// Lines before the "open" line of the snapshot a start has are not read (an
// earlier snapshot's, or another run's). After it, the "open" lines of later
// snapshots (begun, never put in place) are skipped: their IDs count too.
// Every other line after it must be an ID, but a torn last one (no newline),
// which is ignored: the writer makes an ID durable before it writes to the
// entry, so a torn ID was never followed by a write. Anything else after it
// (an unreadable line, more than the limits) makes the list unusable: the
// start then checks every entry's file instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::queue {

struct TouchLogLimits {
  std::uint64_t max_bytes = std::uint64_t{1} << 30;  // the whole file
  std::size_t max_ids = 50'000'000;                  // after the snapshot's "open" line
};

struct TouchedSince {
  bool usable = false;            // the header and the snapshot's "open" line found, all after it read
  std::vector<std::string> ids;   // the IDs after it, sorted, without repeats
  std::string why;                // why not usable
};

// The entries touched since the snapshot of `generation` began.
TouchedSince decode_touch_log(std::string_view text, std::uint64_t generation, const TouchLogLimits& limits = {});

// The lines, each with its newline.
std::string touch_log_header();
std::string touch_log_open_line(std::uint64_t generation);
std::string touch_log_id_line(std::string_view id);

}  // namespace mixer::queue
