// mapping/ipn_to_mdn.cpp: X.420 IP notifications as RFC 8098 message
// disposition notifications (X.400 -> Internet), and X.420
// notification-requests as RFC 8098 §2.1's Disposition-Notification-To.
//
// RFC 2156 predates RFC 8098 (and RFC 3798, whose §8.1 says how a gateway
// turns a foreign notification into an MDN): its §5.3.5 writes an IPN as a
// text message. Here that text stays (it is the human-readable part) and
// the MDN around it is RFC 3798 §8.1's: Final-Recipient the IPN's
// originator, Original-Recipient the IPM's intended recipient,
// Original-Message-ID the subject IPM's identifier by §4.7.3, MDN-Gateway
// the gateway, and X400-* extension fields for what an MDN has no field
// for. Trusts nothing in the IPN: values are made ASCII.
#include <algorithm>

#include "imf/date_time.hpp"
#include "mapping/disposition_notification.hpp"
#include "mapping/dsn_fields.hpp"
#include "mapping/syntax.hpp"
#include "mapping/text.hpp"
#include "mapping/to_rfc822.hpp"
#include "mapping/trace.hpp"

namespace mixer::mapping::rfc822_out {

namespace ipms = p1::ipms;

namespace {

constexpr const char* kRule = "RFC 3798 \xC2\xA7" "8.1";

// An X.420 O/R descriptor as RFC 8098's "address-type; address": rfc822 when the
// formal name maps by §4.3.5, else x400 with its std-or text (RFC 3798 §8.1: "the
// closest available approximation").
std::optional<TypedValue> typed_address(const ipms::OrDescriptor& d, const Context& ctx) {
  if (!d.formal_name) return std::nullopt;
  if (auto m = dsn::rfc822_of(*d.formal_name, ctx)) return TypedValue{"rfc822", *m};
  if (auto x = dsn::x400_of(*d.formal_name)) return TypedValue{"x400", *x};
  return std::nullopt;
}

// The disposition of an IPN (RFC 8098 §3.2.6), by this table:
//
//   X.420 IPN                                   Disposition
//   receipt, acknowledgment-mode automatic(1)   automatic-action/MDN-sent-automatically; displayed
//   receipt, acknowledgment-mode manual(0)      manual-action/MDN-sent-manually; displayed
//   non-receipt ipm-auto-forwarded(1)           automatic-action/MDN-sent-automatically; dispatched
//   non-receipt ipm-discarded(0), any reason    automatic-action/MDN-sent-automatically; deleted
//
// X.420 §8.1.3: a receipt notification says the recipient took delivery of the
// IPM ("displayed": shown to someone reading the mailbox, RFC 8098 §3.2.6.2);
// acknowledgment-mode says whether the recipient's explicit action made it (RFC
// 8098 §3.2.6.1's manual-action and MDN-sent-manually) or the UA did on its
// own. An auto-forwarded IPM was "sent somewhere ... without necessarily having
// been previously displayed" (RFC 8098's dispatched). A discarded IPM (expired,
// obsoleted, subscription terminated, and ISO/IEC's ipm-deleted) is "deleted":
// the UA discarded it by itself, X.420 generating non-receipt notifications
// automatically, so automatic-action. The discard reason, which the MDN has no
// word for, goes in X400-Discard-Reason.
Disposition disposition_of(const ipms::Ipn& n) {
  Disposition d;
  if (const auto* r = std::get_if<ipms::ReceiptFields>(&n.fields)) {
    d.type = DispositionType::displayed;
    if (r->acknowledgment_mode.value_or(0) == 0) {  // DEFAULT manual
      d.action = ActionMode::manual;
      d.sending = SendingMode::manually;
    }
  } else if (const auto* nr = std::get_if<ipms::NonReceiptFields>(&n.fields)) {
    d.type = nr->non_receipt_reason == 1 ? DispositionType::dispatched : DispositionType::deleted;
  }
  return d;
}

const char* non_receipt_reason_word(std::int64_t v) { return v == 1 ? "ipm-auto-forwarded" : v == 0 ? "ipm-discarded" : ""; }
const char* discard_reason_word(std::int64_t v) {
  switch (v) {
    case 0: return "ipm-expired";
    case 1: return "ipm-obsoleted";
    case 2: return "user-subscription-terminated";
    case 3: return "ipm-deleted";
  }
  return "";
}

bool is_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::optional<IpnBody> mdn_of_ipn(const ipms::Ipn& n, const std::string& text, const std::optional<std::string>& returned,
                                  Build& b) {
  const auto& ctx = b.ctx;
  const auto& common = n.common;
  DispositionNotification mdn;
  // RFC 3798 §8.1: "the name of the gateway MUST appear in the MDN-Gateway field"; the
  // Reporting-UA (a user agent the gateway does not know by name) names it too.
  const std::string host = ctx.host_name.empty() ? ctx.addressing->gateway.domain : ctx.host_name;
  mdn.reporting_ua = dsn::ascii(host) + "; MIXER (RFC 2156) for an X.400 user agent";
  mdn.mdn_gateway = TypedValue{"dns", dsn::ascii(host)};
  // Final-Recipient: "the recipient for which the MDN is being issued", the IPN's originator;
  // Original-Recipient: the address the IPM's originator gave, ipm-intended-recipient when the
  // IPM was redirected (X.420 §8.1.1).
  std::optional<TypedValue> final_recipient;
  if (common.ipn_originator) final_recipient = typed_address(*common.ipn_originator, ctx);
  if (common.ipm_intended_recipient) mdn.original_recipient = typed_address(*common.ipm_intended_recipient, ctx);
  if (!final_recipient) final_recipient = mdn.original_recipient;
  if (!final_recipient) {
    b.lost("the IPN names no recipient an MDN's Final-Recipient can hold: written in RFC 2156 \xC2\xA7" "5.3.5's text form",
           kRule);
    return std::nullopt;
  }
  mdn.final_recipient = std::move(*final_recipient);
  if (auto id = msg_id_of(common.subject_ipm, b, false); id && id->starts_with("<")) mdn.original_message_id = *id;
  else b.lost("the subject IPM's identifier is not a msg-id: no Original-Message-ID (it is in References)", kRule);
  mdn.disposition = disposition_of(n);

  // X400-* extension fields (RFC 3798 §8.1: "names that identify the foreign mail protocol").
  auto extension = [&](std::string name, std::string value) {
    if (!value.empty()) mdn.fields.push_back({std::move(name), dsn::ascii(value)});
  };
  if (const auto* r = std::get_if<ipms::ReceiptFields>(&n.fields)) {
    if (auto t = time_of(r->receipt_time))
      if (auto d = imf::format_date_time(*t)) extension("X400-Receipt-Time", *d);
    const auto mode = r->acknowledgment_mode.value_or(0);
    extension("X400-Acknowledgment-Mode", syntax::labelled_integer(mode, mode == 1 ? "automatic" : "manual"));
    if (r->suppl_receipt_info) extension("X400-Supplementary-Receipt-Info", *r->suppl_receipt_info);
  } else if (const auto* nr = std::get_if<ipms::NonReceiptFields>(&n.fields)) {
    extension("X400-Non-Receipt-Reason", syntax::labelled_integer(nr->non_receipt_reason,
                                                                  non_receipt_reason_word(nr->non_receipt_reason)));
    if (nr->discard_reason)
      extension("X400-Discard-Reason", syntax::labelled_integer(*nr->discard_reason, discard_reason_word(*nr->discard_reason)));
    if (nr->auto_forward_comment) extension("X400-Auto-Forward-Comment", *nr->auto_forward_comment);
  }
  if (common.conversion_eits)
    extension("X400-Conversion-EITs",
              syntax::encoded_info(syntax::EncodedInfo{common.conversion_eits->built_in, common.conversion_eits->extended}));

  // RFC 6522 §3: the human-readable part, the report, the returned message.
  struct Part {
    std::string type, encoding, body;
  };
  std::vector<Part> parts;
  // The text as printable ASCII, its line ends kept (dsn::ascii would turn them into '?').
  std::string readable;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    readable += (c == '\r' || c == '\n' || (u >= 0x20 && u <= 0x7e)) ? c : '?';
  }
  parts.push_back({"text/plain; charset=us-ascii", "", std::move(readable)});
  parts.push_back({"message/disposition-notification", "", write_disposition_notification(mdn)});
  if (returned) {
    std::string m = *returned;
    if (!m.ends_with("\r\n")) m += "\r\n";
    parts.push_back({"message/rfc822", is_ascii(m) ? "" : "8bit", std::move(m)});
  }
  std::string boundary;
  for (unsigned k = 0;; ++k) {  // one that no part holds (RFC 2046 §5.1.1)
    boundary = "mixer-mdn-" + std::to_string(k);
    bool clash = false;
    for (const auto& p : parts) clash = clash || p.body.find("--" + boundary) != std::string::npos;
    if (!clash) break;
  }
  IpnBody out;
  out.null_reverse_path = true;
  out.mime_fields.emplace_back("MIME-Version", "1.0");
  out.mime_fields.emplace_back("Content-Type",
                               "multipart/report; report-type=disposition-notification; boundary=\"" + boundary + "\"");
  for (const auto& p : parts) {
    out.body += "--" + boundary + "\r\nContent-Type: " + p.type + "\r\n";
    if (!p.encoding.empty()) out.body += "Content-Transfer-Encoding: " + p.encoding + "\r\n";
    out.body += "\r\n" + p.body;
    if (!p.body.ends_with("\r\n")) out.body += "\r\n";
    out.body += "\r\n";
  }
  out.body += "--" + boundary + "--\r\n";
  return out;
}

void write_notification_request(const ipms::Heading& h, const std::vector<const p1::mts::OrAddress*>& delivered_to,
                                Build& b) {
  static constexpr std::string_view name = "Disposition-Notification-To";
  if (b.header.reserved(name) || b.header.has(name)) return;  // carried in rfc-822-field-list: that one comes back
  bool rn = false, nrn_only = false;
  auto look = [&](const std::vector<ipms::RecipientSpecifier>& list) {
    for (const auto& r : list) {
      if (!r.notification_requests || !r.recipient.formal_name) continue;
      const auto& a = r.recipient.formal_name->address;
      if (std::none_of(delivered_to.begin(), delivered_to.end(), [&](const auto* d) { return *d == a; })) continue;
      // X.420 NotificationRequests: rn(0), nrn(1), ipm-return(2).
      if (r.notification_requests->test(0)) rn = true;
      else if (r.notification_requests->test(1)) nrn_only = true;
    }
  };
  look(h.primary_recipients);
  look(h.copy_recipients);
  if (h.blind_copy_recipients) look(*h.blind_copy_recipients);
  if (nrn_only && !rn)
    b.lost("a non-receipt notification alone was requested: RFC 8098 cannot ask for it without receipts; no "
           "Disposition-Notification-To", "RFC 8098 \xC2\xA7" "2.1");
  if (!rn) return;
  // The IPN goes to the IPM's originator (X.420 §8.1.2): its RFC 822 address.
  std::optional<std::string> to;
  if (h.originator && h.originator->formal_name) to = dsn::rfc822_of(*h.originator->formal_name, b.ctx);
  if (!to) {
    b.lost("a receipt notification was requested, but the IPM's originator has no RFC 822 address: no "
           "Disposition-Notification-To", "RFC 8098 \xC2\xA7" "2.1");
    return;
  }
  b.header.structured(name, *to);
}

}  // namespace mixer::mapping::rfc822_out
