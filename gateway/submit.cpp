// gateway/submit.cpp: the submit stage (see submit.hpp).
#include "gateway/submit.hpp"

#include <algorithm>
#include <array>
#include <span>
#include <cctype>
#include <map>
#include <tuple>

#include "addressing/message_id.hpp"
#include "addressing/routing.hpp"
#include "addressing/std_or.hpp"
#include "gateway/p1_routes.hpp"
#include "gateway/routing.hpp"
#include "mapping/address_refusal.hpp"
#include "mapping/extensions.hpp"
#include "mapping/relay_1984.hpp"
#include "mapping/to_x400.hpp"
#include "mapping/trace.hpp"
#include "p1/mts/mts.hpp"
#include "smtp/client/proto/data_writer.hpp"
#include "smtp/proto/syntax.hpp"

namespace mixer::gateway {

namespace mts = p1::mts;

namespace {

std::int64_t unix_seconds(const mapping::Clock& clock) { return clock.now.time_since_epoch().count(); }

// A recipient refused at submit: recorded failed with its RFC 3463 status,
// and the refusal's sentence with its X.411 reason and diagnostic (what the
// non-delivery report will carry).
queue::Record failure(std::size_t rcpt, const base::Refusal& r, const mapping::Clock& clock) {
  queue::Record rec;
  rec.kind = queue::Record::Kind::status;
  rec.time = unix_seconds(clock);
  rec.rcpt = rcpt;
  rec.status = queue::RecipientStatus::failed;
  rec.dsn = r.enhanced_status;
  rec.diagnostic = r.text() + " [X.411 reason " + std::to_string(r.x411_reason) +
                   (r.x411_diagnostic ? ", diagnostic " + std::to_string(*r.x411_diagnostic) : std::string()) + "]";
  return rec;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (from < s.size()) {
    auto comma = s.find(',', from);
    if (comma == std::string::npos) comma = s.size();
    if (comma > from) out.push_back(s.substr(from, comma - from));
    from = comma + 1;
  }
  return out;
}

// RFC 3461 §4 xtext (smtp/proto's codec); a value that is not xtext is taken as it is.
std::string xtext_decode(std::string_view x) { return smtp::proto::decode_xtext(x).value_or(std::string(x)); }

// "addr-type;xtext" -> "addr-type;address" (RFC 3461 §4.2), and back.
std::optional<std::string> orcpt_value(const std::string& orcpt) {
  if (orcpt.empty()) return std::nullopt;
  auto semi = orcpt.find(';');
  if (semi == std::string::npos) return std::nullopt;
  return orcpt.substr(0, semi + 1) + xtext_decode(orcpt.substr(semi + 1));
}
std::string orcpt_xtext(const std::optional<std::string>& orcpt) {
  if (!orcpt) return {};
  auto semi = orcpt->find(';');
  if (semi == std::string::npos) return {};
  return orcpt->substr(0, semi + 1) + smtp::proto::encode_xtext(orcpt->substr(semi + 1));
}

std::string mts_id_text(const mts::MtsIdentifier& id) {
  auto text = addressing::format_mts_msg_id(addressing::MtsIdentifier{id.global_domain_identifier, id.local_identifier});
  return text ? *text : std::string();
}

// The Message-ID field's value of an RFC 5322 header section, for logs.
std::string message_id_of(std::string_view content) {
  std::size_t pos = 0;
  while (pos < content.size()) {
    auto eol = content.find("\r\n", pos);
    if (eol == std::string_view::npos || eol == pos) break;  // end of the header section
    std::string_view line = content.substr(pos, eol - pos);
    pos = eol + 2;
    if (line.size() > 11 && (line[0] == 'M' || line[0] == 'm')) {
      std::string name(line.substr(0, 11));
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (name == "message-id:") {
        std::string_view v = line.substr(11);
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        return std::string(v.substr(0, 250));
      }
    }
  }
  return {};
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void note_losses(Submission& out, const std::string& what, const std::vector<mapping::Loss>& losses) {
  for (const auto& l : losses) out.notes.push_back(what + ": conversion loss: " + l.what + (l.rule.empty() ? "" : " (" + l.rule + ")"));
}


// ---- P1 helpers

std::vector<mts::PerRecipientMessageTransferFields>& per_recipient_fields(mts::Message& m) {
  return m.envelope.per_recipient_fields;
}
std::vector<mts::PerRecipientMessageTransferFields>& per_recipient_fields(mts::Probe& p) { return p.per_recipient_fields; }
mts::TraceInformation& trace_of(mts::Message& m) { return m.envelope.trace_information; }
mts::TraceInformation& trace_of(mts::Probe& p) { return p.trace_information; }
mts::Extensions& extensions_of(mts::Message& m) { return m.envelope.extensions; }
mts::Extensions& extensions_of(mts::Probe& p) { return p.extensions; }
const addressing::OrAddress& originator_of(const mts::Message& m) { return m.envelope.originator_name.address; }
const addressing::OrAddress& originator_of(const mts::Probe& p) { return p.originator_name.address; }

// RFC 2156 Appendix B: a null attribute (but ADMD) "is not legal in 1988": an APDU
// relayed from an X.400(1984) MTA to a 1988 one with such an originator or recipient
// would be refused there (X.411's sizes) and retried for its lifetime; it fails here.
std::optional<base::Refusal> not_legal_in_1988(const addressing::OrAddress& a, const char* whose,
                                               const std::string& peer) {
  const auto v = addressing::validate_x411_for_1988(a);
  if (v) return std::nullopt;
  return base::make_refusal(550, "5.1.3", base::reason::unable_to_transfer, base::diagnostic::invalid_arguments,
                            "RFC 2156 Appendix B",
                            std::string("the ") + whose + " O/R address is not legal in X.400(1988) (" +
                                v.error().message + "), and " + peer + " is a 1988 MTA");
}

// X.411 loop detection: our MTA name already in the internal trace.
mts::GlobalDomainIdentifier our_domain(const conf::Config& config) {
  mts::GlobalDomainIdentifier d;
  d.country = addressing::Text::of(config.gateway.country);
  d.admd = addressing::Text::of(config.gateway.admd);
  if (!config.gateway.prmd.empty()) d.prmd = addressing::Text::of(config.gateway.prmd);
  return d;
}

// X.411 loop detection (§12.2.1.1.1.4), why the APDU loops, or nothing. At MTA level:
// our MTA name in its internal trace. At domain level, for what crossed MTAs that keep
// no internal trace (X.400(1984) ones: X.419 Annex B has none): the trace shows it was
// in our domain, then in another, and it is back, with no redirection or DL expansion
// since (other-actions redirected(0) / dl-operation(1), or the histories of either).
// Redirected or DL-expanded on the way: coming back is then no loop.
bool redirected_or_expanded(const mts::TraceInformation& trace, const mts::Extensions& extensions) {
  if (mapping::ext::find(extensions, mts::ext::redirection_history) ||
      mapping::ext::find(extensions, mts::ext::dl_expansion_history) ||
      mapping::ext::find(extensions, mts::ext::originator_and_dl_expansion_history))
    return true;
  for (const auto& el : trace) {
    const auto& other = el.domain_supplied_information.additional_actions.other_actions;
    if (other && (other->test(0) || other->test(1))) return true;
  }
  return false;
}

std::optional<std::string> loop_reason(const mts::TraceInformation& trace, const mts::Extensions& extensions,
                                       const conf::Config& config) {
  if (const auto* e = mapping::ext::find(extensions, mts::ext::internal_trace_information))
    if (const auto* it = mapping::ext::internal_trace(*e))
      for (const auto& el : *it)
        if (lower(el.mta_name) == lower(config.gateway.mta_name))
          return config.gateway.mta_name + " is in its internal trace";
  if (redirected_or_expanded(trace, extensions)) return std::nullopt;
  const auto ours = our_domain(config);
  bool in_ours = false, left = false;
  for (const auto& el : trace) {
    const bool here = el.global_domain_identifier == ours;
    if (in_ours && !here) left = true;
    in_ours = in_ours || here;
  }
  if (left) return "its trace shows it left this domain (" + config.gateway.country + "/" + config.gateway.admd +
                   (config.gateway.prmd.empty() ? "" : "/" + config.gateway.prmd) + ") and came back";
  return std::nullopt;
}

// An X.400(1984) MTA keeps no internal trace and, inside our own domain, adds no trace
// element: that we relayed this recipient to the peer now sending it back is what shows it.
std::string came_back(const Returned& returned) {
  return "this recipient was relayed to " + returned.peer + ", which sent it back (no redirection or DL expansion since)";
}

base::Refusal loop_refusal(const std::string& why) {
  return base::make_refusal(554, "5.4.6", base::reason::unable_to_transfer, base::diagnostic::loop_detected,
                            "X.411 \xC2\xA7" "12.2.1.1.1.4", "the APDU loops: " + why);
}

base::Refusal no_route_refusal() {
  return base::make_refusal(550, "5.1.1", base::reason::unable_to_transfer, base::diagnostic::unrecognised_or_name,
                            "X.411 \xC2\xA7" "12.2.1.1.1.2",
                            "no route: the address maps to no Internet domain and no p1.routes entry matches it");
}

// RFC 2156 §4.3.5 (Mapping A), then: does the result belong on the Internet
// side? Not when it is an address our SMTP side would itself send to X.400
// (an MCGAM table 1 domain, the gateway's own domain carrying a std-or local
// part: §4.3.1, §4.4.1).
bool for_the_internet(const Runtime& rt, const addressing::OrAddress& address) {
  const auto& config = rt.config;
  auto mapped = addressing::map_x400_to_rfc822(address, addressing::AddressRole::smtp_recipient, rt.addressing);
  if (!mapped) return false;
  const auto& a = mapped->address;
  auto at = a.rfind('@');
  if (at == std::string::npos) return false;
  const std::string domain = lower(a.substr(at + 1));
  if (domain == lower(config.gateway.domain) || domain == lower(config.smtp.hostname)) return false;
  return !addressing::route_smtp_recipient(a, rt.addressing, config.routing.x400_domains).x400;
}

queue::RecipientRecord& add_p1_recipient(Submission& out, const std::vector<mts::PerRecipientMessageTransferFields>& fields,
                                         std::size_t i, queue::Channel channel) {
  queue::RecipientRecord r;
  r.index = out.recipients.size();
  r.channel = channel;
  r.source = static_cast<long>(i);
  if (i < fields.size())
    if (auto text = addressing::format_std_or(fields[i].recipient_name.address)) r.or_address = *text;
  out.recipients.push_back(std::move(r));
  return out.recipients.back();
}

void fail_recipient(Submission& out, queue::RecipientRecord& r, const base::Refusal& why, const mapping::Clock& clock) {
  if (r.channel == queue::Channel::p1 && r.peer.empty()) r.peer = "-";  // never sent: the record needs a next hop
  if (r.channel == queue::Channel::smtp && r.domain.empty()) r.domain = "-";
  if (r.channel != queue::Channel::p1 && r.address.empty()) r.address = r.or_address.empty() ? "-" : r.or_address;
  out.failures.push_back(failure(r.index, why, clock));
  out.notes.push_back("recipient " + (r.or_address.empty() ? r.address : r.or_address) + ": failed: " + why.text());
}

// Only `members` keep the responsibility bit (X.411 §12.2.1.1.1.4, splitting).
void set_responsibility(std::vector<mts::PerRecipientMessageTransferFields>& fields, const std::vector<std::size_t>& members) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    auto& bits = fields[i].per_recipient_indicators;
    const bool ours = std::find(members.begin(), members.end(), i) != members.end();
    if (bits.test(mts::pri::responsibility) == ours) continue;
    const std::uint64_t flags = bits.as_flags(), mask = std::uint64_t(1) << mts::pri::responsibility;
    bits = p1::ber::BitString::from_flags(ours ? flags | mask : flags & ~mask);
  }
}

// Our trace element (one per domain: none when the last one is already ours)
// and our internal trace element, which is what finds a loop through us.
void add_our_trace(mts::TraceInformation& trace, mts::Extensions& extensions, const conf::Config& config,
                   const mapping::Context& ctx) {
  mts::TraceInformationElement t;
  t.global_domain_identifier = our_domain(config);
  if (auto now = mapping::utc_time_of(mapping::x400_out::now_of(ctx))) t.domain_supplied_information.arrival_time = *now;
  t.domain_supplied_information.routing_action = 0;  // relayed
  if (trace.empty() || !(trace.back().global_domain_identifier == t.global_domain_identifier))
    trace.push_back(t);
  mts::InternalTraceInformationElement it;
  it.global_domain_identifier = t.global_domain_identifier;
  it.mta_name = config.gateway.mta_name;
  it.mta_supplied_information.arrival_time = t.domain_supplied_information.arrival_time;
  mts::InternalTraceInformation internal;
  auto existing = std::find_if(extensions.begin(), extensions.end(),
                               [](const mts::Extension& e) { return mapping::ext::internal_trace(e) != nullptr; });
  if (existing != extensions.end()) {
    internal = *mapping::ext::internal_trace(*existing);
    extensions.erase(existing);
  }
  internal.push_back(std::move(it));
  extensions.push_back(mapping::ext::make_internal_trace(std::move(internal)));
}

}  // namespace

