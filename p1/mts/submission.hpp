// p1/mts/submission.hpp: the description of the X.411 (P3)
// MessageSubmissionEnvelope (its value type is in types.hpp). A gateway meets
// it only inside X.420's forwarded content body part, as the envelope a proof
// of submission covers (SubmissionProof); it is read and written like the
// transfer envelope (MTSAbstractService, IMPLICIT TAGS), trusting nothing:
// bounds and SET checks are the BerDecoder's.
#pragma once

#include "p1/mts/envelope.hpp"

namespace mixer::p1::mts {

namespace names {
inline constexpr Named originator_report_request[] = {{3, "report"}, {4, "non-delivery-report"}};
}

template <class Io>
void asn1(Io& io, PerRecipientMessageSubmissionFields& v) {
  io.constructed(univ::set, Form::set, [&] {
    req(io, "recipient-name", {application(0)}, [&] { asn1(io, v.recipient_name); });
    req(io, "originator-report-request", {context(0)}, [&] {
      io.bits(v.originator_report_request, context(0), names::originator_report_request, ub_bit_options);
    });
    opt(io, "explicit-conversion", {context(1)}, v.explicit_conversion,
        [&](std::int64_t& x) { io.integer(x, context(1), names::explicit_conversion); });
    extensions(io, v.extensions, 2);
  });
}

template <class Io>
void asn1(Io& io, MessageSubmissionEnvelope& v, Tag t = univ::set) {
  io.constructed(t, Form::set, [&] {
    originator_and_content(io, v);
    opt(io, "priority", {application(7)}, v.priority,
        [&](std::int64_t& p) { io.integer(p, application(7), names::priority); });
    opt(io, "per-message-indicators", {application(8)}, v.per_message_indicators,
        [&](BitString& b) { io.bits(b, application(8), names::per_message_indicators, ub_bit_options); });
    opt(io, "deferred-delivery-time", {context(0)}, v.deferred_delivery_time, [&](Time& x) { io.time(x, context(0)); });
    extensions(io, v.extensions, 2);
    req(io, "per-recipient-fields", {context(1)}, [&] {
      list(io, context(1), Form::sequence, v.per_recipient_fields, ub_recipients,
           [&](PerRecipientMessageSubmissionFields& r) { asn1(io, r); });
    });
  });
}

}  // namespace mixer::p1::mts
