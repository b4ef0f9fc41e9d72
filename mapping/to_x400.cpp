// mapping/to_x400.cpp: Internet -> X.400, the message as a whole (RFC 2156
// §5.1.1, §5.1.5, §5.1.6, §4.6.1, Appendix A §3.1, Appendix B, Appendix C):
// the header sorted by to_x400_fields.cpp, the body by bodyparts/, then the
// IPM and the transfer envelope: originator and recipients from SMTP, the
// DSN parameters, the MTS identifier, trace, and the 1984 downgrade when the
// next hop needs it. Trusts nothing in the message or the envelope.
#include <algorithm>
#include <cstdio>

#include "addressing/message_id.hpp"
#include "addressing/std_or.hpp"
#include "bodyparts/bodyparts.hpp"
#include "bodyparts/g3fax.hpp"
#include "imf/message.hpp"
#include "imf/tokens.hpp"
#include "mapping/address_refusal.hpp"
#include "mapping/downgrade.hpp"
#include "mapping/extensions.hpp"
#include "mapping/forwarded.hpp"
#include "mapping/refusals.hpp"
#include "mapping/syntax.hpp"
#include "mapping/text.hpp"
#include "mapping/to_x400.hpp"
#include "p1/ipms/ipms.hpp"

namespace mixer::mapping {

namespace mts = p1::mts;
namespace ipms = p1::ipms;

namespace {

constexpr const char* s5_1_5 = "RFC 2156 \xC2\xA7" "5.1.5";
constexpr const char* app_a = "RFC 2156 Appendix A \xC2\xA7" "3.1";
constexpr const char* app_b = "RFC 2156 Appendix B";
constexpr std::size_t ub_local_id = 32, ub_content_correlator = 512, ub_content_id = 16, ub_transfers = 512;

// §5.1.5: the content identifier from the subject: PrintableString, over 16 cut to 13 and "...".
std::string content_identifier_of(std::string_view subject) {
  std::string s = syntax::printable_of(subject);
  if (s.size() > ub_content_id) s = s.substr(0, 13) + "...";
  return s;
}

// An "addr-type;address" ORCPT as an O/R name, when it names another address than the RCPT.
std::optional<mts::OrName> orcpt_name(const SmtpRecipient& r, const Context& ctx) {
  if (!r.orcpt) return std::nullopt;
  const std::size_t semi = r.orcpt->find(';');
  if (semi == std::string::npos) return std::nullopt;
  const std::string type = r.orcpt->substr(0, semi);
  const std::string addr = r.orcpt->substr(semi + 1);
  if (syntax::iequals(type, "rfc822") && syntax::iequals(addr, r.address)) return std::nullopt;
  return x400_out::or_name_of_typed(type, addr, ctx);
}


}  // namespace

base::Expected<X400Message> to_x400(const SmtpEnvelope& envelope, std::string_view content, const Context& ctx_in,
                                    const ToX400Options& options) {
  // RFC 2156 Appendix B: null attributes (but ADMD) are carried to X.400(1984) and not
  // legal in 1988: every address mapped below follows the next hop's mode.
  const bool x1984 = options.peer_mode == 1984;
  Context ctx = ctx_in;
  ctx.null_attributes = x1984 ? addressing::NullAttributes::kept : addressing::NullAttributes::not_legal;
  // The MTS identifier's local part is an IA5String (SIZE (1..32)): a caller that gives
  // none usable gets one derived from the content and the clock (FNV-1a, 16 hex digits).
  bool usable = !options.local_identifier.empty() && options.local_identifier.size() <= ub_local_id;
  for (char c : options.local_identifier) usable = usable && c > 32 && c < 127;
  if (!usable) {
    std::uint64_t h = static_cast<std::uint64_t>(ctx.clock.now.time_since_epoch().count());
    h = h ? h : 1469598103934665603ULL;
    for (unsigned char c : content) h = (h ^ c) * 1099511628211ULL;
    char id[17];
    std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(h));
    ToX400Options derived = options;
    derived.local_identifier = id;
    return to_x400(envelope, content, ctx, derived);
  }
  const auto& actx = *ctx.addressing;
  const auto& limits = ctx.policy->limits;
  X400Message out;
  auto& losses = out.losses;

