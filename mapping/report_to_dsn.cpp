// mapping/report_to_dsn.cpp: X.400 report -> Internet DSN (RFC 2156 §5.3.8,
// RFC 3464, RFC 6522). A Report MTS-APDU becomes a multipart/report;
// report-type=delivery-status message from the gateway's postmaster to the
// report destination, sent with MAIL FROM:<>: the §5.3.8.1 header fields,
// the dr-user-info text part, the message/delivery-status part
// (dsn_fields.cpp) and the returned content (the reported IPM through
// to_internet(), or the headers of what the gateway kept). Trusts nothing
// in the report; the caller's ReportSubject is the gateway's own record.
#include <algorithm>

#include "addressing/message_id.hpp"
#include "addressing/std_or.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "imf/date_time.hpp"
#include "imf/tokens.hpp"
#include "mapping/dsn_fields.hpp"
#include "mapping/dsn_status.hpp"
#include "mapping/extensions.hpp"
#include "mapping/header_out.hpp"
#include "mapping/refusals.hpp"
#include "mapping/syntax.hpp"
#include "mapping/to_rfc822.hpp"
#include "mapping/to_x400.hpp"

namespace mixer::mapping {

namespace mts = p1::mts;

namespace {

constexpr const char* s5_3_8_1 = "RFC 2156 \xC2\xA7" "5.3.8.1";
constexpr const char* s5_3_8_3 = "RFC 2156 \xC2\xA7" "5.3.8.3";
constexpr const char* indent = "        ";

// Appends `text` after `lead` as lines of at most 78 octets where spaces
// allow, never over 998 (a longer word is cut), each ending in CRLF.
void wrap(std::string& out, std::string_view lead, std::string_view text) {
  constexpr std::size_t soft = 78, hard = 990;
  std::string line(lead);
  std::size_t i = 0;
  bool first_word = true;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size()) break;
    std::size_t j = text.find(' ', i);
    std::string_view word = text.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i);
    i = j == std::string_view::npos ? text.size() : j;
    while (!word.empty()) {
      const std::size_t room = line.size() >= hard ? 0 : hard - line.size() - (first_word ? 0 : 1);
      if (!first_word && line.size() + 1 + word.size() > soft) {
        out += line + "\r\n";
        line.assign(lead);
        first_word = true;
        continue;
      }
      if (word.size() > room) {  // only a word longer than a whole line gets here
        std::size_t take = std::max<std::size_t>(room, 1);
        if (!first_word) line += ' ';
        line.append(word.substr(0, take));
        word.remove_prefix(take);
        out += line + "\r\n";
        line.assign(lead);
        first_word = true;
        continue;
      }
      if (!first_word) line += ' ';
      line.append(word);
      word = {};
      first_word = false;
    }
  }
  if (!first_word || line.size() > lead.size() || text.empty()) out += line + "\r\n";
}

// What one recipient's outcome is called in the text part and the subject.
struct Outcome {
  bool delivered = false;
  std::string mailbox;  // RFC 822 form of the originally specified recipient (x400 form if none)
};

Outcome outcome_of(const mts::PerRecipientReportTransferFields& r, const Context& ctx) {
  Outcome o;
  o.delivered = std::holds_alternative<mts::DeliveryReport>(r.last_trace_information.report_type);
  const mts::OrName& named = r.originally_intended_recipient_name ? *r.originally_intended_recipient_name
                                                                  : r.actual_recipient_name;
  if (auto m = dsn::rfc822_of(named, ctx)) o.mailbox = *m;
  else if (auto x = dsn::x400_of(named)) o.mailbox = *x;
  else o.mailbox = "(an O/R address with no text form)";
  return o;
}

// §5.3.8.3: a Message-ID derived from the report's MTS identifier: its
// mts-msg-id text as RFC 5322 dot-atom-text (octets outside atext, "=", and
// dots that would start, end or double, as "=HH"), at the gateway's host.
std::string message_id_of(std::string_view mts_msg_id, std::string_view host) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string left;
  for (std::size_t i = 0; i < mts_msg_id.size(); ++i) {
    const char c = mts_msg_id[i];
    const bool dot_ok = c == '.' && !left.empty() && left.back() != '.' && i + 1 < mts_msg_id.size();
    if ((imf::is_atext(c) && c != '=') || dot_ok) {
      left += c;
    } else {
      const auto u = static_cast<unsigned char>(c);
      left += '=';
      left += hex[u >> 4];
      left += hex[u & 15];
    }
  }
  return "<" + left + "@" + std::string(host) + ">";
}

