// gateway/queue/format/control_file.hpp: the queue entry's control file, a
// versioned text file an operator can read (DESIGN.md "Queue", after PP):
//
//   mixer-queue 1
//   id 0J5Q3Z9A1B2C                      one line per per-message parameter
//   ...
//   rcpt 0 to=<a@x400.example> channel=x400 notify=SUCCESS,FAILURE orcpt=rfc822;a@x400.example
//   rcpt 1 channel=p1 peer=mta.example   an MTS-APDU for a peer MTA (to= unknown: opaque APDU)
//   end                                  the entry is complete from here on
//   hold 1795430500                      appended status records, replayed in order
//   status 0 deferred attempts=1 next=1795430800 dsn=4.4.1 diag="peer busy"
//
// A P1 entry carries "apdu message|report|probe" (the content is that
// MTS-APDU as received) and "peer NAME" (the MTA it came from); one received
// over P1 has no rcpt lines until the X.411 mapping assigns them.
// A missing "end" means the entry was never complete (crash while writing)
// and it was never acknowledged. A last appended line without its newline is
// a torn append and is ignored. I/O-free; the decoder trusts nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::queue {

constexpr int kControlVersion = 1;

enum class RecipientStatus { queued, deferred, delivered, failed };

struct RecipientRecord {
  std::size_t index = 0;
  std::string address;     // RFC 5321 forward-path mailbox, as received
  std::string or_address;  // RFC 2156 X.400 form once mapped; empty until then
  std::string channel;     // "x400", "local" or "p1"
  std::string peer;        // channel p1: the peer MTA it is transferred to
  std::string notify;      // RFC 3461 NOTIFY ("SUCCESS,FAILURE", "NEVER") or empty
  std::string orcpt;       // RFC 3461 ORCPT "addr-type;xtext" or empty
  RecipientStatus status = RecipientStatus::queued;
  unsigned attempts = 0;
  std::int64_t next_attempt = 0;  // unix seconds; 0 = as soon as possible
  std::string dsn;         // last RFC 3463 code
  std::string diagnostic;  // last diagnostic text
};

// One appended status change.
struct Record {
  enum class Kind { hold, release, retry, remove, status };
  Kind kind = Kind::hold;
  std::int64_t time = 0;  // unix seconds
  // Kind::status only:
  std::size_t rcpt = 0;
  RecipientStatus status = RecipientStatus::queued;
  unsigned attempts = 0;
  std::int64_t next_attempt = 0;
  std::string dsn{}, diagnostic{};
};

struct ControlFile {
  std::string id;
  std::int64_t arrival_us = 0;  // unix microseconds
  std::string origin;           // "smtp", "p1" (received from an MTA) or "submit" (mixer p1-submit)
  std::string client;           // "[127.0.0.1]:40000"
  std::string helo;
  std::string protocol;         // RFC 3848: SMTP, ESMTP, ESMTPS
  std::string tls;              // TLS version and cipher, or empty
  std::uint64_t size = 0;       // octets of the content file
  std::uint32_t crc32c = 0;     // CRC-32C of the content file
  std::string body;             // RFC 6152 BODY: "7BIT", "8BITMIME" or empty
  std::string ret;              // RFC 3461 RET: "FULL", "HDRS" or empty
  std::string envid;            // RFC 3461 ENVID, xtext as received
  std::string sender;           // reverse-path mailbox; empty for <>
  std::string apdu;             // P1: "message", "report" or "probe"; empty for RFC 5322 content
  std::string peer;             // P1: the MTA it came from
  std::string mts_id;           // P1: the APDU's MTS identifier, RFC 2156 §5.3 mts-msg-id text
  std::vector<RecipientRecord> recipients;

  // State after replaying the appended records.
  bool held = false;
  bool removed = false;
  std::vector<Record> records;
};

struct ControlLimits {
  std::size_t max_bytes = 64 << 20;
  std::size_t max_recipients = 1'000'000;
  std::size_t max_records = 1'000'000;
};

struct DecodeResult {
  enum class Status { complete, incomplete, invalid };
  Status status = Status::invalid;
  ControlFile file;  // valid only when complete
  std::string error; // why not complete
  int line = 0;      // where (1-based)
};

// The initial section, "mixer-queue 1" through "end".
std::string encode_control(const ControlFile& file);
// One appended line, with its newline.
std::string encode_record(const Record& record);
// Parses a whole control file and replays its records.
DecodeResult decode_control(std::string_view text, const ControlLimits& limits = {});
// Applies one record to the state (used by decode and by the daemon).
void apply_record(ControlFile& file, const Record& record);

const char* status_name(RecipientStatus s);

}  // namespace mixer::queue
