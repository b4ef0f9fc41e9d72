// mapping/mdn_to_ipn.cpp: RFC 8098 message disposition notifications as X.420
// IP notifications (Internet -> X.400), and RFC 8098 §2.1's
// Disposition-Notification-To as X.420 notification-requests.
//
// RFC 3798 §8.2 asks a gateway to carry "the disposition ... the closest
// available approximation to the original recipient address" and the
// Original-Message-ID into the foreign report: here the IPN's ipn-originator
// (Final-Recipient), ipm-intended-recipient (Original-Recipient, when it
// differs) and subject-ipm (Original-Message-ID by RFC 2156 §4.7.3). The
// MDN is first mapped as the ordinary message it is (to_x400 with
// mdn_as_ipn off), which gives the envelope (originator, recipients, trace,
// MTS identifier); its content is then the IPN instead of that IPM. An MDN
// that does not read, or whose disposition X.420 has no notification for,
// is that ordinary message, with a note of why: never dropped. Trusts
// nothing in the MDN.
#include <algorithm>

#include "addressing/message_id.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "imf/date_time.hpp"
#include "imf/tokens.hpp"
#include "mapping/disposition_notification.hpp"
#include "mapping/report_part.hpp"
#include "mapping/syntax.hpp"
#include "mapping/to_x400.hpp"
#include "mapping/trace.hpp"
#include "p1/ipms/ipms.hpp"

