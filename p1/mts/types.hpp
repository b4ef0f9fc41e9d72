// p1/mts/types.hpp: plain value types for the X.411 (1999) MTS transfer
// types (MTAAbstractService, MTSAbstractService): MTS-APDU (Message, Probe,
// Report), envelopes, per-recipient fields, trace, extensions. O/R names are
// the addressing/ model (OrName, OrAddress, GlobalDomainIdentifier). Names
// follow the ASN.1. DEFAULT components are optionals, so a value given
// explicitly by a peer is re-encoded as given. A CHOICE is a std::variant
// (MTS-APDU, ContentType, ReportType, ...), its alternatives named after the
// ASN.1; an ExtensionField{}'s value is a variant of the ASN.1 types the
// extension types take, and which one a type takes is the description's to
// say (envelope.hpp): a value built here is trusted for nothing, the encoder
// refuses one whose alternative is not its type's. No behaviour here but
// small accessors (value_as, find_extension).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "addressing/or_address.hpp"
#include "addressing/or_descriptor.hpp"
#include "p1/mts/asn1.hpp"
#include "p1/mts/security_types.hpp"

namespace mixer::p1::mts {

struct MtsIdentifier {  // [APPLICATION 4]
  GlobalDomainIdentifier global_domain_identifier;
  std::string local_identifier;  // IA5String (1..ub-local-id-length)
};

// TeletexNonBasicParameters ::= SET (X.411; T.62): the teletex body part's
// and the 1988 EncodedInformationTypes' non-basic parameters.
struct TeletexNonBasicParameters {
  std::optional<std::string> graphic_character_sets;               // [0] TeletexString (octets)
  std::optional<std::string> control_character_sets;               // [1] TeletexString
  std::optional<Bytes> page_formats;                               // [2] OCTET STRING
  std::optional<std::string> miscellaneous_terminal_capabilities;  // [3] TeletexString
  std::optional<Bytes> private_use;                                // [4] OCTET STRING
};

// EncodedInformationTypes; the non-basic parameters [1] [2] are X.411 1988/1992
// (COMPONENTS OF NonBasicParameters, commented out in the 1999 module) and
// still sent by 1988 MTAs, so they are read and written back as given.
struct EncodedInformationTypes {  // [APPLICATION 5]
  BitString built_in;             // [0] BuiltInEncodedInformationTypes
  std::optional<BitString> g3_facsimile;                 // [1] G3FacsimileNonBasicParameters DEFAULT {}
  std::optional<TeletexNonBasicParameters> teletex;      // [2] TeletexNonBasicParameters DEFAULT {}
  std::vector<Oid> extended;      // [4] OPTIONAL (empty: absent)
};

// BuiltInEncodedInformationTypes bits.
namespace eit {
inline constexpr std::size_t unknown = 0, ia5_text = 2, g3_facsimile = 3, g4_class_1 = 4, teletex = 5,
                             videotex = 6, voice = 7, sfd = 8, mixed_mode = 9;
}

// BuiltInContentType ::= [APPLICATION 6] INTEGER { unidentified(0), external(1),
//   interpersonal-messaging-1984(2), interpersonal-messaging-1988(22), edi-messaging(35),
//   voice-messaging(40) } (0..ub-built-in-content-type)
struct BuiltInContentType {
  std::int64_t value = 22;
};
// ExtendedContentType ::= OBJECT IDENTIFIER (1988 and 1992 MTAs send this form)
struct ExtendedContentType {
  Oid oid;
};
// ExtendedContentType ::= RELATIVE-OID (1999): its contents octets
struct ExtendedRelativeContentType {
  Bytes relative_oid;
};
// ContentType ::= CHOICE { built-in BuiltInContentType, extended ExtendedContentType }, with
// both forms of ExtendedContentType. The delivery envelope's DeliveredContentType (X.420
// forwarded message) has only the first two.
struct ContentType : std::variant<BuiltInContentType, ExtendedContentType, ExtendedRelativeContentType> {
  using Base = std::variant<BuiltInContentType, ExtendedContentType, ExtendedRelativeContentType>;
  using Base::Base;
  static ContentType builtin(std::int64_t v) { return BuiltInContentType{v}; }
  // The built-in content type, or nullopt for an extended one.
  std::optional<std::int64_t> built_in() const {
    if (auto* b = std::get_if<BuiltInContentType>(this)) return b->value;
    return std::nullopt;
  }
  // 2 (P2, 1984) or 22 (P22): the content is an InformationObject.
  bool is_ipm() const {
    auto b = built_in();
    return b && (*b == 2 || *b == 22);
  }
};

// PerMessageIndicators / PerRecipientIndicators / OtherActions bit numbers.
namespace pmi {
inline constexpr std::size_t disclosure_of_other_recipients = 0, implicit_conversion_prohibited = 1,
                             alternate_recipient_allowed = 2, content_return_request = 3, reserved = 4,
                             bit_5 = 5, bit_6 = 6, service_message = 7;
}
namespace pri {
inline constexpr std::size_t responsibility = 0, originating_mta_report = 1, originating_mta_non_delivery_report = 2,
                             originator_report = 3, originator_non_delivery_report = 4;
}

// private-domain SEQUENCE { administration-domain-name [0] AdministrationDomainName,
//                          private-domain-identifier [1] PrivateDomainIdentifier }
struct BilateralPrivateDomain {
  addressing::Text administration_domain_name;
  addressing::Text private_domain_identifier;
};
// domain CHOICE { administration-domain-name AdministrationDomainName, private-domain ... }
// (PerDomainBilateralInformation): the AdministrationDomainName is a Text.
using BilateralDomain = std::variant<addressing::Text, BilateralPrivateDomain>;

// PerDomainBilateralInformation ::= SEQUENCE { country-name CountryName, domain CHOICE {...},
//   bilateral-information BILATERAL.&Type }
struct PerDomainBilateralInformation {
  addressing::Text country_name;
  BilateralDomain domain;
  Bytes bilateral_information;  // BILATERAL.&Type: the encoding, as received
};

struct AdditionalActions {  // COMPONENTS OF in the supplied-information SETs
  std::optional<Time> deferred_time;                                // [1]
  std::optional<EncodedInformationTypes> converted_encoded_information_types;
  std::optional<BitString> other_actions;                           // [3] redirected(0), dl-operation(1)
};

struct DomainSuppliedInformation {
  Time arrival_time;                // [0]
  std::int64_t routing_action = 0;  // [2] relayed(0), rerouted(1)
  std::optional<GlobalDomainIdentifier> attempted_domain;
  AdditionalActions additional_actions;
  std::vector<Bytes> extension_additions;  // after "...": each as its encoding
};

struct TraceInformationElement {
  GlobalDomainIdentifier global_domain_identifier;
  DomainSuppliedInformation domain_supplied_information;
};
using TraceInformation = std::vector<TraceInformationElement>;  // [APPLICATION 9] 1..ub-transfers

// mta MTAName ::= IA5String (SIZE (1..ub-mta-name-length)), the attempted MTA
struct MtaName {
  std::string name;
};
// attempted CHOICE { mta MTAName, domain GlobalDomainIdentifier } (MTASuppliedInformation)
using AttemptedMtaOrDomain = std::variant<MtaName, GlobalDomainIdentifier>;

struct MtaSuppliedInformation {  // SET
  Time arrival_time;                                 // [0]
  std::int64_t routing_action = 0;                   // [2] relayed(0), rerouted(1)
  std::optional<AttemptedMtaOrDomain> attempted;     // OPTIONAL
  AdditionalActions additional_actions;
  std::vector<Bytes> extension_additions;  // after "...": each as its encoding
};

struct InternalTraceInformationElement {
  GlobalDomainIdentifier global_domain_identifier;
  std::string mta_name;
  MtaSuppliedInformation mta_supplied_information;
};
using InternalTraceInformation = std::vector<InternalTraceInformationElement>;

struct Redirection {
  OrName intended_recipient;
  Time redirection_time;
  std::int64_t redirection_reason = 0;
};

struct DlExpansion {  // also OriginatorAndDLExpansion
  OrName dl;
  Time time;
};

struct ReportingMtaName {
  GlobalDomainIdentifier domain;
  std::string mta_name;
  std::optional<NameWire> mta_directory_name;  // [0] Name
};

// ExtensionType ::= CHOICE { standard-extension [0] StandardExtension (INTEGER
// (1..ub-extension-types)), private-extension [3] OBJECT IDENTIFIER }
struct StandardExtension {
  std::int64_t type = 0;  // ext::*
};
struct PrivateExtension {
  Oid type;
};
using ExtensionType = std::variant<StandardExtension, PrivateExtension>;

// The value of an ExtensionField{}, one alternative per ASN.1 type the standard
// extensions take (X.411 §§ "Extension Fields", X.420 for 43 and 44); the extension's
// type says which (extension_value, envelope.hpp: the decoder takes the alternative
// the type gives, the encoder refuses another).

// value [2] absent: DEFAULT NULL:NULL (any type may leave it out)
struct AbsentValue {};
// LatestDeliveryTime ::= Time (5)
struct LatestDeliveryTime {
  Time time;
};
// RequestedDeliveryMethod ::= SEQUENCE OF INTEGER { any-delivery-method(0), mhs-delivery(1), ... }
// (0..ub-integer-options) (6)
struct RequestedDeliveryMethod {
  std::vector<std::int64_t> methods;
};
// PhysicalDeliveryModes ::= BIT STRING { ordinary-mail(0), special-delivery(1), ... } (9)
struct PhysicalDeliveryModes {
  BitString modes;
};
// RecipientNumberForAdvice ::= TeletexString (SIZE (1..ub-recipient-number-for-advice-length)) (11)
struct RecipientNumberForAdvice {
  std::string teletex;  // T.61 octets
};
// PhysicalRenditionAttributes ::= OBJECT IDENTIFIER (12)
struct PhysicalRenditionAttributes {
  Oid oid;
};
// ContentCorrelator ::= CHOICE { ia5text IA5String, octets OCTET STRING } (23)
struct ContentCorrelator : std::variant<std::string, Bytes> {
  using Base = std::variant<std::string, Bytes>;
  using Base::Base;
};
using RedirectionHistory = std::vector<Redirection>;  // SEQUENCE SIZE (1..ub-redirections) OF Redirection (25)
// DLExpansionHistory (26) and OriginatorAndDLExpansionHistory (30): SEQUENCE OF { name, time }
using DlExpansionHistory = std::vector<DlExpansion>;
using DlExemptedRecipients = std::vector<OrName>;  // SET OF ORName (42)
// A private extension's, or an unknown standard extension's, value: its encoding, relayed unchanged.
struct EncodedValue {
  Bytes encoding;
};

using ExtensionValue = std::variant<
    AbsentValue,
    std::int64_t,                  // ENUMERATED 1,3,4,7,8,21,22; INTEGER 10,14 (0..ub-integer-options), 36 SequenceNumber
    OrName,                        // 2 OriginatorRequestedAlternateRecipient, 27 PhysicalForwardingAddress, 31 ReportingDLName
    OrAddress,                     // 13 OriginatorReturnAddress
    LatestDeliveryTime,            // 5
    RequestedDeliveryMethod,       // 6
    PhysicalDeliveryModes,         // 9
    RecipientNumberForAdvice,      // 11
    PhysicalRenditionAttributes,   // 12
    ContentCorrelator,             // 23
    RedirectionHistory,            // 25
    DlExpansionHistory,            // 26, 30
    TraceInformation,              // 37
    InternalTraceInformation,      // 38
    ReportingMtaName,              // 39
    DlExemptedRecipients,          // 42
    SecurityLabel,                 // 20 MessageSecurityLabel
    AlgorithmIdentifier,           // 17 ContentConfidentialityAlgorithmIdentifier
    Certificates,                  // 15, 28, 32, 34
    Token,                         // 16 MessageToken
    Signature,                     // 18, 19, 24, 29, 33, 35 (SIGNATURE{})
    ExtendedCertificates,          // 40 MultipleOriginatorCertificates
    BodyPartTokens,                // 43 (X.420)
    ForwardedContentToken,         // 44 (X.420)
    CertificateSelectors,          // 45, 46
    EncodedValue>;                 // private and unknown extensions

// The name of an ExtensionValue alternative, by index (for the encoder's refusal).
const char* extension_value_name(std::size_t index);

// ExtensionField{} ::= SEQUENCE { type ExtensionType, criticality [1] Criticality DEFAULT {},
//                                 value [2] ExtensionValue DEFAULT NULL:NULL }
struct Extension {
  // The special members are defined once, in p1/mts/value_types.cpp: copying the
  // variant of 26 extension value types is machinery every file that copies an
  // envelope would otherwise instantiate and compile again.
  Extension();
  Extension(const Extension&);
  Extension(Extension&&) noexcept;
  Extension& operator=(const Extension&);
  Extension& operator=(Extension&&) noexcept;
  ~Extension();

