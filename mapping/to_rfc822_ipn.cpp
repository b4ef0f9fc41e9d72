// mapping/to_rfc822_ipn.cpp: an IP notification as an RFC 822 message (RFC
// 2156 §5.3.5): From, Subject, Message-Type, References and the
// ipn-body-format text; a returned IPM follows as message/rfc822 in a
// multipart/mixed; with mapping.to_rfc822.ipn_format mdn (the default) the
// same text is the human-readable part of an RFC 8098 MDN (ipn_to_mdn.cpp).
#include "bodyparts/bodyparts.hpp"
#include "mapping/extensions.hpp"
#include "mapping/forwarded.hpp"
#include "mapping/syntax.hpp"
#include "mapping/text.hpp"
#include "mapping/to_rfc822.hpp"
#include "mapping/trace.hpp"

namespace mixer::mapping::rfc822_out {

namespace ipms = p1::ipms;

namespace {

std::string discarded_list(const std::vector<ipms::IpmsExtension>& list) {
  std::string v;
  for (const auto& e : list) v += (v.empty() ? "" : ", ") + syntax::object_identifier(e.type);
  return v;
}

// The returned IPM as a message/rfc822 entity: its heading by §5.3.4, its body by RFC 2157.
std::optional<std::string> returned_message(const ipms::Ipm& ipm, Build& outer) {
  std::vector<Loss> losses;
  Build b{outer.ctx, HeaderOut{}, losses};
  auto restored = restored_fields(ipm.heading, b);
  map_heading(ipm.heading, b);
  write_restored(restored, b);
  bodyparts::ToMimeOptions mo;
  mo.max_nesting = outer.ctx.policy->limits.max_nesting;
  const auto& bp = outer.ctx.policy->body_parts;  // RFC 2157's limits (mapping.body_parts)
  mo.limits = {bp.max_parts, static_cast<std::size_t>(bp.max_part_header_size), static_cast<std::size_t>(bp.max_part_size)};
  mo.forwarded_to_mime = forwarded_to_mime(outer.ctx, mo);  // RFC 2157 §6.5 inside the returned IPM
  auto body = bodyparts::to_mime(ipm.body, mo);
  if (!body) {
    outer.lost("the returned IPM's body does not convert (" + body.error().text() + "): left out",
               "RFC 2156 \xC2\xA7" "5.3.5");
    return std::nullopt;
  }
  for (const auto& f : body->entity.fields) b.header.structured(f.name, f.value);
  for (auto& l : losses) outer.losses.push_back(l);
  for (auto& l : body->losses) outer.losses.push_back(l);
  std::string text = b.header.take();
  text += "\r\n";
  text += body->entity.octets();
  return text;
}

}  // namespace

IpnBody map_ipn(const ipms::Ipn& n, const std::string& recipient_mailbox, Build& b) {
  auto& h = b.header;
  const auto& common = n.common;
  const auto* receipt = std::get_if<ipms::ReceiptFields>(&n.fields);
  const auto* non_receipt = std::get_if<ipms::NonReceiptFields>(&n.fields);
  if (common.ipn_originator)
    if (auto m = mailbox_of(*common.ipn_originator, b)) h.structured("From", *m);
  h.unstructured("Subject", receipt ? "X.400 Inter-Personal Notification"
                                    : "X.400 Inter-Personal Notification (failure)");
  h.structured("Message-Type", "InterPersonal Notification");
  if (auto id = msg_id_of(common.subject_ipm, b, true)) h.structured("References", *id);
  std::vector<ipms::IpmsExtension> discarded = common.notification_extensions;
  if (receipt) discarded.insert(discarded.end(), receipt->rn_extensions.begin(), receipt->rn_extensions.end());
  if (non_receipt) discarded.insert(discarded.end(), non_receipt->nrn_extensions.begin(), non_receipt->nrn_extensions.end());
  if (const auto* other = std::get_if<ipms::OtherNotificationTypeFields>(&n.fields))
    discarded.insert(discarded.end(), other->extensions.begin(), other->extensions.end());
  if (!discarded.empty()) h.structured("Discarded-X400-IPMS-Extensions", discarded_list(discarded));

  // The IPM's recipient: ipm-intended-recipient when the IPM was redirected, else the
  // IPN's originator, who received it (§5.3.5's example: "Your message to:" is the From).
  std::string preferred = recipient_mailbox;
  if (common.ipm_intended_recipient) {
    if (auto m = mailbox_of(*common.ipm_intended_recipient, b)) preferred = *m;
  } else if (common.ipn_originator) {
    if (auto m = mailbox_of(*common.ipn_originator, b)) preferred = *m;
  }
  std::string text = "Your message to: " + preferred + "\r\n";
  const ipms::Ipm* returned = nullptr;
  if (receipt) {
    std::string date = receipt->receipt_time;
    if (auto when = time_of(receipt->receipt_time))
      if (auto d = imf::format_date_time(*when)) date = *d;
    text += "was received at " + date + "\r\n\r\n";
    text += "This notification was generated " +
            std::string(syntax::acknowledgment_mode(receipt->acknowledgment_mode.value_or(0))) + "\r\n";
    // ipn-receipt has the line whether or not there is suppl-receipt-info (ipn-suppl may be empty).
    text += "The following extra information was given:\r\n" + receipt->suppl_receipt_info.value_or("") + "\r\n";
  } else if (non_receipt) {
    if (non_receipt->non_receipt_reason == 1) {
      text += "was automatically forwarded.\r\n";
      if (non_receipt->auto_forward_comment)
        text += "The following comment was made: " + *non_receipt->auto_forward_comment + "\r\n";
    } else {
      auto reason = syntax::discard_reason(non_receipt->discard_reason.value_or(0));
      text += "was discarded for the following reason: " + std::string(reason.empty() ? "Expired" : reason) + "\r\n";
    }
    if (non_receipt->returned_ipm) returned = &**non_receipt->returned_ipm;
  } else {
    text += "was the subject of a notification of a type this gateway does not know\r\n";
  }
  if (common.conversion_eits) {
    const auto& e = *common.conversion_eits;
    text += "\r\nThe following information types were converted: " +
            syntax::encoded_info(syntax::EncodedInfo{e.built_in, e.extended}) + "\r\n";
  }
  IpnBody out;
  out.mime_fields.emplace_back("MIME-Version", "1.0");
  std::optional<std::string> message;
  if (non_receipt) {
    if (returned) message = returned_message(*returned, b);
    text += message ? "\r\nThe Original Message follows:\r\n" : "\r\nThe Original Message is not available\r\n";
  }
  // mapping.to_rfc822.ipn_format: mdn (the default) writes the RFC 8098 MDN, this text its first part.
  if (b.ctx.policy->to_rfc822.ipn_format != "text" && (receipt || non_receipt))
    if (auto mdn = mdn_of_ipn(n, text, message, b)) return std::move(*mdn);
  if (!message) {
    out.mime_fields.emplace_back("Content-Type", "text/plain; charset=us-ascii");
    out.body = text;
    return out;
  }
  // multipart/mixed: the text, then the returned message (§5.3.5).
  std::string boundary = "=_mixer_ipn_";
  while (message->find(boundary) != std::string::npos || text.find(boundary) != std::string::npos) boundary += "x";
  out.mime_fields.emplace_back("Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
  out.body = "--" + boundary + "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + text + "\r\n--" + boundary +
             "\r\nContent-Type: message/rfc822\r\n\r\n" + *message + "\r\n--" + boundary + "--\r\n";
  return out;
}

}  // namespace mixer::mapping::rfc822_out