namespace mixer::mapping::x400_out {

namespace mts = p1::mts;
namespace ipms = p1::ipms;
namespace mime = bodyparts::mime;

namespace {

constexpr const char* kRule = "RFC 3798 \xC2\xA7" "8.2";
constexpr std::size_t ub_supplementary_info = 256, ub_auto_forward_comment = 256, ub_local_ipm_identifier = 64;

// §4.7.3.3: a msg-id as an IPM identifier, the user-relative part cut to ub-local-ipm-identifier.
std::optional<ipms::IpmIdentifier> ipm_identifier_of(std::string_view msg_id, const Context& ctx) {
  auto a = addressing::msg_id_to_ipm_identifier(syntax::trim(msg_id), ctx.addressing->heuristics);
  if (!a) return std::nullopt;
  ipms::IpmIdentifier id;
  if (a->user) id.user = mts::OrName{*a->user, std::nullopt};
  id.user_relative_identifier = a->user_relative_identifier.substr(0, ub_local_ipm_identifier);
  if (!id.user && id.user_relative_identifier.empty()) return std::nullopt;
  return id;
}

// The subject IPM: Original-Message-ID (RFC 8098 §3.2.5), else the one msg-id of the MDN's
// In-Reply-To (RFC 5322 §3.6.4: the message replied to), as RFC 3798 §8.2 asks.
std::optional<ipms::IpmIdentifier> subject_of(const DispositionNotification& mdn, const imf::Message& msg,
                                              const Context& ctx) {
  if (mdn.original_message_id)
    if (auto id = ipm_identifier_of(*mdn.original_message_id, ctx)) return id;
  if (const auto* f = msg.find("In-Reply-To")) {
    const std::string value = imf::unfold(f->value);
    auto items = imf::parse_msg_id_list(value, imf::Limits{});  // the items view `value`
    if (items)
      for (const auto& i : *items)
        if (i.kind == imf::MsgIdItem::Kind::msg_id) return ipm_identifier_of(i.raw, ctx);
  }
  return std::nullopt;
}

std::optional<ipms::OrDescriptor> descriptor_of(const TypedValue& a, const Context& ctx) {
  auto name = or_name_of_typed(a.type, a.value, ctx);
  if (!name) return std::nullopt;
  ipms::OrDescriptor d;
  d.formal_name = std::move(*name);
  return d;
}

// The IPN an MDN says, or nullopt with why (the caller maps the MDN as a message).
//
//   Disposition (RFC 8098 §3.2.6)          X.420 IPN
//   displayed                              receipt; acknowledgment-mode from the sending-mode
//                                          (MDN-sent-manually: manual(0), MDN-sent-automatically:
//                                          automatic(1)), or X400-Acknowledgment-Mode
//   dispatched                             non-receipt, ipm-auto-forwarded(1) ("sent somewhere ...
//                                          forwarded"), X400-Auto-Forward-Comment its comment
//   deleted                                non-receipt, ipm-discarded(0); discard-reason from
//                                          X400-Discard-Reason, else ipm-deleted(3) (ISO/IEC
//                                          10021-7, RFC 2156 §5.3.5's "IPM Deleted") for a
//                                          manual-action, absent (not known) for an automatic one
//   processed                              none: neither received nor refused ("the user may or
//                                          may not see the message later"), so the MDN goes as an
//                                          ordinary message, as RFC 2156 §5.1.8.3 sends a delayed DSN
std::optional<ipms::Ipn> ipn_of(const DispositionNotification& mdn, const imf::Message& msg, const Context& ctx,
                                std::vector<Loss>& losses, std::string& why) {
  if (mdn.disposition.type == DispositionType::processed)
    return why = "the disposition \"processed\" has no X.420 notification", std::nullopt;
  ipms::Ipn n;
  auto subject = subject_of(mdn, msg, ctx);
  if (!subject) return why = "no Original-Message-ID (or In-Reply-To) that maps to an IPM identifier", std::nullopt;
  n.common.subject_ipm = std::move(*subject);
  n.common.ipn_originator = descriptor_of(mdn.final_recipient, ctx);
  if (!n.common.ipn_originator)
    losses.push_back({"Final-Recipient \"" + mdn.final_recipient.type + "; " + mdn.final_recipient.value.substr(0, 64) +
                          "\" does not map to an O/R name: the IPN has no ipn-originator",
                      kRule});
  if (mdn.original_recipient &&
      !(syntax::iequals(mdn.original_recipient->type, mdn.final_recipient.type) &&
        syntax::iequals(mdn.original_recipient->value, mdn.final_recipient.value)))
    n.common.ipm_intended_recipient = descriptor_of(*mdn.original_recipient, ctx);
  if (const auto* e = mdn.field("X400-Conversion-EITs"))
    if (auto eits = syntax::parse_encoded_info(*e)) {
      mts::EncodedInformationTypes t;
      t.built_in = eits->built_in;
      t.extended = eits->extended;
      n.common.conversion_eits = std::move(t);
    }
  for (const auto& m : mdn.disposition.modifiers)
    losses.push_back({"the disposition modifier \"" + m + "\" has no X.420 equivalent", kRule});

  if (mdn.disposition.type == DispositionType::displayed) {
    ipms::ReceiptFields r;
    // receipt-time: X400-Receipt-Time, else the MDN's Date: (when it was made), else now.
    std::optional<mts::Time> when;
    imf::Limits limits;
    if (const auto* t = mdn.field("X400-Receipt-Time"))
      if (auto d = imf::parse_date_time(*t, limits)) when = utc_time_of(d->value);
    if (!when)
      if (const auto* f = msg.find("Date"))
        if (auto d = imf::parse_date_time(imf::unfold(f->value), limits)) when = utc_time_of(d->value);
    if (!when) when = utc_time_of(now_of(ctx));
    if (!when) return why = "no receipt time in UTCTime's years", std::nullopt;
    r.receipt_time = *when;
    std::int64_t mode = mdn.disposition.sending == SendingMode::automatically ? 1 : 0;
    if (const auto* m = mdn.field("X400-Acknowledgment-Mode"))
      if (auto v = syntax::parse_labelled_integer(*m); v && (*v == 0 || *v == 1)) mode = *v;
    if (mode == 1) r.acknowledgment_mode = 1;  // manual(0) is the DEFAULT, left out
    if (const auto* s = mdn.field("X400-Supplementary-Receipt-Info"))
      if (auto p = syntax::printable_of(*s).substr(0, ub_supplementary_info); !p.empty()) r.suppl_receipt_info = p;
    n.fields = std::move(r);
  } else {
    ipms::NonReceiptFields nr;
    if (mdn.disposition.type == DispositionType::dispatched) {
      nr.non_receipt_reason = 1;
      if (const auto* c = mdn.field("X400-Auto-Forward-Comment"))
        nr.auto_forward_comment = syntax::printable_of(*c).substr(0, ub_auto_forward_comment);
    } else {
      nr.non_receipt_reason = 0;
      if (const auto* r = mdn.field("X400-Discard-Reason")) {
        if (auto v = syntax::parse_labelled_integer(*r); v && *v >= 0 && *v <= 3) nr.discard_reason = *v;
      } else if (mdn.disposition.action == ActionMode::manual) {
        nr.discard_reason = 3;
      }
    }
    n.fields = std::move(nr);
  }
  return n;
}

}  // namespace

bool is_mdn(const imf::Message& msg) {
  const auto* ct = msg.find("Content-Type");
  if (!ct) return false;
  // Every message passes here: parse the field only when it names a report-type at all.
  static constexpr std::string_view mark = "report-type";
  const std::string_view v = ct->value;
  bool named = false;
  for (std::size_t i = 0; !named && i + mark.size() <= v.size(); ++i) named = syntax::iequals(v.substr(i, mark.size()), mark);
  if (!named) return false;
  const auto type = bodyparts::parse_content_type(imf::unfold(ct->value));
  return type.type == "multipart/report" &&
         bodyparts::lower(type.parameter("report-type")) == "disposition-notification";
}

std::optional<std::string> replace_with_ipn(X400Message& out, ipms::Ipn ipn, const ToX400Options& options) {
  ipms::InformationObject object{std::move(ipn)};
  const auto later = ipms::p2_1984_violation(object);
  if (later && options.peer_mode == 1984) return "the IPN needs " + *later + ", which X.400(1984) cannot carry";
  auto encoded = ipms::encode(object);
  if (!encoded) return "the IPN does not encode: " + encoded.error().what;
  auto& env = out.message.envelope;
  // §5.1.3: content type 2 unless 1988 elements are used.
  env.content_type = mts::ContentType::builtin(later ? 22 : 2);
  // An IPN has no body: no body part types, the MIXER pseudo-EIT for a 1988 peer (Appendix D).
  mts::EncodedInformationTypes eits;
  if (options.peer_mode != 1984) eits.extended.push_back(syntax::eit_mixer());
  env.original_encoded_information_types = std::move(eits);
  out.message.content = std::move(encoded).value();
  out.losses.clear();  // the ordinary mapping's losses were about the body the IPN does not carry
  return std::nullopt;
}

base::Expected<X400Message> mdn_to_x400(const SmtpEnvelope& envelope, std::string_view content, const Context& ctx,
                                        const ToX400Options& options) {
  ToX400Options ordinary = options;
  ordinary.mdn_as_ipn = false;
  auto out = to_x400(envelope, content, ctx, ordinary);
  if (!out) return out;
  auto msg = imf::parse_message(content, imf::Limits{});
  if (msg && !is_mdn(*msg)) {  // RFC 2156 §5.3.5's text form (ipn_text.cpp)
    std::vector<Loss> losses;
    std::string why;
    auto ipn = ipn_of_text(*msg, ctx, losses, why);
    if (ipn && !(why = replace_with_ipn(*out, std::move(*ipn), options).value_or("")).empty()) ipn.reset();
    if (!ipn) {
      out->losses.push_back({"an RFC 2156 \xC2\xA7" "5.3.5 notification that does not read as an IPN (" + why +
                                 "): mapped as an ordinary message",
                             "RFC 2156 \xC2\xA7" "5.3.5"});
      return out;
    }
    for (auto& l : losses) out->losses.push_back(std::move(l));
    out->losses.push_back({"the notification's text is not carried (an IPN has no body)", "RFC 2156 \xC2\xA7" "5.3.5"});
    return out;
  }
  auto as_message = [&](const std::string& why) {
    out->losses.push_back({"not an RFC 8098 MDN that maps to an X.420 IPN (" + why + "): mapped as an ordinary message",
                           kRule});
    return std::move(out);
  };
  std::string why;
  auto part = report_part(content, "disposition-notification", "message/disposition-notification", why);
  if (!part) return as_message(why);
  DispositionNotificationError error;
  auto mdn = parse_disposition_notification(*part, {}, error);
  if (!mdn) return as_message("message/disposition-notification line " + std::to_string(error.line) + ": " + error.message);
  if (!msg) return as_message("its header does not parse");
  std::vector<Loss> losses;
  auto ipn = ipn_of(*mdn, *msg, ctx, losses, why);
  if (!ipn) return as_message(why);
  if (auto no = replace_with_ipn(*out, std::move(*ipn), options)) return as_message(*no);
  for (auto& l : losses) out->losses.push_back(std::move(l));
  out->losses.push_back({"the MDN's text and returned parts are not carried (an IPN has no body)", kRule});
  return out;
}

void notification_requests_of(const imf::Message& msg, Plan& plan) {
  // RFC 8098 §2.1: a request for dispositions of every recipient; X.420 asks per recipient
  // specifier: rn(0) and nrn(1), since an MDN may report a deletion as well as a display. The
  // IPN goes to the IPM's originator (X.420 §8.1.2): a Disposition-Notification-To naming
  // someone else cannot be honoured in X.400, and says so; the field itself is carried
  // (§5.1.2) for a gateway that maps the IPM back.
  const auto* dnt = msg.find("Disposition-Notification-To");
  if (!dnt) return;
  auto flag = [](std::vector<ipms::RecipientSpecifier>& list) {
    for (auto& r : list) {
      if (!r.notification_requests) r.notification_requests = p1::ber::BitString{};
      r.notification_requests->set(0);
      r.notification_requests->set(1);
    }
  };
  flag(plan.heading.primary_recipients);
  flag(plan.heading.copy_recipients);
  if (plan.heading.blind_copy_recipients) flag(*plan.heading.blind_copy_recipients);
  // The addr-spec of a one-mailbox field: within its last "<...>", else the whole value.
  auto spec = [](const imf::Field* f) {
    if (!f) return std::string();
    const std::string s = imf::unfold(f->value);
    const auto lt = s.rfind('<'), gt = s.rfind('>');
    return std::string(syntax::trim(lt != std::string::npos && gt != std::string::npos && gt > lt
                                        ? std::string_view(s).substr(lt + 1, gt - lt - 1)
                                        : std::string_view(s)));
  };
  const auto* originator = msg.find("Sender") ? msg.find("Sender") : msg.find("From");
  if (!syntax::iequals(spec(originator), spec(dnt)))
    plan.lost("Disposition-Notification-To names another address than the originator: X.400 notifications go to the "
              "IPM's originator",
              "RFC 8098 \xC2\xA7" "2.1");
}

}  // namespace mixer::mapping::x400_out