namespace {

// The correlation record of an Internet message converted to X.400, when there is
// something a report would need back: the ENVID, or an ORCPT (RFC 3461 §4.2, §4.4).
std::optional<queue::SentRecord> sent_to_x400(const mapping::SmtpEnvelope& env, const mapping::X400Message& converted,
                                              const queue::FormRecord& form) {
  queue::SentRecord sent;
  sent.direction = queue::SentRecord::Direction::to_x400;
  sent.mts_id = form.mts_id;
  sent.message_id = form.message_id;
  sent.envid = env.envid.value_or("");
  const auto& fields = converted.message.envelope.per_recipient_fields;
  for (std::size_t k = 0; k < fields.size() && k < converted.recipient_index.size(); ++k) {
    const std::size_t i = converted.recipient_index[k];
    if (i < env.recipients.size() && env.recipients[i].orcpt)
      sent.recipients.push_back({fields[k].originally_specified_recipient_number, *env.recipients[i].orcpt, "", ""});
  }
  if (sent.mts_id.empty() || (sent.envid.empty() && sent.recipients.empty())) return std::nullopt;
  return sent;
}

// What the gateway recorded of a report's subject (§5.3.8.3), for its DSN.
mapping::ReportSubject report_subject(const CorrelationLookup* correlations, const mts::Report& report) {
  mapping::ReportSubject subject;
  if (!correlations) return subject;
  auto sent = correlations->sent_to_x400(mts_id_text(report.content.subject_identifier));
  if (!sent) return subject;
  if (!sent->envid.empty()) subject.envid = sent->envid;
  for (const auto& r : sent->recipients)
    if (!r.orcpt.empty()) subject.orcpts.push_back({r.number, r.orcpt});
  return subject;
}

// A DSN's correlation (§5.1.8.3): the X.400 message the gateway sent on to the Internet.
mapping::DsnCorrelator dsn_correlator(const CorrelationLookup* correlations) {
  if (!correlations) return {};
  return [correlations](const std::optional<std::string>& envid,
                        const std::optional<std::string>& message_id) -> std::optional<mapping::DsnSubject> {
    auto sent = correlations->sent_to_internet(envid.value_or(""), message_id.value_or(""));
    if (!sent) return std::nullopt;
    auto id = addressing::parse_mts_msg_id(sent->mts_id);
    if (!id) return std::nullopt;
    mapping::DsnSubject subject;
    subject.subject_identifier.global_domain_identifier = id->global_domain;
    subject.subject_identifier.local_identifier = id->local_identifier;
    for (const auto& r : sent->recipients) {
      auto name = addressing::parse_std_or(r.or_address);
      if (r.address.empty() || !name) continue;
      mapping::DsnSubject::Recipient rc;
      rc.number = r.number;
      rc.address = r.address;
      rc.name.address = std::move(name->address);
      subject.recipients.push_back(std::move(rc));
    }
    return subject;
  };
}

}  // namespace

