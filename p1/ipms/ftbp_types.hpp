// p1/ipms/ftbp_types.hpp: plain value types of the X.420 file-transfer body
// part (IPMSFileTransferBodyPartType): FileTransferParameters with the related
// stored files, contents type, environment, compression, the file attributes
// (the ISO 8571 FTAM attribute types X.420 imports from ISO8571-FTAM or
// defines after it, and ACSE-1's AP-title / AE-qualifier for the access
// control location) and the IPMS extensions; FileTransferData's EXTERNAL.
// Values only: the descriptions are in ftbp.hpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "p1/mts/or_name.hpp"
#include "p1/mts/types.hpp"

namespace mixer::p1::ipms {

using mts::Bytes;
using mts::BitString;
using mts::OrName;
using mts::Oid;
using mts::Time;

struct IpmsExtension;  // types.hpp

// EXTERNAL's encoding CHOICE { single-ASN1-type [0] ABSTRACT-SYNTAX.&Type, octet-aligned [1]
// OCTET STRING, arbitrary [2] BIT STRING }
struct SingleAsn1Type {
  Bytes encoding;  // the value's encoding
};
struct OctetAligned {
  Bytes octets;
};
using ExternalEncoding = std::variant<SingleAsn1Type, OctetAligned, BitString>;

// ASN.1 EXTERNAL (FileTransferData elements, the private-use attribute).
struct External {
  std::optional<Oid> direct_reference;
  std::optional<std::int64_t> indirect_reference;
  std::optional<std::string> data_value_descriptor;
  ExternalEncoding encoding{std::in_place_type<OctetAligned>};
};

// no-value-available [0] NULL (the FTAM attributes)
struct NoValueAvailable {};
// An FTAM attribute of the CHOICE { no-value-available [0] NULL, actual-values T } shape.
template <class T>
using FtamValue = std::variant<NoValueAvailable, T>;
using FtamDateAndTime = FtamValue<Time>;                  // Date-and-Time-Attribute (GeneralizedTime)
using FtamObjectSize = FtamValue<std::int64_t>;           // Object-Size-Attribute
using FtamObjectAvailability = FtamValue<std::int64_t>;   // immediate-availability(0), deferred-availability(1)
using FtamString = FtamValue<std::string>;  // Account-, User-Identity-, Legal-Qualification-Attribute (GraphicString)

// abstract-Syntax-not-supported [1] NULL
struct AbstractSyntaxNotSupported {};
// Private-Use-Attribute ::= CHOICE { no-value-available [0] NULL, abstract-Syntax-not-supported [1] NULL,
//                                    actual-values [2] EXTERNAL }
using PrivateUse = std::variant<NoValueAvailable, AbstractSyntaxNotSupported, External>;

// Password ::= CHOICE { graphic-string GraphicString, octet-string OCTET STRING }
using Password = std::variant<std::string, Bytes>;

// Access-Passwords ::= SEQUENCE { read-password [0] ... delete-password [7] Password,
//                                 pass-passwords [8] Pass-Passwords, link-password [9] Password }
struct AccessPasswords {
  Password passwords[8];  // read, insert, replace, extend, erase, read-attribute, change-attribute, delete
  std::vector<Password> pass_passwords;
  Password link_password;
};

// ACSE-1 AP-title ::= CHOICE { ap-title-form1 Name, ap-title-form2 OBJECT IDENTIFIER, ...,
// ap-title-form3 PrintableString, ap-title-form4 [0] RELATIVE-OID (its contents octets) }; an
// alternative of the extension we do not know kept as its encoding.
using ApTitle = std::variant<mts::NameWire, Oid, std::string, Bytes, mts::UnknownAlternative>;

// ACSE-1 AE-qualifier ::= ASO-qualifier ::= CHOICE { aso-qualifier-form1 RelativeDistinguishedName,
// aso-qualifier-form2 INTEGER, ..., aso-qualifier-form3 PrintableString, aso-qualifier-form4 [0]
// RELATIVE-OID (its contents octets) }
using AeQualifier = std::variant<mts::RdnWire, std::int64_t, std::string, Bytes, mts::UnknownAlternative>;

// Application-Entity-Title ::= SEQUENCE { ap-title AP-title, ae-qualifier AE-qualifier }
struct ApplicationEntityTitle {
  ApTitle ap_title;
  AeQualifier ae_qualifier;
};

// Concurrency-Access ::= SEQUENCE { read [0] Concurrency-Key, insert [1], replace [2], extend [3],
//   erase [4], read-attribute [5], change-attribute [6], delete-Object [7] } (ISO8571-FTAM)
struct ConcurrencyAccess {
  BitString keys[8];  // Concurrency-Key ::= BIT STRING { not-required(0), shared(1), exclusive(2), no-access(3) }
};

// Access-Control-Element ::= SEQUENCE { action-list [0] Access-Request, concurrency-access [1]
// Concurrency-Access OPTIONAL, identity [2] User-Identity OPTIONAL, passwords [3] Access-Passwords
// OPTIONAL, location [4] Application-Entity-Title OPTIONAL }
struct AccessControlElement {
  BitString action_list;
  std::optional<ConcurrencyAccess> concurrency_access;
  std::optional<std::string> identity;
  std::optional<AccessPasswords> passwords;
  std::optional<ApplicationEntityTitle> location;
};
using FtamAccessControl = FtamValue<std::vector<AccessControlElement>>;  // actual-values [1] SET OF

// Attribute-Extensions ::= SEQUENCE OF SEQUENCE { extension-set-identifier [0] OID,
//   extension-set-attributes [1] SEQUENCE OF SEQUENCE { extension-attribute-identifier OID,
//   extension-attribute TYPE-IDENTIFIER.&Type } } (ISO8571-FTAM; the open type kept as its encoding)
struct ExtensionAttribute {
  Oid extension_attribute_identifier;
  Bytes extension_attribute;
};
struct AttributeExtensionSet {
  Oid extension_set_identifier;
  std::vector<ExtensionAttribute> extension_set_attributes;
};

// Pathname ::= SEQUENCE OF GraphicString, as incomplete-pathname [0] or complete-pathname [23]
struct IncompletePathname {
  std::vector<std::string> pathname;
};
struct CompletePathname {
  std::vector<std::string> pathname;
};
// Pathname-Attribute ::= CHOICE { incomplete-pathname [0] Pathname, complete-pathname [23] Pathname }
using PathnameAttribute = std::variant<IncompletePathname, CompletePathname>;

struct FileAttributes {  // FileTransferParameters [4]
  std::optional<PathnameAttribute> pathname;
  std::optional<BitString> permitted_actions;             // [1] Permitted-Actions-Attribute
  std::optional<FtamString> storage_account;              // [3] Account-Attribute
  // [4] creation, [5] last modification, [6] last read access, [7] last attribute modification
  std::optional<FtamDateAndTime> date_and_time[4];
  // [8] creator, [9] last modifier, [10] last reader, [11] last attribute modifier
  std::optional<FtamString> identity[4];
  std::optional<FtamObjectAvailability> object_availability;      // [12]
  std::optional<FtamObjectSize> object_size, future_object_size;  // [13], [14]
  std::optional<FtamAccessControl> access_control;                // [15]
  std::optional<FtamString> legal_qualifications;                 // [16]
  std::optional<PrivateUse> private_use;                          // [17]
  std::optional<std::vector<AttributeExtensionSet>> attribute_extensions;  // [22]
};

// GeneralIdentifier ::= CHOICE { registered-identifier [0] OID, descriptive-identifier [1] SEQUENCE OF GraphicString }
using GeneralIdentifier = std::variant<Oid, std::vector<std::string>>;

struct EnvironmentParameter {  // FileTransferParameters [2]
  std::optional<GeneralIdentifier> application_reference;  // [0]
  std::optional<GeneralIdentifier> machine;                // [1]
  std::optional<Oid> operating_system;                     // [2]
  std::vector<std::string> user_visible_string;            // [3] SEQUENCE OF GraphicString OPTIONAL (empty: absent)
};

struct CompressionParameter {  // FileTransferParameters [3]
  Oid compression_algorithm_id;      // [0] COMPRESSION-ALGORITHM.&id
  Bytes compression_algorithm_param; // [1] its &Type (open type, explicit): the value's encoding
};

// MessageReference ::= SET { user [0] ORName OPTIONAL, user-relative-identifier [1] PrintableString }
struct MessageReference {
  std::optional<OrName> user;
  std::string user_relative_identifier;
};

// pathname-and-version [0] SEQUENCE { pathname [0] Pathname-Attribute, file-version [1] GraphicString OPTIONAL }
struct PathnameAndVersion {
  PathnameAttribute pathname;
  std::optional<std::string> file_version;
};
// cross-reference [1] SEQUENCE { application-cross-reference [0] OCTET STRING, message-reference [1]
//   MessageReference OPTIONAL, body-part-reference [2] INTEGER OPTIONAL }
struct CrossReference {
  Bytes application_cross_reference;
  std::optional<MessageReference> message_reference;
  std::optional<std::int64_t> body_part_reference;
};
// FileIdentifier ::= CHOICE { pathname-and-version [0], cross-reference [1] }
using FileIdentifier = std::variant<PathnameAndVersion, CrossReference>;

// Relationship ::= CHOICE { explicit-relationship [0] ExplicitRelationship (INTEGER { unspecified(0),
//   new-file(1), replacement(2), extension(3) }), descriptive-relationship [1] GraphicString }
using Relationship = std::variant<std::int64_t, std::string>;

// RelatedStoredFile ::= SET OF SEQUENCE { file-identifier, relationship DEFAULT explicit-relationship:unspecified }
struct RelatedStoredFile {
  FileIdentifier file_identifier;
  std::optional<Relationship> relationship;
};

// document-type [0] SEQUENCE { document-type-name Document-Type-Name, parameter [0]
//   DOCUMENT-PARAMETER.&Type OPTIONAL }
struct DocumentType {
  Oid document_type_name;
  // [0] DOCUMENT-PARAMETER.&Type (explicit): its identity is the document type, and no module
  // we build from defines one (ISO 8571-2's document types are not ASN.1 modules): its encoding.
  std::optional<Bytes> parameter;
};
// constraint-set-and-abstract-syntax [1] SEQUENCE { constraint-set-name, abstract-syntax-name }
struct ConstraintSetAndAbstractSyntax {
  Oid constraint_set_name;
  Oid abstract_syntax_name;
};
// ContentsTypeParameter ::= Contents-Type-Attribute ::= CHOICE { document-type [0],
//   constraint-set-and-abstract-syntax [1] }
using ContentsType = std::variant<DocumentType, ConstraintSetAndAbstractSyntax>;

struct FileTransferParameters {
  std::optional<std::vector<RelatedStoredFile>> related_stored_file;  // [0]
  std::optional<ContentsType> contents_type;  // [1] (absent: DEFAULT unstructured-binary)
  std::optional<EnvironmentParameter> environment;  // [2]
  std::optional<CompressionParameter> compression;  // [3]
  std::optional<FileAttributes> file_attributes;   // [4]
  std::optional<std::vector<IpmsExtension>> extensions;  // [5] ExtensionsField
};

}  // namespace mixer::p1::ipms