  // Parse the message (limits from the config).
  auto parsed = parse_within_limits(content, limits, "the header is over a limit: ", "RFC 5322",
                                    "the message does not parse: ");
  if (!parsed) return parsed.error();
  // RFC 8098: an MDN (or §5.3.5's text form) is an IPN (mdn_to_ipn.cpp); one that does not read goes on as a message.
  if (options.mdn_as_ipn && (x400_out::is_mdn(*parsed) || x400_out::is_ipn_text(*parsed)))
    return x400_out::mdn_to_x400(envelope, content, ctx, options);
  x400_out::Plan plan;
  plan.losses = &losses;
  plan.mime.body = parsed->body;
  if (auto r = x400_out::plan_fields(*parsed, ctx, plan)) return *r;
  x400_out::notification_requests_of(*parsed, plan);  // RFC 8098 §2.1 (mdn_to_ipn.cpp)

  // §5.1.5: more MIXER conversions than allowed is a loop.
  std::size_t conversions = 0, received_mixer = 0;
  for (const auto& t : plan.trace) {
    if (t.x400 && t.entry && t.entry->converted)
      for (const auto& oid : t.entry->converted->extended) conversions += oid == syntax::eit_mixer();
    received_mixer += !t.x400 && t.mixer_conversion;
  }
  conversions = std::max(conversions, received_mixer);
  if (conversions > ctx.policy->to_x400.max_conversions)
    return refuse::loop(s5_1_5, "the message was converted by MIXER gateways " + std::to_string(conversions) +
                                    " times, more than " + std::to_string(ctx.policy->to_x400.max_conversions));

  // The originator (§4.6.1): the SMTP reverse path; for <> the gateway itself.
  mts::MessageTransferEnvelope env;
  std::string originator_domain;
  if (envelope.mail_from.empty()) {
    env.originator_name.address = actx.gateway.or_address;
    losses.push_back(Loss{"the null reverse path: the originator is the gateway's O/R address",
                          "RFC 2156 \xC2\xA7" "4.6.1"});
  } else {
    auto o = addressing::map_rfc822_to_x400(envelope.mail_from, addressing::AddressRole::smtp_originator, actx,
                                            ctx.null_attributes);
    if (!o) return address_refusal(o.error(), addressing::AddressRole::smtp_originator);
    env.originator_name.address = std::move(o->address);
    originator_domain = envelope.mail_from.substr(envelope.mail_from.rfind('@') + 1);
  }

