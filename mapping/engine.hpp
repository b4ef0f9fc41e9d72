// mapping/engine.hpp: the RFC 2156 message mapping engine, both directions.
//
//   to_internet()  X.400 -> Internet (RFC 2156 §5.3, §4.6.2, Appendix A §3.2):
//                  a transferred message (MessageTransferEnvelope + content)
//                  becomes an SMTP envelope and RFC 5322 octets.
//   to_x400()      Internet -> X.400 (RFC 2156 §5.1, §4.6.1, Appendix A §3.1,
//                  Appendix B for a 1984 next hop, Appendix C when enabled):
//                  an SMTP envelope and RFC 5322 octets become the Message
//                  MTS-APDU the gateway transfers.
//
// Pure functions of their arguments: no sockets, no files, no clock but the
// Context's. The three callers are the daemon (once per distinct output,
// before acknowledging), `mixer convert` and `mixer conformance`. A message
// that cannot be converted comes back as a base::Refusal carrying both
// sides' codes; a recipient that cannot be mapped is refused alone
// (RecipientRefusal) while the others go on. Conversions that lose
// information are done and listed (Loss), unless the message prohibits
// conversion with loss. Body parts are converted by bodyparts/ through one
// call per direction.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "addressing/mapping.hpp"
#include "base/refusal.hpp"
#include "conf/config.hpp"
#include "p1/mts/types.hpp"