mapping::Context mapping_context(const Runtime& rt, std::chrono::system_clock::time_point now) {
  mapping::Context ctx;
  ctx.addressing = &rt.addressing;
  ctx.policy = &rt.config.mapping;
  ctx.mta_name = rt.config.gateway.mta_name;
  ctx.host_name = rt.config.smtp.hostname;
  ctx.postmaster = rt.config.gateway.postmaster;
  ctx.clock.now = std::chrono::time_point_cast<std::chrono::seconds>(now);
  return ctx;
}

// ---- SMTP in ------------------------------------------------------------------

base::Expected<Submission> submit_smtp(const Runtime& rt, const SmtpSubmit& in, std::string_view content,
                                       const std::string& queue_id, const mapping::Clock& clock,
                                       const CorrelationLookup* correlations) {
  Submission out;
  out.recipients = in.recipients;
  mapping::Context ctx = mapping_context(rt, std::chrono::system_clock::time_point(clock.now));
  ctx.clock = clock;

  // One output per P1 route (its peers in order) and peer mode.
  std::map<std::tuple<std::string, int, bool>, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < out.recipients.size(); ++i) {
    const auto& r = out.recipients[i];
    if (r.channel != queue::Channel::p1) continue;
    std::string key = r.peer;
    for (const auto& f : r.fallback) key += "," + f;
    groups[{key, i < in.peer_modes.size() ? in.peer_modes[i] : 1988, i < in.peer_bp14.size() && in.peer_bp14[i]}]
        .push_back(i);
  }

  mapping::SmtpEnvelope base;
  base.mail_from = in.mail_from;
  if (!in.ret.empty()) base.ret = in.ret;
  if (!in.envid.empty()) base.envid = xtext_decode(in.envid);

  std::size_t failed = 0;
  std::optional<base::Refusal> first_refusal;
  for (const auto& [key, members] : groups) {
    mapping::SmtpEnvelope env = base;
    for (std::size_t i : members) {
      const auto& r = out.recipients[i];
      env.recipients.push_back(mapping::SmtpRecipient{r.address, split_commas(r.notify), orcpt_value(r.orcpt)});
    }
    mapping::ToX400Options options;
    options.peer_mode = std::get<1>(key);
    options.bp14_1984 = std::get<2>(key);
    options.local_identifier = queue_id;
    // A DSN (MAIL FROM:<>, one recipient) to an X.400 originator: its report (RFC 2156
    // §5.1.8.3); one that does not read as a DSN goes on as an ordinary message.
    if (base.mail_from.empty() && members.size() == 1)
      if (auto report = mapping::dsn_to_x400(env, content, ctx, options, dsn_correlator(correlations));
          report && report->report) {
        const std::size_t i = members.front();
        ConvertedForm form;
        form.record.kind = queue::FormRecord::Kind::p1;
        form.record.mode = std::get<1>(key);
        form.record.mts_id = mts_id_text(report->report->envelope.report_identifier);
        form.record.message_id = message_id_of(content);
        auto encoded = mts::encode_mts_apdu(mts::MtsApdu(std::move(*report->report)));
        if (encoded) {
          form.octets.assign(reinterpret_cast<const char*>(encoded->data()), encoded->size());
          note_losses(out, "P1 report for " + std::get<0>(key), report->losses);
          out.forms.push_back(std::move(form));
          out.recipients[i].form = out.forms.size();
          out.notes.push_back("to=<" + out.recipients[i].address + ">: a DSN, sent as an X.400 report (RFC 2156 \xC2\xA7" "5.1.8)");
          // §5.1.8.3: "If this choice is different for different reported recipients both a
          // Delivery Report and an IPM shall be generated": the DSN as an IPM too, for its
          // delayed, relayed or expanded recipients, to the same X.400 originator (a second
          // recipient record for the same address, with that form).
          if (report->ipm) {
            ConvertedForm ipm;
            ipm.record.kind = queue::FormRecord::Kind::p1;
            ipm.record.mode = std::get<1>(key);
            ipm.record.mts_id = mts_id_text(report->ipm->message.envelope.message_identifier);
            ipm.record.message_id = message_id_of(content);
            auto as_ipm = mts::encode_mts_apdu(mts::MtsApdu(std::move(report->ipm->message)));
            if (as_ipm) {
              ipm.octets.assign(reinterpret_cast<const char*>(as_ipm->data()), as_ipm->size());
              note_losses(out, "P1 form (the DSN as an IPM) for " + std::get<0>(key), report->ipm->losses);
              out.forms.push_back(std::move(ipm));
              queue::RecipientRecord twin = out.recipients[i];
              twin.index = out.recipients.size();
              twin.form = out.forms.size();
              out.recipients.push_back(std::move(twin));
              out.notes.push_back("to=<" + out.recipients[i].address +
                                  ">: its delayed/relayed/expanded recipients as an IPM beside the report (RFC 2156 \xC2\xA7" "5.1.8.3)");
            } else {
              out.notes.push_back("to=<" + out.recipients[i].address + ">: the DSN as an IPM does not encode (" +
                                  as_ipm.error().what + "): its delayed/relayed recipients only in the report's returned content");
            }
          }
          continue;
        }
      }
    auto converted = mapping::to_x400(env, content, ctx, options);
    if (!converted) return converted.error();  // the whole message: refused after DATA with the engine's reason
    for (const auto& refused : converted->refused) {
      if (refused.index >= members.size()) continue;
      const std::size_t i = members[refused.index];
      out.failures.push_back(failure(i, refused.refusal, clock));
      out.notes.push_back("to=<" + out.recipients[i].address + ">: refused: " + refused.refusal.text());
      if (!first_refusal) first_refusal = refused.refusal;
      ++failed;
    }
    ConvertedForm form;
    form.record.kind = queue::FormRecord::Kind::p1;
    form.record.mode = std::get<1>(key);
    form.record.mts_id = mts_id_text(converted->message.envelope.message_identifier);
    form.record.message_id = message_id_of(content);
    if (auto sent = sent_to_x400(env, *converted, form.record)) out.sent.push_back(std::move(*sent));
    auto encoded = mts::encode_mts_apdu(mts::MtsApdu(std::move(converted->message)));
    if (!encoded)
      return base::make_refusal(451, "4.3.0", base::reason::unable_to_transfer, std::nullopt, "X.419",
                                "the converted message does not encode: " + encoded.error().what);
    form.octets.assign(reinterpret_cast<const char*>(encoded->data()), encoded->size());
    note_losses(out, "P1 form for " + std::get<0>(key), converted->losses);
    out.forms.push_back(std::move(form));
    for (std::size_t i : members) out.recipients[i].form = out.forms.size();
  }
  if (failed == out.recipients.size() && first_refusal) return *first_refusal;
  return out;
}

