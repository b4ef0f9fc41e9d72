// gateway/queue/format/ack_log_format.cpp: DIR/acked's lines (see ack_log_format.hpp).
#include "gateway/queue/format/ack_log_format.hpp"

#include <algorithm>

#include "gateway/queue/format/queue_id.hpp"

namespace mixer::queue {
namespace {
constexpr std::string_view kMagic = "mixer-acked 1 boot=";
constexpr std::string_view kFrom = " from=";
}  // namespace

bool is_boot_id(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

std::string ack_log_header(std::string_view boot, std::string_view from) {
  return std::string(kMagic) + std::string(boot) + std::string(kFrom) + std::string(from) + "\n";
}

std::string ack_log_line(const std::vector<std::string>& ids) {
  std::string line;
  line.reserve(ids.size() * (kQueueIdLength + 1));
  for (const auto& id : ids) {
    if (!line.empty()) line += ' ';
    line += id;
  }
  line += '\n';
  return line;
}

AckedSince decode_ack_log(std::string_view text, const AckLogLimits& limits) {
  AckedSince out;
  auto fail = [&](std::string why) {
    out.ids.clear();
    out.why = std::move(why);
    return std::move(out);
  };
  if (text.size() > limits.max_bytes) return fail("larger than the limit (" + std::to_string(text.size()) + " octets)");
  const auto end_of_header = text.find('\n');
  if (end_of_header == std::string_view::npos) return fail("no header");
  std::string_view header = text.substr(0, end_of_header);
  if (header.substr(0, kMagic.size()) != kMagic) return fail("no header");
  header.remove_prefix(kMagic.size());
  if (header.size() != 36 + kFrom.size() + kQueueIdLength || !is_boot_id(header.substr(0, 36)) ||
      header.substr(36, kFrom.size()) != kFrom)
    return fail("an unreadable header");
  out.boot = std::string(header.substr(0, 36));
  out.from = decode_queue_id(header.substr(36 + kFrom.size()));
  if (out.from < 0) return fail("an unreadable header");
  for (std::size_t at = end_of_header + 1; at < text.size();) {
    auto nl = text.find('\n', at);
    const bool torn = nl == std::string_view::npos;
    const std::string_view line = text.substr(at, (torn ? text.size() : nl) - at);
    for (std::size_t word = 0; word <= line.size();) {
      auto space = line.find(' ', word);
      if (space == std::string_view::npos) space = line.size();
      const std::string_view id = line.substr(word, space - word);
      const std::int64_t value = decode_queue_id(id);
      if (value < 0) {
        // A torn line's last word may be part of an ID: it never counted.
        if (torn && space == line.size()) break;
        return fail("an unreadable line (at octet " + std::to_string(at + word) + ")");
      }
      if (out.ids.size() == limits.max_ids) return fail("more IDs than the limit");
      out.ids.push_back(value);
      word = space + 1;
    }
    if (torn) break;
    at = nl + 1;
  }
  std::sort(out.ids.begin(), out.ids.end());
  out.ids.erase(std::unique(out.ids.begin(), out.ids.end()), out.ids.end());
  out.usable = true;
  return out;
}

}  // namespace mixer::queue
