// p1/mts/security_types.hpp: plain value types for the security values X.411
// carries in its extensions, at the X.509 (2019) structural level: SIGNATURE{},
// Certificate / Certificates, CertificateAssertion with GeneralName(s), the
// message Token with its asymmetric token and TokenData, CertificateSelectors,
// and X.420's BodyPartTokens and ForwardedContentToken. Names follow the
// ASN.1; DEFAULT components are optionals (a value given explicitly is
// re-encoded as given); a CHOICE is a std::variant (ExtendedCertificate,
// GeneralName, AltNameType, the token's name, the body part choices); open
// types of unknown identity are their encoding. Nothing here is verified:
// no behaviour, only values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "addressing/or_address.hpp"
#include "addressing/or_descriptor.hpp"
#include "p1/mts/asn1.hpp"

namespace mixer::p1::mts {

using addressing::GlobalDomainIdentifier;
using addressing::OrAddress;
using addressing::OrName;
using Time = std::string;  // UTCTime / GeneralizedTime text, as received ("261123104015Z")

struct SecurityCategory {
  Oid type;     // [0] SECURITY-CATEGORY.&id
  Bytes value;  // [1] its value's encoding
};

// SecurityLabel (X.411): message-security-label, and the IPM security label of X.420.
struct SecurityLabel {
  std::optional<Oid> security_policy_identifier;
  std::optional<std::int64_t> security_classification;  // unmarked(0) .. top-secret(5)
  std::optional<std::string> privacy_mark;               // PrintableString (1..ub-privacy-mark-length)
  std::vector<SecurityCategory> security_categories;     // OPTIONAL (empty: absent)
};

struct AlgorithmIdentifier {  // X.509
  Oid algorithm;
  std::optional<Bytes> parameters;  // its encoding
};

// X.501 Name (RDNSequence): each attribute value held as its encoding; the
// certificate descriptions show universal string values as text (certificate.hpp).
struct AttributeValueAssertionWire {
  Oid type;
  Bytes value;  // the value's encoding
  bool operator==(const AttributeValueAssertionWire&) const = default;
};
using RdnWire = std::vector<AttributeValueAssertionWire>;
using NameWire = std::vector<RdnWire>;  // RDNSequence

// X.509 SIGNATURE{} ::= SEQUENCE { algorithmIdentifier, encrypted BIT STRING }: the
// integrity and authentication checks and proofs of X.411 (content-integrity-check,
// message/probe/report-origin-authentication-check, proof-of-submission/delivery).
struct Signature {
  AlgorithmIdentifier algorithm;
  BitString encrypted;
};

// X.509 Time ::= CHOICE { utcTime UTCTime, generalizedTime GeneralizedTime }
struct X509Time {
  bool generalized = false;
  Time value;
};

struct SubjectPublicKeyInfo {  // SEQUENCE { algorithm, subjectPublicKey BIT STRING }
  AlgorithmIdentifier algorithm;
  BitString subject_public_key;
};

// X.509 Extension ::= SEQUENCE { extnId, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
struct CertificateExtension {
  Oid extn_id;
  std::optional<bool> critical;
  Bytes extn_value;  // OCTET STRING (CONTAINING the extension's DER): its octets
};

// X.509 Certificate ::= SIGNED{TBSCertificate}. The toBeSigned is typed and
// also kept as received (the signature covers those octets).
struct Certificate {
  std::optional<std::int64_t> version;     // [0] EXPLICIT Version DEFAULT v1(0)
  Bytes serial_number;                     // CertificateSerialNumber: the INTEGER's contents octets
  AlgorithmIdentifier signature;           // the TBS copy of the algorithm
  NameWire issuer;
  bool not_before_generalized = false;     // Validity: Time CHOICE { UTCTime, GeneralizedTime }
  Time not_before;
  bool not_after_generalized = false;
  Time not_after;
  NameWire subject;
  SubjectPublicKeyInfo subject_public_key_info;
  std::optional<BitString> issuer_unique_identifier;   // [1]
  std::optional<BitString> subject_unique_identifier;  // [2]
  std::vector<CertificateExtension> extensions;        // [3] EXPLICIT Extensions OPTIONAL (empty: absent)
  ReceivedEncoding to_be_signed_received;              // the toBeSigned's octets, as received
  Signature signed_by;                                 // COMPONENTS OF SIGNATURE
};

using CrossCertificates = std::vector<Certificate>;  // SET SIZE (1..MAX) OF Certificate

// X.509 Certificates ::= SEQUENCE { userCertificate, certificationPath ForwardCertificationPath OPTIONAL }:
// originator-, recipient-, reporting-MTA- and originating-MTA-certificate.
struct Certificates {
  Certificate user_certificate;
  std::vector<CrossCertificates> certification_path;  // SEQUENCE SIZE (1..MAX) OF CrossCertificates (empty: absent)
};

// ExtendedCertificate ::= CHOICE { directory-entry [0] Name, certificate [1] Certificates }
// (X.411; ExtendedCertificates is a SET OF them).
using ExtendedCertificate = std::variant<NameWire, Certificates>;
using ExtendedCertificates = std::vector<ExtendedCertificate>;  // SET SIZE (1..ub-certificates) OF

// UnboundedDirectoryString ::= CHOICE { teletexString, printableString, bmpString,
// universalString, uTF8String } (X.520), as the string kind and its text.
struct DirectoryString {
  StringKind kind = StringKind::utf8;
  std::string text;
};

struct EdiPartyName {  // SEQUENCE { nameAssigner [0] OPTIONAL, partyName [1], ... }
  std::optional<DirectoryString> name_assigner;
  DirectoryString party_name;
  std::vector<Bytes> extension_additions;  // after "...": each as its encoding
};

// An alternative of an extensible CHOICE added after its "..." that we do not know: its encoding.
struct UnknownAlternative {
  Bytes encoding;
};

// otherName [0] INSTANCE OF OTHER-NAME: its type-id and its [0] value's encoding
struct OtherName {
  Oid type_id;
  Bytes value;
};
struct Rfc822Name {  // [1] IA5String
  std::string address;
};
struct DnsName {  // [2] IA5String
  std::string name;
};
struct UniformResourceIdentifier {  // [6] IA5String
  std::string uri;
};
struct IpAddress {  // [7] OCTET STRING
  Bytes octets;
};
// GeneralName ::= CHOICE { otherName [0], rfc822Name [1], dNSName [2], x400Address [3] ORAddress,
// directoryName [4] Name, ediPartyName [5], uniformResourceIdentifier [6], iPAddress [7],
// registeredID [8] OBJECT IDENTIFIER, ... } (X.509 CertificateExtensions).
using GeneralName = std::variant<OtherName, Rfc822Name, DnsName, OrAddress, NameWire, EdiPartyName,
                                 UniformResourceIdentifier, IpAddress, Oid, UnknownAlternative>;
using GeneralNames = std::vector<GeneralName>;  // SEQUENCE SIZE (1..MAX)

struct AuthorityKeyIdentifier {  // SEQUENCE { [0] keyIdentifier, [1] GeneralNames, [2] serial, ... }
  std::optional<Bytes> key_identifier;
  GeneralNames authority_cert_issuer;                  // OPTIONAL (empty: absent)
  std::optional<Bytes> authority_cert_serial_number;  // INTEGER contents octets
  std::vector<Bytes> extension_additions;
};

// AltNameType ::= CHOICE { builtinNameForm ENUMERATED { rfc822Name(1), ... registeredId(8) },
// otherNameForm OBJECT IDENTIFIER, ... }
using AltNameType = std::variant<std::int64_t, Oid, UnknownAlternative>;

struct GeneralSubtree {  // SEQUENCE { base, minimum [0] DEFAULT 0, maximum [1] OPTIONAL, ... }
  GeneralName base;
  std::optional<std::int64_t> minimum;
  std::optional<std::int64_t> maximum;
  std::vector<Bytes> extension_additions;
};

struct NameConstraintsSyntax {  // SEQUENCE { permittedSubtrees [0], excludedSubtrees [1], ... }
  std::vector<GeneralSubtree> permitted_subtrees;  // OPTIONAL (empty: absent)
  std::vector<GeneralSubtree> excluded_subtrees;
  std::vector<Bytes> extension_additions;
};

// CertificateAssertion (X.509 CertificateExtensions, 2019): how an X.400 peer
// selects a certificate (X.411 CertificateSelectors, X.420 tokens and signatures).
struct CertificateAssertion {
  std::optional<Bytes> serial_number;                   // [0] INTEGER contents octets
  std::optional<NameWire> issuer;                       // [1]
  std::optional<Bytes> subject_key_identifier;          // [2]
  std::optional<AuthorityKeyIdentifier> authority_key_identifier;  // [3]
  std::optional<X509Time> certificate_valid;            // [4]
  std::optional<Time> private_key_valid;                // [5] GeneralizedTime
  std::optional<Oid> subject_public_key_alg_id;         // [6]
  std::optional<BitString> key_usage;                   // [7]
  std::optional<AltNameType> subject_alt_name;          // [8]
  std::vector<Oid> policy;                              // [9] CertPolicySet (empty: absent)
  std::optional<NameWire> path_to_name;                 // [10]
  std::optional<NameWire> subject;                      // [11]
  std::optional<NameConstraintsSyntax> name_constraints;  // [12]
  std::vector<Bytes> extension_additions;               // after "...": each as its encoding
};

// X.411 CertificateSelectors ::= SET { encryption-recipient [0], encryption-originator [1],
// content-integrity-check [2], token-signature [3], message-origin-authentication [4] }
struct CertificateSelectors {
  std::optional<CertificateAssertion> encryption_recipient;
  std::optional<CertificateAssertion> encryption_originator;
  std::optional<CertificateAssertion> content_integrity_check;
  std::optional<CertificateAssertion> token_signature;
  std::optional<CertificateAssertion> message_origin_authentication;
};

// MessageTokenSignedData ::= SEQUENCE (X.411 TokenData type 2)
struct MessageTokenSignedData {
  std::optional<AlgorithmIdentifier> content_confidentiality_algorithm_identifier;  // [0]
  std::optional<Signature> content_integrity_check;                                 // [1]
  std::optional<SecurityLabel> message_security_label;                              // [2]
  std::optional<std::int64_t> proof_of_delivery_request;                            // [3] ENUMERATED
  std::optional<std::int64_t> message_sequence_number;                              // [4]
};

// MessageTokenEncryptedData ::= SEQUENCE (X.411 TokenData type 3)
struct MessageTokenEncryptedData {
  std::optional<BitString> content_confidentiality_key;  // [0] EncryptionKey
  std::optional<Signature> content_integrity_check;      // [1]
  std::optional<SecurityLabel> message_security_label;   // [2]
  std::optional<BitString> content_integrity_key;        // [3] EncryptionKey
  std::optional<std::int64_t> message_sequence_number;   // [4]
};

// TokenData ::= SEQUENCE { type [0] TOKEN-DATA.&id, value [1] TOKEN-DATA.&Type }
struct TokenData {
  enum Type { bind_token_signed_data = 1, message_token_signed_data = 2, message_token_encrypted_data = 3,
              bind_token_encrypted_data = 4 };
  std::int64_t type = message_token_signed_data;
  BitString random_number;                  // 1 BindTokenSignedData ::= RandomNumber (BIT STRING)
  MessageTokenSignedData signed_data;       // 2
  MessageTokenEncryptedData encrypted_data; // 3
  Bytes value;  // 4 BindTokenEncryptedData (EXTERNAL) and unknown types: the value's encoding
};

// mta [3] SEQUENCE { global-domain-identifier GlobalDomainIdentifier OPTIONAL, mta-name MTAName }
struct TokenMta {
  std::optional<GlobalDomainIdentifier> global_domain_identifier;
  std::string mta_name;  // MTAName IA5String
};

// The AsymmetricToken's toBeSigned SEQUENCE (X.411).
struct AsymmetricTokenToBeSigned {
  AlgorithmIdentifier signature_algorithm_identifier;
  std::variant<OrName, TokenMta> name;              // CHOICE { recipient-name RecipientName, mta [3] }
  Time time;                                        // UTCTime
  std::optional<TokenData> signed_data;             // [0]
  std::optional<AlgorithmIdentifier> encryption_algorithm_identifier;  // [1]
  std::optional<BitString> encrypted_data;          // [2] ENCRYPTED{TokenData}
};

// X.411 Token ::= SEQUENCE { token-type-identifier [0] OID, token [1] (explicit open type) }.
// The asymmetric token (id-tok-asymmetricToken) is SIGNED{...}: typed, its
// toBeSigned also kept as received; other token types keep their value's encoding.
struct Token {
  Oid type;
  AsymmetricTokenToBeSigned to_be_signed;
  ReceivedEncoding to_be_signed_received;
  Signature signed_by;
  Bytes value;  // other token types: the value's encoding
  bool asymmetric() const { return type == Oid{2, 6, 3, 6, 0}; }
};

// X.420 EncryptionToken ::= SET { encryption-algorithm-identifier, encrypted-key
// ENCRYPTED{EncryptionKey}, [0] [2] CertificateAssertion, [1] Certificates, [3] ExtendedCertificates, ... }
struct EncryptionToken {
  AlgorithmIdentifier encryption_algorithm_identifier;
  BitString encrypted_key;
  std::optional<CertificateAssertion> recipient_certificate_selector;   // [0]
  std::optional<Certificates> recipient_certificate;                    // [1]
  std::optional<CertificateAssertion> originator_certificate_selector;  // [2]
  std::vector<ExtendedCertificate> originator_certificates;             // [3] OPTIONAL (empty: absent)
  std::vector<Bytes> extension_additions;                               // after "...": each as its encoding
};

// X.420 BodyPartTokens ::= SET OF SET { body-part-number, body-part-choice CHOICE {
// encryption-token EncryptionToken, message-or-content-body-part [0] BodyPartTokens } }
struct BodyPartToken {
  std::int64_t body_part_number = 1;
  // body-part-choice: encryption-token | message-or-content-body-part [0] BodyPartTokens
  std::variant<EncryptionToken, std::vector<BodyPartToken>> body_part_choice;
};
using BodyPartTokens = std::vector<BodyPartToken>;

// X.420 ForwardedContentToken ::= SET OF SET { body-part-number, body-part-choice CHOICE {
// forwarding-token MessageToken, message-or-content-body-part ForwardedContentToken } }
struct ForwardedContentTokenElement {
  std::int64_t body_part_number = 1;
  // body-part-choice: forwarding-token MessageToken | message-or-content-body-part ForwardedContentToken
  std::variant<Token, std::vector<ForwardedContentTokenElement>> body_part_choice;
};
using ForwardedContentToken = std::vector<ForwardedContentTokenElement>;

}  // namespace mixer::p1::mts
