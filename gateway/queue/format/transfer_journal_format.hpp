// gateway/queue/format/transfer_journal_format.hpp: the lines of the P1
// responder's transfer journal (gateway/transfer_journal.hpp), I/O-free:
//   T SECONDS QUEUEID SIZE CRC32C MTS-ID     an APDU taken (its entry written, not yet durable)
//   D QUEUEID                                that entry is durable (its transfer was confirmed)
//   C QUEUEID                                that entry was not made durable
//   S SECONDS HASH                           a recipient of an APDU relayed to a peer: HASH
//                                            (16 hex digits) of peer, MTS identifier and
//                                            recipient (gateway/transfer_journal.hpp)
// Tokens as in control files (tokens.hpp); QUEUEID a queue ID (queue_id.hpp).
// The parser trusts nothing: a
// line it cannot read is counted and skipped, a torn last line ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::queue {

struct JournalRecord {
  // T, D, C (D and C set only queue_id), S (time and hash)
  enum class Kind { taken, durable, cancel, sent } kind = Kind::taken;
  std::int64_t time = 0;   // unix seconds
  std::string queue_id;
  std::uint64_t hash = 0;  // S
  std::uint64_t size = 0;
  std::uint32_t crc32c = 0;
  std::string mts_id;
};

struct JournalLimits {
  std::size_t max_line = 2048;   // the longest line the encoder writes is about 1,100 octets
  std::size_t max_mts_id = 256;  // octets of MTS-ID (RFC 2156 §5.3 text of an X.411 MTS identifier)
  std::size_t max_records = 4'000'000;
};

struct ParsedJournal {
  std::vector<JournalRecord> records;  // in file order
  std::size_t unreadable = 0;          // lines skipped
  bool torn = false;                   // the last line had no newline (ignored)
};

ParsedJournal parse_transfer_journal(std::string_view text, const JournalLimits& limits = {});
// One line, with its newline.
std::string encode_journal_record(const JournalRecord& r);

}  // namespace mixer::queue
