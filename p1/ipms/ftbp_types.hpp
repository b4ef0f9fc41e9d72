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

// ASN.1 EXTERNAL (FileTransferData elements, the private-use attribute).
struct External {
  std::optional<Oid> direct_reference;
  std::optional<std::int64_t> indirect_reference;
  std::optional<std::string> data_value_descriptor;
  int encoding = 1;     // 0 single-ASN1-type, 1 octet-aligned, 2 arbitrary
  Bytes single_asn1_type;  // the value's encoding
  Bytes octet_aligned;
  BitString arbitrary;
};

// An FTAM attribute of the CHOICE { no-value-available [0] NULL, actual-values T } shape.
template <class T>
struct FtamValue {
  bool no_value_available = false;
  T actual_value{};
};
using FtamDateAndTime = FtamValue<Time>;                  // Date-and-Time-Attribute (GeneralizedTime)
using FtamObjectSize = FtamValue<std::int64_t>;           // Object-Size-Attribute
using FtamObjectAvailability = FtamValue<std::int64_t>;   // immediate-availability(0), deferred-availability(1)
using FtamString = FtamValue<std::string>;  // Account-, User-Identity-, Legal-Qualification-Attribute (GraphicString)

// Private-Use-Attribute ::= CHOICE { no-value-available [0] NULL, abstract-Syntax-not-supported [1] NULL,
//                                    actual-values [2] EXTERNAL }
struct PrivateUse {
  int which = 2;
  External actual_values;
};

// Password ::= CHOICE { graphic-string GraphicString, octet-string OCTET STRING }
struct Password {
  int which = 0;
  std::string graphic_string;
  Bytes octet_string;
};

// Access-Passwords ::= SEQUENCE { read-password [0] ... delete-password [7] Password,
//                                 pass-passwords [8] Pass-Passwords, link-password [9] Password }
struct AccessPasswords {
  Password passwords[8];  // read, insert, replace, extend, erase, read-attribute, change-attribute, delete
  std::vector<Password> pass_passwords;
  Password link_password;
};

// ACSE-1 AP-title ::= CHOICE { ap-title-form1 Name, ap-title-form2 OID, ..., ap-title-form3
// PrintableString, ap-title-form4 [0] RELATIVE-OID }; an alternative of the extension kept as its encoding.
struct ApTitle {
  int which = 1;  // 0..3 form1..form4, 4 an unknown alternative
  mts::NameWire form1;
  Oid form2;
  std::string form3;
  Bytes form4;    // the RELATIVE-OID's contents octets
  Bytes unknown;  // its encoding
};

// ACSE-1 AE-qualifier ::= ASO-qualifier ::= CHOICE { aso-qualifier-form1 RelativeDistinguishedName,
// aso-qualifier-form2 INTEGER, ..., aso-qualifier-form3 PrintableString, aso-qualifier-form4 [0] RELATIVE-OID }
struct AeQualifier {
  int which = 1;  // 0..3 form1..form4, 4 an unknown alternative
  mts::RdnWire form1;
  std::int64_t form2 = 0;
  std::string form3;
  Bytes form4;
  Bytes unknown;
};

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

// Pathname-Attribute ::= CHOICE { incomplete-pathname [0] Pathname, complete-pathname [23] Pathname }
struct PathnameAttribute {
  int which = 0;
  std::vector<std::string> pathname;  // Pathname ::= SEQUENCE OF GraphicString
};

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
struct GeneralIdentifier {
  int which = 0;
  Oid registered_identifier;
  std::vector<std::string> descriptive_identifier;
};

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

// FileIdentifier ::= CHOICE { pathname-and-version [0] SEQUENCE { pathname [0] Pathname-Attribute,
//   file-version [1] GraphicString OPTIONAL }, cross-reference [1] SEQUENCE {
//   application-cross-reference [0] OCTET STRING, message-reference [1] OPTIONAL, body-part-reference [2] INTEGER OPTIONAL } }
struct FileIdentifier {
  int which = 0;
  PathnameAttribute pathname;
  std::optional<std::string> file_version;
  Bytes application_cross_reference;
  std::optional<MessageReference> message_reference;
  std::optional<std::int64_t> body_part_reference;
};

// Relationship ::= CHOICE { explicit-relationship [0] ExplicitRelationship, descriptive-relationship [1] GraphicString }
struct Relationship {
  int which = 0;
  std::int64_t explicit_relationship = 0;  // unspecified(0), new-file(1), replacement(2), extension(3)
  std::string descriptive_relationship;
};

// RelatedStoredFile ::= SET OF SEQUENCE { file-identifier, relationship DEFAULT explicit-relationship:unspecified }
struct RelatedStoredFile {
  FileIdentifier file_identifier;
  std::optional<Relationship> relationship;
};

struct FileTransferParameters {
  std::optional<std::vector<RelatedStoredFile>> related_stored_file;  // [0]
  // [1] contents-type: 0 document-type, 1 constraint-set-and-abstract-syntax (absent: unstructured-binary)
  std::optional<int> contents_type;
  Oid document_type_name;
  // [0] DOCUMENT-PARAMETER.&Type (explicit): its identity is the document type, and no module
  // we build from defines one (ISO 8571-2's document types are not ASN.1 modules): its encoding.
  std::optional<Bytes> document_type_parameter;
  Oid constraint_set_name, abstract_syntax_name;
  std::optional<EnvironmentParameter> environment;  // [2]
  std::optional<CompressionParameter> compression;  // [3]
  std::optional<FileAttributes> file_attributes;   // [4]
  std::optional<std::vector<IpmsExtension>> extensions;  // [5] ExtensionsField
};

}  // namespace mixer::p1::ipms
