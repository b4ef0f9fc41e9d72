// mapping/dsn_to_x400.cpp: an Internet DSN -> X.400 report (RFC 2156
// §5.1.8.3, §5.1.8.4). The DSN is first mapped as the ordinary MIME message
// it is (to_x400): that gives the report's identifier, trace and
// destination, the IPM its returned content is (§5.1.8.3: "The DSN is then
// treated as a normal MIME message"), and the IPM sent instead for the
// recipients whose action is not failed or delivered. Then each reported
// recipient of the message/delivery-status part (mapping/delivery_status)
// becomes one PerRecipientReportTransferFields. Trusts nothing in the DSN.
#include <algorithm>

#include "addressing/message_id.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "imf/date_time.hpp"
#include "mapping/delivery_status.hpp"
#include "mapping/engine.hpp"
#include "mapping/syntax.hpp"
#include "mapping/to_x400.hpp"
#include "mapping/trace.hpp"

namespace mixer::mapping {

namespace mts = p1::mts;
namespace mime = bodyparts::mime;

namespace {

const std::string kRule = "RFC 2156 \xC2\xA7" "5.1.8";

base::Refusal not_a_dsn(std::string why) {
  // Not refused to the sender: the caller delivers the message as an ordinary one.
  return base::make_refusal(554, "5.6.0", base::reason::conversion_not_performed, std::nullopt, kRule,
                            "not a delivery status notification: " + std::move(why));
}

// The message/delivery-status part of a multipart/report (RFC 6522 §3: its second part,
// found here by its type).
std::optional<std::string_view> delivery_status_part(std::string_view content, std::string& why) {
  mime::Limits limits;
  auto top = mime::parse_entity(content, limits);
  if (!top) return why = "its header is over the limits", std::nullopt;
  const auto* ct = mime::find(top->fields, "Content-Type");
  // RFC 2045 §5.2: without a Content-Type, text/plain.
  const auto type = bodyparts::parse_content_type(ct ? std::string_view(ct->value) : "text/plain");
  if (type.type != "multipart/report") return why = "a " + type.type + ", not a multipart/report", std::nullopt;
  if (bodyparts::lower(type.parameter("report-type")) != "delivery-status")
    return why = "report-type is not delivery-status", std::nullopt;
  const std::string boundary = type.parameter("boundary");
  if (boundary.empty()) return why = "a multipart/report without a boundary", std::nullopt;
  auto parts = mime::split_multipart(top->body, boundary, limits);
  for (auto octets : parts.parts) {
    auto part = mime::parse_entity(octets, limits);
    if (!part) continue;
    const auto* pct = mime::find(part->fields, "Content-Type");
    if (pct && bodyparts::parse_content_type(pct->value).type == "message/delivery-status") {
      const auto* cte = mime::find(part->fields, "Content-Transfer-Encoding");
      if (cte && bodyparts::lower(cte->value) != "7bit" && bodyparts::lower(cte->value) != "8bit")
        return why = "its message/delivery-status part is " + cte->value + " encoded (RFC 6522 §3 wants 7bit)", std::nullopt;
      return part->body;
    }
  }
  return why = "no message/delivery-status part", std::nullopt;
}

std::optional<mts::OrName> or_name_of(const TypedValue& a, const Context& ctx) {
  return x400_out::or_name_of_typed(a.type, a.value, ctx);
}

// The §5.1.8.3 subject identifier: from an Original-Envelope-Id that began as an X.400
// MTS identifier, else nullopt (the caller generates one).
std::optional<mts::MtsIdentifier> subject_of(const std::optional<std::string>& envid) {
  static constexpr std::string_view prefix = "X400-MTS-Identifier: ";
  if (!envid || envid->compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  auto p = addressing::parse_mts_msg_id(std::string_view(*envid).substr(prefix.size()));
  if (!p || p->local_identifier.empty() || p->local_identifier.size() > 32) return std::nullopt;
  mts::MtsIdentifier id;
  id.global_domain_identifier = p->global_domain;
  id.local_identifier = p->local_identifier;
  return id;
}

}  // namespace

base::Expected<X400Report> dsn_to_x400(const SmtpEnvelope& envelope, std::string_view content, const Context& ctx,
                                       const ToX400Options& options) {
  std::string why;
  auto part = delivery_status_part(content, why);
  if (!part) return not_a_dsn(why);
  DeliveryStatusError error;
  auto dsn = parse_delivery_status(*part, {}, error);
  if (!dsn) return not_a_dsn("message/delivery-status line " + std::to_string(error.line) + ": " + error.message);
  if (envelope.recipients.size() != 1)
    return not_a_dsn("a DSN has one SMTP recipient (RFC 2156 §5.1.8.3), this one has " +
                     std::to_string(envelope.recipients.size()));

  // The DSN as an ordinary message: the returned content, and the IPM for the other actions.
  auto as_ipm = to_x400(envelope, content, ctx, options);
  if (!as_ipm) return std::move(as_ipm).error();
  if (as_ipm->message.envelope.per_recipient_fields.empty())
    return as_ipm->refused.empty() ? not_a_dsn("no report destination") : as_ipm->refused.front().refusal;

  X400Report out;
  out.losses = as_ipm->losses;
  const auto& env = as_ipm->message.envelope;
  std::vector<const PerRecipientDsnFields*> reported, other;
  for (const auto& r : dsn->recipients)
    (r.action == DsnAction::failed || r.action == DsnAction::delivered ? reported : other).push_back(&r);
  if (!other.empty()) out.ipm = *as_ipm;  // §5.1.8.3: delayed, relayed, expanded: an IPM
  if (reported.empty()) return out;

  mts::Report report;
  // The report identifier: the MTS identifier the message would have, marked as a report's.
  report.envelope.report_identifier = env.message_identifier;
  auto& local = report.envelope.report_identifier.local_identifier;
  local = ("R" + local).substr(0, 32);
  report.envelope.report_destination_name = env.per_recipient_fields.front().recipient_name;
  report.envelope.trace_information = env.trace_information;
  auto subject = subject_of(dsn->per_message.original_envelope_id);
  if (!subject) {
    // §5.1.8.3: "In other cases, this field shall be generated by the MIXER Gateway."
    subject = mts::MtsIdentifier{env.message_identifier.global_domain_identifier, ("S" + local.substr(1)).substr(0, 32)};
    out.losses.push_back({"the DSN's Original-Envelope-Id is not an X.400 MTS identifier: the subject identifier is the gateway's", kRule + ".3"});
  }
  report.content.subject_identifier = *subject;
  report.content.content_type = env.content_type;
  report.content.original_encoded_information_types = env.original_encoded_information_types;
  report.content.returned_content = as_ipm->message.content;

  // The arrival time of each recipient's last trace: Arrival-Date, else the DSN's Date:, else now.
  imf::Limits limits;
  std::optional<mts::Time> arrival;
  if (dsn->per_message.arrival_date)
    if (auto d = imf::parse_date_time(*dsn->per_message.arrival_date, limits)) arrival = utc_time_of(d->value);
  if (!arrival)
    if (auto top = mime::parse_entity(content, {}))
      if (const auto* date = mime::find(top->fields, "Date"))
        if (auto d = imf::parse_date_time(date->value, limits)) arrival = utc_time_of(d->value);
  if (!arrival) arrival = env.trace_information.empty() ? mts::Time{} : env.trace_information.back().domain_supplied_information.arrival_time;

  std::int64_t number = 0;
  for (const auto* r : reported) {
    mts::PerRecipientReportTransferFields f;
    f.originally_specified_recipient_number = ++number;  // §5.1.8.3: assigned incrementally
    auto actual = or_name_of(r->final_recipient, ctx);
    if (!actual) {
      out.losses.push_back({"Final-Recipient \"" + r->final_recipient.type + "; " + r->final_recipient.value.substr(0, 64) +
                                "\" does not map to an O/R name: not in the report (it is in the returned DSN)",
                            kRule + ".3"});
      continue;
    }
    f.actual_recipient_name = std::move(*actual);
    if (r->original_recipient) f.originally_intended_recipient_name = or_name_of(*r->original_recipient, ctx);
    f.last_trace_information.arrival_time = *arrival;
    if (r->action == DsnAction::delivered) {
      f.per_recipient_indicators.set(mts::pri::originating_mta_report);
      f.last_trace_information.report_type = mts::DeliveryReport{*arrival, std::nullopt};  // public (the DEFAULT), at arrival
    } else {
      f.per_recipient_indicators.set(mts::pri::originating_mta_non_delivery_report);
      const auto nd = non_delivery_of_status(r->status);  // §5.1.8.4
      f.last_trace_information.report_type = mts::NonDeliveryReport{nd.reason, nd.diagnostic};
    }
    // X.411 PerRecipientIndicators is BIT STRING (SIZE (8..ub-bit-options)): a whole octet.
    f.per_recipient_indicators.bytes.resize(1);
    f.per_recipient_indicators.unused_bits = 0;
    // What §5.1.8.3 puts in the per-recipient dsn-field-list extension, the part a user
    // most needs, as the supplementary information: the status and the diagnostic.
    std::string info = "Status " + r->status;
    if (r->diagnostic_code) info += " " + r->diagnostic_code->type + " " + r->diagnostic_code->value;
    // PrintableString (SIZE (1..ub-supplementary-info-length = 256)).
    if (auto p = syntax::printable_of(info).substr(0, 256); !p.empty()) f.supplementary_information = p;
    report.content.per_recipient_fields.push_back(std::move(f));
  }
  out.losses.push_back({"the DSN's header and fields are not carried in dsn-header-list and dsn-field-list extensions "
                        "(they are in the returned content)",
                        kRule + ".2"});
  if (report.content.per_recipient_fields.empty()) return out;
  out.report = std::move(report);
  return out;
}

}  // namespace mixer::mapping