struct Part {
  std::string type;  // Content-Type value
  std::string transfer_encoding;  // empty: 7bit, left out
  std::string body;
};

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// The header of an RFC 5322 message: up to and including the CRLF that ends it.
std::string header_of(std::string_view message) {
  if (message.starts_with("\r\n")) return {};
  auto end = message.find("\r\n\r\n");
  return std::string(end == std::string_view::npos ? message : message.substr(0, end + 2));
}

// The reported content as an Internet message, through the engine (§5.3.8.1: message/rfc822).
base::Expected<std::string> returned_message(const mts::Report& report, const Context& ctx) {
  const auto& c = report.content;
  mts::Message m;
  auto& env = m.envelope;
  env.message_identifier = c.subject_identifier;
  env.originator_name = report.envelope.report_destination_name;
  env.original_encoded_information_types = c.original_encoded_information_types;
  env.content_type = c.content_type.value_or(mts::ContentType::builtin(22));
  env.content_identifier = c.content_identifier;
  env.trace_information = c.subject_intermediate_trace_information;
  for (const auto& r : c.per_recipient_fields) {
    mts::PerRecipientMessageTransferFields f;
    f.recipient_name = r.originally_intended_recipient_name ? *r.originally_intended_recipient_name : r.actual_recipient_name;
    f.originally_specified_recipient_number = r.originally_specified_recipient_number;
    f.per_recipient_indicators.set(mts::pri::responsibility);
    env.per_recipient_fields.push_back(std::move(f));
  }
  // Content was returned, so content-return-request was set; whether alternate recipients
  // were allowed is not known: neither gives an Appendix C field in the returned message.
  env.per_message_indicators = p1::ber::BitString{};
  env.per_message_indicators->set(mts::pmi::alternate_recipient_allowed);
  env.per_message_indicators->set(mts::pmi::content_return_request);
  m.content = *c.returned_content;
  auto r = to_internet(m, ctx);
  if (!r) return std::move(r).error();
  return std::move(r->content);
}

// §5.1.8.5: the parts of the DSN a report began as, when its returned content (that DSN
// as an IPM, §5.1.8.3) maps back to a multipart/report: its text part and what it returned,
// each only when 7bit or 8bit.
struct DsnParts {
  std::optional<std::string> text;      // the first text/plain part's body
  std::optional<Part> returned;         // its message/rfc822 or text/rfc822-headers part
};

DsnParts parts_of_returned_dsn(std::string_view message) {
  namespace mime = bodyparts::mime;
  DsnParts out;
  mime::Limits limits;
  auto top = mime::parse_entity(message, limits);
  if (!top) return out;
  const auto* ct = mime::find(top->fields, "Content-Type");
  if (!ct) return out;
  const auto type = bodyparts::parse_content_type(ct->value);
  const std::string boundary = type.parameter("boundary");
  if (type.type != "multipart/report" || boundary.empty()) return out;
  for (auto octets : mime::split_multipart(top->body, boundary, limits).parts) {
    auto part = mime::parse_entity(octets, limits);
    if (!part) continue;
    const auto* pct = mime::find(part->fields, "Content-Type");
    const std::string t = pct ? bodyparts::parse_content_type(pct->value).type : "text/plain";
    const auto* cte = mime::find(part->fields, "Content-Transfer-Encoding");
    const std::string encoding = cte ? bodyparts::lower(std::string(syntax::trim(cte->value))) : "";
    if (!encoding.empty() && encoding != "7bit" && encoding != "8bit") continue;
    std::string body(part->body);
    if (!body.ends_with("\r\n")) body += "\r\n";
    const bool ascii = std::all_of(body.begin(), body.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (t == "text/plain" && !out.text && ascii) out.text = std::move(body);
    else if ((t == "message/rfc822" || t == "text/rfc822-headers") && !out.returned)
      out.returned = Part{t, ascii ? "" : "8bit", std::move(body)};
  }
  return out;
}

// The third part (§5.3.8.1): the returned message for a report with a failure,
// its headers for one of successes only; nullopt when nothing is available.
std::optional<Part> returned_part(const mts::Report& report, const Context& ctx, const ReportSubject& subject,
                                  bool any_failed, std::vector<Loss>& losses, DsnParts* unwrapped) {
  std::optional<std::string> message;
  const auto& c = report.content;
  if (c.returned_content) {
    auto mapped = returned_message(report, ctx);
    if (mapped) {
      message = std::move(*mapped);
    } else {
      // "a dump of the ASN.1 may be included, encoded as application/octet-string" (octet-stream, RFC 2046).
      losses.push_back(Loss{"the returned content does not convert (" + mapped.error().text() +
                                "): returned as application/octet-stream",
                            s5_3_8_1});
      const auto& b = *c.returned_content;
      return Part{"application/octet-stream", "base64",
                  bodyparts::base64_lines(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()))};
    }
  } else if (subject.original_message) {
    message = *subject.original_message;
  }
  if (!message) return std::nullopt;
  if (!message->ends_with("\r\n")) *message += "\r\n";
  if (unwrapped && c.returned_content) {
    // §5.1.8.5: the returned content is the DSN the report began as; what that DSN returned
    // is this one's returned content (not the DSN again, wrapped twice).
    *unwrapped = parts_of_returned_dsn(*message);
    if (unwrapped->returned) {
      if (!any_failed && unwrapped->returned->type == "message/rfc822") {
        std::string h = header_of(unwrapped->returned->body);
        if (!h.empty()) return Part{"text/rfc822-headers", is_ascii(h) ? "" : "8bit", std::move(h)};
      }
      return std::move(unwrapped->returned);
    }
  }
  if (!any_failed) {
    // "For positive reports headers from the message shall be included" (RFC 6522 text/rfc822-headers).
    std::string h = header_of(*message);
    if (h.empty()) return std::nullopt;
    return Part{"text/rfc822-headers", is_ascii(h) ? "" : "8bit", std::move(h)};
  }
  return Part{"message/rfc822", is_ascii(*message) ? "" : "8bit", std::move(*message)};
}

