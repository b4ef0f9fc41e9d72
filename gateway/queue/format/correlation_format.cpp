// gateway/queue/format/correlation_format.cpp: report correlation journal lines (see the header).
#include "gateway/queue/format/correlation_format.hpp"

#include <charconv>

#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/tokens.hpp"

namespace mixer::queue {
namespace {

bool number(const std::string& s, std::int64_t& out) {
  if (s.empty() || s.size() > 19 || s[0] == '-' || s[0] == '+') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// A line's tokens as a record, or false.
bool read_record(const std::vector<std::string>& t, const CorrelationLimits& limits, SentRecord& r) {
  if (t.size() < 7 || (t.size() - 7) % 4 != 0 || (t.size() - 7) / 4 > limits.max_recipients) return false;
  if (t[0] != "X" && t[0] != "I") return false;
  r.direction = t[0] == "X" ? SentRecord::Direction::to_x400 : SentRecord::Direction::to_internet;
  if (!number(t[1], r.time) || !is_queue_id(t[2]) || t[3].empty()) return false;
  for (std::size_t i = 3; i < t.size(); ++i)
    if (t[i].size() > limits.max_value) return false;
  r.queue_id = t[2];
  r.mts_id = t[3];
  r.message_id = t[4];
  r.envid = t[5];
  if (!t[6].empty()) return false;  // reserved: empty today
  for (std::size_t i = 7; i < t.size(); i += 4) {
    SentRecord::Recipient rc;
    if (!number(t[i], rc.number)) return false;
    rc.orcpt = t[i + 1];
    rc.address = t[i + 2];
    rc.or_address = t[i + 3];
    r.recipients.push_back(std::move(rc));
  }
  return true;
}

}  // namespace

ParsedCorrelations parse_correlations(std::string_view text, const CorrelationLimits& limits) {
  ParsedCorrelations out;
  out.torn = for_each_line(text, [&](std::string_view line) {
    auto t = line.size() <= limits.max_line ? split_tokens(line) : std::nullopt;
    SentRecord r;
    if (!t || out.records.size() >= limits.max_records || !read_record(*t, limits, r)) {
      ++out.unreadable;
      return;
    }
    out.records.push_back(std::move(r));
  });
  return out;
}

std::string encode_correlation(const SentRecord& r) {
  std::string line = r.direction == SentRecord::Direction::to_x400 ? "X " : "I ";
  line += std::to_string(r.time) + " " + quote_token(r.queue_id) + " " + quote_token(r.mts_id) + " " +
          quote_token(r.message_id) + " " + quote_token(r.envid) + " " + quote_token("");
  for (const auto& rc : r.recipients)
    line += " " + std::to_string(rc.number) + " " + quote_token(rc.orcpt) + " " + quote_token(rc.address) + " " +
            quote_token(rc.or_address);
  line += "\n";
  return line;
}

}  // namespace mixer::queue
