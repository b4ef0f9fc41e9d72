// mapping/to_rfc822.hpp: the parts of the X.400 -> Internet mapping, shared
// by its files (not an API: engine.hpp is). One Build is one message being
// made: the context, the header so far and what was lost.
#pragma once

#include <string>
#include <vector>

#include "mapping/engine.hpp"
#include "mapping/header_out.hpp"
#include "p1/ipms/types.hpp"

namespace mixer::mapping::rfc822_out {

struct Build {
  const Context& ctx;
  HeaderOut header;
  std::vector<Loss>& losses;
  void lost(std::string what, std::string rule) { losses.push_back(Loss{std::move(what), std::move(rule)}); }
};

// The rfc-822-field extension's fields (RFC 2156 §5.1.2), to restore; the
// names they reserve are marked in b.header first.
std::vector<std::string> restored_fields(const p1::ipms::Heading& h, Build& b);
// §5.3.4: the heading's fields, after the MTS fields; `skip_from`: the IPN writes its own.
void map_heading(const p1::ipms::Heading& h, Build& b);
// RFC 2156 Appendix B: an IPM from (or for) X.400(1984) carries what the
// rfc-822-field extension would in a first IA5 body part starting
// "RFC-822-Headers:". Its fields ("Name: value", folded lines joined), or
// nullopt when the IPM has no such part; names reserved as restored_fields does.
std::optional<std::vector<std::string>> appendix_b_fields(const p1::ipms::Ipm& ipm, Build& b);
// The restored fields, written after the mapped heading.
void write_restored(const std::vector<std::string>& fields, Build& b);

// §5.3.6 and §4.6.2.2: the MTS fields of one delivery, X400-Originator to
// DL-Expansion-History, in that order: the transfer envelope's at the top
// level, a forwarded message's delivery-envelope inside it (RFC 2157 §6.5).
struct MtsFields {
  std::string originator;                 // X400-Originator (none when empty)
  std::vector<std::string> recipients;    // X400-Recipients entries
  std::optional<std::string> mts_identifier;
  const p1::mts::EncodedInformationTypes* original_eits = nullptr;
  const p1::mts::ContentType* content_type = nullptr;
  const std::string* content_identifier = nullptr;
  std::optional<std::int64_t> priority;
  bool conversion_prohibited = false;
  std::optional<std::string> delivery_date;
  const p1::mts::Extensions* extensions = nullptr;  // conversion-with-loss, originator-return-address, DL history
};
void write_mts_fields(const MtsFields& f, Build& b);

// RFC 2157 §6.5: a forwarded message's delivery-envelope (X.411
// OtherMessageDeliveryFields) and delivery-time as the fields §5.3.6 and
// §5.3.7 write for a delivery: X400-Received from its trace extensions, Date
// from the submission time (unless restored), the MTS fields above, the
// extensions it does not map as Discarded-X400-MTS-Extensions. Written before
// the heading; restored_fields first.
void write_delivery_envelope(const p1::ipms::OtherMessageDeliveryFields& d, const std::optional<p1::mts::Time>& delivery_time,
                             Build& b);

// §4.7.2: one ORDescriptor as an 822 mailbox (or group), free-form name from T.61.
std::optional<std::string> mailbox_of(const p1::ipms::OrDescriptor& d, Build& b, bool reply_requested = false);
// §4.7.3.4: an IPM identifier as a msg-id (`reference`: the phrase form where §4.7.3.5 says).
std::optional<std::string> msg_id_of(const p1::ipms::IpmIdentifier& id, Build& b, bool reference);
// A date-time from an X.411/X.420 Time, or nullopt (with a loss noted) when it cannot be read.
std::optional<std::string> date_of(const p1::mts::Time& t, Build& b, const char* what);
// The conversion time as an RFC 5322 date-time.
std::string now_text(const Context& ctx);

// §5.3.5: the IPN's header fields and its text body (the body returned in `body`,
// multipart/mixed with the returned IPM when there is one).
struct IpnBody {
  std::vector<std::pair<std::string, std::string>> mime_fields;  // Content-Type etc.
  std::string body;
  bool null_reverse_path = false;  // an RFC 8098 MDN: sent with MAIL FROM:<> (RFC 3798 §3)
};
IpnBody map_ipn(const p1::ipms::Ipn& n, const std::string& recipient_mailbox, Build& b);

// ipn_to_mdn.cpp: a receipt or non-receipt notification as an RFC 8098 MDN
// body (multipart/report; report-type=disposition-notification): `text`
// (the §5.3.5 ipn-body-format) its human-readable part, the returned IPM
// (already an RFC 822 message) its third. nullopt when the IPN has nothing
// an MDN can name as its Final-Recipient (the caller keeps the text form).
std::optional<IpnBody> mdn_of_ipn(const p1::ipms::Ipn& n, const std::string& text,
                                  const std::optional<std::string>& returned, Build& b);

// ipn_to_mdn.cpp: RFC 8098 §2.1 from X.420 notification-requests: a
// Disposition-Notification-To naming the IPM's originator when a recipient
// specifier of one of `delivered_to` (the O/R addresses this output goes
// to) asks for a receipt notification (rn). Written after the heading.
void write_notification_request(const p1::ipms::Heading& h, const std::vector<const p1::mts::OrAddress*>& delivered_to,
                                Build& b);

}  // namespace mixer::mapping::rfc822_out
