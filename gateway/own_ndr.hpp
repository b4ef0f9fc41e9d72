// gateway/own_ndr.hpp: the gateway's own non-delivery report for an X.400
// originator (an X.411 Report MTS-APDU; issue 15, "the gateway's own
// reports"), made from a queue entry that came over P1 and whose recipients
// failed after the transfer was confirmed: one Report MTS-APDU for all the
// recipients given, each with its X.411 non-delivery reason and diagnostic,
// the subject message's identifiers, and its content returned when the
// originator's content-return-request asks for it. A pure function: the
// queue manager decides when, gateway/own_reports routes and queues it.
// Trusts the control file (it is the gateway's own); the message is the one
// received, decoded without upper bounds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/queue/format/control_file.hpp"
#include "p1/mts/types.hpp"

namespace mixer::gateway {

struct OwnNdrInput {
  const queue::ControlFile* entry = nullptr;     // the subject message's entry
  const p1::mts::Message* message = nullptr;     // its content, decoded
  std::vector<std::size_t> recipients;           // failed recipients: indexes into entry->recipients
  p1::mts::GlobalDomainIdentifier domain;        // ours: the report's identifier and trace
  std::string report_local_id;                   // the report's MTS local identifier (the new queue id)
  std::int64_t now = 0;                          // unix seconds
  std::size_t max_returned = 1 << 20;            // larger content is not returned
};

// X.411 NonDeliveryReasonCode / NonDeliveryDiagnosticCode of a failed recipient:
// from the "[X.411 reason N, diagnostic M]" its submit-stage refusal recorded,
// else from its RFC 3463 status by RFC 2156 §5.1.8.4's table.
p1::mts::NonDeliveryReport non_delivery_of(const queue::RecipientRecord& r);

// The report, or nullopt when none is due: no recipient given maps to a
// per-recipient field of the message. A non-delivery report is due for every
// failed recipient: X.411 PerRecipientIndicators (MTAAbstractService) says
// originating-MTA-report or originating-MTA-non-delivery-report "or both,
// shall be 'one'", so the MTA level always asks for one.
std::optional<p1::mts::Report> own_non_delivery_report(const OwnNdrInput& in);

// "YYMMDDhhmmssZ" (X.411 UTCTime) of unix seconds.
std::string utc_time_text(std::int64_t unix_seconds);

}  // namespace mixer::gateway
