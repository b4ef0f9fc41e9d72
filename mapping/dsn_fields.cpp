// mapping/dsn_fields.cpp: RFC 2156 §5.3.8.1 and §5.3.8.3, the
// message/delivery-status part of the DSN an X.400 report becomes: RFC 3464
// per-message and per-recipient fields with MIXER's X400-* extension fields.
// Trusts nothing in the report: addresses go through addressing/, times
// through trace.hpp's checks, free text through ascii().
#include <algorithm>

#include "addressing/directory_name.hpp"
#include "addressing/message_id.hpp"
#include "addressing/std_or.hpp"
#include "imf/date_time.hpp"
#include "imf/tokens.hpp"
#include "mapping/delivery_status.hpp"
#include "mapping/dsn_fields.hpp"
#include "mapping/dsn_status.hpp"
#include "mapping/extensions.hpp"
#include "mapping/header_out.hpp"
#include "mapping/syntax.hpp"
#include "mapping/to_x400.hpp"
#include "p1/mts/common.hpp"

namespace mixer::mapping::dsn {

namespace mts = p1::mts;

namespace {

constexpr const char* s5_3_8_1 = "RFC 2156 \xC2\xA7" "5.3.8.1";
constexpr const char* s5_1_8_5 = "RFC 2156 \xC2\xA7" "5.1.8.5";
const std::string notary = "SMTP/NOTARY ENVID: ";

// §5.3.8.1 dr-extensions item of a discarded extension.
std::string discarded_item(const mts::Extension& e) {
  if (auto t = ext::standard_type(e)) {
    const char* known = mts::extension_name(*t);
    return syntax::labelled_integer(*t, known ? known : "");
  }
  return syntax::object_identifier(*ext::private_type(e));
}

// The §5.1.8.2 extensions: read by carried_dsn_list(), never listed as discarded.
bool is_dsn_list(const mts::Extension& e) {
  auto t = ext::private_type(e);
  return t && (*t == ext::dsn_header_list || *t == ext::dsn_field_list);
}

template <class Names>
bool named(std::string_view field, const Names& names) {
  for (std::string_view n : names)
    if (syntax::iequals(carried_name(field), n)) return true;
  return false;
}
bool named(std::string_view field, std::initializer_list<std::string_view> names) {
  return named<std::initializer_list<std::string_view>>(field, names);
}

// RFC 3464 §2.2 and §2.3: the fields each block has at most once.
constexpr std::string_view kPerMessageNames[] = {"Original-Envelope-Id", "Reporting-MTA", "DSN-Gateway",
                                                 "Received-From-MTA", "Arrival-Date"};
constexpr std::string_view kPerRecipientNames[] = {"Original-Recipient", "Final-Recipient", "Action",
                                                   "Status", "Remote-MTA", "Diagnostic-Code",
                                                   "Last-Attempt-Date", "Final-Log-ID", "Will-Retry-Until"};

void add_unique(std::vector<std::string>& list, std::string item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(std::move(item));
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// A mailbox with the directory name as a comment (§5.3.8.1 physical-forwarding-address).
std::optional<std::string> mailbox_with_directory(const mts::OrName& n, const Context& ctx) {
  auto m = rfc822_of(n, ctx);
  if (!m) return std::nullopt;
  if (n.directory_name) *m += " " + ascii(addressing::directory_name_comment(*n.directory_name));
  return m;
}

}  // namespace

std::string ascii(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u > 0x7e) ? '?' : c;
  }
  return out;
}

std::optional<std::vector<std::string>> carried_dsn_list(std::initializer_list<const mts::Extensions*> lists,
                                                         const p1::ber::Oid& type, std::vector<Loss>& losses) {
  for (const auto* list : lists) {
    const auto* e = ext::find_private(*list, type);
    if (!e) continue;
    std::string error;
    auto fields = ext::field_list(*e, error);
    if (!fields) {
      losses.push_back(Loss{std::string(type == ext::dsn_header_list ? "dsn-header-list" : "dsn-field-list") +
                                " extension not read (" + error + "): the DSN fields are generated",
                            s5_1_8_5});
      return std::nullopt;
    }
    return fields;
  }
  return std::nullopt;
}

std::string_view carried_name(std::string_view field) {
  const auto colon = field.find(':');
  if (colon == std::string_view::npos) return {};
  return syntax::trim(field.substr(0, colon));
}

std::string carried_value(std::string_view field) {
  std::string out;
  out.reserve(field.size());
  for (char c : field) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 ? ' ' : u > 0x7e ? '?' : c;
  }
  return out;
}