  // Recipients (§4.6.1, Appendix A §3.1).
  if (envelope.recipients.size() > limits.max_recipients)
    return refuse::too_many_recipients("mapping.limits.max_recipients",
                                       std::to_string(envelope.recipients.size()) + " recipients, more than " +
                                           std::to_string(limits.max_recipients));
  const imf::DateTime now = x400_out::now_of(ctx);
  const auto now_utc = utc_time_of(now);
  env.per_recipient_fields.reserve(envelope.recipients.size());  // no O/R address moved by a regrowth
  for (std::size_t i = 0; i < envelope.recipients.size(); ++i) {
    const auto& r = envelope.recipients[i];
    auto x = addressing::map_rfc822_to_x400(r.address, addressing::AddressRole::smtp_recipient, actx);
    if (!x) {
      out.refused.push_back(RecipientRefusal{i, r.address, address_refusal(x.error(), addressing::AddressRole::smtp_recipient)});
      continue;
    }
    // Appendix B: a recipient with a null attribute cannot go to a 1988 MTA (encapsulated at
    // this gateway it would come back here): refused, as routing refuses it at RCPT.
    if (ctx.null_attributes == addressing::NullAttributes::not_legal)
      if (const auto v = addressing::validate_x411_for_1988(x->address); !v) {
        const auto e = addressing::make_error(v.error().code, app_b, "not legal in X.400(1988): " + v.error().message);
        out.refused.push_back(RecipientRefusal{i, r.address, address_refusal(e, addressing::AddressRole::smtp_recipient)});
        continue;
      }
    // Built in its place in the list (an O/R address is 3 KB to move).
    const auto number = static_cast<std::int64_t>(env.per_recipient_fields.size() + 1);
    mts::PerRecipientMessageTransferFields& f = env.per_recipient_fields.emplace_back();
    f.recipient_name.address = std::move(x->address);
    f.originally_specified_recipient_number = number;
    f.per_recipient_indicators.set(mts::pri::responsibility);
    // NOTIFY (Appendix A §3.1): NEVER none, SUCCESS report, otherwise non-delivery report;
    // Appendix C's headers only where NOTIFY was not given.
    const bool never = std::find(r.notify.begin(), r.notify.end(), "NEVER") != r.notify.end();
    bool success = std::find(r.notify.begin(), r.notify.end(), "SUCCESS") != r.notify.end();
    bool report_none = never;
    if (r.notify.empty()) {
      if (plan.prevent_ndr) report_none = true;
      if (plan.generate_dr) success = true;
    }
    if (success) f.per_recipient_indicators.set(mts::pri::originator_report);
    else if (!report_none) f.per_recipient_indicators.set(mts::pri::originator_non_delivery_report);
    // The gateway, as originating MTA, asks at least for non-delivery reports.
    f.per_recipient_indicators.set(success ? mts::pri::originating_mta_report : mts::pri::originating_mta_non_delivery_report);
    // X.411 PerRecipientIndicators is BIT STRING (SIZE (8..ub-bit-options)): the
    // reserved bits 5-7 are written as zeros, never trimmed.
    f.per_recipient_indicators.bytes.resize(std::max<std::size_t>(f.per_recipient_indicators.bytes.size(), 1));
    if (f.per_recipient_indicators.bytes.size() == 1) f.per_recipient_indicators.unused_bits = 0;
    // ORCPT of another address: redirection history, reason alias (Appendix A §3.1).
    if (auto intended = orcpt_name(r, ctx); intended && now_utc)
      f.extensions.push_back(ext::make_redirections({mts::Redirection{std::move(*intended), *now_utc, 4}}));
    out.recipient_index.push_back(i);
  }
  if (env.per_recipient_fields.empty())
    return refuse::no_recipient("RFC 2156 \xC2\xA7" "4.6.1", "none of the recipients maps to an X.400 address");

  // The body (RFC 2157, bodyparts/).
  bodyparts::ToX400Options bo;
  bo.extended_allowed = !x1984;
  bo.bp14_1984 = x1984 && options.bp14_1984;  // RFC 2157 §3.1: a 1984 peer with BP14 handling capability
  bo.max_nesting = limits.max_nesting;
  bo.conversion_prohibited = plan.conversion_prohibited;  // "Conversion: Prohibited" (§5.1.5)
  {  // RFC 2157's choices and limits (mapping.body_parts)
    const auto& bp = ctx.policy->body_parts;
    bo.octet_stream = bp.octet_stream == "ftbp" ? bodyparts::OctetStream::ftbp_unknown : bodyparts::OctetStream::bilaterally_defined;
    bo.unknown_mime = bp.unknown_mime == "ftbp" ? bodyparts::UnknownMime::ftbp : bodyparts::UnknownMime::bp15;
    bo.bp14_content_passing = bp.bp14_content_passing;  // §3.1.4
    bo.conversion_with_loss_prohibited = plan.conversion_with_loss_prohibited;
    bo.utf8_general_text = bp.utf8_general_text;
    bo.user_control = bp.user_control;  // §4.1: Wanted-X400-Conversion
    bo.wanted_x400_conversion = wanted_x400_conversion(*parsed, bp.user_control);
    bo.limits = {bp.max_parts, static_cast<std::size_t>(bp.max_part_header_size), static_cast<std::size_t>(bp.max_part_size)};
  }
  bo.forwarded_to_x400 = forwarded_to_x400(ctx, bo);  // RFC 2157 §6.5: message/rfc822 through this engine
  auto body = bodyparts::to_x400(plan.mime, bo);
  if (!body) return std::move(body).error();
  if (!body->losses.empty() && plan.conversion_with_loss_prohibited)
    return refuse::conversion_with_loss_prohibited(body->losses.front().rule,
                                                   "conversion with loss is prohibited, and " + body->losses.front().what);
  for (auto& l : body->losses) losses.push_back(std::move(l));
  // §4: what the sender asked to lose overrides the prohibitions; still reported.
  for (auto& l : body->requested_losses) losses.push_back(std::move(l));

