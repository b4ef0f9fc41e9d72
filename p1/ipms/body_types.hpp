// p1/ipms/body_types.hpp: plain value types of the X.420 IPM body: BodyPart as
// a std::variant with one alternative per body part type (the basic types of
// IPMSInformationObjects, the 1984 tlx/voice/sfd kept as encodings, and the
// extended types of IPMSExtendedBodyPartTypes, IPMSForwardedContentBodyPartType,
// IPMSForwardedReportBodyPartType, IPMSFileTransferBodyPartType and RFC 2157's
// MIME body part), with what a forwarded message, content, notification or
// report carries. The forwarded IPM and IPN are held in mts::Box (the types
// recurse through the body). Values only: the descriptions are in body.hpp;
// nothing here is checked.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/boxed.hpp"
#include "p1/ipms/ftbp_types.hpp"
#include "p1/mts/box.hpp"
#include "p1/mts/types.hpp"

namespace mixer::p1::ipms {

struct Ipm;  // types.hpp
struct Ipn;

// OtherMessageDeliveryFields (X.411), the delivery envelope of a forwarded message.
struct OtherMessageDeliveryFields {
  mts::ContentType content_type;          // DeliveredContentType: built-in [0] | extended
  OrName originator_name;
  std::optional<mts::EncodedInformationTypes> original_encoded_information_types;  // [1]
  std::optional<std::int64_t> priority;
  std::optional<BitString> delivery_flags;            // [2]
  std::vector<OrName> other_recipient_names;          // [3] OPTIONAL
  OrName this_recipient_name;                         // [4]
  std::optional<OrName> originally_intended_recipient_name;  // [5]
  std::optional<mts::EncodedInformationTypes> converted_encoded_information_types;  // [6]
  Time message_submission_time;                       // [7]
  std::optional<std::string> content_identifier;      // [8]
  mts::Extensions extensions;                         // [9] DEFAULT {}
};

// SubmissionProof ::= SET { proof-of-submission [0] ProofOfSubmission (SIGNATURE{}),
// originating-MTA-certificate [1] Certificates, message-submission-envelope (X.411 P3
// MessageSubmissionEnvelope) } (IPMSForwardedContentBodyPartType).
struct SubmissionProof {
  mts::Signature proof_of_submission;
  mts::Certificates originating_mta_certificate;
  mts::MessageSubmissionEnvelope message_submission_envelope;
};

// EncryptedParameters ::= SET { algorithm-identifier AlgorithmIdentifier,
//   originator-certificates ExtendedCertificates OPTIONAL, ... }
struct EncryptedParameters {
  mts::AlgorithmIdentifier algorithm_identifier;
  std::vector<mts::ExtendedCertificate> originator_certificates;  // OPTIONAL, SIZE (1..): empty is absent
  std::vector<Bytes> extension_additions;  // components after the "...", each as its encoding
};

struct MimeParameters {  // RFC 2157 §3.1.2
  std::string content_type;
  std::vector<std::pair<std::string, std::string>> content_parameters;
  std::vector<std::string> other_header_fields;  // RFC822FieldList
};

// MessageParameters ::= SET { delivery-time [0] MessageDeliveryTime OPTIONAL,
//   delivery-envelope [1] OtherMessageDeliveryFields OPTIONAL } (message and notification body parts)
// The delivery envelope (three O/R names, 10 KB) is on the heap (base::Boxed), so
// that every BodyPart, whatever its type, is not that large to make, zero and move.
struct MessageParameters {
  std::optional<Time> delivery_time;
  base::Boxed<OtherMessageDeliveryFields> delivery_envelope;
};

// ForwardedContentParameters ::= SET { delivery-time [0] OPTIONAL, delivery-envelope [1] OPTIONAL,
//   mts-identifier [2] MessageDeliveryIdentifier OPTIONAL, submission-proof [3] SubmissionProof OPTIONAL }
struct ForwardedContentParameters {
  std::optional<Time> delivery_time;
  base::Boxed<OtherMessageDeliveryFields> delivery_envelope;  // on the heap, as in MessageParameters
  std::optional<mts::MtsIdentifier> mts_identifier;
  base::Boxed<SubmissionProof> submission_proof;  // on the heap: large and rare
};

// ---- the body part types: one alternative of BodyPart each

// [0] IA5TextBodyPart ::= SEQUENCE { parameters IA5TextParameters (SET { repertoire [0]
//   Repertoire DEFAULT ia5 }), data IA5TextData (IA5String) }; extended: id-et/id-ep-ia5-text
struct Ia5TextBodyPart {
  std::optional<std::int64_t> repertoire;  // ita2(2), ia5(5)
  std::string text;
};
// [1] tlx (X.420 1984): IMPLICIT SEQUENCE { SET, BIT STRING }, its components as encodings
struct Tlx1984BodyPart {
  std::vector<Bytes> components;
};
// [2] voice (X.420 1984): IMPLICIT SEQUENCE { SET, BIT STRING }, its components as encodings
struct Voice1984BodyPart {
  std::vector<Bytes> components;
};
// [3] G3FacsimileBodyPart ::= SEQUENCE { parameters G3FacsimileParameters (SET { number-of-pages
//   [0] INTEGER OPTIONAL, non-basic-parameters [1] G3FacsimileNonBasicParameters OPTIONAL }),
//   data G3FacsimileData (SEQUENCE OF BIT STRING) }
struct G3FacsimileBodyPart {
  std::optional<std::int64_t> number_of_pages;
  std::optional<BitString> non_basic_parameters;
  std::vector<BitString> pages;
};
// [4] G4Class1BodyPart ::= SEQUENCE OF Interchange-Data-Element (each as its encoding)
struct G4Class1BodyPart {
  std::vector<Bytes> elements;
};
// [5] TeletexBodyPart ::= SEQUENCE { parameters TeletexParameters (SET { number-of-pages [0]
//   OPTIONAL, telex-compatible [1] BOOLEAN DEFAULT FALSE, non-basic-parameters [2]
//   TeletexNonBasicParameters OPTIONAL }), data TeletexData (SEQUENCE OF TeletexString) }
struct TeletexBodyPart {
  std::optional<std::int64_t> number_of_pages;
  std::optional<bool> telex_compatible;
  std::optional<mts::TeletexNonBasicParameters> non_basic_parameters;
  std::vector<std::string> pages;  // T.61 octets
};
// [6] VideotexBodyPart ::= SEQUENCE { parameters VideotexParameters (SET { syntax [0]
//   VideotexSyntax OPTIONAL }), data VideotexData (VideotexString) }
struct VideotexBodyPart {
  std::optional<std::int64_t> syntax;  // ids(0), data-syntax1(1), data-syntax2(2), data-syntax3(3)
  std::string data;                    // VideotexString octets
};
// [7] NationallyDefinedBodyPart ::= NATIONAL-BODY-PARTS.&Type (an open type): its encoding
struct NationallyDefinedBodyPart {
  Bytes encoding;
};
// [8] EncryptedBodyPart ::= SEQUENCE { parameters EncryptedParameters, data EncryptedData (BIT STRING) }
struct EncryptedBodyPart {
  EncryptedParameters parameters;
  BitString data;
};
// [9] MessageBodyPart ::= SEQUENCE { parameters MessageParameters, data MessageData (IPM) }
struct MessageBodyPart {
  MessageParameters parameters;
  mts::Box<Ipm> ipm;
};
// [10] sfd (X.420 1984): IMPLICIT SFD.Document, its components as encodings
struct Sfd1984BodyPart {
  std::vector<Bytes> components;
};
// [11] MixedModeBodyPart ::= SEQUENCE OF Interchange-Data-Element (each as its encoding)
struct MixedModeBodyPart {
  std::vector<Bytes> elements;
};
// [14] BilaterallyDefinedBodyPart ::= OCTET STRING
struct BilaterallyDefinedBodyPart {
  Bytes octets;
};
// GeneralTextBodyPart ::= SEQUENCE { parameters GeneralTextParameters (SET OF
//   CharacterSetRegistration), data GeneralTextData (GeneralString) } (extended only)
struct GeneralTextBodyPart {
  std::vector<std::int64_t> character_sets;
  std::string text;  // GeneralString octets
};
// VoiceBodyPart ::= SEQUENCE { parameters VoiceParameters (SEQUENCE { voice-message-duration [0]
//   INTEGER OPTIONAL, voice-encoding-type [1] OBJECT IDENTIFIER, supplementary-information [2]
//   IA5String OPTIONAL }), data VoiceData (OCTET STRING) } (extended only)
struct VoiceBodyPart {
  std::optional<std::int64_t> voice_message_duration;
  Oid voice_encoding_type;
  std::optional<std::string> supplementary_information;
  Bytes data;
};
// FileTransferBodyPart ::= SEQUENCE { parameters FileTransferParameters, data FileTransferData
//   (SEQUENCE OF EXTERNAL) } (extended only; ftbp_types.hpp)
struct FileTransferBodyPart {
  FileTransferParameters parameters;
  std::vector<External> data;
};
// ForwardedContentBodyPart: parameters ForwardedContentParameters, data ForwardedContent (the
// content's octets), both type-ids id-et/id-ep-content followed by the content type's arcs.
struct ForwardedContentBodyPart {
  Oid content_type_suffix;  // id-et-content.<this>
  ForwardedContentParameters parameters;
  Bytes content;
};
// RFC 2157 MIME body part: parameters MimeParameters (id-mime-bp-parameters), data OCTET STRING
// (id-mime-bp-data)
struct MimeBodyPart {
  MimeParameters parameters;
  Bytes data;
};
// notification-body-part (IPMSForwardedReportBodyPartType, id-et/id-ep-notification):
// parameters MessageParameters, data IPN
struct NotificationBodyPart {
  MessageParameters parameters;
  mts::Box<Ipn> ipn;
};
// report-body-part (id-et-report): data ReportDeliveryArgument (X.411), no parameters
struct ReportBodyPart {
  mts::ReportDeliveryArgument report;
};
// An extended body part whose type we do not know: its type identifiers and its values' encodings.
struct OtherExtendedBodyPart {
  Oid parameters_type;  // when BodyPart::parameters_present
  Bytes parameters;
  Oid data_type;
  Bytes data;
};

// BodyPart ::= CHOICE { basic CHOICE { ia5-text [0], g3-facsimile [3], g4-class1 [4], teletex [5],
//   videotex [6], encrypted [8], message [9], mixed-mode [11], bilaterally-defined [14],
//   nationally-defined [7] } (and the 1984 tlx [1], voice [2], sfd [10]), extended [15]
//   ExtendedBodyPart{} }
using BodyPartType =
    std::variant<Ia5TextBodyPart, Tlx1984BodyPart, Voice1984BodyPart, G3FacsimileBodyPart, G4Class1BodyPart,
                 TeletexBodyPart, VideotexBodyPart, NationallyDefinedBodyPart, EncryptedBodyPart, MessageBodyPart,
                 Sfd1984BodyPart, MixedModeBodyPart, BilaterallyDefinedBodyPart, GeneralTextBodyPart, VoiceBodyPart,
                 FileTransferBodyPart, ForwardedContentBodyPart, MimeBodyPart, NotificationBodyPart, ReportBodyPart,
                 OtherExtendedBodyPart>;

// Whether the type held has a basic form (the alternatives before GeneralTextBodyPart).
inline bool has_basic_form(const BodyPartType& t) {
  return t.index() < mts::variant_index<GeneralTextBodyPart, BodyPartType>;
}

// The special members are defined once, in p1/ipms/value_types.cpp: copying the
// variant of 21 body part types (one of them an IPM) is machinery every file that
// copies an IPM would otherwise instantiate and compile again.
struct BodyPart {
  BodyPart();
  BodyPart(BodyPartType t);  // NOLINT: a body part type is a body part
  BodyPart(const BodyPart&);
  BodyPart(BodyPart&&) noexcept;
  BodyPart& operator=(const BodyPart&);
  BodyPart& operator=(BodyPart&&) noexcept;
  ~BodyPart();

  BodyPartType type;
  // How it was, or is to be, written (they apply to every type):
  bool extended_form = false;      // a type with a basic form written as ExtendedBodyPart [15]
  bool parameters_present = true;  // extended [15]: the [0] parameters given (types that have them)

  // The type held as T, or null.
  template <class T>
  const T* as() const {
    return std::get_if<T>(&type);
  }
  template <class T>
  T* as() {
    return std::get_if<T>(&type);
  }
  // Written as ExtendedBodyPart [15].
  bool extended() const { return extended_form || !has_basic_form(type); }
};

}  // namespace mixer::p1::ipms