// The dr-user-info text part (§5.3.8.1).
std::string user_info(const mts::Report& report, const std::vector<Outcome>& outcomes,
                      const std::optional<std::string>& point, bool content_follows) {
  const auto& c = report.content;
  std::string out = "This report relates to your message:\r\n";
  // content-correlator: the content correlator, else the content identifier.
  std::string correlator;
  if (const auto* e = ext::find(c.extensions, mts::ext::content_correlator))
    if (auto t = ext::correlator_text(*e)) correlator = dsn::ascii(*t);
  if (correlator.empty() && c.content_identifier) correlator = dsn::ascii(*c.content_identifier);
  if (correlator.empty())
    if (auto id = addressing::format_mts_msg_id({c.subject_identifier.global_domain_identifier,
                                                 c.subject_identifier.local_identifier}))
      correlator = dsn::ascii(*id);
  wrap(out, indent, correlator);
  out += "\r\n";
  // date-time from the trace (§5.3.8.3): the subject's first trace element, else its last-trace arrival.
  std::optional<std::string> date;
  if (!c.subject_intermediate_trace_information.empty())
    date = dsn::date_text(c.subject_intermediate_trace_information.front().domain_supplied_information.arrival_time);
  if (!date && !c.per_recipient_fields.empty())
    date = dsn::date_text(c.per_recipient_fields.front().last_trace_information.arrival_time);
  wrap(out, indent, "of " + date.value_or("an unknown date"));
  out += "\r\n";
  for (std::size_t i = 0; i < c.per_recipient_fields.size(); ++i) {
    const auto& r = c.per_recipient_fields[i];
    const auto& o = outcomes[i];
    if (const auto* d = std::get_if<mts::DeliveryReport>(&r.last_trace_information.report_type)) {
      out += "Your message was successfully delivered to:\r\n";
      wrap(out, indent, o.mailbox + " at " + dsn::date_text(d->message_delivery_time).value_or("an unknown date"));
    } else {
      const auto& n = std::get<mts::NonDeliveryReport>(r.last_trace_information.report_type);
      out += "Your message was not delivered to:\r\n";
      wrap(out, indent, o.mailbox);
      out += "for the following reason:\r\n";
      std::string why = dsn::reason_words(n.non_delivery_reason_code);
      if (n.non_delivery_diagnostic_code) why += ": " + dsn::diagnostic_words(*n.non_delivery_diagnostic_code);
      wrap(out, indent, why);
      if (r.supplementary_information) wrap(out, indent, dsn::ascii(*r.supplementary_information));
      if (point) wrap(out, indent, "Reported by " + *point);
    }
    out += "\r\n";
  }
  out += content_follows ? "The Original Message follows:\r\n" : "The Original Message is not available\r\n";
  return out;
}

}  // namespace