// ---- P1 in ----------------------------------------------------------------------

namespace {

// The recipients of a transferred message or probe, sorted by where they go.
struct P1Routing {
  std::vector<std::size_t> internet;  // per-recipient-fields indices for the Internet side
  std::map<const conf::P1Route*, std::vector<std::size_t>> relayed;
};

// Adds recipient records and failures to `out` for what cannot go on, and
// returns where the rest go (X.411 §12.2.1.1.1; RFC 2156 §4.3.5).
P1Routing route_p1_recipients(const Runtime& rt, const std::vector<mts::PerRecipientMessageTransferFields>& fields,
                              const mts::TraceInformation& trace, const mts::Extensions& extensions, Submission& out,
                              const mapping::Clock& clock, const Returned* returned) {
  const auto& config = rt.config;
  P1Routing routing;
  const auto loop = loop_reason(trace, extensions, config);
  if (returned && redirected_or_expanded(trace, extensions)) returned = nullptr;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto& prf = fields[i];
    if (!prf.per_recipient_indicators.test(mts::pri::responsibility)) continue;  // another MTA's
    if (loop) {
      auto& r = add_p1_recipient(out, fields, i, queue::Channel::p1);
      fail_recipient(out, r, loop_refusal(*loop), clock);
      continue;
    }
    if (returned)
      if (auto text = addressing::format_std_or(prf.recipient_name.address); text && returned->relayed(*text)) {
        auto& r = add_p1_recipient(out, fields, i, queue::Channel::p1);
        fail_recipient(out, r, loop_refusal(came_back(*returned)), clock);
        continue;
      }
    if (for_the_internet(rt, prf.recipient_name.address)) {
      routing.internet.push_back(i);
      continue;
    }
    const conf::P1Route* route = find_p1_route(config.p1, prf.recipient_name.address);
    if (!route) {
      auto& r = add_p1_recipient(out, fields, i, queue::Channel::p1);
      fail_recipient(out, r, no_route_refusal(), clock);
      continue;
    }
    routing.relayed[route].push_back(i);
  }
  return routing;
}

