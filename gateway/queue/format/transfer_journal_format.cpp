// gateway/queue/format/transfer_journal_format.cpp: transfer journal lines (see the header).
#include "gateway/queue/format/transfer_journal_format.hpp"

#include <charconv>
#include <cstdio>

#include "gateway/queue/format/queue_id.hpp"
#include "gateway/queue/format/tokens.hpp"

namespace mixer::queue {
namespace {
template <typename T>
bool number(const std::string& s, T& out, int base = 10) {
  if (s.empty() || s.size() > 20 || s[0] == '-' || s[0] == '+') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && end == s.data() + s.size();
}
}  // namespace

ParsedJournal parse_transfer_journal(std::string_view text, const JournalLimits& limits) {
  ParsedJournal out;
  // A torn last append: its entry was never confirmed.
  out.torn = for_each_line(text, [&](std::string_view line) {
    auto t = line.size() <= limits.max_line ? split_tokens(line) : std::nullopt;
    JournalRecord r;
    bool ok = false;
    if (t && t->size() == 6 && (*t)[0] == "T") {
      ok = number((*t)[1], r.time) && is_queue_id((*t)[2]) && number((*t)[3], r.size) && (*t)[4].size() == 8 &&
           number((*t)[4], r.crc32c, 16) && !(*t)[5].empty() && (*t)[5].size() <= limits.max_mts_id;
      r.queue_id = (*t)[2];
      r.mts_id = (*t)[5];
    } else if (t && t->size() == 3 && (*t)[0] == "S") {
      r.kind = JournalRecord::Kind::sent;
      ok = number((*t)[1], r.time) && (*t)[2].size() == 16 && number((*t)[2], r.hash, 16);
    } else if (t && t->size() == 2 && ((*t)[0] == "C" || (*t)[0] == "D") && is_queue_id((*t)[1])) {
      r.kind = (*t)[0] == "C" ? JournalRecord::Kind::cancel : JournalRecord::Kind::durable;
      r.queue_id = (*t)[1];
      ok = true;
    }
    if (!ok || out.records.size() >= limits.max_records) {
      ++out.unreadable;
      return;
    }
    out.records.push_back(std::move(r));
  });
  return out;
}

std::string encode_journal_record(const JournalRecord& r) {
  if (r.kind == JournalRecord::Kind::cancel) return "C " + quote_token(r.queue_id) + "\n";
  if (r.kind == JournalRecord::Kind::durable) return "D " + quote_token(r.queue_id) + "\n";
  if (r.kind == JournalRecord::Kind::sent) {
    char hash[24];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(r.hash));
    return "S " + std::to_string(r.time) + " " + hash + "\n";
  }
  char crc[16];
  std::snprintf(crc, sizeof crc, "%08x", r.crc32c);
  return "T " + std::to_string(r.time) + " " + quote_token(r.queue_id) + " " + std::to_string(r.size) + " " + crc + " " +
         quote_token(r.mts_id) + "\n";
}

}  // namespace mixer::queue
