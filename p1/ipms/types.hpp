// p1/ipms/types.hpp: plain value types for X.420 (1988/1992/1999) IPMS
// content, IPMSInformationObjects and the extended body part modules:
// InformationObject (IPM or IPN), the heading in full with its typed
// heading extensions, every basic body part, the extended (BP15) body parts
// general-text, voice, file-transfer, forwarded content, RFC 2157 MIME, the
// forwarded notification and report (X.420 IPMSForwardedReportBodyPartType),
// and the IPN. O/R descriptors are the addressing/ model. The 1984 (P2)
// content is the subset: the same types, see p2_1984.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "p1/ipms/body_types.hpp"
#include "p1/ipms/ftbp_types.hpp"
#include "p1/mts/box.hpp"
#include "p1/mts/or_name.hpp"
#include "p1/mts/types.hpp"

namespace mixer::p1::ipms {

using addressing::OrDescriptor;
using mts::Bytes;
using mts::BitString;
using mts::OrName;
using mts::Oid;
using mts::Time;
using mts::UniversalOrBmp;

// Object identifiers (IPMSObjectIdentifiers; RFC 2156 / RFC 2157 MIXER-MAPPINGS).
namespace oid {
inline Oid et(std::uint32_t n) { return Oid{2, 6, 1, 4, n}; }   // id-et-*: extended body part types
inline Oid ep(std::uint32_t n) { return Oid{2, 6, 1, 11, n}; }  // id-ep-*: their parameters
inline Oid hex(std::uint32_t n) { return Oid{2, 6, 1, 5, n}; }  // id-hex-*: heading extensions
inline Oid rex(std::uint32_t n) { return Oid{2, 6, 1, 20, n}; } // id-rex-*: recipient extensions
inline Oid sec(std::uint32_t n) { return Oid{2, 6, 1, 18, n}; } // id-sec-*: IPM security extensions
inline const Oid mime_bp_data{1, 3, 6, 1, 7, 1, 2, 1, 1};          // RFC 2157 id-mime-bp-data
inline const Oid mime_bp_parameters{1, 3, 6, 1, 7, 1, 2, 2, 1};    // RFC 2157 id-mime-bp-parameters
inline const Oid rfc_822_field_list{1, 3, 6, 1, 7, 1, 3, 2};       // RFC 2156 id-rfc-822-field-list
}  // namespace oid

struct IpmIdentifier {  // [APPLICATION 11] SET
  std::optional<OrName> user;
  std::string user_relative_identifier;  // PrintableString (0..ub-local-ipm-identifier)
};

// IPMSExtension{}: SEQUENCE { type OBJECT IDENTIFIER, value ANY DEFAULT NULL }.
// Values typed for the heading and recipient extensions of X.420 and RFC
// 2156; the others keep their value's encoding.
struct RecipientSpecifier;
struct CirculationMember;
struct DistributionCode {
  std::optional<Oid> oid_code;
  std::optional<UniversalOrBmp> alphanumeric_code;
  std::optional<OrDescriptor> or_descriptor;
};
struct InformationCategory {
  std::optional<Oid> reference;
  std::optional<UniversalOrBmp> description;
};
struct BodyPartSecurityLabel {  // CHOICE
  int which = 0;                  // 0 body-part-unlabelled [0] NULL, 1 body-part-security-label [1]
  mts::SecurityLabel label;
};
struct IpmSecurityLabel {
  mts::SecurityLabel content_security_label;                    // [0]
  std::optional<mts::SecurityLabel> heading_security_label;     // [1]
  std::vector<BodyPartSecurityLabel> body_part_security_labels; // [2] OPTIONAL
};
// BodyPartSignatures element (X.420 IPMSHeadingExtensions): SET { body-part-number,
// body-part-signature SIGNATURE{...}, [1] CertificateAssertion, [0]
// ExtendedCertificates }.
struct BodyPartSignature {
  std::int64_t body_part_number = 1;
  mts::Signature body_part_signature;
  std::optional<mts::CertificateAssertion> originator_certificate_selector;  // [1] CertificateAssertion
  std::vector<mts::ExtendedCertificate> originator_certificates;  // [0] OPTIONAL (empty: absent)
  std::vector<Bytes> extension_additions;  // after "...": each as its encoding
};
// IpnSecurityResponse ::= SET { content-or-arguments CHOICE { original-content Content,
//   original-security-arguments SET { original-content-integrity-check [0] ContentIntegrityCheck,
//   original-message-origin-authentication-check [1] MessageOriginAuthenticationCheck,
//   original-message-token [2] MessageToken } (each OPTIONAL) }, security-diagnostic-code OPTIONAL }
// (X.420 IPMSSecurityExtensions; the checks are X.411 SIGNATURE{}, the token X.411 Token).
struct IpnSecurityResponse {
  int which = 0;           // 0 original-content, 1 original-security-arguments
  Bytes original_content;  // Content ::= OCTET STRING
  std::optional<mts::Signature> original_content_integrity_check;
  std::optional<mts::Signature> original_message_origin_authentication_check;
  std::optional<mts::Token> original_message_token;
  std::optional<std::int64_t> security_diagnostic_code;
};
struct IpmsExtension {
  Oid type;
  bool has_value = true;
  std::vector<std::string> strings;          // languages (PrintableString), rfc-822-field-list (IA5String)
  std::int64_t number = 0;                   // auto-submitted, precedence
  std::string time;                          // authorization-time (GeneralizedTime)
  UniversalOrBmp universal;                  // extended-subject, originators-reference
  std::vector<UniversalOrBmp> universals;    // manual-handling-instructions
  Oid oid_value;                             // precedence-policy-identifier
  std::vector<DistributionCode> distribution_codes;
  std::vector<InformationCategory> information_categories;
  std::vector<CirculationMember> circulation_list;
  IpmSecurityLabel ipm_security_label;
  std::vector<BodyPartSignature> body_part_signatures;  // id-hex-body-part-signatures
  BitString bits;                            // id-sec-ipm-security-request: RecipientSecurityRequest
  IpnSecurityResponse ipn_security_response; // id-sec-security-common-fields
  Bytes value;                               // other extensions: the value's encoding
};

struct RecipientSpecifier {
  OrDescriptor recipient;                          // [0]
  std::optional<BitString> notification_requests;  // [1] rn(0), nrn(1), ipm-return(2), an-supported(3), suppress-an(4)
  std::optional<bool> reply_requested;             // [2] DEFAULT FALSE
  std::vector<IpmsExtension> recipient_extensions; // [3] OPTIONAL (empty: absent)
};

// Checkmark ::= CHOICE { simple NULL, timestamped CirculationTime, signed CirculationSignature }
// CirculationSignature ::= SIGNED{SEQUENCE { algorithm-identifier AlgorithmIdentifier,
//   this-IPM ThisIPMField, timestamp CirculationTime }} (X.420 IPMSHeadingExtensions)
struct Checkmark {
  int which = 0;    // 0 simple, 1 timestamped, 2 signed
  Time timestamp;   // CirculationTime ::= GeneralizedTime (timestamped, and inside signed)
  mts::AlgorithmIdentifier algorithm_identifier;
  IpmIdentifier this_ipm;
  mts::Signature signature;  // SIGNED{}'s COMPONENTS OF SIGNATURE{}
};

struct CirculationMember {
  RecipientSpecifier circulation_recipient;
  std::optional<Checkmark> checked;
};

struct Heading {  // SET
  IpmIdentifier this_ipm;
  std::optional<OrDescriptor> originator;                   // [0]
  std::vector<OrDescriptor> authorizing_users;              // [1] OPTIONAL
  std::vector<RecipientSpecifier> primary_recipients;       // [2] DEFAULT {}
  std::vector<RecipientSpecifier> copy_recipients;          // [3] DEFAULT {}
  std::vector<RecipientSpecifier> blind_copy_recipients;    // [4] OPTIONAL
  std::optional<IpmIdentifier> replied_to_ipm;              // [5]
  std::vector<IpmIdentifier> obsoleted_ipms;                // [6] DEFAULT {}
  std::vector<IpmIdentifier> related_ipms;                  // [7] DEFAULT {}
  std::optional<std::string> subject;                       // [8] EXPLICIT TeletexString (octets)
  std::optional<Time> expiry_time;                          // [9]
  std::optional<Time> reply_time;                           // [10]
  std::vector<OrDescriptor> reply_recipients;               // [11] OPTIONAL
  std::optional<std::int64_t> importance;                   // [12] DEFAULT normal(1)
  std::optional<std::int64_t> sensitivity;                  // [13]
  std::optional<bool> auto_forwarded;                       // [14] DEFAULT FALSE
  std::vector<IpmsExtension> extensions;                    // [15] DEFAULT {}
  std::vector<Bytes> extension_additions;                   // after "...": each as its encoding
};

// IPM ::= SEQUENCE { heading Heading, body Body (SEQUENCE OF BodyPart) }
struct Ipm {
  Heading heading;
  std::vector<BodyPart> body;
};

struct CommonFields {
  IpmIdentifier subject_ipm;
  std::optional<OrDescriptor> ipn_originator;            // [1]
  std::optional<OrDescriptor> ipm_intended_recipient;    // [2]
  std::optional<mts::EncodedInformationTypes> conversion_eits;
  std::vector<IpmsExtension> notification_extensions;   // [3] OPTIONAL
};

// NonReceiptFields ::= SET { non-receipt-reason [0], discard-reason [1] OPTIONAL,
//   auto-forward-comment [2] OPTIONAL, returned-ipm [3] IPM OPTIONAL, nrn-extensions [4] OPTIONAL }
struct NonReceiptFields {
  std::int64_t non_receipt_reason = 0;              // ipm-discarded(0), ipm-auto-forwarded(1)
  std::optional<std::int64_t> discard_reason;       // ipm-expired(0), ipm-obsoleted(1), ...
  std::optional<std::string> auto_forward_comment;  // PrintableString (0..ub-auto-forward-comment)
  std::optional<mts::Box<Ipm>> returned_ipm;
  std::vector<IpmsExtension> nrn_extensions;        // OPTIONAL (empty: absent)
};

// ReceiptFields ::= SET { receipt-time [0], acknowledgment-mode [1] DEFAULT manual,
//   suppl-receipt-info [2] OPTIONAL, rn-extensions [3] OPTIONAL }
struct ReceiptFields {
  Time receipt_time;
  std::optional<std::int64_t> acknowledgment_mode;  // manual(0), automatic(1)
  std::optional<std::string> suppl_receipt_info;    // PrintableString (1..ub-supplementary-info-length)
  std::vector<IpmsExtension> rn_extensions;         // OPTIONAL (empty: absent)
};

// OtherNotificationTypeFields ::= ExtensionsField (X.420 1992: SET OF IPMSExtension)
struct OtherNotificationTypeFields {
  std::vector<IpmsExtension> extensions;
};

// IPN ::= SET { COMPONENTS OF CommonFields, choice [0] CHOICE { non-receipt-fields [0]
//   NonReceiptFields, receipt-fields [1] ReceiptFields, other-notification-type-fields [2]
//   OtherNotificationTypeFields } }
using IpnFields = std::variant<NonReceiptFields, ReceiptFields, OtherNotificationTypeFields>;
struct Ipn {
  CommonFields common;
  IpnFields fields;  // the ASN.1's `choice` [0]
};

// InformationObject ::= CHOICE { ipm [0] IPM, ipn [1] IPN }
using InformationObject = std::variant<Ipm, Ipn>;

}  // namespace mixer::p1::ipms
