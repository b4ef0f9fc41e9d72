// tests/unit/p1/mts/values.hpp: MTS values that use every field the X.411
// codec knows (the round-trip and oracle corpus): O/R names with every
// attribute form, a message envelope with every per-message field and
// standard extension, a probe, a delivery and a non-delivery report.
#pragma once

#include "p1/mts/types.hpp"

namespace mixer::p1::mts::test {

addressing::Text P(const char* s);
addressing::Text N(const char* s);
// C=GB ADMD=TEST PRMD=ALPHA O=Alpha S=name: a mnemonic address like PP's.
OrName simple_name(const char* surname, const char* prmd = "ALPHA");
// Every built-in attribute, teletex and universal forms, DDAs of three kinds,
// postal attributes, extended network address, terminal type, directory name.
OrName every_attribute_name();
GlobalDomainIdentifier gdi(const char* prmd = "ALPHA");
TraceInformation trace(int n);
Extensions every_message_extension();
Extensions every_recipient_extension();
MtsApdu full_message(std::size_t recipients = 3, Bytes content = {});
MtsApdu full_probe();
MtsApdu full_report();
// The security extensions at the X.509 structural level, every field set
// (security_values.cpp): message-token (16) with a typed asymmetric token
// (MessageTokenSignedData, encryption algorithm and data); content-integrity-check
// (18), message-origin-authentication-check (19) and proof-of-submission (35) as
// SIGNATURE{}; originator-certificate (15) with a certification path;
// multiple-originator-certificates (40); certificate-selectors (45) and -override
// (46); body-part-encryption-token (43) and forwarded-content-token (44), nested,
// with every TokenData kind.
Extensions security_extensions();
// A CertificateAssertion with every component (GeneralName of each kind, AKI,
// name constraints, a subject with every string kind).
CertificateAssertion full_certificate_assertion();
// An X.501 Name whose values are each universal string type, an INTEGER and a
// PrintableString with '@' (the last two shown as encodings).
NameWire name_with_every_string_kind();
// x509-ec-user-certificate.hex with certificationPath { { x509-rsa-ca-certificate.hex } }.
Certificates certificates_with_path();
// An envelope extension of the unassigned type 99 (one octet, like 15..35) carrying
// `value`: the tests retype it in the octets to get a value built without our encoder.
MtsApdu message_with_extension_99(const Bytes& value);
// That message's octets with the extension retyped to `type` (a one-octet INTEGER).
Bytes message_with_extension_octets(std::uint8_t type, const Bytes& value);
// Certificates ::= SEQUENCE { userCertificate } around a DER certificate.
Bytes certificates_of(const Bytes& der);
// The OpenSSL certificate of tests/vectors/p1/mts/x509-ec-certificate.hex, decoded as the
// originator-certificate of a message.
Certificates openssl_certificates();

}  // namespace mixer::p1::mts::test
