// gateway/own_x400_report.cpp: see the header.
#include "gateway/own_x400_report.hpp"

#include <charconv>
#include <ctime>

#include "mapping/delivery_status.hpp"
#include "mapping/syntax.hpp"

namespace mixer::gateway {

namespace mts = p1::mts;

namespace {

// The integer after `key` in `text`, if one follows.
std::optional<std::int64_t> number_after(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const char* first = text.data() + at + key.size();
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(first, text.data() + text.size(), v);
  if (ec != std::errc() || end == first || v < 0 || v > 32767) return std::nullopt;
  return v;
}

}  // namespace

std::string utc_time_text(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%y%m%d%H%M%SZ", &tm);
  return buf;
}

mts::NonDeliveryReport non_delivery_of(const queue::RecipientRecord& r) {
  // gateway/submit.cpp's failure(): "... [X.411 reason N, diagnostic M]".
  const std::string_view text = r.diagnostic;
  if (const auto bracket = text.rfind("[X.411 reason "); bracket != std::string_view::npos)
    if (auto reason = number_after(text.substr(bracket), "[X.411 reason "))
      return mts::NonDeliveryReport{*reason, number_after(text.substr(bracket), ", diagnostic ")};
  // Failures after the submit stage (SMTP replies, P1 refusals, expiry): RFC 2156 §5.1.8.4.
  const auto nd = mapping::non_delivery_of_status(r.dsn);
  mts::NonDeliveryReport out{nd.reason, std::nullopt};
  if (nd.diagnostic) out.non_delivery_diagnostic_code = *nd.diagnostic;
  return out;
}

namespace {

// What a report needs of its subject, a message or a probe (X.411 §12.2.2).
struct Subject {
  const mts::MtsIdentifier* identifier = nullptr;
  const mts::OrName* originator = nullptr;
  const mts::TraceInformation* trace = nullptr;
  const std::optional<mts::EncodedInformationTypes>* eits = nullptr;
  const mts::ContentType* content_type = nullptr;
  const std::optional<std::string>* content_identifier = nullptr;
  const std::optional<mts::BitString>* per_message_indicators = nullptr;
  const std::vector<mts::PerRecipientMessageTransferFields>* per_recipient_fields = nullptr;
  const mts::Bytes* content = nullptr;  // a probe has none
};

Subject subject_of(const mts::Message& m) {
  const auto& e = m.envelope;
  return Subject{&e.message_identifier, &e.originator_name, &e.trace_information, &e.original_encoded_information_types,
                 &e.content_type, &e.content_identifier, &e.per_message_indicators, &e.per_recipient_fields, &m.content};
}
Subject subject_of(const mts::Probe& p) {
  return Subject{&p.probe_identifier, &p.originator_name, &p.trace_information, &p.original_encoded_information_types,
                 &p.content_type, &p.content_identifier, &p.per_message_indicators, &p.per_recipient_fields, nullptr};
}

}  // namespace

std::optional<mts::Report> own_x400_report(const OwnX400ReportInput& in) {
  const auto& entry = *in.entry;
  const Subject s = std::visit([](const auto* apdu) { return subject_of(*apdu); }, in.subject);
  const std::string arrival = utc_time_text(entry.arrival_us / 1000000);

  mts::Report report;
  auto& content = report.content;
  bool any_failed = false;
  for (const auto& r : entry.recipients) {
    const bool failed = r.status == queue::RecipientStatus::failed;
    if (!failed && !(r.status == queue::RecipientStatus::delivered && r.delivery_report)) continue;
    if (r.source < 0 || static_cast<std::size_t>(r.source) >= s.per_recipient_fields->size()) continue;
    const auto& prf = (*s.per_recipient_fields)[static_cast<std::size_t>(r.source)];
    mts::PerRecipientReportTransferFields f;
    f.actual_recipient_name = prf.recipient_name;
    f.originally_specified_recipient_number = prf.originally_specified_recipient_number;
    // The subject's indicators: the originator-report bits tell the originating MTA
    // what to deliver (bits 0-2 "don't care" in a report, X.411 PerRecipientIndicators).
    f.per_recipient_indicators = prf.per_recipient_indicators;
    if (f.per_recipient_indicators.bytes.empty()) {
      f.per_recipient_indicators.bytes.assign(1, 0);
      f.per_recipient_indicators.unused_bits = 0;
    }
    f.last_trace_information.arrival_time = arrival;  // when the subject reached this MTA
    if (failed) {
      f.last_trace_information.report_type = non_delivery_of(r);
      any_failed = true;
    } else {
      // Relayed to the Internet (Appendix A §3.2), or a probe's "would be delivered"
      // (§5.3.9): the time of that, type-of-MTS-user at its DEFAULT (public).
      f.last_trace_information.report_type = mts::DeliveryReport{utc_time_text(in.now), std::nullopt};
    }
    // PrintableString (SIZE (1..ub-supplementary-info-length = 256)): what happened, in words.
    std::string info = r.dsn.empty() ? r.diagnostic : r.dsn + " " + r.diagnostic;
    if (auto p = mapping::syntax::printable_of(info).substr(0, 256); !p.empty()) f.supplementary_information = p;
    content.per_recipient_fields.push_back(std::move(f));
  }
  if (content.per_recipient_fields.empty()) return std::nullopt;

  content.subject_identifier = *s.identifier;
  content.subject_intermediate_trace_information = *s.trace;
  content.original_encoded_information_types = *s.eits;
  content.content_type = *s.content_type;
  content.content_identifier = *s.content_identifier;
  // X.411 PerMessageIndicators content-return-request: the content as it was received,
  // with a non-delivery (X.411: returned only when some recipient was not delivered).
  if (any_failed && s.content && *s.per_message_indicators &&
      (*s.per_message_indicators)->test(mts::pmi::content_return_request) && s.content->size() <= in.max_returned)
    content.returned_content = *s.content;

  report.envelope.report_identifier.global_domain_identifier = in.domain;
  report.envelope.report_identifier.local_identifier = in.report_local_id.substr(0, 32);  // ub-local-id-length
  report.envelope.report_destination_name = *s.originator;  // the originator: no DL expanded here
  mts::TraceInformationElement t;
  t.global_domain_identifier = in.domain;
  t.domain_supplied_information.arrival_time = utc_time_text(in.now);
  t.domain_supplied_information.routing_action = 0;  // relayed
  report.envelope.trace_information.push_back(std::move(t));
  return report;
}

}  // namespace mixer::gateway
