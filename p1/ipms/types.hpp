// p1/ipms/types.hpp: plain value types for X.420 (1988/1992/1999) IPMS
// content, IPMSInformationObjects: InformationObject (a std::variant of IPM
// and IPN), the heading in full with its typed heading extensions (an
// IPMSExtension{}'s value a variant of the ASN.1 types their OIDs take; the
// encoder refuses a value not of its OID's type), and the IPN with its
// non-receipt | receipt | other-notification CHOICE. The body parts are in
// body_types.hpp, the file-transfer parameters in ftbp_types.hpp. O/R
// descriptors are the addressing/ model. The 1984 (P2) content is the
// subset: the same types, see ipms.hpp's p2_1984_violation. Values only.
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
// body-part-unlabelled [0] NULL
struct BodyPartUnlabelled {};
// BodyPartSecurityLabel ::= CHOICE { body-part-unlabelled [0] NULL, body-part-security-label [1]
//   SecurityLabel }
using BodyPartSecurityLabel = std::variant<BodyPartUnlabelled, mts::SecurityLabel>;
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
struct OriginalSecurityArguments {  // SET
  std::optional<mts::Signature> original_content_integrity_check;              // [0]
  std::optional<mts::Signature> original_message_origin_authentication_check;  // [1]
  std::optional<mts::Token> original_message_token;                            // [2]
};
struct IpnSecurityResponse {  // SET
  // content-or-arguments: original-content Content (OCTET STRING) | original-security-arguments
  std::variant<Bytes, OriginalSecurityArguments> content_or_arguments;
  std::optional<std::int64_t> security_diagnostic_code;
};
// The value of an IPMSExtension{}, one alternative per ASN.1 type of the heading,
// recipient and security extensions we know (X.420 IPMSHeadingExtensions,
// IPMSSecurityExtensions, RFC 2156); its OID says which (ipms_extension_value,
// heading.hpp: the decoder takes the alternative the OID names, the encoder refuses
// another).

// A NULL value given: incomplete-copy (id-hex-0), circulation-list-indicator (id-rex-0)
struct NullValue {};
// Languages ::= SET OF Language (PrintableString (SIZE (2..5))) (id-hex-1)
struct Languages {
  std::vector<std::string> languages;
};
// AuthorizationTime ::= GeneralizedTime (id-hex-5)
struct AuthorizationTime {
  Time time;
};
// RecipientSecurityRequest ::= BIT STRING { content-non-repudiation(0), content-proof(1),
//   ipn-non-repudiation(2), ipn-proof(3) } (id-sec-ipm-security-request)
struct RecipientSecurityRequest {
  BitString requests;
};
// RFC822FieldList ::= SEQUENCE OF RFC822Field (IA5String) (RFC 2156 id-rfc-822-field-list)
struct Rfc822FieldList {
  std::vector<std::string> fields;
};
using ManualHandlingInstructions = std::vector<UniversalOrBmp>;  // SEQUENCE OF (id-hex-10)
using DistributionCodes = std::vector<DistributionCode>;         // SEQUENCE OF (id-hex-7)
using InformationCategories = std::vector<InformationCategory>;  // SEQUENCE OF (id-hex-9)
using CirculationList = std::vector<CirculationMember>;          // SEQUENCE SIZE (2..) OF (id-hex-6)
using BodyPartSignatures = std::vector<BodyPartSignature>;       // SET OF (id-hex-3)

using IpmsExtensionValue = std::variant<
    mts::AbsentValue,            // value left out: DEFAULT NULL
    NullValue,                   // id-hex-0, id-rex-0
    std::int64_t,                // AutoSubmitted ENUMERATED (id-hex-2), Precedence INTEGER (0..127) (id-rex-1)
    Languages,                   // id-hex-1
    AuthorizationTime,           // id-hex-5
    UniversalOrBmp,              // ExtendedSubject (id-hex-8), OriginatorsReference (id-hex-11)
    ManualHandlingInstructions,  // id-hex-10
    Oid,                         // PrecedencePolicyIdentifier (id-hex-12)
    DistributionCodes,           // id-hex-7
    InformationCategories,       // id-hex-9
    CirculationList,             // id-hex-6
    IpmSecurityLabel,            // id-hex-4
    BodyPartSignatures,          // id-hex-3
    RecipientSecurityRequest,    // id-sec-0
    IpnSecurityResponse,         // id-sec-1 (security-common-fields)
    Rfc822FieldList,             // RFC 2156
    mts::EncodedValue>;          // private and unknown extensions: the value's encoding