  ExtensionType type;
  bool type_explicitly_tagged = false;  // PP's `a0 03 02 01 nn` form (P1-PRIMER §7.3), kept for relaying
  std::optional<BitString> criticality;  // [1] for-submission(0), for-transfer(1), for-delivery(2)
  ExtensionValue value;                  // AbsentValue: [2] left out

  // A standard extension of `type` (ext::*) with its value.
  static Extension standard(std::int64_t type, ExtensionValue value = AbsentValue{});
  // The standard extension type, or nullopt for a private extension.
  std::optional<std::int64_t> standard_type() const {
    if (auto* s = std::get_if<StandardExtension>(&type)) return s->type;
    return std::nullopt;
  }
  bool is(std::int64_t standard) const { return standard_type() == standard; }
  // The value as T, or null when it holds another alternative (or is absent).
  template <class T>
  const T* value_as() const {
    return std::get_if<T>(&value);
  }
  template <class T>
  T* value_as() {
    return std::get_if<T>(&value);
  }
};

namespace ext {
inline constexpr std::int64_t recipient_reassignment_prohibited = 1, originator_requested_alternate_recipient = 2,
                              dl_expansion_prohibited = 3, conversion_with_loss_prohibited = 4,
                              latest_delivery_time = 5, requested_delivery_method = 6,
                              physical_forwarding_prohibited = 7, physical_forwarding_address_request = 8,
                              physical_delivery_modes = 9, registered_mail_type = 10,
                              recipient_number_for_advice = 11, physical_rendition_attributes = 12,
                              originator_return_address = 13, physical_delivery_report_request = 14,
                              originator_certificate = 15, message_token = 16,
                              content_confidentiality_algorithm_identifier = 17, content_integrity_check = 18,
                              message_origin_authentication_check = 19, message_security_label = 20,
                              proof_of_submission_request = 21, proof_of_delivery_request = 22,
                              content_correlator = 23, probe_origin_authentication_check = 24,
                              redirection_history = 25, dl_expansion_history = 26,
                              physical_forwarding_address = 27, recipient_certificate = 28, proof_of_delivery = 29,
                              originator_and_dl_expansion_history = 30, reporting_dl_name = 31,
                              reporting_mta_certificate = 32, report_origin_authentication_check = 33,
                              originating_mta_certificate = 34, proof_of_submission = 35,
                              forwarding_request = 36, trace_information = 37, internal_trace_information = 38, reporting_mta_name = 39,
                              multiple_originator_certificates = 40, dl_exempted_recipients = 42,
                              body_part_encryption_token = 43, forwarded_content_token = 44,
                              certificate_selectors = 45, certificate_selectors_override = 46;
}
const char* extension_name(std::int64_t standard);
using Extensions = std::vector<Extension>;

// The first standard extension of `type` in x, or null.
const Extension* find_extension(const Extensions& x, std::int64_t type);
Extension* find_extension(Extensions& x, std::int64_t type);
// Its value as T, or null when the extension is not there or holds another alternative.
template <class T>
const T* find_extension_value(const Extensions& x, std::int64_t type) {
  const Extension* e = find_extension(x, type);
  return e ? e->value_as<T>() : nullptr;
}

struct PerRecipientMessageTransferFields {  // also the probe's per-recipient fields
  OrName recipient_name;
  std::int64_t originally_specified_recipient_number = 1;  // [0]
  BitString per_recipient_indicators;                      // [1]
  std::optional<std::int64_t> explicit_conversion;         // [2]
  Extensions extensions;                                   // [3] DEFAULT {}
};
using PerRecipientProbeTransferFields = PerRecipientMessageTransferFields;

struct MessageTransferEnvelope {
  MtsIdentifier message_identifier;
  OrName originator_name;
  std::optional<EncodedInformationTypes> original_encoded_information_types;
  ContentType content_type;
  std::optional<std::string> content_identifier;  // [APPLICATION 10] PrintableString
  std::optional<std::int64_t> priority;           // [APPLICATION 7] DEFAULT normal(0)
  std::optional<BitString> per_message_indicators;  // [APPLICATION 8] DEFAULT {}
  std::optional<Time> deferred_delivery_time;     // [0]
  std::vector<PerDomainBilateralInformation> per_domain_bilateral_information;  // [1] OPTIONAL
  TraceInformation trace_information;
  Extensions extensions;                           // [3] DEFAULT {}
  std::vector<PerRecipientMessageTransferFields> per_recipient_fields;  // [2] 1..ub-recipients
};

struct Message {
  MessageTransferEnvelope envelope;
  Bytes content;  // Content ::= OCTET STRING (the IPM for content types 2 and 22)
};

struct ProbeTransferEnvelope {
  MtsIdentifier probe_identifier;
  OrName originator_name;
  std::optional<EncodedInformationTypes> original_encoded_information_types;
  ContentType content_type;
  std::optional<std::string> content_identifier;
  std::optional<std::int64_t> content_length;       // [0]
  std::optional<BitString> per_message_indicators;
  std::vector<PerDomainBilateralInformation> per_domain_bilateral_information;
  TraceInformation trace_information;
  Extensions extensions;
  std::vector<PerRecipientProbeTransferFields> per_recipient_fields;
};
using Probe = ProbeTransferEnvelope;

struct ReportTransferEnvelope {
  MtsIdentifier report_identifier;
  OrName report_destination_name;
  TraceInformation trace_information;
  Extensions extensions;  // [1] DEFAULT {}
};

// DeliveryReport ::= SET { message-delivery-time [0] MessageDeliveryTime,
//                          type-of-MTS-user [1] TypeOfMTSUser DEFAULT public }
struct DeliveryReport {
  Time message_delivery_time;
  std::optional<std::int64_t> type_of_mts_user;  // public(0), private(1), ms(2), dl(3), pdau(4), ...
};
// NonDeliveryReport ::= SET { non-delivery-reason-code [0] NonDeliveryReasonCode,
//                             non-delivery-diagnostic-code [1] NonDeliveryDiagnosticCode OPTIONAL }
struct NonDeliveryReport {
  std::int64_t non_delivery_reason_code = 0;
  std::optional<std::int64_t> non_delivery_diagnostic_code;
};
// ReportType ::= CHOICE { delivery [0] DeliveryReport, non-delivery [1] NonDeliveryReport }
using ReportType = std::variant<DeliveryReport, NonDeliveryReport>;

struct LastTraceInformation {  // SET
  Time arrival_time;  // [0]
  std::optional<EncodedInformationTypes> converted_encoded_information_types;
  ReportType report_type;  // [1]
};

struct PerRecipientReportTransferFields {
  OrName actual_recipient_name;                      // [0]
  std::int64_t originally_specified_recipient_number = 1;  // [1]
  BitString per_recipient_indicators;                // [2]
  LastTraceInformation last_trace_information;       // [3]
  std::optional<OrName> originally_intended_recipient_name;  // [4]
  std::optional<std::string> supplementary_information;     // [5] PrintableString
  Extensions extensions;                             // [6] DEFAULT {}
};

struct ReportTransferContent {
  MtsIdentifier subject_identifier;
  TraceInformation subject_intermediate_trace_information;  // OPTIONAL (empty: absent)
  std::optional<EncodedInformationTypes> original_encoded_information_types;
  std::optional<ContentType> content_type;
  std::optional<std::string> content_identifier;
  std::optional<Bytes> returned_content;           // [1]
  std::optional<Bytes> additional_information;     // [2] its encoding
  Extensions extensions;                           // [3] DEFAULT {}
  std::vector<PerRecipientReportTransferFields> per_recipient_fields;  // [0]
};

// ReportDeliveryArgument (X.411 MTSAbstractService, report-delivery): what the
// MTS delivers to a user for a report; X.420 carries it as the forwarded
// report body part (id-et-report).
struct PerRecipientReportDeliveryFields {  // SET
  OrName actual_recipient_name;                          // [0]
  ReportType report_type;                                // [1]
  std::optional<EncodedInformationTypes> converted_encoded_information_types;  // [APPLICATION 5]
  std::optional<OrName> originally_intended_recipient_name;  // [2]
  std::optional<std::string> supplementary_information;      // [3] PrintableString
  Extensions extensions;                                     // [4] DEFAULT {}
};

struct ReportDeliveryArgument {  // SET { COMPONENTS OF ReportDeliveryEnvelope, returned-content [0] }
  MtsIdentifier subject_submission_identifier;               // [APPLICATION 4]
  std::optional<std::string> content_identifier;             // [APPLICATION 10]
  std::optional<ContentType> content_type;
  std::optional<EncodedInformationTypes> original_encoded_information_types;  // [APPLICATION 5]
  Extensions extensions;                                     // [1] DEFAULT {}
  std::vector<PerRecipientReportDeliveryFields> per_recipient_fields;  // SEQUENCE SIZE (1..ub-recipients)
  std::optional<Bytes> returned_content;                     // [0] Content (OCTET STRING)
};

struct Report {
  ReportTransferEnvelope envelope;
  ReportTransferContent content;
};

// MTS-APDU ::= CHOICE { message [0] Message, probe [2] Probe, report [1] Report } (X.419, IMPLICIT)
using MtsApdu = std::variant<Message, Report, Probe>;

// P3 (MTSAbstractService): the envelope a forwarded content's proof of
// submission covers (X.420 SubmissionProof).

// PerRecipientMessageSubmissionFields ::= SET
struct PerRecipientMessageSubmissionFields {
  OrName recipient_name;                            // RecipientName
  BitString originator_report_request;              // [0] report(3), non-delivery-report(4)
  std::optional<std::int64_t> explicit_conversion;  // [1]
  Extensions extensions;                            // [2] DEFAULT {}
};

// MessageSubmissionEnvelope ::= SET { COMPONENTS OF PerMessageSubmissionFields,
// per-recipient-fields [1] SEQUENCE SIZE (1..ub-recipients) OF ... }
struct MessageSubmissionEnvelope {
  OrName originator_name;
  std::optional<EncodedInformationTypes> original_encoded_information_types;
  ContentType content_type;
  std::optional<std::string> content_identifier;    // [APPLICATION 10]
  std::optional<std::int64_t> priority;             // [APPLICATION 7] DEFAULT normal
  std::optional<BitString> per_message_indicators;  // [APPLICATION 8] DEFAULT {}
  std::optional<Time> deferred_delivery_time;       // [0]
  Extensions extensions;                            // [2] DEFAULT {}
  std::vector<PerRecipientMessageSubmissionFields> per_recipient_fields;  // [1]
};

}  // namespace mixer::p1::mts
