// mapping/to_x400.hpp: the parts of the Internet -> X.400 mapping shared by
// its files (not an API: engine.hpp is). A Plan is what the header fields
// of one message say, sorted by where RFC 2156 §5.1 sends each: the IPM
// heading, the MTS and MTA elements, the MIME fields for the body, and the
// fields carried as they are in the rfc-822-field extension (§5.1.2).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "addressing/message_id.hpp"
#include "bodyparts/bodyparts.hpp"
#include "imf/date_time.hpp"
#include "imf/message.hpp"
#include "mapping/engine.hpp"
#include "mapping/trace.hpp"
#include "p1/ipms/types.hpp"

namespace mixer::mapping::x400_out {

// One trace field of the header, in header order (top first).
struct TraceField {
  bool x400 = false;              // X400-Received (else Received)
  std::optional<TraceEntry> entry;  // X400-Received parsed
  std::string by;                 // Received: the "by" domain (may be empty)
  std::optional<imf::DateTime> date;  // Received: its date
  bool mixer_conversion = false;  // Received: the comment of a MIXER gateway (§5.3.7)
};

struct Plan {
  p1::ipms::Heading heading;
  std::vector<std::string> carried;       // rfc-822-field entries ("Name: value", unfolded, IA5)
  std::vector<std::string> eighty_eight;  // fields mapped to 1988-only elements, as text (Appendix B)
  bodyparts::MimeInput mime;
  std::vector<TraceField> trace;          // top to bottom
  std::optional<imf::DateTime> date;      // Date:, or the most recent Resent-Date:
  bool resent = false;                    // a Resent- field is present
  std::optional<std::string> message_id;  // Message-ID as written (for §4.6.3)
  std::optional<std::string> subject_utf8;  // the decoded subject (content identifier, correlator)
  std::vector<std::string> correlator_fields;  // §5.1.5: Subject, Message-ID, Date, To as written
  // MTS elements from extended fields (§5.1.7) and Appendix C.
  std::optional<std::int64_t> priority;
  bool conversion_prohibited = false;
  bool conversion_with_loss_prohibited = false;
  std::optional<imf::DateTime> deferred_delivery;
  std::optional<imf::DateTime> latest_delivery;
  std::optional<p1::mts::OrAddress> originator_return_address;
  std::vector<std::pair<p1::mts::OrName, imf::DateTime>> dl_expansions;  // header order (most recent first)
  std::optional<std::string> content_identifier;  // X400-Content-Identifier
  std::optional<std::string> content_correlator;  // X400-Content-Correlator
  std::optional<syntax::EncodedInfo> original_eits;
  std::optional<std::string> mts_identifier;      // X400-MTS-Identifier (restored only by policy)
  std::optional<bool> prevent_ndr, generate_dr, alternate_recipient, disclose_recipients, content_return;
  bool empty_bcc = false;                 // a Bcc: with no address
  // The fields §5.3.6 writes for a delivery, which §5.1.7 does not map: kept (unfolded)
  // for a forwarded message's delivery-envelope (RFC 2157 §6.5), with their carried texts.
  std::optional<std::string> x400_originator, x400_recipients, x400_content_type, delivery_date;
  std::vector<std::string> delivery_carried;
  std::vector<Loss>* losses = nullptr;
  void lost(std::string what, std::string rule) const { losses->push_back(Loss{std::move(what), std::move(rule)}); }
};

// §5.1.3 and §5.1.7: sorts the fields into a Plan; a refusal only for limits.
std::optional<base::Refusal> plan_fields(const imf::Message& msg, const Context& ctx, Plan& plan);

// RFC 2157 §6.5: a forwarded message's delivery-envelope from the fields a
// MIXER gateway wrote for its delivery (§5.3.6: X400-Originator, X400-Recipients
// (this recipient first), X400-Content-Type, Date as the submission time, ...)
// and its X400-Received trace; nullopt with why when there is no X400-Originator
// or a required element does not map.
std::optional<p1::ipms::OtherMessageDeliveryFields> delivery_envelope_of(const Plan& plan, const Context& ctx,
                                                                         std::string& why);
// DL-Expansion-History (most recent first) as the extension, X.411 order (oldest first);
// entries outside UTCTime's years are left out.
p1::mts::Extension dl_expansion_history_of(const Plan& plan);
// Delivery-Date as a MessageDeliveryTime (UTCTime), when it parses.
std::optional<p1::mts::Time> delivery_time_of(const Plan& plan, const Context& ctx);

// The "Name: value" text of a field, unfolded, in IA5 (RFC 2047 / RFC 1428 encoded words
// for octets over 127), as the rfc-822-field extension carries it.
std::string carried_text(const imf::Field& f);

// §5.1.6: the trace of the message, oldest first: from X400-Received fields, or
// Date: and the Received: fields, then the gateway's own element.
std::vector<TraceEntry> build_trace(const Plan& plan, const p1::mts::OrAddress& originator,
                                    std::string_view originator_domain, const Context& ctx,
                                    const syntax::EncodedInfo& converted, std::vector<Loss>& losses);

// An RFC 3461/3464 typed address ("rfc822" by §4.3.4, "x400" as std-or text) as an
// O/R name; nullopt for other types or what does not map (ORCPT, DSN recipients).
std::optional<p1::mts::OrName> or_name_of_typed(std::string_view type, std::string_view address, const Context& ctx);

// The Context's clock as a DateTime in its offset.
imf::DateTime now_of(const Context& ctx);

// Text read as an MTS identifier ("[std-or;local]", §4.6.3, as X400-MTS-Identifier or an
// ENVID carries it), or nullopt unless X.411 would take it: a local identifier of 1..32 IA5
// characters and a global domain within the ub-* bounds, its C of 2 or 3 characters
// (validate_x411_for_1988: Appendix B's null attributes are O/R address values only).
std::optional<addressing::MtsIdentifier> x411_mts_identifier(std::string_view text);

// mdn_to_ipn.cpp: whether the top-level Content-Type is multipart/report;
// report-type=disposition-notification (RFC 6522, RFC 8098 §3).
bool is_mdn(const imf::Message& msg);
// ipn_text.cpp: whether the message is RFC 2156 §5.3.5's text form of an IPN
// (Message-Type: InterPersonal Notification), as another gateway writes it.
bool is_ipn_text(const imf::Message& msg);
// ipn_text.cpp: the IPN that text form says, or nullopt with why.
std::optional<p1::ipms::Ipn> ipn_of_text(const imf::Message& msg, const Context& ctx, std::vector<Loss>& losses,
                                         std::string& why);
// mdn_to_ipn.cpp: `out` (a message mapped as an IPM) with the IPN as its
// content instead (content type, EITs); why not, when it cannot be.
std::optional<std::string> replace_with_ipn(X400Message& out, p1::ipms::Ipn ipn, const ToX400Options& options);
// mdn_to_ipn.cpp: an RFC 8098 MDN, or a §5.3.5 text form, as the Message whose
// content is an X.420 IPN; one that does not read, or says "processed", as the
// ordinary message it is (with a loss saying why). Refused only as to_x400
// refuses the message.
base::Expected<X400Message> mdn_to_x400(const SmtpEnvelope& envelope, std::string_view content, const Context& ctx,
                                        const ToX400Options& options);
// mdn_to_ipn.cpp: RFC 8098 §2.1 Disposition-Notification-To -> rn and nrn in every
// recipient specifier's notification-requests (X.420 §7.1.3).
void notification_requests_of(const imf::Message& msg, Plan& plan);

}  // namespace mixer::mapping::x400_out