// One P1 form per route: `apdu` (a copy with our trace added and the route's
// responsibility bits set) encoded, and the route's recipients pointing at it.
template <class Apdu>
void relay_forms(const Runtime& rt, const mapping::Context& ctx, const Apdu& received,
                 const std::map<const conf::P1Route*, std::vector<std::size_t>>& relayed, const std::string& mts_id,
                 Submission& out, const mapping::Clock& clock) {
  const auto& config = rt.config;
  for (const auto& [route, members] : relayed) {
    Apdu copy = received;
    auto& fields = per_recipient_fields(copy);
    set_responsibility(fields, members);
    add_our_trace(trace_of(copy), extensions_of(copy), config, ctx);
    const conf::P1Peer* first = config.p1.peer(route->peers.front());
    ConvertedForm form;
    form.record.kind = queue::FormRecord::Kind::p1;
    form.record.mode = first ? first->mode : 1988;
    form.record.mts_id = mts_id;
    const std::vector<mts::PerRecipientMessageTransferFields> names = fields;
    std::vector<std::size_t> sent = members;
    // X.419 Annex B: for an X.400(1984) MTA, the APDU downgraded; the recipients it
    // cannot take are non-delivered here. The form is made for the first peer's mode
    // (a fallback peer of the route gets the same form).
    if (form.record.mode == 1984) {
      auto downgraded = mapping::relay_1984::downgrade(copy);
      note_losses(out, "P1 form for " + route->peers.front() + " (X.400(1984))", downgraded.losses);
      for (const auto& refused : downgraded.refused) {
        auto& r = add_p1_recipient(out, names, refused.index, queue::Channel::p1);
        r.peer = route->peers.front();
        fail_recipient(out, r, refused.refusal, clock);
        sent.erase(std::remove(sent.begin(), sent.end(), refused.index), sent.end());
      }
      if (sent.empty()) continue;
    } else {
      const auto bad_originator = not_legal_in_1988(originator_of(copy), "originator's", route->peers.front());
      for (auto it = sent.begin(); it != sent.end();) {
        auto why = bad_originator ? bad_originator
                                  : not_legal_in_1988(names[*it].recipient_name.address, "recipient's", route->peers.front());
        if (!why) {
          ++it;
          continue;
        }
        auto& r = add_p1_recipient(out, names, *it, queue::Channel::p1);
        r.peer = route->peers.front();
        fail_recipient(out, r, *why, clock);
        it = sent.erase(it);
      }
      if (sent.empty()) continue;
    }
    auto encoded = mts::encode_mts_apdu(mts::MtsApdu(std::move(copy)));
    if (!encoded) {
      for (std::size_t i : sent) {
        auto& r = add_p1_recipient(out, names, i, queue::Channel::p1);
        r.peer = route->peers.front();
        fail_recipient(out, r, base::make_refusal(554, "5.3.0", base::reason::unable_to_transfer, std::nullopt, "X.419",
                                                  "the relayed APDU does not encode: " + encoded.error().what), clock);
      }
      continue;
    }
    form.octets.assign(reinterpret_cast<const char*>(encoded->data()), encoded->size());
    out.forms.push_back(std::move(form));
    for (std::size_t i : sent) {
      auto& r = add_p1_recipient(out, names, i, queue::Channel::p1);
      r.peer = route->peers.front();
      r.fallback.assign(route->peers.begin() + 1, route->peers.end());
      r.form = out.forms.size();
    }
  }
}

}  // namespace

