// tests/fuzz/fuzz_correlation_journal.cpp: arbitrary bytes as the report
// correlation journal (gateway/queue/format/correlation_format.hpp). Every
// record read must be within the limits and survive encode -> parse
// unchanged; the parser must count, not keep, what it cannot read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/queue/format/correlation_format.hpp"

using namespace mixer::queue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  CorrelationLimits limits;
  limits.max_records = 1000;
  limits.max_recipients = 16;
  limits.max_value = 300;
  auto parsed = parse_correlations(text, limits);
  if (parsed.records.size() > limits.max_records) __builtin_trap();
  std::string again;
  for (const auto& r : parsed.records) {
    if (r.recipients.size() > limits.max_recipients || r.mts_id.empty() || r.mts_id.size() > limits.max_value ||
        r.envid.size() > limits.max_value || r.message_id.size() > limits.max_value)
      __builtin_trap();
    again += encode_correlation(r);
  }
  auto second = parse_correlations(again, limits);
  if (second.unreadable != 0 || second.torn || second.records != parsed.records) __builtin_trap();
  return 0;
}
