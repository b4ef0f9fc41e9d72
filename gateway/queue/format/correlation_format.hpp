// gateway/queue/format/correlation_format.hpp: the lines of the report
// correlation journal (gateway/correlation_journal.hpp), I/O-free. One line
// per message the gateway converted across (RFC 2156 §5.3.8.3 and §5.1.8.3:
// a report that comes back about it is matched to what was sent):
//   X SECONDS QUEUEID MTS-ID MESSAGE-ID ENVID [NUMBER ORCPT ADDRESS OR-ADDRESS]...
//   I ... the same                              (an X.400 message sent on to the Internet)
// X: Internet -> X.400 (ENVID as received over SMTP, each recipient's
// originally-specified-recipient-number with its RFC 3461 ORCPT);
// I: X.400 -> Internet (ENVID as the gateway sent it, each recipient's
// number, the RFC 822 address it was sent to and its X.400 O/R address).
// Tokens as in control files (tokens.hpp), empty values as "". The parser
// trusts nothing: a line it cannot read is counted and skipped, a torn last
// line ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::queue {

struct SentRecord {
  enum class Direction { to_x400, to_internet } direction = Direction::to_x400;  // X, I
  std::int64_t time = 0;   // unix seconds
  std::string queue_id;
  std::string mts_id;      // RFC 2156 §5.3 text of the X.411 MTS identifier
  std::string message_id;  // the RFC 5322 Message-ID as sent ("<...>"), or empty
  std::string envid;       // RFC 3461 ENVID (decoded, not xtext), or empty
  struct Recipient {
    std::int64_t number = 0;  // X.411 originally-specified-recipient-number
    std::string orcpt;        // "rfc822;a@b" (X), or empty
    std::string address;      // RFC 822 address (I), or empty
    std::string or_address;   // X.400 O/R address, RFC 2156 std-or text (I), or empty
    bool operator==(const Recipient&) const = default;
  };
  std::vector<Recipient> recipients;
  bool operator==(const SentRecord&) const = default;
};

struct CorrelationLimits {
  std::size_t max_line = 256 * 1024;
  std::size_t max_value = 1024;        // octets of any one value
  std::size_t max_recipients = 1024;   // recipients recorded per message (the rest are not)
  std::size_t max_records = 4'000'000;
};

struct ParsedCorrelations {
  std::vector<SentRecord> records;  // in file order
  std::size_t unreadable = 0;       // lines skipped
  bool torn = false;                // the last line had no newline (ignored)
};

ParsedCorrelations parse_correlations(std::string_view text, const CorrelationLimits& limits = {});
// One line, with its newline. Values over the limits are the caller's to avoid
// (the journal records at most max_recipients and skips over-long values).
std::string encode_correlation(const SentRecord& r);

}  // namespace mixer::queue