Submission submit_p1(const Runtime& rt, const mts::Message& message, const mapping::Clock& clock,
                     const Returned* returned) {
  Submission out;
  const auto& env = message.envelope;
  mapping::Context ctx = mapping_context(rt, std::chrono::system_clock::time_point(clock.now));
  ctx.clock = clock;
  P1Routing routing = route_p1_recipients(rt, env.per_recipient_fields, env.trace_information, env.extensions, out, clock,
                                           returned);

  // To the Internet: one conversion for all of them (RFC 2156 §5.3).
  if (!routing.internet.empty()) {
    mapping::ToInternetOptions options;
    options.recipients = routing.internet;
    auto converted = mapping::to_internet(message, ctx, options);
    if (!converted) {
      for (std::size_t i : routing.internet) {
        auto& r = add_p1_recipient(out, env.per_recipient_fields, i, queue::Channel::smtp);
        fail_recipient(out, r, converted.error(), clock);
      }
    } else {
      ConvertedForm form;
      form.record.kind = queue::FormRecord::Kind::rfc822;
      form.record.sender = converted->envelope.mail_from;
      form.record.body = smtp::client::has_eight_bit(std::span<const std::string_view>(std::array<std::string_view, 1>{converted->content})) ? "8BITMIME" : "7BIT";
      if (converted->envelope.ret) form.record.ret = *converted->envelope.ret;
      if (converted->envelope.envid) form.record.envid = smtp::proto::encode_xtext(*converted->envelope.envid);
      form.record.mts_id = mts_id_text(env.message_identifier);
      form.record.message_id = message_id_of(converted->content);
      queue::SentRecord sent;  // for a DSN that comes back about it (§5.1.8.3)
      sent.direction = queue::SentRecord::Direction::to_internet;
      sent.mts_id = form.record.mts_id;
      sent.message_id = form.record.message_id;
      sent.envid = converted->envelope.envid.value_or("");
      form.octets = std::move(converted->content);
      note_losses(out, "RFC 822 form", converted->losses);
      out.forms.push_back(std::move(form));
      const std::size_t form_index = out.forms.size();
      for (std::size_t k = 0; k < converted->envelope.recipients.size(); ++k) {
        const auto& sr = converted->envelope.recipients[k];
        const std::size_t i = k < converted->recipient_index.size() ? converted->recipient_index[k] : routing.internet.at(0);
        auto& r = add_p1_recipient(out, env.per_recipient_fields, i, queue::Channel::smtp);
        r.address = sr.address;
        auto at = sr.address.rfind('@');
        r.domain = at == std::string::npos ? "-" : lower(sr.address.substr(at + 1));
        r.form = form_index;
        std::string notify;
        for (const auto& n : sr.notify) notify += (notify.empty() ? "" : ",") + n;
        r.notify = notify;
        r.orcpt = orcpt_xtext(sr.orcpt);
        if (i < env.per_recipient_fields.size())
          sent.recipients.push_back({env.per_recipient_fields[i].originally_specified_recipient_number, "", sr.address,
                                     r.or_address});
        // Appendix A §3.2: NOTIFY carries the originator's request; what the originating
        // MTA asks beyond it (a delivery report the originator did not ask for) the gateway
        // satisfies itself, once the recipient is relayed.
        if (i < env.per_recipient_fields.size()) {
          const auto& bits = env.per_recipient_fields[i].per_recipient_indicators;
          r.delivery_report = bits.test(mts::pri::originating_mta_report) && !bits.test(mts::pri::originator_report);
        }
      }
      for (const auto& refused : converted->refused) {
        auto& r = add_p1_recipient(out, env.per_recipient_fields, refused.index, queue::Channel::smtp);
        fail_recipient(out, r, refused.refusal, clock);
      }
      if (!sent.mts_id.empty()) out.sent.push_back(std::move(sent));
    }
  }
  // To other X.400 MTAs: the message as received, with our trace and the route's responsibility bits.
  relay_forms(rt, ctx, message, routing.relayed, mts_id_text(env.message_identifier), out, clock);
  return out;
}

