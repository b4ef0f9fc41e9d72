// gateway/own_dsn.hpp: the gateway's own delivery status notification for an
// Internet originator (RFC 3461 §6, RFC 3464, RFC 6522), made from a queue
// entry whose recipients failed (or are delayed) after the 250: one report
// for all the recipients given, each with its RFC 3463 status and last
// diagnostic, and the content returned as RET asks. A pure function: the
// queue manager decides when and queues the result (MAIL FROM:<>).
// Trusts the control file (it is the gateway's own) but not the content.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/queue/format/control_file.hpp"
#include "mapping/delivery_status.hpp"

namespace mixer::gateway {

struct OwnDsnInput {
  const queue::ControlFile* entry = nullptr;
  std::vector<std::size_t> recipients;   // indexes into entry->recipients
  mapping::DsnAction action = mapping::DsnAction::failed;  // failed, delayed or relayed (RFC 3461 §4.2)
  std::string_view content;              // the message as received (form 0)
  std::string reporting_mta;             // our host name (Reporting-MTA: dns; ...)
  std::string postmaster;                // the From address: postmaster@gateway.domain
  std::int64_t now = 0;                  // unix seconds
  std::int64_t will_retry_until = 0;     // delayed: unix seconds the entry expires
  std::size_t max_returned = 1 << 20;    // content larger than this: headers only
};

struct OwnDsn {
  std::string rcpt;           // the originator (entry->sender)
  std::string octets;         // the RFC 5322 message, CRLF
  bool eight_bit = false;     // returned content with 8-bit octets: BODY=8BITMIME
  std::vector<std::size_t> reported;  // the recipients it reports on
};

// Whether the originator asked for this kind of report about recipient `r`
// (RFC 3461 §4.1: NOTIFY; without one, failures and delays, as Postfix does).
bool wants_report(const queue::RecipientRecord& r, mapping::DsnAction action);

// The report, or nullopt when none is due: an empty reverse-path (never a
// report about a report, RFC 3461 §6.2 / RFC 5321 §4.5.5), or no recipient
// given wants one.
std::optional<OwnDsn> own_dsn(const OwnDsnInput& in);

}  // namespace mixer::gateway
