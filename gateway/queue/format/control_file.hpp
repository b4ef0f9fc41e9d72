// gateway/queue/format/control_file.hpp: the queue entry's control file, a
// versioned text file an operator can read (DESIGN.md "Queue", after PP):
//
//   mixer-queue 1
//   id 0J5Q3Z9A1B2C                      one line per per-message parameter
//   ...
//   form 1 kind=p1 mode=1988 size=2417 crc32c=1f2e3d4c mts-id=...   a converted form, after the content in msg/ID
//   rcpt 0 to=a@x400.example or=/G=a/O=x/.. channel=p1 peer=mta.example form=1 notify=SUCCESS,FAILURE
//   rcpt 1 to=b@example.org channel=smtp domain=example.org form=2 src=3
//   rcpt 2 channel=p1 peer=mta.example   an MTS-APDU for a peer MTA (to= unknown: opaque APDU)
//   end                                  the entry is complete from here on
//   hold 1795430500                      appended status records, replayed in order
//   status 0 deferred attempts=1 next=1795430800 dsn=4.4.1 diag="peer busy"
//
// The content as received is form 0; the submit stage writes each distinct
// converted form (RFC 2156 mapping, once per output kind and P1 peer mode)
// after it in the entry's file (store.hpp), described by a "form" line
// with its own size and CRC, and each recipient names the form its channel
// sends. A P1 entry carries "apdu message|report|probe" (the content is that
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

// Where a recipient goes: out over SMTP (to `domain`), over P1 (to `peer`),
// or to the gateway itself (postmaster).
enum class Channel { smtp, p1, local };
const char* channel_name(Channel c);
std::optional<Channel> parse_channel(std::string_view s);

// One converted form of the message (form 0, the content as received, has
// no FormRecord: its size and CRC are the entry's).
struct FormRecord {
  std::size_t index = 0;    // 1, 2, ...: the order of the forms after the content in msg/ID
  enum class Kind { rfc822, p1 } kind = Kind::rfc822;
  int mode = 0;             // p1: the peer mode it was made for (1988, 1984)
  std::uint64_t size = 0;
  std::uint32_t crc32c = 0;
  // rfc822: the SMTP envelope it goes with (RFC 2156 §5.3 / Appendix A §3.2)
  std::string sender;       // reverse-path; empty: <>
  std::string body;         // "7BIT" or "8BITMIME"
  std::string ret, envid;   // RFC 3461, envid as xtext
  // Identifiers, for logs and correlation (either may be empty)
  std::string mts_id;       // the MTS identifier, RFC 2156 §5.3 text
  std::string message_id;   // the RFC 5322 Message-ID, "<...>"
};

struct RecipientRecord {
  std::size_t index = 0;
  std::string address;     // RFC 5321 forward-path mailbox, as received
  std::string or_address;  // RFC 2156 X.400 form once mapped; empty until then
  Channel channel = Channel::local;
  std::string peer;        // channel p1: the peer MTA it is transferred to
  std::vector<std::string> fallback;  // channel p1: further peers of its route, tried in order
  std::string domain;      // channel smtp: the destination domain (the next hop key)
  std::size_t form = 0;    // the form its channel sends (0: the content as received)
  long source = -1;        // P1 origin: its per-recipient-fields index in the received APDU
  std::string notify;      // RFC 3461 NOTIFY ("SUCCESS,FAILURE", "NEVER") or empty
  std::string orcpt;       // RFC 3461 ORCPT "addr-type;xtext" or empty
  bool delivery_report = false;  // P1 origin: the gateway owes the X.400 originator a delivery report once
                                 // it is delivered (RFC 2156 Appendix A §3.2; a probe's answer, §5.3.9)
  RecipientStatus status = RecipientStatus::queued;
  unsigned attempts = 0;
  std::int64_t next_attempt = 0;  // unix seconds; 0 = as soon as possible
  std::string dsn;         // last RFC 3463 code
  std::string diagnostic;  // last diagnostic text
};

// One appended status change.
struct Record {
  // warned: the entry's delay warning (and its DSN "delayed") was given at `time`.
  enum class Kind { hold, release, retry, remove, status, warned };
  Kind kind = Kind::hold;
  std::int64_t time = 0;  // unix seconds
  // Kind::status only:
  std::size_t rcpt = 0;
  RecipientStatus status = RecipientStatus::queued;
  unsigned attempts = 0;
  std::int64_t next_attempt = 0;
  std::string dsn{}, diagnostic{};
  // The recipient now owes its originator a delivery report ("dr=1"): the next hop
  // took it without the DSN request (RFC 3461 §4.2, "relayed").
  bool delivery_report = false;
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
  std::vector<FormRecord> forms;  // numbered 1, 2, ... in order
  std::vector<RecipientRecord> recipients;

  // State after replaying the appended records.
  bool held = false;
  std::int64_t warned = 0;      // unix seconds of the last delay warning given (warned records); 0: none
  bool removed = false;
  std::vector<Record> records;

  // Not in the text: the octets of msg/ID (header to the last record) that hold
  // exactly this state, as Draft::finish() wrote them or the start-up read them
  // (the queue manager adds each record it appends); 0: not known. A start-up
  // snapshot keeps it, to prove the file has not changed since (snapshot.hpp).
  std::uint64_t file_size = 0;
};

struct ControlLimits {
  std::size_t max_bytes = 64 << 20;
  std::size_t max_recipients = 1'000'000;
  std::size_t max_records = 1'000'000;
  std::size_t max_forms = 64;
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
const char* form_kind_name(FormRecord::Kind k);
// "form3" (a form's name in messages; "base" for form 0).
std::string form_file_name(std::size_t index);
// The next hop key of a recipient: its peer (p1), domain (smtp) or "local".
const std::string& next_hop(const RecipientRecord& r);

}  // namespace mixer::queue