Submission submit_p1(const Runtime& rt, const mts::Probe& probe, const mapping::Clock& clock,
                     const Returned* returned) {
  Submission out;
  mapping::Context ctx = mapping_context(rt, std::chrono::system_clock::time_point(clock.now));
  ctx.clock = clock;
  P1Routing routing = route_p1_recipients(rt, probe.per_recipient_fields, probe.trace_information, probe.extensions, out, clock,
                                           returned);
  // RFC 2156 §5.3.9: the gateway answers for its Internet recipients from routing and
  // address mapping, without sending anything: each one that maps is recorded delivered
  // with a delivery report owed (or, with smtp.out.verify_probes, left to the SMTP
  // channel's VRFY, Appendix A §1), each one that does not fails (a non-delivery
  // report); the queue manager then sends the one report for all of them.
  for (std::size_t i : routing.internet) {
    auto mapped = addressing::map_x400_to_rfc822(probe.per_recipient_fields[i].recipient_name.address,
                                                 addressing::AddressRole::smtp_recipient, rt.addressing);
    auto& r = add_p1_recipient(out, probe.per_recipient_fields, i, queue::Channel::smtp);
    if (!mapped) {
      fail_recipient(out, r, mapping::address_refusal(mapped.error(), addressing::AddressRole::smtp_recipient), clock);
      continue;
    }
    r.address = mapped->address;
    const auto at = r.address.rfind('@');
    r.domain = at == std::string::npos ? "-" : lower(r.address.substr(at + 1));
    r.delivery_report = true;
    if (rt.config.smtp.out.verify_probes) {
      // Appendix A §1: the SMTP channel asks the next hop with VRFY; its answer is
      // recorded as a delivery would be, and the report follows from it.
      out.notes.push_back("probe recipient " + r.or_address + ": <" + r.address + "> to be verified at the next hop");
      continue;
    }
    queue::Record rec;
    rec.kind = queue::Record::Kind::status;
    rec.time = unix_seconds(clock);
    rec.rcpt = r.index;
    rec.status = queue::RecipientStatus::delivered;
    rec.dsn = "2.0.0";
    rec.diagnostic = "probe: would be delivered to <" + r.address + "> by SMTP (RFC 2156 \xC2\xA7" "5.3.9)";
    out.failures.push_back(std::move(rec));  // applied to the entry as it is queued, as failures are
    out.notes.push_back("probe recipient " + r.or_address + ": deliverable as <" + r.address + ">");
  }
  relay_forms(rt, ctx, probe, routing.relayed, mts_id_text(probe.probe_identifier), out, clock);
  return out;
}

