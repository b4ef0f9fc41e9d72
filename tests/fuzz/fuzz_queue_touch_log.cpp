// tests/fuzz/fuzz_queue_touch_log.cpp: arbitrary bytes as DIR/touched, read for
// the generation its first "open" line names (or a fixed one). What a usable
// list gives must be queue IDs, sorted, without repeats, within the limits,
// and must read back the same from a file the writer's lines make; an ID the
// text has after the snapshot's line (on a line of its own) must be in it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/touch_log_format.hpp"

using namespace mixer::queue;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  TouchLogLimits limits;
  limits.max_ids = 1000;
  std::uint64_t generation = 0x0123456789abcdef;
  if (auto at = text.find("\nopen "); at != std::string_view::npos && text.size() >= at + 22) {
    std::uint64_t g = 0;
    bool hex = true;
    for (char c : text.substr(at + 6, 16)) {
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
      if (d < 0) hex = false;
      g = g << 4 | static_cast<unsigned>(d & 15);
    }
    if (hex) generation = g;
  }
  auto since = decode_touch_log(text, generation, limits);
  if (!since.usable) {
    if (!since.ids.empty() || since.why.empty()) __builtin_trap();
    return 0;
  }
  if (since.ids.size() > limits.max_ids || !std::is_sorted(since.ids.begin(), since.ids.end()) ||
      std::adjacent_find(since.ids.begin(), since.ids.end()) != since.ids.end())
    __builtin_trap();
  for (const auto& id : since.ids)
    if (!is_queue_id(id)) __builtin_trap();
  // Every complete line after the snapshot's "open" line that is an ID is in the list.
  const std::string open = touch_log_open_line(generation);
  const auto from = text.find("\n" + open);  // the header ends in a newline
  if (from == std::string_view::npos) __builtin_trap();
  for (std::size_t at = from + 1 + open.size(); at < text.size();) {
    const auto nl = text.find('\n', at);
    if (nl == std::string_view::npos) break;
    const auto line = text.substr(at, nl - at);
    if (is_queue_id(line) && !std::binary_search(since.ids.begin(), since.ids.end(), std::string(line))) __builtin_trap();
    at = nl + 1;
  }
  std::string again = touch_log_header() + open;
  for (const auto& id : since.ids) again += touch_log_id_line(id);
  auto second = decode_touch_log(again, generation, limits);
  if (!second.usable || second.ids != since.ids) __builtin_trap();
  return 0;
}
