// mapping/to_rfc822.cpp: X.400 -> Internet, the message as a whole (RFC 2156
// §5.3.1, §5.3.2, §5.3.6, §5.3.7, §4.6.2, Appendix A §3.2): which
// recipients, the SMTP envelope, the MTS and MTA fields and trace, then the
// heading (to_rfc822_heading.cpp), the IPN (to_rfc822_ipn.cpp) and the body
// (bodyparts/). Trusts nothing in the message: every value is checked or
// mapped through a function that checks it.
#include <algorithm>
#include <memory>

#include "addressing/message_id.hpp"
#include "addressing/std_or.hpp"
#include "bodyparts/bodyparts.hpp"
#include "bodyparts/multipart_heading.hpp"
#include "imf/date_time.hpp"
#include "imf/tokens.hpp"
#include "mapping/address_refusal.hpp"
#include "mapping/extensions.hpp"
#include "mapping/forwarded.hpp"
#include "mapping/refusals.hpp"
#include "mapping/syntax.hpp"
#include "mapping/text.hpp"
#include "mapping/to_rfc822.hpp"
#include "mapping/to_x400.hpp"
#include "mapping/trace.hpp"
#include "p1/ipms/ipms.hpp"

namespace mixer::mapping {

namespace mts = p1::mts;
namespace ipms = p1::ipms;
using rfc822_out::Build;

namespace {

constexpr const char* s5_3_6 = "RFC 2156 \xC2\xA7" "5.3.6";
constexpr const char* s5_3_7 = "RFC 2156 \xC2\xA7" "5.3.7";
constexpr const char* s4_6_2_2 = "RFC 2156 \xC2\xA7" "4.6.2.2";

// The extensions §5.3.6 / §5.3.7 map (to a field, a comment or a decision); the
// others are discarded and listed, or refuse the message when critical.
bool mapped_extension(std::int64_t t) {
  switch (t) {
    case mts::ext::recipient_reassignment_prohibited:
    case mts::ext::dl_expansion_prohibited:
    case mts::ext::conversion_with_loss_prohibited:
    case mts::ext::latest_delivery_time:
    case mts::ext::requested_delivery_method:
    case mts::ext::physical_forwarding_prohibited:
    case mts::ext::physical_forwarding_address_request:
    case mts::ext::physical_delivery_modes:
    case mts::ext::registered_mail_type:
    case mts::ext::recipient_number_for_advice:
    case mts::ext::physical_rendition_attributes:
    case mts::ext::originator_return_address:
    case mts::ext::physical_delivery_report_request:
    case mts::ext::content_correlator:
    case mts::ext::redirection_history:
    case mts::ext::dl_expansion_history:
    case mts::ext::internal_trace_information:
    case mts::ext::proof_of_delivery_request:
      return true;
    default:
      return false;
  }
}

// §5.3.6: a critical extension the gateway cannot honour refuses the
// message; the others not mapped are listed for Discarded-X400-MTS-Extensions.
std::optional<base::Refusal> check_extensions(const mts::Extensions& list, std::vector<std::string>& discarded) {
  for (const auto& e : list) {
    auto t = ext::standard_type(e);
    if (t && mapped_extension(*t)) continue;
    if (ext::critical_for_transfer_or_delivery(e)) {
      // extension_name is null for a standard extension the codec does not name.
      const char* known = t ? mts::extension_name(*t) : nullptr;
      std::string name = t ? std::string(known ? known : "standard extension") + " (" + std::to_string(*t) + ")"
                           : "private extension " + ext::private_type(e)->to_string();
      return refuse::critical_function(s5_3_6, "the " + name + " is critical for transfer or delivery and cannot be "
                                                   "honoured on the Internet side");
    }
    const char* known = t ? mts::extension_name(*t) : nullptr;
    std::string item = t ? syntax::labelled_integer(*t, known ? known : "")
                         : syntax::object_identifier(*ext::private_type(e));
    if (std::find(discarded.begin(), discarded.end(), item) == discarded.end()) discarded.push_back(item);
  }
  return std::nullopt;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// "rfc822;a@b" from an O/R address (x400 type: RFC 3461 §4.2 with RFC 2156's std-or).
std::optional<std::string> orcpt_x400(const mts::OrName& n) {
  auto s = addressing::format_std_or(n.address);
  if (!s) return std::nullopt;
  return "x400;" + *s;
}

// An X.411 time as an RFC 5322 date-time; empty when it is not a valid time.
std::string date_text(const mts::Time& t) {
  auto d = time_of(t);
  if (!d) return {};
  auto s = imf::format_date_time(*d);
  return s ? std::move(s.value()) : std::string();
}

// §4.6.2.2: the comments of one X400-Recipients entry: redirections and the physical delivery services.
// `extensions`: the recipient's per-recipient extensions (a delivery envelope's, for its this-recipient).
std::string recipient_comments(const mts::Extensions& extensions, Build& b) {
  std::string out;
  auto add = [&](std::string text) { out += " (" + text + ")"; };
  if (const auto* e = ext::find(extensions, mts::ext::redirection_history)) {
    if (const auto* list = ext::redirections(*e); list && !list->empty()) {
      std::string c;
      for (std::size_t i = 0; i < list->size(); ++i) {
        const auto& h = (*list)[i];
        auto who = addressing::map_x400_to_rfc822(h.intended_recipient.address, addressing::AddressRole::ipms,
                                                  *b.ctx.addressing);
        std::string date = date_text(h.redirection_time);
        std::string mailbox = who ? who->address : "unknown";
        if (i == 0) c += "Originally To: " + mailbox + " Redirected on " + date;
        else c += " " + mailbox + " Redirected Again on " + date;
        c += " To: " + std::string(syntax::redirection_reason(h.redirection_reason));
      }
      add(c);
    }
  }
  struct Physical {
    std::int64_t type;
    const char* text;
  };
  static constexpr Physical physical[] = {
      {mts::ext::physical_forwarding_prohibited, "Physical Forwarding Prohibited"},
      {mts::ext::physical_forwarding_address_request, "Physical Forwarding Address Requested"},
      {mts::ext::physical_delivery_report_request, "Physical Delivery Report Requested"},
      {mts::ext::proof_of_delivery_request, "Proof of Delivery Requested"},
  };
  for (const auto& p : physical)
    if (const auto* e = ext::find(extensions, p.type)) {
      auto v = ext::number(*e);
      // Default values give no comment (§4.6.2.2): 0 is each one's default.
      if (v && *v != 0) add(p.text);
    }
  if (const auto* e = ext::find(extensions, mts::ext::requested_delivery_method))
    if (const auto* m = ext::delivery_methods(*e); m && !m->empty() && !(m->size() == 1 && (*m)[0] == 0)) {
      std::vector<std::string> v;
      for (auto x : *m) v.push_back(std::to_string(x));
      add("Requested Delivery Method " + join(v, " "));
    }
  if (const auto* e = ext::find(extensions, mts::ext::physical_delivery_modes)) (void)e, add("Physical Delivery Modes");
  if (const auto* e = ext::find(extensions, mts::ext::registered_mail_type))
    if (auto v = ext::number(*e); v && *v != 0) add("Registered Mail Type " + std::to_string(*v));
  if (const auto* e = ext::find(extensions, mts::ext::recipient_number_for_advice))
    if (const auto* t = ext::teletex(*e)) add("Recipient Number For Advice " + internet_text_of_teletex(*t).utf8);
  if (ext::find(extensions, mts::ext::physical_rendition_attributes)) add("Physical Rendition Attributes");
  return out;
}

// "[global-id;local]" of an MTS identifier (§5.3 mts-msg-id).
std::optional<std::string> mts_msg_id(const mts::MtsIdentifier& id) {
  addressing::MtsIdentifier a{id.global_domain_identifier, id.local_identifier};
  auto s = addressing::format_mts_msg_id(a);
  if (!s) return std::nullopt;
  return std::move(s.value());
}

bool is_auto_reply_subject(std::string_view s) {
  return s.size() >= 13 && syntax::iequals(s.substr(0, 13), "Auto Reply to");
}

}  // namespace

namespace rfc822_out {

std::string now_text(const Context& ctx) {
  auto s = imf::format_date_time(x400_out::now_of(ctx));
  return s ? std::move(s.value()) : std::string("Thu, 1 Jan 1970 00:00:00 +0000");
}

std::optional<std::string> date_of(const mts::Time& t, Build& b, const char* what) {
  auto d = time_of(t);
  if (d)
    if (auto s = imf::format_date_time(*d)) return std::move(s.value());
  b.lost(std::string(what) + " '" + t + "' is not a valid UTCTime or GeneralizedTime: left out", "RFC 2156 \xC2\xA7" "3.3.5");
  return std::nullopt;
}

void write_mts_fields(const MtsFields& f, Build& b) {
  auto& h = b.header;
  const auto& actx = *b.ctx.addressing;
  if (!f.originator.empty()) h.structured("X400-Originator", f.originator);
  if (!f.recipients.empty()) h.structured("X400-Recipients", join(f.recipients, ", "));
  if (f.mts_identifier) h.structured("X400-MTS-Identifier", *f.mts_identifier);
  if (f.original_eits) {
    const auto& e = *f.original_eits;
    std::string text = syntax::encoded_info(syntax::EncodedInfo{e.built_in, e.extended});
    if (!text.empty()) h.structured("Original-Encoded-Information-Types", text);
  }
  if (const auto* c = f.content_type ? std::get_if<mts::BuiltInContentType>(f.content_type) : nullptr)
    h.structured("X400-Content-Type", syntax::mts_content_type(c->value));
  else if (const auto* x = f.content_type ? std::get_if<mts::ExtendedContentType>(f.content_type) : nullptr)
    h.structured("X400-Content-Type", syntax::mts_content_type(x->oid));
  // A PrintableString, but a lenient decode may have kept any octet: 8-bit ones as RFC 2047 words.
  if (f.content_identifier) h.structured("X400-Content-Identifier", ascii_of_8bit(*f.content_identifier));
  if (f.priority) h.structured("Priority", syntax::priority(*f.priority));
  if (f.conversion_prohibited) h.structured("Conversion", "Prohibited");
  static const mts::Extensions none;
  const mts::Extensions& extensions = f.extensions ? *f.extensions : none;
  if (const auto* e = ext::find(extensions, mts::ext::conversion_with_loss_prohibited); e && ext::number(*e).value_or(0) == 1)
    h.structured("Conversion-With-Loss", "Prohibited");
  if (f.delivery_date) h.structured("Delivery-Date", *f.delivery_date);
  if (const auto* e = ext::find(extensions, mts::ext::originator_return_address))
    if (const auto* a = ext::or_address(*e)) {
      auto mapped = addressing::map_x400_to_rfc822(*a, addressing::AddressRole::ipms, actx);
      if (mapped) h.structured("Originator-Return-Address", mapped->address);
      else b.lost("originator-return-address does not map: " + mapped.error().text(), s5_3_6);
    }
  if (const auto* e = ext::find(extensions, mts::ext::dl_expansion_history))
    if (const auto* list = ext::expansions(*e))
      // Most recent first, as trace (§5.3.6).
      for (auto it = list->rbegin(); it != list->rend(); ++it) {
        auto who = addressing::map_x400_to_rfc822(it->dl.address, addressing::AddressRole::ipms, actx);
        const std::string date = date_text(it->time);
        if (who && !date.empty()) h.structured("DL-Expansion-History", who->address + " ; " + date + " ;");
        else b.lost("a DL expansion history element does not map", s5_3_6);
      }
}

void write_delivery_envelope(const ipms::OtherMessageDeliveryFields& d, const std::optional<mts::Time>& delivery_time,
                             Build& b) {
  constexpr const char* s6_5 = "RFC 2157 \xC2\xA7" "6.5";
  auto& h = b.header;
  const auto& actx = *b.ctx.addressing;
  // Trace (§5.3.7): X.411's MessageDeliveryExtensions carry it as trace-information (37)
  // and internal-trace-information (38); most recent first.
  const auto* te = ext::find(d.extensions, mts::ext::trace_information);
  const auto* ie = ext::find(d.extensions, mts::ext::internal_trace_information);
  const mts::TraceInformation* external = te ? ext::trace(*te) : nullptr;
  const mts::InternalTraceInformation* internal = ie ? ext::internal_trace(*ie) : nullptr;
  if (external || internal) {
    static const mts::TraceInformation none;
    std::size_t unreadable = 0;
    auto trace = merge_trace(external ? *external : none, internal, unreadable);
    if (unreadable) b.lost(std::to_string(unreadable) + " trace elements of a forwarded message with unreadable times left out", s6_5);
    for (auto it = trace.rbegin(); it != trace.rend(); ++it) {
      if (auto t = format_x400_trace(*it)) h.structured("X400-Received", *t);
      else b.lost("a forwarded message's trace element has no X400-Received form", s6_5);
    }
  }
  // §5.3.6: message-submission-time is Date (a Date carried in the heading's extension wins).
  if (!h.reserved("Date"))
    if (auto date = date_of(d.message_submission_time, b, "message-submission-time")) h.structured("Date", *date);

  MtsFields f;
  if (auto o = addressing::map_x400_to_rfc822(d.originator_name.address, addressing::AddressRole::ipms, actx)) {
    f.originator = o->address;
    if (d.originator_name.directory_name) f.originator += " " + addressing::directory_name_comment(*d.originator_name.directory_name);
  } else {
    b.lost("the forwarded message's originator-name does not map (" + o.error().text() + "): no X400-Originator", s6_5);
  }
  // §4.6.2.2: this recipient first (its per-recipient extensions as comments), then the others.
  auto entry = [&](const mts::OrName& n, const mts::Extensions* comments) {
    auto mapped = addressing::map_x400_to_rfc822(n.address, addressing::AddressRole::ipms, actx);
    if (!mapped) {
      b.lost("a recipient of the forwarded message's delivery-envelope does not map (" + mapped.error().text() + ")", s6_5);
      return;
    }
    std::string e = mapped->address;
    if (n.directory_name) e += " " + addressing::directory_name_comment(*n.directory_name);
    if (comments) e += recipient_comments(*comments, b);
    f.recipients.push_back(std::move(e));
  };
  entry(d.this_recipient_name, &d.extensions);
  for (const auto& n : d.other_recipient_names) entry(n, nullptr);
  if (d.originally_intended_recipient_name)
    b.lost("the forwarded message's originally-intended-recipient-name is not mapped", s6_5);
  if (d.converted_encoded_information_types)
    b.lost("the forwarded message's converted-encoded-information-types are discarded (RFC 2156 \xC2\xA7" "5.3.6)", s6_5);
  f.original_eits = d.original_encoded_information_types ? &*d.original_encoded_information_types : nullptr;
  f.content_type = &d.content_type;
  f.content_identifier = d.content_identifier ? &*d.content_identifier : nullptr;
  f.priority = d.priority;
  f.conversion_prohibited = d.delivery_flags && d.delivery_flags->test(1);  // implicit-conversion-prohibited (1)
  if (delivery_time) f.delivery_date = date_of(*delivery_time, b, "delivery-time");
  f.extensions = &d.extensions;
  write_mts_fields(f, b);
  // The extensions not mapped; a critical one is not refused (the message was delivered
  // already: the outer message is the one being converted), but listed with the others.
  std::vector<std::string> discarded;
  for (const auto& e : d.extensions) {
    auto t = ext::standard_type(e);
    if (t && (mapped_extension(*t) || *t == mts::ext::trace_information)) continue;
    const char* known = t ? mts::extension_name(*t) : nullptr;
    std::string item = t ? syntax::labelled_integer(*t, known ? known : "") : syntax::object_identifier(*ext::private_type(e));
    if (ext::critical_for_transfer_or_delivery(e))
      b.lost("the forwarded message's delivery-envelope extension " + item + " is critical for transfer or delivery: "
                 "discarded (listed)", s6_5);
    if (std::find(discarded.begin(), discarded.end(), item) == discarded.end()) discarded.push_back(item);
  }
  if (!discarded.empty()) h.structured("Discarded-X400-MTS-Extensions", join(discarded, ", "));
}

}  // namespace rfc822_out

base::Expected<InternetMessage> to_internet(const mts::Message& m, const Context& ctx, const ToInternetOptions& options) {
  const auto& env = m.envelope;
  const auto& policy = ctx.policy->to_rfc822;
  const auto& actx = *ctx.addressing;
  InternetMessage out;
  Build b{ctx, HeaderOut{}, out.losses};

  // §5.3.6: critical extensions, per message and for the recipients delivered here.
  std::vector<std::string> discarded;
  if (auto r = check_extensions(env.extensions, discarded)) return *r;

  // Which recipients (§5.3.7: those this MTA is responsible for).
  std::vector<std::size_t> chosen = options.recipients;
  if (chosen.empty())
    for (std::size_t i = 0; i < env.per_recipient_fields.size(); ++i)
      if (env.per_recipient_fields[i].per_recipient_indicators.test(mts::pri::responsibility)) chosen.push_back(i);
  if (chosen.empty())
    return refuse::no_recipient(s5_3_7, "no recipient of the message is one this gateway is responsible for");
  if (chosen.size() > ctx.policy->limits.max_recipients)
    return refuse::too_many_recipients("mapping.limits.max_recipients",
                                       std::to_string(chosen.size()) + " recipients, more than the limit of " +
                                           std::to_string(ctx.policy->limits.max_recipients));
  for (std::size_t i : chosen) {
    if (i >= env.per_recipient_fields.size())
      return refuse::no_recipient(s5_3_7, "recipient index " + std::to_string(i) + " is not in the envelope");
    if (auto r = check_extensions(env.per_recipient_fields[i].extensions, discarded)) return *r;
  }

  // §5.3.7: DL expansion and recipient reassignment the gateway cannot control.
  if (policy.refuse_dl_expansion_prohibited)
    if (const auto* e = ext::find(env.extensions, mts::ext::dl_expansion_prohibited); e && ext::number(*e).value_or(0) == 1)
      return refuse::dl_expansion_prohibited(s5_3_7, "DL expansion is prohibited and the gateway cannot control "
                                                     "list expansion beyond it");
  if (policy.refuse_recipient_reassignment_prohibited)
    if (const auto* e = ext::find(env.extensions, mts::ext::recipient_reassignment_prohibited);
        e && ext::number(*e).value_or(0) == 1)
      return refuse::recipient_reassignment_prohibited(s5_3_7, "recipient reassignment is prohibited and the gateway "
                                                               "cannot control it beyond itself");

  // Trace, and the MIXER loop count (§5.1.5) over it.
  std::size_t unreadable = 0;
  const auto* internal_ext = ext::find(env.extensions, mts::ext::internal_trace_information);
  auto trace = merge_trace(env.trace_information, internal_ext ? ext::internal_trace(*internal_ext) : nullptr, unreadable);
  if (unreadable) b.lost(std::to_string(unreadable) + " trace elements with unreadable times left out", s5_3_7);
  if (mixer_conversions(trace) > policy.max_conversions)
    return refuse::loop("RFC 2156 \xC2\xA7" "5.1.5", "the message was converted by MIXER gateways " +
                                                       std::to_string(mixer_conversions(trace)) +
                                                       " times, more than " + std::to_string(policy.max_conversions));

  // The content: an IPM or IPN for content types 2 and 22, else carried as it is (RFC 3854 §3.5).
  // On the heap: an empty std::optional of it is 9.7 KB zeroed.
  std::unique_ptr<ipms::InformationObject> object;
  if (env.content_type.is_ipm()) {
    mts::Limits limits;
    auto decoded = ipms::decode<ipms::InformationObject>(m.content, limits);
    if (!decoded)
      return refuse::content_syntax("X.420", "the IPM content does not decode: " + decoded.error().what);
    object = std::make_unique<ipms::InformationObject>(std::move(*decoded));
  }

  // SMTP originator (§4.6.2.1); §5.3.2: the gateway's administrator when it does not map.
  auto originator = addressing::map_x400_to_rfc822(env.originator_name.address, addressing::AddressRole::smtp_originator, actx);
  if (originator) {
    out.envelope.mail_from = originator->address;
  } else {
    out.envelope.mail_from = "postmaster@" + actx.gateway.domain;
    b.lost("the originator does not map to an RFC 822 address (" + originator.error().text() +
               "): the SMTP originator is the gateway's postmaster",
           "RFC 2156 \xC2\xA7" "5.3.2");
  }

  // SMTP recipients with their DSN parameters (Appendix A §3.2).
  std::vector<std::string> x400_recipients;  // X400-Recipients entries, all recipients in order
  for (std::size_t i : chosen) {
    const auto& r = env.per_recipient_fields[i];
    auto mapped = addressing::map_x400_to_rfc822(r.recipient_name.address, addressing::AddressRole::smtp_recipient, actx);
    if (!mapped) {
      auto text = addressing::format_std_or(r.recipient_name.address);
      std::string shown = text ? *text : std::string("(an O/R address with no std-or form)");
      out.refused.push_back(RecipientRefusal{i, shown, address_refusal(mapped.error(), addressing::AddressRole::smtp_recipient)});
      continue;
    }
    SmtpRecipient s;
    s.address = mapped->address;
    const auto& bits = r.per_recipient_indicators;
    if (bits.test(mts::pri::originator_report)) s.notify = {"SUCCESS", "FAILURE"};
    else if (bits.test(mts::pri::originator_non_delivery_report)) s.notify = {"FAILURE"};
    else s.notify = {"NEVER"};
    if (const auto* e = ext::find(r.extensions, mts::ext::redirection_history))
      if (const auto* list = ext::redirections(*e); list && !list->empty()) s.orcpt = orcpt_x400(list->front().intended_recipient);
    out.envelope.recipients.push_back(std::move(s));
    out.recipient_index.push_back(i);
  }
  if (out.envelope.recipients.empty())
    return refuse::no_recipient(s5_3_7, "none of the recipients maps to an RFC 822 address");

  // X400-Recipients (§4.6.2.2): all recipients when disclosure is allowed, the one when
  // there is one SMTP recipient; with several and disclosure prohibited, none.
  const auto pmi = env.per_message_indicators.value_or(p1::ber::BitString{});
  const bool disclose = pmi.test(mts::pmi::disclosure_of_other_recipients);
  if (disclose || out.envelope.recipients.size() == 1) {
    for (std::size_t i = 0; i < env.per_recipient_fields.size(); ++i) {
      const bool delivered = std::find(out.recipient_index.begin(), out.recipient_index.end(), i) != out.recipient_index.end();
      if (!disclose && !delivered) continue;
      const auto& r = env.per_recipient_fields[i];
      auto mapped = addressing::map_x400_to_rfc822(r.recipient_name.address, addressing::AddressRole::ipms, actx);
      if (!mapped) continue;
      std::string entry = mapped->address;
      if (r.recipient_name.directory_name)
        entry += " " + addressing::directory_name_comment(*r.recipient_name.directory_name);
      entry += recipient_comments(r.extensions, b);
      x400_recipients.push_back(entry);
    }
  }

  // ENVID (Appendix A §3.2): the MTS identifier, or back the ENVID a gateway put in the correlator.
  auto mts_id = mts_msg_id(env.message_identifier);
  std::optional<std::string> correlator;
  if (const auto* e = ext::find(env.extensions, mts::ext::content_correlator)) correlator = ext::correlator_text(*e);
  const std::string notary = "SMTP/NOTARY ENVID: ";
  if (correlator && correlator->starts_with(notary)) out.envelope.envid = correlator->substr(notary.size());
  else if (mts_id) out.envelope.envid = "X400-MTS-Identifier: " + *mts_id;
  if (out.envelope.envid && out.envelope.envid->size() > 100) out.envelope.envid.reset();  // RFC 3461 §4.4: 100 characters
  if (!pmi.test(mts::pmi::content_return_request)) out.envelope.ret = "HDRS";

  // ---- the header, trace first (§5.3.7)
  const ipms::Ipm* object_ipm = object ? std::get_if<ipms::Ipm>(&*object) : nullptr;
  std::vector<std::string> restored =
      object_ipm ? rfc822_out::restored_fields(object_ipm->heading, b) : std::vector<std::string>{};
  // Appendix B: the "RFC-822-Headers:" body part of an IPM from X.400(1984) is mapped back too.
  std::optional<std::vector<std::string>> appendix_b = object_ipm ? rfc822_out::appendix_b_fields(*object_ipm, b) : std::nullopt;
  if (appendix_b) restored.insert(restored.end(), appendix_b->begin(), appendix_b->end());
  // Trace fields restored from the rfc-822-field extension go with the trace at the top
  // (§5.3.7), after the X.400 trace, which is more recent than anything before it.
  std::vector<std::string> restored_trace;
  for (auto it = restored.begin(); it != restored.end();) {
    const std::string_view name = std::string_view(*it).substr(0, it->find(':'));
    if (syntax::iequals(syntax::trim(name), "Received") || syntax::iequals(syntax::trim(name), "X400-Received")) {
      restored_trace.push_back(std::move(*it));
      it = restored.erase(it);
    } else {
      ++it;
    }
  }
  auto& h = b.header;
  {
    std::string received = "by " + (ctx.host_name.empty() ? actx.gateway.domain : ctx.host_name);
    for (auto it = trace.rbegin(); it != trace.rend(); ++it)
      if (it->mta) {
        received = "from " + *it->mta + " " + received;
        break;
      }
    bool plain_from = true;
    for (char c : received.substr(5, received.find(' ', 5) - 5)) plain_from = plain_from && (imf::is_atext(c) || c == '.');
    if (!plain_from) received = received.substr(received.find(" by ") + 1);
    h.structured("Received", received + " (MIXER Conversion following RFC 2156); " + rfc822_out::now_text(ctx));
  }
  for (auto it = trace.rbegin(); it != trace.rend(); ++it) {
    if (auto t = format_x400_trace(*it)) h.structured("X400-Received", *t);
    else b.lost("a trace element has no X400-Received form", s5_3_7);
  }
  for (const auto& f : restored_trace) h.restored(f);
  if (env.deferred_delivery_time)
    if (auto d = rfc822_out::date_of(*env.deferred_delivery_time, b, "deferred-delivery-time")) h.structured("Deferred-Delivery", *d);
  if (const auto* e = ext::find(env.extensions, mts::ext::latest_delivery_time))
    if (const auto* t = ext::time(*e))
      if (auto d = rfc822_out::date_of(*t, b, "latest-delivery-time")) h.structured("Latest-Delivery-Time", *d);

  // Date: the submission time, which a transfer carries as the first trace element's arrival (§5.3.6).
  if (!trace.empty()) {
    if (auto d = imf::format_date_time(trace.front().arrival)) h.structured("Date", *d);
  }
  if (!h.has("Date")) h.structured("Date", rfc822_out::now_text(ctx));

  // MTS fields (§5.3.6).
  rfc822_out::MtsFields mts_fields;
  mts_fields.originator = originator ? originator->address : out.envelope.mail_from;
  if (env.originator_name.directory_name)
    mts_fields.originator += " " + addressing::directory_name_comment(*env.originator_name.directory_name);
  mts_fields.recipients = std::move(x400_recipients);
  mts_fields.mts_identifier = mts_id;
  mts_fields.original_eits = env.original_encoded_information_types ? &*env.original_encoded_information_types : nullptr;
  mts_fields.content_type = &env.content_type;
  mts_fields.content_identifier = env.content_identifier ? &*env.content_identifier : nullptr;
  mts_fields.priority = env.priority;
  mts_fields.conversion_prohibited = pmi.test(mts::pmi::implicit_conversion_prohibited);
  mts_fields.delivery_date = rfc822_out::now_text(ctx);
  mts_fields.extensions = &env.extensions;
  rfc822_out::write_mts_fields(mts_fields, b);
  if (correlator && !correlator->starts_with(notary)) {
    // The §5.1.5 form has CRLF between its fields: folding points, shown as spaces.
    std::string text;
    for (char c : *correlator) {
      if (c == '\r' || c == '\n') {
        if (!text.empty() && text.back() != ' ') text += ' ';
      } else {
        text += c;
      }
    }
    h.unstructured("X400-Content-Correlator", text);
  }
  if (policy.appendix_c_fields) {
    // Appendix C fields where the indicators differ from what §5.1.5 would set coming back.
    if (!pmi.test(mts::pmi::alternate_recipient_allowed)) h.structured("Alternate-Recipient", "Prohibited");
    if (disclose) h.structured("Disclose-Recipients", "Allowed");
    if (!pmi.test(mts::pmi::content_return_request)) h.structured("X400-Content-Return", "Prohibited");
  }
  if (!discarded.empty()) h.structured("Discarded-X400-MTS-Extensions", join(discarded, ", "));

  // ---- the content
  // The body less Appendix B's header part: it outlives `body`, which may borrow its text.
  std::vector<ipms::BodyPart> without_headers;
  bodyparts::MimeEntity body;
  if (!object) {
    // RFC 3854 §3.5: a content we do not map goes as it is.
    std::string type;
    if (const auto* b = std::get_if<mts::BuiltInContentType>(&env.content_type)) type = std::to_string(b->value);
    else if (const auto* x = std::get_if<mts::ExtendedContentType>(&env.content_type)) type = x->oid.to_string();
    else type = "unknown";
    body.fields.push_back({"MIME-Version", "1.0"});
    body.fields.push_back({"Content-Type", "application/x400-content; content-type=" + type});
    body.fields.push_back({"Content-Transfer-Encoding", "base64"});
    body.base64.push_back({0, std::string_view(reinterpret_cast<const char*>(m.content.data()), m.content.size())});
    b.lost("content type " + type + " is not an IPM: carried as application/x400-content", "RFC 3854 \xC2\xA7" "3.5");
    if (!h.has("From")) h.structured("From", out.envelope.mail_from);
    h.structured("To", out.envelope.recipients.size() == 1 ? out.envelope.recipients.front().address : "list:;");
  } else if (const auto* ipm = std::get_if<ipms::Ipm>(&*object)) {
    rfc822_out::map_heading(ipm->heading, b);
    {  // RFC 8098 §2.1 from the recipients' notification-requests (mapping/ipn_to_mdn.cpp)
      std::vector<const mts::OrAddress*> delivered_to;
      for (std::size_t i : out.recipient_index) delivered_to.push_back(&env.per_recipient_fields[i].recipient_name.address);
      rfc822_out::write_notification_request(ipm->heading, delivered_to, b);
    }
    if (policy.auto_submitted && !h.has("Auto-Submitted") && !h.reserved("Auto-Submitted")) {
      // RFC 3834 beside RFC 2156's Autosubmitted, and the X.400 UAs' "Auto Reply to" subjects.
      std::string value;
      for (const auto& e : ipm->heading.extensions)
        if (ext::is(e, ipms::oid::hex(2)))
          if (auto n = ext::number(e); n && *n != 0) value = std::string(syntax::autosubmitted(*n));
      // An auto-forwarded IPM has Autoforwarded: TRUE; RFC 3834 registers no keyword for it.
      if (value.empty() && ipm->heading.subject && is_auto_reply_subject(internet_text_of_teletex(*ipm->heading.subject).utf8))
        value = "auto-replied";
      if (!value.empty()) h.structured("Auto-Submitted", value);
    }
    rfc822_out::write_restored(restored, b);
    // §5.3.2: From and at least one recipient field.
    if (!h.has("From")) h.structured("From", out.envelope.mail_from);
    if (!h.has("To") && !h.has("Cc") && !h.has("Bcc")) h.structured("To", "list:;");
    bodyparts::ToMimeOptions mo;
    mo.max_nesting = ctx.policy->limits.max_nesting;
    const auto& bp = ctx.policy->body_parts;  // RFC 2157's limits (mapping.body_parts)
    mo.limits = {bp.max_parts, static_cast<std::size_t>(bp.max_part_header_size), static_cast<std::size_t>(bp.max_part_size)};
    // RFC 2157 §6.6: the outermost multipart's subtype, carried in the heading.
    if (auto type = bodyparts::multipart_type(ipm->heading); type && !type->is_a_message)
      mo.multipart_subtype = type->subtype;
    mo.wanted_mime_conversions = wanted_mime_conversions(ipm->heading, ctx, out.losses);  // RFC 2157 §4.2
    mo.forwarded_to_mime = forwarded_to_mime(ctx, mo);  // RFC 2157 §6.5: forwarded IPMs through this engine
    mo.deferred_base64 = true;  // base64 lines written once, into out.content below
    if (appendix_b) without_headers.assign(ipm->body.begin() + 1, ipm->body.end());
    auto converted = bodyparts::to_mime(appendix_b ? without_headers : ipm->body, mo);
    if (!converted) return std::move(converted).error();
    // X.411 conversion-with-loss-prohibited: a body converted with loss is refused instead (§5.3.6).
    const auto* cwl = ext::find(env.extensions, mts::ext::conversion_with_loss_prohibited);
    if (cwl && ext::number(*cwl).value_or(0) == 1 && !converted->losses.empty())
      return refuse::conversion_with_loss_prohibited(converted->losses.front().rule,
                                                     "conversion with loss is prohibited, and " +
                                                         converted->losses.front().what);
    body = std::move(converted->entity);
    for (auto& l : converted->losses) out.losses.push_back(std::move(l));
    // §4: what the X.400 user asked to lose overrides the prohibition; still reported.
    for (auto& l : converted->requested_losses) out.losses.push_back(std::move(l));
  } else {
    const auto& ipn = std::get<ipms::Ipn>(*object);
    std::string recipient = out.envelope.recipients.front().address;
    // §5.3.5 To: "If there have been redirects, the original address shall be used."
    if (const auto* e = ext::find(env.per_recipient_fields[out.recipient_index.front()].extensions,
                                  mts::ext::redirection_history))
      if (const auto* list = ext::redirections(*e); list && !list->empty())
        if (auto first = addressing::map_x400_to_rfc822(list->front().intended_recipient.address,
                                                        addressing::AddressRole::ipms, actx))
          recipient = first->address;
    auto ipn_body = rfc822_out::map_ipn(ipn, recipient, b);
    // §5.3.5's From is the ipn-originator; without one (or one that does not map), the MTS originator.
    if (!h.has("From")) h.structured("From", out.envelope.mail_from);
    if (ipn_body.null_reverse_path) out.envelope.mail_from.clear();  // an MDN: MAIL FROM:<> (RFC 3798 §3)
    if (!h.has("To")) h.structured("To", recipient);
    for (auto& f : ipn_body.mime_fields) body.fields.push_back({f.first, f.second});
    body.body = std::move(ipn_body.body);
  }
  for (const auto& f : body.fields) h.structured(f.name, f.value);
  for (const auto& p : h.problems()) b.lost(p, "RFC 5322 \xC2\xA7" "2.1.1");
  out.content.reserve(h.text().size() + 2 + bodyparts::body_size(body));
  out.content += h.text();
  out.content += "\r\n";
  bodyparts::append_body(out.content, body);
  return out;
}

}  // namespace mixer::mapping