namespace mixer::mapping {

// The time of conversion: what trace, Delivery-Date and generated identifiers
// use. The daemon reads the system clock; vectors give a fixed one.
struct Clock {
  std::chrono::sys_seconds now{};
  int utc_offset_minutes = 0;  // how local time is written (RFC 2156 §3.3.5 keeps offsets as given)
};

struct Context {
  const addressing::MappingContext* addressing = nullptr;  // gateway identity and MCGAM tables; never null
  const conf::MappingConfig* policy = nullptr;             // limits and switches; never null
  std::string mta_name;    // our MTA name in trace (conf gateway.mta_name)
  std::string host_name;   // our Internet host name in Received: (conf smtp.hostname)
  Clock clock;
  // The gateway's Internet postmaster (conf gateway.postmaster): From: of the
  // DSNs report_to_internet() writes; empty: postmaster@<gateway domain>.
  std::string postmaster;
  // RFC 2156 Appendix B's null attributes in the O/R addresses the RFC 822 ->
  // X.400 direction derives: kept (a 1984 next hop, or none known), or not legal
  // (a 1988 next hop: such an address is encapsulated as an RFC 822 address, a
  // recipient refused). to_x400() sets it from its peer mode on its own copy;
  // callers leave it.
  addressing::NullAttributes null_attributes = addressing::NullAttributes::kept;
};

// RFC 3461 parameters of one SMTP recipient, as values (not xtext).
struct SmtpRecipient {
  std::string address;                   // addr-spec of the forward-path
  std::vector<std::string> notify;       // "NEVER" or some of "SUCCESS", "FAILURE", "DELAY"; empty: not given
  std::optional<std::string> orcpt;      // "addr-type;address": "rfc822;a@b", "x400;/C=GB/..."
};

struct SmtpEnvelope {
  std::string mail_from;                 // reverse-path addr-spec; empty: the null path <>
  std::vector<SmtpRecipient> recipients;
  std::optional<std::string> ret;        // "FULL" or "HDRS"
  std::optional<std::string> envid;
};

// A recipient that could not be mapped; the rest of the message goes on.
struct RecipientRefusal {
  std::size_t index = 0;   // in the input's recipient list
  std::string address;     // as given (an RFC 822 address, or std-or text)
  base::Refusal refusal;
};

using Loss = base::Loss;

// ---- X.400 -> Internet

struct InternetMessage {
  SmtpEnvelope envelope;
  std::string content;  // RFC 5322 octets, CRLF line ends, lines <= 998 octets
  std::vector<std::size_t> recipient_index;  // per envelope recipient: its per-recipient-fields index
  std::vector<RecipientRefusal> refused;     // index: per-recipient-fields index
  std::vector<Loss> losses;
};

struct ToInternetOptions {
  // The per-recipient-fields this gateway delivers (indices); empty: every
  // recipient whose responsibility bit is set (RFC 2156 §5.3.7).
  std::vector<std::size_t> recipients;
};

base::Expected<InternetMessage> to_internet(const p1::mts::Message& message, const Context& ctx,
                                            const ToInternetOptions& options = {});

// ---- Internet -> X.400

struct ToX400Options {
  int peer_mode = 1988;          // 1984: Appendix B (content type 2, no 1988 elements)
  // With peer_mode 1984: the peer takes bilaterally-defined [14] (p1.peers bp14; RFC 2157
  // §3.1 "X.400(84) UA with BP14 handling capability"), so BP14 is not HARPOON-encapsulated.
  bool bp14_1984 = false;
  // Unique per message (the queue ID): the MTS identifier's local part and the default
  // this-IPM. Empty or not an IA5String of 1..32: derived from the content and the clock.
  std::string local_identifier;
  // RFC 8098: a multipart/report; report-type=disposition-notification, or RFC 2156
  // §5.3.5's text form (Message-Type: InterPersonal Notification), becomes an X.420 IPN
  // (mapping/mdn_to_ipn.cpp, ipn_text.cpp); false: every message is mapped as an IPM.
  bool mdn_as_ipn = true;
};

struct X400Message {
  p1::mts::Message message;                  // envelope + encoded IPM content
  std::vector<std::size_t> recipient_index;  // per per-recipient-field: its SMTP recipient index
  std::vector<RecipientRefusal> refused;     // index: SMTP recipient index
  std::vector<Loss> losses;
};

base::Expected<X400Message> to_x400(const SmtpEnvelope& envelope, std::string_view content, const Context& ctx,
                                    const ToX400Options& options = {});

// ---- X.400 report -> Internet DSN (RFC 2156 §5.3.8, RFC 3464, RFC 6522)

// What the gateway kept of the subject message (the caller finds it from
// subject_identifier, §5.3.8.3); all optional.
struct ReportSubject {
  // The RFC 5322 message the gateway delivered into X.400 for the subject, when
  // its queue still holds it: returned (§5.3.8.1) when the report does not
  // return the content itself.
  std::optional<std::string> original_message;
  // The RFC 3461 ORCPT ("rfc822;a@b") stored per originally-specified-recipient-number.
  struct Orcpt {
    std::int64_t recipient_number = 0;
    std::string orcpt;
  };
  std::vector<Orcpt> orcpts;
  // The RFC 3461 ENVID the originator gave, for Original-Envelope-Id when the
  // report does not carry it back in the content correlator.
  std::optional<std::string> envid;
};

struct InternetReport {
  SmtpEnvelope envelope;   // MAIL FROM:<> (empty mail_from), one recipient: the report destination
  std::string content;     // multipart/report; report-type=delivery-status (RFC 6522), CRLF, lines <= 998, ASCII
  p1::mts::MtsIdentifier subject_identifier;  // the reported message's MTS identifier, for correlation
  std::optional<std::string> subject_mts_id;  // the same as mts-msg-id text, when it has one
  std::optional<std::string> subject_envid;   // the ENVID a gateway put in the content correlator, when there
  std::size_t delivered = 0;                  // recipients reported delivered
  std::size_t failed = 0;                     // recipients reported not delivered
  std::vector<Loss> losses;
};

// A Report MTS-APDU as the DSN to its report destination. Refused when the
// report has no recipient, too many, or its destination does not map to an
// RFC 822 address (the caller then sends it to the postmaster).
base::Expected<InternetReport> report_to_internet(const p1::mts::Report& report, const Context& ctx,
                                                  const ReportSubject& subject = {});

// ---- Internet DSN -> X.400 report (RFC 2156 §5.1.8, RFC 3464)

struct X400Report {
  // For the reported recipients whose Action is failed or delivered (§5.1.8.3):
  // the Report MTS-APDU to the X.400 originator, the DSN as an IPM its returned content.
  std::optional<p1::mts::Report> report;
  // For those delayed, relayed or expanded: the DSN as an ordinary IPM (§5.1.8.3).
  std::optional<X400Message> ipm;
  std::vector<Loss> losses;
};

// What the gateway sent, found by the caller from the DSN's Original-Envelope-Id
// or its returned message's Message-ID (§5.1.8.3 correlation): the subject
// identifier, and per recipient the number and O/R name the X.400 message had.
struct DsnSubject {
  p1::mts::MtsIdentifier subject_identifier;
  struct Recipient {
    std::int64_t number = 0;  // originally-specified-recipient-number
    std::string address;      // the RFC 822 address it was sent to
    p1::mts::OrName name;     // its X.400 recipient name
  };
  std::vector<Recipient> recipients;
};
using DsnCorrelator = std::function<std::optional<DsnSubject>(const std::optional<std::string>& envid,
                                                              const std::optional<std::string>& message_id)>;

// A DSN (multipart/report; report-type=delivery-status, RFC 6522) whose one
// SMTP recipient is an X.400 originator. Refused when it is not a DSN that
// reads (the caller then maps it as an ordinary message, never drops it),
// or as to_x400 refuses the message.
// `correlate`, when given, is asked when the DSN's Original-Envelope-Id is not an
// X.400 MTS identifier.
base::Expected<X400Report> dsn_to_x400(const SmtpEnvelope& envelope, std::string_view content, const Context& ctx,
                                       const ToX400Options& options = {}, const DsnCorrelator& correlate = {});

}  // namespace mixer::mapping