std::optional<std::string> date_text(const mts::Time& t) {
  auto d = time_of(t);
  if (!d) return std::nullopt;
  auto s = imf::format_date_time(*d);
  if (!s) return std::nullopt;
  return std::move(s.value());
}

std::optional<std::string> rfc822_of(const mts::OrName& n, const Context& ctx) {
  auto m = addressing::map_x400_to_rfc822(n.address, addressing::AddressRole::ipms, *ctx.addressing);
  if (!m) return std::nullopt;
  return ascii(m->address);
}

std::optional<std::string> x400_of(const mts::OrName& n) {
  auto s = addressing::format_std_or(n.address);
  if (!s) return std::nullopt;
  std::string out = ascii(*s);
  if (n.directory_name) out += " " + ascii(addressing::directory_name_comment(*n.directory_name));
  return out;
}

std::string word(std::string_view s) {
  bool atom = !s.empty();
  for (char c : s) atom = atom && imf::is_atext(c);
  if (atom) return std::string(s);
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

std::optional<std::string> report_point(const TraceEntry& e) {
  auto gid = addressing::format_global_id(e.domain);
  if (!gid) return std::nullopt;
  std::string out;
  if (e.mta) out = "mta " + word(ascii(*e.mta)) + " in ";
  return out + ascii(*gid);
}

std::string per_message_fields(const mts::Report& report, const std::vector<TraceEntry>& report_trace,
                               const Context& ctx, const ReportSubject& subject, std::vector<Loss>& losses) {
  const auto& c = report.content;
  HeaderOut h;
  std::vector<std::string> discarded;
  auto lost = [&](std::string what) { losses.push_back(Loss{std::move(what), s5_3_8_1}); };

  // §5.1.8.5: a report that began as an Internet DSN carries that DSN's per-message fields
  // (§5.1.8.3's per report dsn-field-list): they come back as they were, in their order, and
  // the RFC 3464 fields are not generated again (an unwrapped DSN, not one wrapped twice);
  // the gateway's X400-* fields are added where the DSN had none of the name.
  const auto carried = carried_dsn_list({&c.extensions, &report.envelope.extensions}, ext::dsn_field_list, losses);
  std::vector<std::string> restored_names;
  if (carried)
    for (const auto& f : *carried) {
      if (named(f, kPerRecipientNames) || (named(f, kPerMessageNames) && h.has(carried_name(f)))) {
        // RFC 3464 §2.2: not a per-message field, or one given once already.
        losses.push_back(Loss{"a per report dsn-field-list " + ascii(carried_name(f)).substr(0, 64) +
                                  " field left out: not a per-message field, or a repeat",
                              s5_1_8_5});
        continue;
      }
      h.restored(carried_value(f));
      restored_names.emplace_back(carried_name(f));
    }
  const bool unwrapped = carried.has_value();
  auto generated = [&](std::string_view name, std::string_view value) {
    for (const auto& n : restored_names)
      if (syntax::iequals(n, name)) return;
    h.structured(name, value);
  };

  // Reporting-MTA (RFC 3464 §2.2.2): "x400;" report-point of the first element of the report's trace.
  std::optional<std::string> reporting;
  if (h.has("Reporting-MTA")) {
    reporting = "";  // restored
  } else if (!report_trace.empty()) {
    TraceEntry first = report_trace.front();
    // The reporting-MTA-name extension names the MTA when the trace element does not.
    if (const auto* e = ext::find(report.envelope.extensions, mts::ext::reporting_mta_name))
      if (const auto* n = e->value_as<mts::ReportingMtaName>(); n && !first.mta && n->domain == first.domain)
        first.mta = n->mta_name;
    reporting = report_point(first);
  }
  if (unwrapped && !h.has("Reporting-MTA"))
    losses.push_back(Loss{"the dsn-field-list has no usable Reporting-MTA: generated", s5_1_8_5});
  if (!reporting) {
    TraceEntry self;
    self.domain = ctx.addressing->gateway.global_domain;
    self.mta = ctx.mta_name;
    reporting = report_point(self);
    lost("the report's trace gives no reporting MTA: Reporting-MTA names this gateway");
  }
  if (!h.has("Reporting-MTA")) h.structured("Reporting-MTA", "x400; " + reporting.value_or(ascii(ctx.mta_name)));
  // §5.3.8.1: DSN-Gateway and X400-Conversion-Date, generated by the gateway.
  if (!unwrapped)
    h.structured("DSN-Gateway", "dns; " + (ctx.host_name.empty() ? ctx.addressing->gateway.domain : ctx.host_name));
  if (auto now = imf::format_date_time(x400_out::now_of(ctx))) generated("X400-Conversion-Date", *now);

  // Original-Envelope-Id: the ENVID carried in the content correlator, else the one the
  // gateway recorded when it sent the message (RFC 3464 §2.2.1: the ENVID the originator
  // gave), else the subject MTS identifier (§5.3.8.1).
  std::optional<std::string> correlator;
  if (const auto* e = ext::find(c.extensions, mts::ext::content_correlator)) {
    correlator = ext::correlator_text(*e);
    if (!correlator) add_unique(discarded, discarded_item(*e));  // octets: not IA5String
  }
  std::optional<std::string> envid;
  if (correlator && correlator->starts_with(notary)) envid = ascii(correlator->substr(notary.size()));
  else if (subject.envid && !subject.envid->empty()) envid = ascii(*subject.envid);
  else if (auto id = addressing::format_mts_msg_id({c.subject_identifier.global_domain_identifier,
                                                    c.subject_identifier.local_identifier}))
    envid = ascii(*id);
  if (unwrapped) {
    // the DSN's own Original-Envelope-Id (or none), restored above
  } else if (envid) {
    h.structured("Original-Envelope-Id", *envid);
  } else {
    lost("the subject identifier has no mts-msg-id form: Original-Envelope-Id left out");
  }

  // Arrival-Date: the last-trace arrival time of the first recipient.
  if (!unwrapped && !c.per_recipient_fields.empty()) {
    if (auto d = date_text(c.per_recipient_fields.front().last_trace_information.arrival_time))
      h.structured("Arrival-Date", *d);
    else
      lost("the first recipient's last-trace arrival time is not a valid time: Arrival-Date left out");
  }

  if (c.content_identifier) generated("X400-Content-Identifier", ascii(*c.content_identifier));
  if (c.content_type) {
    if (const auto* b = std::get_if<mts::BuiltInContentType>(&*c.content_type))
      generated("X400-Content-Type", syntax::mts_content_type(b->value));
    else if (const auto* x = std::get_if<mts::ExtendedContentType>(&*c.content_type))
      generated("X400-Content-Type", syntax::mts_content_type(x->oid));
  }
  if (c.original_encoded_information_types) {
    const auto& e = *c.original_encoded_information_types;
    std::string text = syntax::encoded_info(syntax::EncodedInfo{e.built_in, e.extended});
    if (!text.empty()) generated("X400-Original-Encoded-Information-Types", text);
  }
  if (correlator && !correlator->starts_with(notary)) generated("X400-Content-Correlator", ascii(*correlator));

  // The per-report extensions (content and envelope).
  for (const auto* list : {&report.envelope.extensions, &c.extensions})
    for (const auto& e : *list) {
      auto t = ext::standard_type(e);
      if (t == mts::ext::content_correlator || t == mts::ext::internal_trace_information ||
          t == mts::ext::reporting_mta_name || is_dsn_list(e))
        continue;  // mapped above, or with the trace (§5.3.8.3), or restored (§5.1.8.5)
      if (t == mts::ext::originator_and_dl_expansion_history) {
        if (const auto* x = ext::expansions(e)) {
          // Most recent first, as trace.
          for (auto it = x->rbegin(); it != x->rend(); ++it) {
            auto who = rfc822_of(it->dl, ctx);
            auto when = date_text(it->time);
            if (who && when) generated("X400-Originator-and-DL-Expansion-History", *who + " ; " + *when + " ;");
            else lost("an originator-and-DL-expansion-history element does not map");
          }
          continue;
        }
      }
      if (t == mts::ext::reporting_dl_name) {
        if (const auto* n = ext::or_name(e)) {
          if (auto m = mailbox_with_directory(*n, ctx)) generated("X400-Reporting-DL-Name", *m);
          else lost("the reporting-DL-name does not map to an RFC 822 mailbox");
          continue;
        }
      }
      // message-security-label, reporting-MTA-certificate, report-origin-authentication-check and
      // any other: discarded in preference to discarding the report, and listed.
      add_unique(discarded, discarded_item(e));
    }

  // §5.3.8.3: subject-intermediate-trace-information, most recent first.
  std::size_t unreadable = 0;
  auto subject_trace = merge_trace(c.subject_intermediate_trace_information, nullptr, unreadable);
  if (unreadable) lost(std::to_string(unreadable) + " subject-intermediate-trace elements with unreadable times left out");
  for (auto it = subject_trace.rbegin(); it != subject_trace.rend(); ++it) {
    if (auto t = format_x400_trace(*it)) generated("X400-Subject-Intermediate-Trace-Information", ascii(*t));
    else lost("a subject-intermediate-trace element has no x400-trace form");
  }
  if (!discarded.empty()) generated("X400-Discarded-DR-Extensions", join(discarded, ", "));
  for (const auto& p : h.problems()) lost(p);
  return h.take();
}

std::string per_recipient_fields(const mts::PerRecipientReportTransferFields& r, const Context& ctx,
                                 const ReportSubject& subject, std::vector<Loss>& losses) {
  HeaderOut h;
  auto lost = [&](std::string what) { losses.push_back(Loss{std::move(what), s5_3_8_1}); };
  const auto& last = r.last_trace_information;

  // The stored ORCPT of this recipient (RFC 3464 §2.3.1), when the caller has it.
  std::optional<std::string> orcpt;
  for (const auto& o : subject.orcpts)
    if (o.recipient_number == r.originally_specified_recipient_number && !o.orcpt.empty()) orcpt = ascii(o.orcpt);

  const auto actual_822 = rfc822_of(r.actual_recipient_name, ctx);
  const auto actual_x400 = x400_of(r.actual_recipient_name);
  std::string final_recipient, original_recipient;
  if (!r.originally_intended_recipient_name) {
    // actual-recipient-name: Original-Recipient rfc822, Final-Recipient x400.
    if (actual_822) original_recipient = "rfc822; " + *actual_822;
    if (actual_x400) final_recipient = "x400; " + *actual_x400;
    else if (actual_822) final_recipient = "rfc822; " + *actual_822;
  } else {
    // Redirected: X400-Mapped-Redirect-Recipient and X400-Redirect-Recipient for the actual
    // recipient; Final-Recipient rfc822 and Original-Recipient x400 for the intended one.
    const auto& intended = *r.originally_intended_recipient_name;
    const auto intended_822 = rfc822_of(intended, ctx);
    const auto intended_x400 = x400_of(intended);
    if (intended_822) final_recipient = "rfc822; " + *intended_822;
    else if (intended_x400) final_recipient = "x400; " + *intended_x400;
    if (intended_x400) original_recipient = "x400; " + *intended_x400;
    if (actual_822) h.structured("X400-Mapped-Redirect-Recipient", "rfc822; " + *actual_822);
    if (actual_x400) h.structured("X400-Redirect-Recipient", "x400; " + *actual_x400);
  }
  if (final_recipient.empty()) {
    // RFC 3464 §2.3.2 requires the field: the address has neither form.
    final_recipient = "x400; unknown";
    lost("a reported recipient has neither a std-or nor an RFC 822 form: Final-Recipient x400; unknown");
  }
  if (orcpt) original_recipient = *orcpt;
  // §5.1.8.5: a recipient of a report that began as an Internet DSN carries that DSN's
  // per-recipient fields (§5.1.8.3's per recipient dsn-field-list): its Status (when it agrees
  // with the report type), Remote-MTA, Diagnostic-Code, dates and extension fields come back as
  // they were, instead of the ones generated from the X.411 codes.
  const auto carried = carried_dsn_list({&r.extensions}, ext::dsn_field_list, losses);
  const bool delivered = std::holds_alternative<mts::DeliveryReport>(last.report_type);
  std::optional<std::string> carried_status;
  std::vector<std::string> restored;
  if (carried)
    for (const auto& f : *carried) {
      const bool repeat = named(f, kPerRecipientNames) &&
                          std::any_of(restored.begin(), restored.end(), [&](const std::string& g) {
                            return syntax::iequals(carried_name(g), carried_name(f));
                          });
      if (named(f, {"Original-Recipient", "Final-Recipient", "Action"}) || named(f, kPerMessageNames) || repeat) {
        losses.push_back(Loss{"a per recipient dsn-field-list " + ascii(carried_name(f)).substr(0, 64) +
                                  " field left out: the report's own is used, or not a per-recipient field, or a repeat",
                              s5_1_8_5});
      } else if (named(f, {"Status"})) {
        std::string v(syntax::trim(carried_value(f).substr(f.find(':') + 1)));
        // RFC 3464 §2.3.4: "2.x.x" for delivered; "4.x.x" or "5.x.x" for failed.
        if (valid_status_code(v) && !carried_status && (delivered ? v[0] == '2' : v[0] != '2')) carried_status = v;
        else losses.push_back(Loss{"a dsn-field-list Status that does not fit the report: the report's is used", s5_1_8_5});
      } else {
        restored.push_back(carried_value(f));
      }
    }
  std::string block;
  {
    HeaderOut first;
    if (!original_recipient.empty()) first.structured("Original-Recipient", original_recipient);
    first.structured("Final-Recipient", final_recipient);
    if (const auto* d = std::get_if<mts::DeliveryReport>(&last.report_type)) {
      first.structured("Action", "delivered");
      first.structured("Status", carried_status.value_or("2.0.0"));
      if (carried) {
        // the DSN's own Last-Attempt-Date (or none), restored below
      } else if (auto t = date_text(d->message_delivery_time)) {
        first.structured("Last-Attempt-Date", *t);
      } else {
        lost("a message-delivery-time is not a valid time: left out");
      }
    } else {
      const auto& n = std::get<mts::NonDeliveryReport>(last.report_type);
      first.structured("Action", "failed");
      first.structured("Status", carried_status.value_or(status_of(n.non_delivery_reason_code, n.non_delivery_diagnostic_code)));
      if (!carried) {
        first.structured("Diagnostic-Code",
                         "x400; " + dr_diagnostic(n.non_delivery_reason_code, n.non_delivery_diagnostic_code));
        if (auto t = date_text(last.arrival_time)) first.structured("Last-Attempt-Date", *t);
      }
    }
    for (const auto& f : restored) first.restored(f);
    for (const auto& p : first.problems()) lost(p);
    block = first.take();
  }
  std::vector<std::string> restored_names;
  for (const auto& f : restored) restored_names.emplace_back(carried_name(f));
  auto generated = [&](std::string_view name, std::string_view value) {
    for (const auto& n : restored_names)
      if (syntax::iequals(n, name)) return;
    h.structured(name, value);
  };

  // The X400-* per-recipient fields.
  if (const auto* d = std::get_if<mts::DeliveryReport>(&last.report_type)) {
    if (auto t = date_text(d->message_delivery_time)) generated("X400-Delivery-Time", *t);
    const std::int64_t type = d->type_of_mts_user.value_or(0);  // DEFAULT public
    std::string name;
    for (const auto& n : mts::names::type_of_mts_user)
      if (n.value == type) name = n.name;
    generated("X400-Type-of-MTS-User", syntax::labelled_integer(type, name));
  }
  if (last.converted_encoded_information_types) {
    const auto& e = *last.converted_encoded_information_types;
    std::string text = syntax::encoded_info(syntax::EncodedInfo{e.built_in, e.extended});
    if (!text.empty()) generated("X400-Converted-EITs", text + ";");
  }
  if (auto t = date_text(last.arrival_time)) {
    std::string value;
    if (last.converted_encoded_information_types) {
      const auto& e = *last.converted_encoded_information_types;
      value = syntax::encoded_info(syntax::EncodedInfo{e.built_in, e.extended});
      if (!value.empty()) value += " ";
    }
    generated("X400-Last-Trace", value + *t);
  } else {
    lost("a last-trace arrival time is not a valid time: X400-Last-Trace left out");
  }
  if (r.supplementary_information)
    generated("X400-Supplementary-Info", "\"" + syntax::printable_of(ascii(*r.supplementary_information)) + "\";");

  std::vector<std::string> discarded;
  for (const auto& e : r.extensions) {
    auto t = ext::standard_type(e);
    if (t == mts::ext::redirection_history) {
      if (const auto* list = ext::redirections(e)) {
        // Earliest redirect first: the intended recipient ; the time ; the reason.
        for (const auto& x : *list) {
          auto who = rfc822_of(x.intended_recipient, ctx);
          auto when = date_text(x.redirection_time);
          if (who && when)
            generated("X400-Redirection-History",
                         *who + " ; " + *when + " ; " + std::string(syntax::redirection_reason(x.redirection_reason)));
          else
            lost("a redirection-history element does not map");
        }
        continue;
      }
    }
    if (t == mts::ext::physical_forwarding_address) {
      if (const auto* n = ext::or_name(e)) {
        if (auto m = mailbox_with_directory(*n, ctx)) generated("X400-Physical-Forwarding-Address", *m);
        else lost("a physical-forwarding-address does not map to an RFC 822 mailbox");
        continue;
      }
    }
    if (is_dsn_list(e)) continue;  // restored above (§5.1.8.5)
    // recipient-certificate, proof-of-delivery and unknown extensions: discarded, listed.
    add_unique(discarded, discarded_item(e));
  }
  generated("X400-Originally-Specified-Recipient-Number", std::to_string(r.originally_specified_recipient_number));
  if (!discarded.empty()) generated("X400-Discarded-DR-Extensions", join(discarded, ", "));
  for (const auto& p : h.problems()) lost(p);
  return block + h.take();
}

}  // namespace mixer::mapping::dsn
