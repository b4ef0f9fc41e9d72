// gateway/submit.hpp: the submit stage (issue 14; PP's submit in the seed):
// what both listeners do with a received message before it is queued and
// acknowledged. From the recipients' routes it decides the distinct outputs
// (per next-hop kind, and per P1 route and peer mode), converts the message
// once for each with the mapping engine, and returns the converted forms
// and each recipient's record (channel, next hop, form) plus the failures
// (recipients the mapping or the routing refused) to record with them.
//
// Pure functions of a Runtime snapshot, the message and a clock: no I/O, no
// queue. The callers (gateway/intake.cpp for SMTP, gateway/p1_intake.cpp
// for P1) write the forms through the same Draft and group commit as the
// content and acknowledge only after that. Trusts the routes the SMTP
// session decided at RCPT and a decoded MTS-APDU; everything else (content,
// addresses) is checked by the mapping engine.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/refusal.hpp"
#include "gateway/correlation_journal.hpp"
#include "gateway/queue/format/control_file.hpp"
#include "gateway/runtime.hpp"
#include "mapping/engine.hpp"
#include "p1/mts/types.hpp"

namespace mixer::gateway {

struct ConvertedForm {
  queue::FormRecord record;  // index assigned when written (Draft::add_form), in this order from 1
  std::string octets;
};

struct Submission {
  std::vector<ConvertedForm> forms;
  std::vector<queue::RecipientRecord> recipients;  // their `form` numbers refer to `forms` (1-based)
  std::vector<queue::Record> failures;             // status records: failed for refused recipients, delivered for a probe's answered ones
  std::vector<std::string> notes;                  // one line each for the log (losses, refusals)
  std::vector<queue::SentRecord> sent;             // what was converted across, for the correlation journal (queue ID set by enqueue)
};

// The mapping engine's context for this snapshot at `now`.
mapping::Context mapping_context(const Runtime& rt, std::chrono::system_clock::time_point now);

// SMTP in. `recipients` are the accepted recipients with the routes decided
// at RCPT (channel p1 with peer, fallbacks and or_address; local), in RCPT
// order; `peer_modes[i]` is the P1 mode of recipient i's route (`peer_bp14[i]`: its
// 1984 peer takes BP14). The whole
// message is refused (the caller answers with the Refusal's SMTP reply)
// when a conversion fails, or when every recipient is refused.
struct SmtpSubmit {
  std::string mail_from;              // reverse-path; empty: <>
  std::string ret, envid;             // RFC 3461 as received (envid xtext)
  std::vector<queue::RecipientRecord> recipients;
  std::vector<int> peer_modes;
  std::vector<bool> peer_bp14;        // recipient i's peer takes BP14 in 1984 mode (p1.peers bp14)
};
// `correlations` (may be null): where a DSN to an X.400 originator finds the
// message it reports on (RFC 2156 §5.1.8.3).
base::Expected<Submission> submit_smtp(const Runtime& rt, const SmtpSubmit& in, std::string_view content,
                                       const std::string& queue_id, const mapping::Clock& clock,
                                       const CorrelationLookup* correlations = nullptr);

// P1 in: a transferred message. Only the recipients whose responsibility
// bit is set are processed (X.411 §12.2.1.1.1); each goes to the Internet
// (RFC 2156 §4.3.5 maps it to an RFC 822 address the gateway does not route
// back to X.400), to another X.400 MTA by p1.routes (relayed with our trace
// entry), or fails (unroutable, a loop, or refused by the conversion) with
// its X.411 reason and diagnostic. Never refuses the transfer itself:
// responsibility has passed, failures become non-delivery reports.
// `returned` (may be null): the peer it comes from and which recipients of this
// MTS identifier we relayed to that peer (the transfer journal); each such
// recipient loops, unless the APDU was redirected or DL-expanded on the way
// (X.411 §12.2.1.1.1.4).
struct Returned {
  std::string peer;
  std::function<bool(const std::string& or_address)> relayed;  // RFC 2156 std-or text of the recipient
};
Submission submit_p1(const Runtime& rt, const p1::mts::Message& message, const mapping::Clock& clock,
                     const Returned* returned = nullptr);
// A probe: its X.400 recipients relayed as a message's are; those for the
// Internet answered from address mapping (RFC 2156 §5.3.9: recorded delivered,
// a report owed) or, with smtp.out.verify_probes, left on the SMTP channel,
// which asks the next hop with VRFY (Appendix A §1).
Submission submit_p1(const Runtime& rt, const p1::mts::Probe& probe, const mapping::Clock& clock,
                     const Returned* returned = nullptr);
// A report: relayed towards its destination by p1.routes, or failed (no
// route, loop); one for the Internet is left for the reports issue.
// `correlations` (may be null): where a report for the Internet finds the
// message it reports on (§5.3.8.3: the originator's ENVID and ORCPTs).
Submission submit_p1(const Runtime& rt, const p1::mts::Report& report, const mapping::Clock& clock,
                     const CorrelationLookup* correlations = nullptr, const Returned* returned = nullptr);


}  // namespace mixer::gateway