Submission submit_p1(const Runtime& rt, const mts::Report& report, const mapping::Clock& clock,
                     const CorrelationLookup* correlations, const Returned* returned) {
  Submission out;
  const auto& config = rt.config;
  mapping::Context ctx = mapping_context(rt, std::chrono::system_clock::time_point(clock.now));
  ctx.clock = clock;
  const auto& destination = report.envelope.report_destination_name.address;
  // One recipient: the report's destination (X.411 §12.2.2), as per-recipient field 0.
  std::vector<mts::PerRecipientMessageTransferFields> as_fields(1);
  as_fields[0].recipient_name = report.envelope.report_destination_name;
  auto loop = loop_reason(report.envelope.trace_information, report.envelope.extensions, config);
  if (!loop && returned && !redirected_or_expanded(report.envelope.trace_information, report.envelope.extensions))
    if (auto text = addressing::format_std_or(destination); text && returned->relayed(*text)) loop = came_back(*returned);
  if (loop) {
    auto& r = add_p1_recipient(out, as_fields, 0, queue::Channel::p1);
    fail_recipient(out, r, loop_refusal(*loop), clock);
    return out;
  }
  if (for_the_internet(rt, destination)) {
    // RFC 2156 §5.3.8: the DSN to the report destination, MAIL FROM:<>, never a report about it.
    auto& r = add_p1_recipient(out, as_fields, 0, queue::Channel::smtp);
    auto dsn = mapping::report_to_internet(report, ctx, report_subject(correlations, report));
    if (!dsn) {
      fail_recipient(out, r, dsn.error(), clock);
      return out;
    }
    const auto& rcpt = dsn->envelope.recipients.at(0);
    r.address = rcpt.address;
    const auto at = rcpt.address.rfind('@');
    r.domain = at == std::string::npos ? "-" : lower(rcpt.address.substr(at + 1));
    r.notify = "NEVER";
    ConvertedForm form;
    form.record.kind = queue::FormRecord::Kind::rfc822;
    form.record.sender = "";
    form.record.body = "7BIT";  // report_to_internet writes ASCII only
    form.record.mts_id = mts_id_text(report.envelope.report_identifier);
    form.record.message_id = message_id_of(dsn->content);
    form.octets = std::move(dsn->content);
    note_losses(out, "DSN", dsn->losses);
    out.forms.push_back(std::move(form));
    r.form = out.forms.size();
    out.notes.push_back("report on " + dsn->subject_mts_id.value_or("?") + " for the Internet: a DSN (" +
                        std::to_string(dsn->delivered) + " delivered, " + std::to_string(dsn->failed) + " failed)");
    return out;
  }
  const conf::P1Route* route = find_p1_route(config.p1, destination);
  if (!route) {
    auto& r = add_p1_recipient(out, as_fields, 0, queue::Channel::p1);
    fail_recipient(out, r, no_route_refusal(), clock);
    return out;
  }
  mts::Report copy = report;
  add_our_trace(copy.envelope.trace_information, copy.envelope.extensions, config, ctx);
  const conf::P1Peer* first = config.p1.peer(route->peers.front());
  auto& r = add_p1_recipient(out, as_fields, 0, queue::Channel::p1);
  r.peer = route->peers.front();
  // X.419 Annex B: downgraded for an X.400(1984) first peer; a report that cannot be is
  // not relayed (a report is never reported on: the failure is only recorded).
  if (first && first->mode == 1984) {
    auto downgraded = mapping::relay_1984::downgrade(copy);
    if (!downgraded) {
      fail_recipient(out, r, downgraded.error(), clock);
      return out;
    }
    note_losses(out, "relayed report for " + route->peers.front() + " (X.400(1984))", *downgraded);
  } else if (auto why = not_legal_in_1988(destination, "report destination's", route->peers.front())) {
    fail_recipient(out, r, *why, clock);
    return out;
  }
  auto encoded = mts::encode_mts_apdu(mts::MtsApdu(std::move(copy)));
  if (!encoded) {
    fail_recipient(out, r, base::make_refusal(554, "5.3.0", base::reason::unable_to_transfer, std::nullopt, "X.419",
                                              "the relayed report does not encode: " + encoded.error().what), clock);
    return out;
  }
  ConvertedForm form;
  form.record.kind = queue::FormRecord::Kind::p1;
  form.record.mode = first ? first->mode : 1988;
  form.record.mts_id = mts_id_text(report.envelope.report_identifier);
  form.octets.assign(reinterpret_cast<const char*>(encoded->data()), encoded->size());
  out.forms.push_back(std::move(form));
  r.fallback.assign(route->peers.begin() + 1, route->peers.end());
  r.form = out.forms.size();
  return out;
}

}  // namespace mixer::gateway
