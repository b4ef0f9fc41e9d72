// mapping/relay_1984.hpp: an MTS-APDU this MTA relays to an X.400(1984) MTA,
// downgraded as X.419 (1988) Annex B says: the MTA that transfers to a 1984
// system downgrades, and what cannot be downgraded is not transferred but
// non-delivered. Pure functions on the p1/mts model; trusts nothing of the
// APDU (it was received from another MTA).
//
// The rules (X.419 Annex B, X.411 (1984) for the target syntax, RFC 1328 §3.2
// for the common name):
//  - extensions: 1984 has none. Each one is left out and listed as a loss,
//    unless its criticality (X.411 Criticality: for-submission(0),
//    for-transfer(1), for-delivery(2)) marks it critical for transfer or for
//    delivery: no MTA after the 1984 one would see it, so it would be lost
//    where it must be honoured. The recipients it applies to (all of them for
//    a per-message extension) are non-delivered: unable-to-transfer (1),
//    unsupported-critical-function (18). Internal trace (extension 38) is
//    therefore left out too; the domain's trace element stays.
//  - O/R names (originator, recipients, report destination, actual and
//    originally intended recipients): the directory name is left out (a
//    directory name alone: no 1984 form); teletex and universal variants are
//    left out where the printable form is there; a printable common name
//    becomes the domain-defined attribute "Common" (RFC 1328 §3.2, as
//    downgrade.hpp does for the gateway); any other 1988 attribute (physical
//    delivery, network, teletex-only values, a fifth DDA) has no 1984 form:
//    unable-to-transfer (1), unable-to-downgrade (47). A recipient so refused
//    is taken out of the per-recipient fields; a refused originator refuses
//    every recipient. A recipient another MTA is responsible for whose name
//    cannot be downgraded is taken out with a loss (it is not ours to report).
//    The DL expansion and redirection histories are extensions (above).
//  - content type: 1984's ContentType is an [APPLICATION 6] INTEGER, so the
//    built-in types (2, 22, ...) go as they are; an extended (OBJECT
//    IDENTIFIER) content type cannot: unable-to-downgrade (47) for all.
//  - the content is not touched: the MTS conveys the content unchanged
//    unless it converts it (X.411), and X.419 Annex B downgrades the
//    envelope only. A P22 (content type 22) IPM therefore reaches the 1984
//    MTA as P22; the 1984 MTA delivers it or non-delivers it (content-type-
//    not-supported) as its recipient's UA allows. RFC 2156 Appendix B's rewrite
//    to P2 (downgrade.hpp) is for messages the gateway itself originates.
//  - encoded information types: the built-in bits 0..9 are 1984's (with the
//    G3 and teletex non-basic parameters); the extended types [4] are left out.
//  - per-message indicators: 1984's PerMessageFlag has bits 0..3 only; bits
//    4..7 (reserved, bit-5/6, service-message) are cleared. Per-recipient
//    indicators: 1984's PerRecipientFlag has bits 0..4; the rest are cleared.
//  - per-domain bilateral information: the 1988 private-domain alternative is
//    left out (1984 has country and ADMD only).
//  - trace: other-actions [3] (redirected, dl-operation) and the X.411 1999
//    extension additions are left out of each element; converted EITs as above.
//  - reports: the content's original-encoded-information-types and
//    content-type (1988 only) are left out; 1988 reason codes beyond
//    conversion-not-performed (2) become unable-to-transfer (1), diagnostic
//    codes beyond invalid-arguments (11) are left out, type-of-MTS-user
//    beyond private (1) is left out (DEFAULT public). A report is never
//    itself reported on (X.411): one that cannot be downgraded is refused
//    as a whole and the caller records it failed without a report.
//  - the form is made for the route's first peer: a fallback peer of the
//    route gets the same (downgraded) APDU.
#pragma once

#include <cstddef>
#include <vector>

#include "base/refusal.hpp"
#include "p1/mts/types.hpp"

namespace mixer::mapping::relay_1984 {

// A recipient that cannot go to the 1984 MTA: its index in the per-recipient
// fields as they were given, and why (X.411 reason and diagnostic).
struct Refused {
  std::size_t index = 0;
  base::Refusal refusal;
};

struct Outcome {
  std::vector<Refused> refused;    // only recipients with the responsibility bit
  std::vector<base::Loss> losses;  // what was left out or changed
  std::size_t remaining = 0;       // recipients with the responsibility bit still in the APDU
};

// The message, in place. Refused recipients are taken out of its per-recipient fields.
Outcome downgrade(p1::mts::Message& message);
// The probe, likewise.
Outcome downgrade(p1::mts::Probe& probe);
// The report, in place: its losses, or why it cannot go at all.
base::Expected<std::vector<base::Loss>> downgrade(p1::mts::Report& report);

}  // namespace mixer::mapping::relay_1984
