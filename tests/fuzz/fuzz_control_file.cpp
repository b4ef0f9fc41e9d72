// tests/fuzz/fuzz_control_file.cpp: arbitrary bytes as a queue control file.
// A complete decode must survive encode -> decode unchanged.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "gateway/queue/format/control_file.hpp"

using namespace mixer::queue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  ControlLimits limits;
  limits.max_bytes = 1 << 20;
  limits.max_recipients = 1000;
  limits.max_records = 1000;
  auto r = decode_control(text, limits);
  if (r.status != DecodeResult::Status::complete) return 0;
  std::string again = encode_control(r.file);
  for (const auto& rec : r.file.records) again += encode_record(rec);
  auto r2 = decode_control(again, limits);
  if (r2.status != DecodeResult::Status::complete) __builtin_trap();
  if (encode_control(r2.file) != encode_control(r.file)) __builtin_trap();
  if (r2.file.held != r.file.held || r2.file.warned != r.file.warned || r2.file.records.size() != r.file.records.size())
    __builtin_trap();
  for (std::size_t i = 0; i < r.file.recipients.size(); ++i)
    if (r2.file.recipients[i].delivery_report != r.file.recipients[i].delivery_report) __builtin_trap();
  return 0;
}
