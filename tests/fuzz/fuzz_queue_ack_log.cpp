// tests/fuzz/fuzz_queue_ack_log.cpp: arbitrary bytes as DIR/acked. What a
// usable list gives must be within the limits, sorted, without repeats, at
// values a queue ID can have; every ID on a complete line must be in it; and
// the writer's lines made from it must read back the same (header included).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/queue/format/ack_log_format.hpp"
#include "gateway/queue/format/queue_id.hpp"

using namespace mixer::queue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  AckLogLimits limits;
  limits.max_ids = 1000;
  limits.max_bytes = 1 << 16;
  auto acked = decode_ack_log(text, limits);
  if (!acked.usable) {
    if (!acked.ids.empty() || acked.why.empty()) __builtin_trap();
    return 0;
  }
  if (!is_boot_id(acked.boot) || acked.from < 0 || acked.ids.size() > limits.max_ids ||
      !std::is_sorted(acked.ids.begin(), acked.ids.end()) ||
      std::adjacent_find(acked.ids.begin(), acked.ids.end()) != acked.ids.end())
    __builtin_trap();
  std::vector<std::string> ids;
  for (auto v : acked.ids) {
    const std::string id = encode_queue_id(v);
    if (decode_queue_id(id) != v) __builtin_trap();
    ids.push_back(id);
  }
  // Every ID of a complete line (after the header) is listed.
  for (std::size_t at = text.find('\n') + 1; at < text.size();) {
    const auto nl = text.find('\n', at);
    if (nl == std::string_view::npos) break;
    for (std::size_t w = at; w < nl;) {
      auto sp = text.find(' ', w);
      if (sp == std::string_view::npos || sp > nl) sp = nl;
      const auto v = decode_queue_id(text.substr(w, sp - w));
      if (v < 0 || !std::binary_search(acked.ids.begin(), acked.ids.end(), v)) __builtin_trap();
      w = sp + 1;
    }
    at = nl + 1;
  }
  std::string again = ack_log_header(acked.boot, encode_queue_id(acked.from));
  if (!ids.empty()) again += ack_log_line(ids);
  limits.max_bytes = again.size();
  auto second = decode_ack_log(again, limits);
  if (!second.usable || second.ids != acked.ids || second.boot != acked.boot || second.from != acked.from)
    __builtin_trap();
  return 0;
}