base::Expected<InternetReport> report_to_internet(const mts::Report& report, const Context& ctx,
                                                  const ReportSubject& subject) {
  const auto& c = report.content;
  const auto& actx = *ctx.addressing;
  InternetReport out;
  auto lost = [&](std::string what, const char* rule) { out.losses.push_back(Loss{std::move(what), rule}); };

  if (c.per_recipient_fields.empty())
    return refuse::content_syntax(s5_3_8_1, "the report has no per-recipient fields");
  if (c.per_recipient_fields.size() > ctx.policy->limits.max_recipients)
    return refuse::too_many_recipients("mapping.limits.max_recipients",
                                       "the report has " + std::to_string(c.per_recipient_fields.size()) +
                                           " recipients, more than the limit of " +
                                           std::to_string(ctx.policy->limits.max_recipients));

  // §5.3.8.3: the single SMTP recipient, from report-destination-name by Chapter 4.
  auto destination = addressing::map_x400_to_rfc822(report.envelope.report_destination_name.address,
                                                    addressing::AddressRole::smtp_recipient, actx);
  if (!destination)
    return refuse::no_recipient(s5_3_8_3, "the report-destination-name does not map to an RFC 822 address: " +
                                              destination.error().text());
  const std::string to = dsn::ascii(destination->address);
  out.envelope.mail_from = "";  // RFC 3461 §6.2, RFC 5321 §4.5.5: the null reverse-path
  out.envelope.recipients.push_back(SmtpRecipient{to, {}, std::nullopt});

  // Correlation for the caller (§5.3.8.3).
  out.subject_identifier = c.subject_identifier;
  if (auto id = addressing::format_mts_msg_id({c.subject_identifier.global_domain_identifier,
                                               c.subject_identifier.local_identifier}))
    out.subject_mts_id = *id;
  if (const auto* e = ext::find(c.extensions, mts::ext::content_correlator))
    if (auto t = ext::correlator_text(*e); t && t->starts_with("SMTP/NOTARY ENVID: "))
      out.subject_envid = t->substr(19);

  std::vector<Outcome> outcomes;
  for (const auto& r : c.per_recipient_fields) {
    outcomes.push_back(outcome_of(r, ctx));
    (outcomes.back().delivered ? out.delivered : out.failed)++;
  }

  // The report's trace (external and internal, §5.3.7), oldest first.
  std::size_t unreadable = 0;
  const auto* internal = ext::find(report.envelope.extensions, mts::ext::internal_trace_information);
  auto trace = merge_trace(report.envelope.trace_information, internal ? ext::internal_trace(*internal) : nullptr, unreadable);
  if (unreadable) lost(std::to_string(unreadable) + " report trace elements with unreadable times left out", s5_3_8_3);
  std::optional<std::string> point;
  std::optional<std::string> mta;
  if (!trace.empty()) {
    TraceEntry first = trace.front();
    if (const auto* e = ext::find(report.envelope.extensions, mts::ext::reporting_mta_name))
      if (const auto* n = e->value_as<mts::ReportingMtaName>(); n && !first.mta && n->domain == first.domain)
        first.mta = n->mta_name;
    point = dsn::report_point(first);
    if (first.mta) mta = dsn::ascii(*first.mta);
  }

  // ---- the parts
  std::string dsn_part = dsn::per_message_fields(report, trace, ctx, subject, out.losses);
  for (const auto& r : c.per_recipient_fields) dsn_part += "\r\n" + dsn::per_recipient_fields(r, ctx, subject, out.losses);
  // §5.1.8.5: a report that began as an Internet DSN (it carries the dsn-header-list) is unwrapped.
  const auto carried_header =
      dsn::carried_dsn_list({&c.extensions, &report.envelope.extensions}, ext::dsn_header_list, out.losses);
  DsnParts original;
  auto returned = returned_part(report, ctx, subject, out.failed > 0, out.losses, carried_header ? &original : nullptr);
  if (carried_header && c.returned_content && !original.text)
    lost("the returned content is not the DSN the report began as: the DSN's text part is the gateway's",
         "RFC 2156 \xC2\xA7" "5.1.8.5");
  std::vector<Part> parts;
  parts.push_back(Part{"text/plain; charset=us-ascii", "",
                       original.text ? *original.text
                                     : user_info(report, outcomes, point, returned && returned->type == "message/rfc822")});
  parts.push_back(Part{"message/delivery-status", "", std::move(dsn_part)});
  if (returned) parts.push_back(std::move(*returned));

  // A boundary that no part holds (RFC 2046 §5.1.1).
  std::string boundary;
  for (unsigned n = 0;; ++n) {
    boundary = "mixer-dsn-" + std::to_string(n);
    bool clash = false;
    for (const auto& p : parts) clash = clash || p.body.find("--" + boundary) != std::string::npos;
    if (!clash) break;
  }

  // ---- the header (§5.3.8.1, §5.3.8.3)
  HeaderOut h;
  h.structured("Received", "by " + (ctx.host_name.empty() ? actx.gateway.domain : ctx.host_name) +
                               " (MIXER Conversion following RFC 2156); " + rfc822_out::now_text(ctx));
  for (auto it = trace.rbegin(); it != trace.rend(); ++it) {
    if (auto t = format_x400_trace(*it)) h.structured("X400-Received", dsn::ascii(*t));
    else lost("a report trace element has no X400-Received form", s5_3_8_3);
  }
  // §5.1.8.5: the header of the DSN the report began as (its dsn-header-list, §5.1.8.3) comes
  // back, and takes precedence over the fields generated below; not its MIME fields (the body
  // is this one's) nor trace (the report's trace is above).
  if (carried_header)
    for (const auto& f : *carried_header) {
      const std::string name = dsn::ascii(dsn::carried_name(f));
      const bool mime = syntax::iequals(name, "MIME-Version") || syntax::iequals(name.substr(0, 8), "Content-");
      const bool trace_field = syntax::iequals(name, "Received") || syntax::iequals(name, "Return-Path") ||
                               syntax::iequals(name, "X400-Received");
      if (mime || trace_field) continue;
      if (syntax::iequals(name, "Subject")) {
        // §5.3.8.1's subject-line is the one header field whose syntax RFC 2156 fixes for every
        // DSN made from a report (§5.1.8.5 says nothing of it): it stays the gateway's.
        lost("the DSN's Subject is replaced by the subject-line of \xC2\xA7" "5.3.8.1", "RFC 2156 \xC2\xA7" "5.1.8.5");
        continue;
      }
      // RFC 5322 §3.6: the fields a header has at most once, given once.
      static constexpr std::string_view once[] = {"Date", "From", "Sender", "Reply-To", "To", "Cc", "Bcc",
                                                  "Message-ID", "In-Reply-To", "References", "Subject"};
      if (h.has(name) && std::any_of(std::begin(once), std::end(once), [&](std::string_view n) { return syntax::iequals(n, name); })) {
        lost("a dsn-header-list " + name.substr(0, 64) + " field repeated: left out", "RFC 2156 \xC2\xA7" "5.1.8.5");
        continue;
      }
      h.restored(dsn::carried_value(f));
      if (h.has(name)) h.reserve(name);
    }
  auto generated = [&](std::string_view name, std::string_view value) {
    if (!h.reserved(name)) h.structured(name, value);
  };
  // Date: from the first element of trace.
  std::optional<std::string> date;
  if (!trace.empty())
    if (auto d = imf::format_date_time(trace.front().arrival)) date = *d;
  generated("Date", date.value_or(rfc822_out::now_text(ctx)));
  generated("From", ctx.postmaster.empty() ? "postmaster@" + actx.gateway.domain : dsn::ascii(ctx.postmaster));
  generated("To", to);
  // subject-line = "Delivery-Report" "(" status ")" [ "for" destination ]
  std::string subject_line = "Delivery-Report (";
  subject_line += out.failed == 0 ? "success" : out.delivered == 0 ? "failure" : "success and failures";
  subject_line += ")";
  if (outcomes.size() == 1) subject_line += " for " + outcomes.front().mailbox;
  else if (mta) subject_line += " for MTA " + dsn::word(*mta);
  generated("Subject", subject_line);
  generated("Message-Type", "Delivery Report");
  if (auto id = addressing::format_mts_msg_id({report.envelope.report_identifier.global_domain_identifier,
                                               report.envelope.report_identifier.local_identifier});
      id && id->size() >= 2) {
    generated("X400-MTS-Identifier", dsn::ascii(*id));
    generated("Message-ID", message_id_of(std::string_view(*id).substr(1, id->size() - 2),
                                             ctx.host_name.empty() ? actx.gateway.domain : ctx.host_name));
  }
  if (c.content_identifier) generated("X400-Content-Identifier", dsn::ascii(*c.content_identifier));
  h.structured("MIME-Version", "1.0");
  h.structured("Content-Type", "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"");
  for (const auto& p : h.problems()) lost(p, "RFC 5322 \xC2\xA7" "2.1.1");

  std::string& body = out.content;
  body = h.take();
  body += "\r\n";
  for (const auto& p : parts) {
    body += "--" + boundary + "\r\n";
    body += "Content-Type: " + p.type + "\r\n";
    if (!p.transfer_encoding.empty()) body += "Content-Transfer-Encoding: " + p.transfer_encoding + "\r\n";
    body += "\r\n";
    body += p.body;
    if (!p.body.ends_with("\r\n")) body += "\r\n";
    body += "\r\n";  // the CRLF of the next delimiter (RFC 2046 §5.1.1): the part keeps its last line end
  }
  body += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace mixer::mapping
