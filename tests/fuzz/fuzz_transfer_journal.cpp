// tests/fuzz/fuzz_transfer_journal.cpp: arbitrary bytes as the P1 responder's
// transfer journal. Every record read must survive encode -> parse unchanged,
// and the parser must count, not keep, what it cannot read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/queue/format/transfer_journal_format.hpp"

using namespace mixer::queue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  JournalLimits limits;
  limits.max_records = 1000;
  auto parsed = parse_transfer_journal(text, limits);
  if (parsed.records.size() > limits.max_records) __builtin_trap();
  std::string again;
  for (const auto& r : parsed.records) again += encode_journal_record(r);
  auto second = parse_transfer_journal(again, limits);
  if (second.unreadable != 0 || second.torn || second.records.size() != parsed.records.size()) __builtin_trap();
  for (std::size_t i = 0; i < parsed.records.size(); ++i) {
    const auto& a = parsed.records[i];
    const auto& b = second.records[i];
    if (a.kind != b.kind || a.queue_id != b.queue_id || a.time != b.time || a.size != b.size ||
        a.crc32c != b.crc32c || a.mts_id != b.mts_id || a.hash != b.hash)
      __builtin_trap();
  }
  return 0;
}