  // The IPM.
  ipms::Ipm ipm;
  ipm.heading = std::move(plan.heading);
  ipm.body = std::move(body->body);
  // The body's own heading extensions (RFC 2157 §6.6: the outermost multipart's subtype).
  for (auto& e : body->heading_extensions) ipm.heading.extensions.push_back(std::move(e));
  if (ipm.heading.this_ipm.user_relative_identifier.empty() && !ipm.heading.this_ipm.user) {
    // No usable Message-ID: the gateway makes one, <local-identifier@gateway-domain>, and
    // represents it as §4.7.3.1 does any msg-id (so it comes back as a plain RFC 5322 msg-id,
    // not the quoted "*std-or" form of §4.7.3.2 that RFC 5322 §3.6.4 calls obsolete).
    std::string local;
    for (char c : options.local_identifier)
      if (imf::is_atext(c) && static_cast<unsigned char>(c) < 128) local += c;
    if (local.empty()) local = "mixer";
    auto id = addressing::msg_id_to_ipm_identifier("<" + local + "@" + actx.gateway.domain + ">", actx.heuristics);
    if (id) {
      ipm.heading.this_ipm.user_relative_identifier = id->user_relative_identifier.substr(0, 64);
    } else {
      ipm.heading.this_ipm.user = mts::OrName{actx.gateway.or_address, std::nullopt};
      ipm.heading.this_ipm.user_relative_identifier = options.local_identifier.substr(0, 64);
    }
  }
  if (!plan.carried.empty())
    ipm.heading.extensions.push_back(ext::make_strings(ipms::oid::rfc_822_field_list, plan.carried));

  // Encoded information types: the body's, and eit-mixer (Appendix D, §5.1.5).
  syntax::EncodedInfo eits{body->built_in_eits, body->extended_eits};
  if (!x1984) eits.extended.push_back(syntax::eit_mixer());
  // The trace's converted EITs are those of the message generated (§5.1.5); the
  // original EITs carried by Original-Encoded-Information-Types add to the envelope's only.
  const syntax::EncodedInfo converted_eits = eits;
  if (plan.original_eits) {
    for (std::size_t b = 0; b < plan.original_eits->built_in.size(); ++b)
      if (plan.original_eits->built_in.test(b)) eits.built_in.set(b);
    for (const auto& o : plan.original_eits->extended)
      if (std::find(eits.extended.begin(), eits.extended.end(), o) == eits.extended.end()) eits.extended.push_back(o);
  }
  mts::EncodedInformationTypes original;
  original.built_in = eits.built_in;
  original.extended = eits.extended;
  // X.411 EncodedInformationTypes [1]: the non-basic parameters of the g3-facsimile body parts
  // converted (RFC 2157 §5.3, image/g3fax).
  original.g3_facsimile = bodyparts::g3_non_basic_parameters(ipm.body);
  env.original_encoded_information_types = original;

