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
#include "addressing/or_address.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "imf/date_time.hpp"
#include "imf/message.hpp"
#include "mapping/delivery_status.hpp"
#include "mapping/engine.hpp"
#include "mapping/extensions.hpp"
#include "mapping/report_part.hpp"
#include "mapping/syntax.hpp"
#include "mapping/text.hpp"
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

std::optional<mts::OrName> or_name_of(const TypedValue& a, const Context& ctx) {
  return x400_out::or_name_of_typed(a.type, a.value, ctx);
}

// The §5.1.8.3 subject identifier: from an Original-Envelope-Id that began as an X.400
// MTS identifier, else nullopt (the caller generates one).
std::optional<mts::MtsIdentifier> subject_of(const std::optional<std::string>& envid) {
  static constexpr std::string_view prefix = "X400-MTS-Identifier: ";
  if (!envid || envid->compare(0, prefix.size(), prefix) != 0) return std::nullopt;
  auto p = x400_out::x411_mts_identifier(std::string_view(*envid).substr(prefix.size()));
  if (!p) return std::nullopt;
  mts::MtsIdentifier id;
  id.global_domain_identifier = p->global_domain;
  id.local_identifier = p->local_identifier;
  return id;
}

// The recipient of the gateway's record a DSN recipient is: by its Final-Recipient or
// Original-Recipient of type rfc822, the address compared without regard to case.
const DsnSubject::Recipient* sent_recipient(const DsnSubject& sent, const PerRecipientDsnFields& r) {
  auto same = [](std::string_view a, std::string_view b) { return syntax::iequals(a, b); };
  for (const TypedValue* v : {&r.final_recipient, r.original_recipient ? &*r.original_recipient : nullptr}) {
    if (!v || !same(v->type, "rfc822")) continue;
    for (const auto& s : sent.recipients)
      if (same(syntax::trim(v->value), s.address)) return &s;
  }
  return nullptr;
}

// ---- §5.1.8.2 dsn-header-list and dsn-field-list
//
// Where they go (§5.1.8.3): the dsn-header-list in "MTA.PerReportTransferFields.extensions",
// which X.411 has: ReportTransferContent's COMPONENTS OF PerReportTransferFields, extensions [3]
// (ReportTransferContentExtensions, which admits PrivateExtensions). The per-report
// dsn-field-list in "MTA.ReportTransferFields.extensions", a name X.411 does not have: the
// same PerReportTransferFields.extensions is taken, as §5.1.8.3 calls its list "the per report
// extension list" and the fields describe the reported message, not the report's transfer
// (ReportTransferEnvelope [1] is for what MTAs act on: trace, security, DL expansion). The
// per-recipient list in PerRecipientReportTransferFields.extensions [6]. Both list types
// differ, so "at most one instance of each extension type" holds. The reverse mapping
// (dsn_fields.cpp) also looks in the envelope's extensions, for gateways that chose it.

// One field as §5.1.2 carries it: "Name: value", unfolded, IA5 (8-bit words as RFC 1428
// encoded words, controls as spaces), at most kMaxCarriedField octets (RFC822Field has no
// upper bound; this is the DSN reader's own field limit, delivery_status.hpp).
constexpr std::size_t kMaxCarriedField = 4096;

std::string carried(std::string_view name, std::string_view value, std::vector<Loss>& losses) {
  std::string out = ascii_of_8bit(std::string(name) + ": " + std::string(value));
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  if (out.size() > kMaxCarriedField) {
    losses.push_back({std::string(name).substr(0, 64) + ": longer than " + std::to_string(kMaxCarriedField) +
                          " octets, cut in the dsn extension (whole in the returned DSN)",
                      kRule + ".2"});
    out.resize(kMaxCarriedField);
  }
  return out;
}

bool is_trace_field(std::string_view name) {  // RFC 5322 §3.6.7, and §5.3.7's X400-Received
  return syntax::iequals(name, "Received") || syntax::iequals(name, "Return-Path") ||
         syntax::iequals(name, "X400-Received");
}

// §5.1.8.3 per-recipient list: every field but those mapped to the report's own elements
// (original-recipient, final-recipient, action); the status is in it too.
bool in_per_recipient_list(std::string_view name) {
  return !(syntax::iequals(name, "Original-Recipient") || syntax::iequals(name, "Final-Recipient") ||
           syntax::iequals(name, "Action"));
}

}  // namespace

base::Expected<X400Report> dsn_to_x400(const SmtpEnvelope& envelope, std::string_view content, const Context& ctx,
                                       const ToX400Options& options, const DsnCorrelator& correlate) {
  std::string why;
  auto part = report_part(content, "delivery-status", "message/delivery-status", why);
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
  // §5.1.8.3 correlation: the gateway's record of what it sent (by ENVID or by the
  // returned Message-ID) names the subject exactly, with each recipient's number.
  std::optional<DsnSubject> sent;
  if (correlate) sent = correlate(dsn->per_message.original_envelope_id, returned_message_id(content));
  auto subject = sent ? std::optional<mts::MtsIdentifier>(sent->subject_identifier)
                      : subject_of(dsn->per_message.original_envelope_id);
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

  // §5.1.8.2: "These extensions may only be used with ISO-10021, and not X.400": none to a 1984 peer.
  const bool extensions = options.peer_mode != 1984;
  if (!extensions) {
    out.losses.push_back({"the DSN's header and fields are not carried in dsn-header-list and dsn-field-list "
                          "extensions to a 1984 peer (they are in the returned content)",
                          kRule + ".2"});
  } else {
    std::vector<std::string> header;
    if (auto m = imf::parse_message(content, imf::Limits{})) {
      for (const auto& field : m->fields)
        if (field.is_field() && !is_trace_field(field.name))
          header.push_back(carried(field.name, imf::unfold(field.value), out.losses));
    } else {
      out.losses.push_back({"the DSN's header does not parse again: no dsn-header-list", kRule + ".2"});
    }
    if (!header.empty()) report.content.extensions.push_back(ext::make_field_list(ext::dsn_header_list, header));
    std::vector<std::string> per_message;
    for (const auto& field : dsn->per_message.fields)
      per_message.push_back(carried(field.name, field.value, out.losses));
    if (!per_message.empty()) report.content.extensions.push_back(ext::make_field_list(ext::dsn_field_list, per_message));
  }

  std::int64_t number = 0;
  if (sent)
    for (const auto& s : sent->recipients) number = std::max(number, s.number);
  for (const auto* r : reported) {
    mts::PerRecipientReportTransferFields f;
    const DsnSubject::Recipient* was = sent ? sent_recipient(*sent, *r) : nullptr;
    // §5.1.8.3: "In general, these are not available, and so are assigned incrementally";
    // when the gateway's record has the recipient, its number and O/R name as sent.
    f.originally_specified_recipient_number = was ? was->number : ++number;
    auto actual = was ? std::optional<mts::OrName>(was->name) : or_name_of(r->final_recipient, ctx);
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
    if (extensions) {
      std::vector<std::string> list;
      for (const auto& field : r->fields)
        if (in_per_recipient_list(field.name)) list.push_back(carried(field.name, field.value, out.losses));
      if (!list.empty()) f.extensions.push_back(ext::make_field_list(ext::dsn_field_list, list));
    }
    report.content.per_recipient_fields.push_back(std::move(f));
  }
  if (report.content.per_recipient_fields.empty()) return out;
  out.report = std::move(report);
  return out;
}

}  // namespace mixer::mapping
