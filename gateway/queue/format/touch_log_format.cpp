// gateway/queue/format/touch_log_format.cpp: DIR/touched's lines (see touch_log_format.hpp).
#include "gateway/queue/format/touch_log_format.hpp"

#include <algorithm>
#include <cstdio>

#include "gateway/queue/format/queue_id.hpp"

namespace mixer::queue {
namespace {
constexpr std::string_view kHeader = "mixer-touched 1\n";
constexpr std::string_view kOpen = "open ";

// "open " and 16 lower-case hex digits (no newline).
bool is_open_line(std::string_view line) {
  if (line.size() != kOpen.size() + 16 || line.substr(0, kOpen.size()) != kOpen) return false;
  return std::all_of(line.begin() + kOpen.size(), line.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}
}  // namespace

std::string touch_log_header() { return std::string(kHeader); }

std::string touch_log_open_line(std::uint64_t generation) {
  char gen[17];
  std::snprintf(gen, sizeof gen, "%016llx", static_cast<unsigned long long>(generation));
  return std::string(kOpen) + gen + "\n";
}

std::string touch_log_id_line(std::string_view id) { return std::string(id) + "\n"; }

TouchedSince decode_touch_log(std::string_view text, std::uint64_t generation, const TouchLogLimits& limits) {
  TouchedSince out;
  auto fail = [&](std::string why) {
    out.ids.clear();
    out.why = std::move(why);
    return std::move(out);
  };
  if (text.size() > limits.max_bytes) return fail("larger than the limit (" + std::to_string(text.size()) + " octets)");
  if (text.substr(0, kHeader.size()) != kHeader) return fail("no header");
  const std::string open = touch_log_open_line(generation);
  // The snapshot's own "open" line, at the start of a line after the header.
  std::size_t at = kHeader.size();
  for (;;) {
    if (text.substr(at, open.size()) == open) break;
    const auto nl = text.find('\n', at);
    if (nl == std::string_view::npos) return fail("the snapshot's generation is not in it");
    at = nl + 1;
  }
  at += open.size();
  while (at < text.size()) {
    const auto nl = text.find('\n', at);
    if (nl == std::string_view::npos) break;  // torn last line: never followed by a write
    const std::string_view line = text.substr(at, nl - at);
    if (is_open_line(line)) {  // a later snapshot began: its IDs count for this one too
      at = nl + 1;
      continue;
    }
    if (!is_queue_id(line)) return fail("an unreadable line after the snapshot's (at octet " + std::to_string(at) + ")");
    if (out.ids.size() == limits.max_ids) return fail("more IDs than the limit");
    out.ids.emplace_back(line);
    at = nl + 1;
  }
  std::sort(out.ids.begin(), out.ids.end());
  out.ids.erase(std::unique(out.ids.begin(), out.ids.end()), out.ids.end());
  out.usable = true;
  return out;
}

}  // namespace mixer::queue