  // MTS identifier (§4.6.3, §5.1.6, or generated).
  const auto& policy = ctx.policy->to_x400;
  std::optional<addressing::MtsIdentifier> id;
  if (plan.mts_identifier) {
    auto p = x400_out::x411_mts_identifier(*plan.mts_identifier);  // restored only when X.411 takes it
    if (p) id = *p;
    else losses.push_back(Loss{"X400-MTS-Identifier is not a valid MTS identifier: not restored", "RFC 2156 \xC2\xA7" "5.1.7"});
  }
  if (!id && policy.mts_identifier == "message-id" && plan.message_id && !plan.resent)
    if (auto m = addressing::msg_id_to_mts_identifier(*plan.message_id, actx)) id = *m;
  if (!id) id = addressing::MtsIdentifier{actx.gateway.global_domain, options.local_identifier.substr(0, ub_local_id)};
  env.message_identifier.global_domain_identifier = id->global_domain;
  env.message_identifier.local_identifier = id->local_identifier;

  // Per-message fields (§5.1.5, Appendix A §3.1, Appendix C).
  if (plan.content_identifier) env.content_identifier = *plan.content_identifier;
  else if (plan.subject_utf8 && !plan.subject_utf8->empty()) env.content_identifier = content_identifier_of(*plan.subject_utf8);
  if (plan.priority) env.priority = *plan.priority;
  p1::ber::BitString pmi;
  if (plan.alternate_recipient.value_or(true)) pmi.set(mts::pmi::alternate_recipient_allowed);
  if (plan.disclose_recipients.value_or(false)) pmi.set(mts::pmi::disclosure_of_other_recipients);
  if (plan.conversion_prohibited) pmi.set(mts::pmi::implicit_conversion_prohibited);
  // §5.2: "MIXER simply requires that a gateway requests the return of content service
  // from X.400": unless RET=HDRS asks for headers only, or Appendix C prohibits it.
  if (plan.content_return.value_or(!(envelope.ret && *envelope.ret == "HDRS")))
    pmi.set(mts::pmi::content_return_request);
  env.per_message_indicators = pmi;
  if (plan.deferred_delivery) env.deferred_delivery_time = utc_time_of(*plan.deferred_delivery);
  if (plan.conversion_with_loss_prohibited)
    env.extensions.push_back(ext::make_number(mts::ext::conversion_with_loss_prohibited, 1));
  if (plan.latest_delivery)
    if (auto t = utc_time_of(*plan.latest_delivery)) env.extensions.push_back(ext::make_time(mts::ext::latest_delivery_time, *t));
  if (plan.originator_return_address)
    env.extensions.push_back(ext::make_or_address(mts::ext::originator_return_address, *plan.originator_return_address));
  // Content correlator: the ENVID (Appendix A §3.1), else Subject, Message-ID, Date, To (§5.1.5).
  std::string correlator;
  if (envelope.envid) correlator = "SMTP/NOTARY ENVID: " + *envelope.envid;
  else if (plan.content_correlator) correlator = *plan.content_correlator;
  else
    // §5.1.5: Subject, Message-ID, Date and To, in this order.
    for (const char* name : {"Subject:", "Message-ID:", "Date:", "To:"})
      for (const auto& f : plan.correlator_fields)
        // Each field made ASCII on its own, so an encoded word never takes in the CRLF between two.
        if (f.starts_with(name)) correlator += (correlator.empty() ? "" : "\r\n") + ascii_of_8bit(f);
  correlator = ascii_of_8bit(correlator);
  if (correlator.size() > ub_content_correlator) correlator.resize(ub_content_correlator);
  if (!correlator.empty()) env.extensions.push_back(ext::make_correlator_text(correlator));
  if (!plan.dl_expansions.empty()) env.extensions.push_back(x400_out::dl_expansion_history_of(plan));

