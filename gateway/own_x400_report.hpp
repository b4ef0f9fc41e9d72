// gateway/own_x400_report.hpp: the gateway's own report for an X.400
// originator (an X.411 Report MTS-APDU; issue 15, "the gateway's own
// reports"), made from a queue entry that came over P1: for a message, a
// non-delivery for each recipient that failed after the transfer was
// confirmed and a delivery for each one relayed to SMTP for which the
// originating MTA asked more than the originator (RFC 2156 Appendix A
// §3.2); for a probe (§5.3.9), the answer for each recipient on the
// Internet side. One Report for all of them, with the subject's identifiers
// and, for a non-delivered message whose originator asked for it, its
// content. A pure function: the queue manager decides when,
// gateway/own_reports routes and queues it. Trusts the control file (it is
// the gateway's own); the APDU is the one received, decoded without upper
// bounds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/queue/format/control_file.hpp"
#include "p1/mts/types.hpp"

namespace mixer::gateway {

struct OwnX400ReportInput {
  const queue::ControlFile* entry = nullptr;  // the subject's entry
  std::variant<const p1::mts::Message*, const p1::mts::Probe*> subject;  // its content, decoded
  p1::mts::GlobalDomainIdentifier domain;     // ours: the report's identifier and trace
  std::string report_local_id;                // the report's MTS local identifier (the new queue id)
  std::int64_t now = 0;                       // unix seconds
  std::size_t max_returned = 1 << 20;         // larger content is not returned
};

// X.411 NonDeliveryReasonCode / NonDeliveryDiagnosticCode of a failed recipient:
// from the "[X.411 reason N, diagnostic M]" its submit-stage refusal recorded,
// else from its RFC 3463 status by RFC 2156 §5.1.8.4's table.
p1::mts::NonDeliveryReport non_delivery_of(const queue::RecipientRecord& r);

// The report, or nullopt when none is due. Reported: every failed recipient
// (a non-delivery is always due: X.411 PerRecipientIndicators says
// originating-MTA-report or originating-MTA-non-delivery-report "or both,
// shall be 'one'"), and every delivered one marked `delivery_report` (the
// submit stage marks them: a message's relayed recipient that owes one, a
// probe's deliverable one). Recipients without a per-recipient field of the
// APDU (`source`) are left out.
std::optional<p1::mts::Report> own_x400_report(const OwnX400ReportInput& in);

// "YYMMDDhhmmssZ" (X.411 UTCTime) of unix seconds.
std::string utc_time_text(std::int64_t unix_seconds);

}  // namespace mixer::gateway