// The name of an IpmsExtensionValue alternative, by index (for the encoder's refusal).
const char* ipms_extension_value_name(std::size_t index);

// IPMSExtension{} ::= SEQUENCE { type IPMS-EXTENSION.&id (OBJECT IDENTIFIER), value
//   IPMS-EXTENSION.&Type DEFAULT NULL:NULL }
struct IpmsExtension {
  Oid type;
  IpmsExtensionValue value;  // AbsentValue: left out

  // The value as T, or null when it holds another alternative.
  template <class T>
  const T* value_as() const {
    return std::get_if<T>(&value);
  }
  template <class T>
  T* value_as() {
    return std::get_if<T>(&value);
  }
};
// The first extension of `type` in x, or null; its value as T, or null.
const IpmsExtension* find_extension(const std::vector<IpmsExtension>& x, const Oid& type);
template <class T>
const T* find_extension_value(const std::vector<IpmsExtension>& x, const Oid& type) {
  const IpmsExtension* e = find_extension(x, type);
  return e ? e->value_as<T>() : nullptr;
}

struct RecipientSpecifier {
  OrDescriptor recipient;                          // [0]
  std::optional<BitString> notification_requests;  // [1] rn(0), nrn(1), ipm-return(2), an-supported(3), suppress-an(4)
  std::optional<bool> reply_requested;             // [2] DEFAULT FALSE
  std::vector<IpmsExtension> recipient_extensions; // [3] OPTIONAL (empty: absent)
};

// simple NULL
struct SimpleCheckmark {};
// CirculationTime ::= GeneralizedTime
struct CirculationTime {
  Time time;
};
// CirculationSignature ::= SIGNED{SEQUENCE { algorithm-identifier AlgorithmIdentifier,
//   this-IPM ThisIPMField, timestamp CirculationTime }}
struct CirculationSignature {
  mts::AlgorithmIdentifier algorithm_identifier;
  IpmIdentifier this_ipm;
  Time timestamp;
  mts::Signature signature;  // SIGNED{}'s COMPONENTS OF SIGNATURE{}
};
// Checkmark ::= CHOICE { simple NULL, timestamped CirculationTime, signed CirculationSignature }
// (X.420 IPMSHeadingExtensions)
using Checkmark = std::variant<SimpleCheckmark, CirculationTime, CirculationSignature>;

struct CirculationMember {
  RecipientSpecifier circulation_recipient;
  std::optional<Checkmark> checked;
};

struct Heading {  // SET
  // Defined once, in value_types.cpp (see BodyPart): some forty members, three O/R names inline.
  Heading();
  Heading(const Heading&);
  Heading(Heading&&) noexcept;
  Heading& operator=(const Heading&);
  Heading& operator=(Heading&&) noexcept;
  ~Heading();

  IpmIdentifier this_ipm;
  std::optional<OrDescriptor> originator;                   // [0]
  std::vector<OrDescriptor> authorizing_users;              // [1] OPTIONAL
  std::vector<RecipientSpecifier> primary_recipients;       // [2] DEFAULT {}
  std::vector<RecipientSpecifier> copy_recipients;          // [3] DEFAULT {}
  // [4] OPTIONAL: BlindCopyRecipientsField is a SEQUENCE OF with no SIZE, so present and
  // empty (RFC 2156 §5.1.3's "zero length sequence") is a value of its own.
  std::optional<std::vector<RecipientSpecifier>> blind_copy_recipients;
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
  // Not value-initialised by zeroing: the heading is ~9.7 KB (three O/R names
  // inline), and every decode of an IPM starts from an empty one (each member
  // has its own default constructor, so nothing is left indeterminate).
  Ipm() noexcept;
  // Defined once, in value_types.cpp (see BodyPart).
  Ipm(const Ipm&);
  Ipm(Ipm&&) noexcept;
  Ipm& operator=(const Ipm&);
  Ipm& operator=(Ipm&&) noexcept;
  ~Ipm();
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
  // Defined once, in value_types.cpp (see BodyPart).
  Ipn();
  Ipn(const Ipn&);
  Ipn(Ipn&&) noexcept;
  Ipn& operator=(const Ipn&);
  Ipn& operator=(Ipn&&) noexcept;
  ~Ipn();
  CommonFields common;
  IpnFields fields;  // the ASN.1's `choice` [0]
};

// InformationObject ::= CHOICE { ipm [0] IPM, ipn [1] IPN }
using InformationObject = std::variant<Ipm, Ipn>;

}  // namespace mixer::p1::ipms