  // Trace (§5.1.6).
  auto trace = x400_out::build_trace(plan, env.originator_name.address, originator_domain, ctx, converted_eits, losses);
  mts::InternalTraceInformation internal;
  {  // no regrowth moving elements (each holds a global domain's Texts)
    std::size_t n_internal = 0;
    for (const auto& e : trace) n_internal += e.mta.has_value();
    internal.reserve(n_internal);
    env.trace_information.reserve(trace.size() - n_internal);
  }
  for (const auto& e : trace) {
    if (e.mta) {
      if (auto t = internal_trace_element_of(e)) internal.push_back(std::move(*t));
    } else if (auto t = trace_element_of(e)) {
      env.trace_information.push_back(std::move(*t));
    } else {
      losses.push_back(Loss{"a trace element outside UTCTime's years is left out", "RFC 2156 \xC2\xA7" "3.3.5"});
    }
  }
  auto cap = [&](auto& list, const char* what) {
    if (list.size() <= ub_transfers) return;
    losses.push_back(Loss{std::to_string(list.size() - ub_transfers) + " oldest " + what + " elements left out (ub-transfers)",
                          "RFC 2156 \xC2\xA7" "5.1.6"});
    list.erase(list.begin(), list.begin() + static_cast<std::ptrdiff_t>(list.size() - ub_transfers));
  };
  cap(env.trace_information, "trace");
  cap(internal, "internal trace");
  if (!internal.empty()) env.extensions.push_back(ext::make_internal_trace(std::move(internal)));

  // Content type 2 unless 1988 features are used (§5.1.3); Appendix B for a 1984 next hop.
  if (x1984) {
    downgrade_1984(ipm, env, plan, actx, losses);
  } else {
    const bool uses_1988 = body->uses_1988 || !ipm.heading.extensions.empty();
    env.content_type = mts::ContentType::builtin(uses_1988 ? 22 : 2);
  }
  ipms::InformationObject object{std::move(ipm)};
  if (x1984)
    if (auto why = ipms::p2_1984_violation(object, options.bp14_1984))
      return refuse::unable_to_downgrade(app_b, "the message needs " + *why + ", which X.400(1984) cannot carry");
  // The encoder refuses a value it cannot write (an alternative not of its type's): the IPM
  // built here is then not convertible.
  auto encoded = ipms::encode(object);
  if (!encoded) return refuse::conversion_impractical("X.420", "the IPM does not encode: " + encoded.error().what);
  out.message.envelope = std::move(env);
  out.message.content = std::move(encoded).value();
  (void)app_a;
  return out;
}

namespace x400_out {

std::optional<mts::OrName> or_name_of_typed(std::string_view type, std::string_view address, const Context& ctx) {
  if (syntax::iequals(type, "rfc822")) {
    auto x = addressing::map_rfc822_to_x400(address, addressing::AddressRole::smtp_recipient, *ctx.addressing,
                                            ctx.null_attributes);
    if (!x) return std::nullopt;
    return mts::OrName{std::move(x->address), std::nullopt};
  }
  if (syntax::iequals(type, "x400")) {
    auto p = addressing::parse_std_or(address);
    if (!p) return std::nullopt;
    return mts::OrName{std::move(p->address), std::nullopt};
  }
  return std::nullopt;
}

std::optional<addressing::MtsIdentifier> x411_mts_identifier(std::string_view text) {
  auto p = addressing::parse_mts_msg_id(text);
  if (!p || p->local_identifier.empty() || p->local_identifier.size() > ub_local_id) return std::nullopt;
  for (char c : p->local_identifier)
    if (static_cast<unsigned char>(c) > 127) return std::nullopt;
  addressing::OrAddress gdi;
  gdi.country = p->global_domain.country;
  gdi.admd = p->global_domain.admd;
  gdi.prmd = p->global_domain.prmd;
  // X.411's sizes (CountryName SIZE (2) or (3)): no Appendix B null attribute but ADMD.
  if (!gdi.country.present() || !addressing::validate_x411_for_1988(gdi).ok()) return std::nullopt;
  return std::move(*p);
}

}  // namespace x400_out

}  // namespace mixer::mapping
