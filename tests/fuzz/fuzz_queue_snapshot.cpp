// tests/fuzz/fuzz_queue_snapshot.cpp: arbitrary bytes as the queue's start-up
// snapshot (DIR/snapshot, gateway/queue/format/snapshot_format.hpp). The
// decoder must stay within its limits; what it accepts must be what an
// encoder writes back (every entry again, the same values, IDs ascending);
// and an accepted file with any one octet changed must be refused (start-up
// uses a snapshot only whole, so a damaged one must never pass).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/snapshot_format.hpp"

using namespace mixer::queue;

namespace {
std::string text_of(const ControlFile& c) {
  return encode_control(c) + "held=" + std::to_string(c.held) + " warned=" + std::to_string(c.warned) +
         " size=" + std::to_string(c.size) + " file_size=" + std::to_string(c.file_size);
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  SnapshotLimits limits;
  limits.max_entries = 2000;
  limits.max_string = 4096;
  limits.max_recipients = 200;
  limits.max_block_bytes = 1 << 20;
  limits.max_file_bytes = 4 << 20;
  std::vector<ControlFile> entries;
  std::vector<std::uint64_t> inodes;
  const auto r = decode_snapshot(input, limits, [&](ControlFile&& c, std::uint64_t inode) {
    if (!is_queue_id(c.id) || c.recipients.size() > limits.max_recipients || c.forms.size() > limits.max_forms)
      __builtin_trap();
    if (!entries.empty() && !(entries.back().id < c.id)) __builtin_trap();
    if (c.file_size == 0) __builtin_trap();  // never accepted: an entry's file size is known
    entries.push_back(std::move(c));
    inodes.push_back(inode);
  });
  if (!r.ok) {
    if (r.error.empty()) __builtin_trap();
    return 0;
  }
  if (entries.size() != r.entries || entries.size() > limits.max_entries) __builtin_trap();
  // Written back: every entry accepted, read again alike.
  SnapshotEncoder e(r.generation, r.as_of_ns, limits, 4096);
  std::string blocks;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!e.add(entries[i], inodes[i])) __builtin_trap();
    blocks += e.take_blocks();
  }
  e.finish();
  blocks += e.take_blocks();
  const std::string again = e.header() + blocks;
  std::size_t k = 0;
  const auto r2 = decode_snapshot(again, limits, [&](ControlFile&& c, std::uint64_t inode) {
    if (k >= entries.size() || text_of(c) != text_of(entries[k]) || inode != inodes[k]) __builtin_trap();
    ++k;
  });
  if (!r2.ok || k != entries.size() || r2.generation != r.generation || r2.as_of_ns != r.as_of_ns) __builtin_trap();
  // One octet changed anywhere (a few places, chosen by the input): refused.
  for (std::size_t i = 0; i < 4 && size > 0; ++i) {
    std::string bad(input);
    const std::size_t at = (static_cast<std::size_t>(data[i % size]) * 7919 + i * 104729) % size;
    bad[at] = static_cast<char>(bad[at] ^ (1u << (i % 8)));
    if (decode_snapshot(bad, limits).ok) __builtin_trap();
  }
  return 0;
}
