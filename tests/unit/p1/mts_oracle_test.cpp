// tests/unit/p1/mts_oracle_test.cpp: every MTS-APDU the X.411 codec writes
// is carried over a whole P1 association between two of our RTSE machines,
// written to a pcap and decoded by tshark's p1 and p22 dissectors: no
// Malformed, no expert Error or Warning, and the field values we meant.
#include <gtest/gtest.h>


#include "p1/mts/mts.hpp"
#include "tests/unit/p1/mts/support.hpp"
#include "tests/unit/p1/mts/values.hpp"
#include "tests/unit/p1/mts/transfer.hpp"

namespace {

namespace mts = mixer::p1::mts;
using mts::test::transfer;
using Bytes = std::vector<std::uint8_t>;

TEST(X411Oracle, message_with_every_field) {
  // tshark has no dissector for our private extension's OID nor for the
  // unassigned standard extension 99: the two warnings it must give.
  auto d = transfer({mts::encode(mts::test::full_message()).value()},
                    {"Dissector for OID not implemented", "Unknown standard-extension"});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line : {"local-identifier: alpha.test.1:23.11.26", "content-identifier: content-id 1",
                           "priority: urgent (2)", "surname: Smith", "organization-name: Org",
                           "CommonName: John Smith", "x121-dcc-code: 234", "numeric: 42",
                           "network-address: 12345", "terminal-identifier: TID1", "numeric-user-identifier: 777",
                           "generation-qualifier: III", "type: RFC-822", "value: john(a)example.com",
                           "PDSName: PDS", "number: 4420712345", "sub-address: 99",
                           "TerminalType: teletex (4)", "routing-action: rerouted (1)",
                           "deferred-delivery-time: 26-11-23 12:00:00 (UTC)",
                           "LatestDeliveryTime: 26-11-24 00:00:00 (UTC)", "ia5text: Subject: hello",
                           "mta: beta.test", "originally-specified-recipient-number: 3",
                           "explicit-conversion: ia5-text-to-g3-facsimile (8)", "RecipientNumberForAdvice: +44 20 7123",
                           "RegisteredMailType: registered-mail-to-addressee-in-person (2)",
                           "redirection-reason: originator-requested-alternate-recipient (1)",
                           "PhysicalDeliveryReportRequest: return-of-notification-by-MHS-and-PDS (3)",
                           "RequestedDeliveryMethod item: ia5-terminal-delivery (7)",
                           "ProofOfDeliveryRequest: proof-of-delivery-requested (1)", "ExtensionField (dl-exempted-recipients)",
                           "privacy-mark: IN CONFIDENCE", "security-classification: restricted (2)",
                           "security-policy-identifier: 1.3.6.1.4.1.99999.9",
                           "ExtensionField (content-confidentiality-algorithm-identifier)",
                           // X.411 1988 non-basic parameters of original-encoded-information-types
                           "g3-facsimile: 00c0", "two-dimensional: True", "fine-resolution: True",
                           "miscellaneous-terminal-capabilities: x"})
    EXPECT_TRUE(d.has(line)) << line;
}

TEST(X411Oracle, probe_and_reports) {
  auto d = transfer({mts::encode(mts::test::full_probe()).value(), mts::encode(mts::test::full_report()).value()});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line : {"local-identifier: probe.1", "content-length: 123456", "content-identifier: probe-cid",
                           "local-identifier: beta.report.1", "supplementary-information: No such user (RFC 822 550 5.1.1)",
                           "non-delivery-reason-code: unable-to-transfer (1)",
                           "non-delivery-diagnostic-code: unrecognised-OR-name (0)", "type-of-MTS-user: ms (2)",
                           "mta-name: beta.test", "surname: robert", "ia5text: probe correlator"})
    EXPECT_TRUE(d.has(line)) << line;
}

TEST(X411Oracle, captures_reencoded) {
  auto d = transfer({mts::encode(mts::test::must_decode<mts::MtsApdu>(
      mts::test::vector_file("mts-apdu-pp-without-extensions.hex"))).value()});
  EXPECT_TRUE(d.clean()) << d.report();
  EXPECT_TRUE(d.has("local-identifier: alpha.test.357:23.10.26.10.40.15"));
  EXPECT_TRUE(d.has("subject: P1 test 10"));
}

// The security extensions: tshark's p1 dissector reads them with its x509af / x509ce / x509if
// dissectors (Certificates with a certification path, SIGNATURE, the asymmetric token's typed
// toBeSigned with its TokenData, ExtendedCertificates, CertificateSelectors with every
// CertificateAssertion component and GeneralName kind).
TEST(X411Oracle, certificate_checks_proofs_and_token) {
  // OpenSSL's certificate as originator-certificate (15): the value is the vector's octets,
  // retyped from the unassigned extension 99 (one-octet INTEGERs both), then re-encoded by us.
  Bytes cert_msg = mts::test::message_with_extension_octets(
      15, mts::test::certificates_of(mixer::p1::test::vector_file("mts/x509-ec-certificate.hex")));
  Bytes reencoded = mts::encode(mts::test::must_decode<mts::MtsApdu>(cert_msg)).value();
  ASSERT_EQ(reencoded, cert_msg);
  // Those tshark knows (43, 44 and 46 are below).
  mts::MtsApdu checks = mts::test::full_message(1);
  std::get<mts::Message>(checks).envelope.extensions.clear();
  for (const mts::Extension& e : mts::test::security_extensions())
    if (!e.is(mts::ext::body_part_encryption_token) && !e.is(mts::ext::forwarded_content_token) &&
        !e.is(mts::ext::certificate_selectors_override))
      std::get<mts::Message>(checks).envelope.extensions.push_back(e);
  auto d = transfer({reencoded, mts::encode(checks).value()});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line : {
           "ExtensionField (originator-certificate)", "serialNumber: 0x1f2e3d4c5b6a79880102030405060708",
           "utcTime: 2026-11-23 15:39:52 (UTC)", "ExtensionField (content-integrity-check)",
           "ExtensionField (message-origin-authentication-check)", "ExtensionField (proof-of-submission)",
           "Algorithm Id: 1.2.840.10045.4.3.2 (ecdsa-with-SHA256)",
           // message-token: AsymmetricToken with MessageTokenSignedData
           "ExtensionField (message-token)", "token-type-identifier: 2.6.3.6.0 (id-tok-asymmetricToken)",
           "recipient-name (/C=GB/A=TEST/P=BETA/O=Alpha/S=bob/)", "time: 26-11-23 11:00:00 (UTC)",
           "signed-data (message-token-signed-data)", "type: message-token-signed-data (2)",
           "content-confidentiality-algorithm-identifier (id-aes128-CBC)", "encrypted: 4444444444444444",
           "security-classification: confidential (3)", "privacy-mark: TOKEN LABEL",
           "proof-of-delivery-request: proof-of-delivery-requested (1)", "message-sequence-number: 7",
           "encryption-algorithm-identifier (rsaEncryption)", "encrypted-data: e1e2e3", "encrypted: dededededededede",
           // a certificate with its certification path: SPKI, extensions, names of each string kind
           "certificationPath: 1 item", "CrossCertificates: 1 item", "serialNumber: 0x0b0c", "serialNumber: 0x0a",
           "namedCurve: 1.2.840.10045.3.1.7 (secp256r1)", "publicExponent: 65537",
           "SubjectKeyIdentifier: 6005116864321cf877bdca177bab8c72cc4bd2b6", "keyIdentifier: 4cd2bcafc945b2cbadf878059aa37b109c6b3c1a",
           "cA: True", "GeneralNames: 6 items", "dNSName: beta.test", "iPAddress: 192.0.2.1",
           "uniformResourceIdentifier: http://beta.test/bob", "KerberosString: bob", "bmpString: bob \xce\xa9",
           "teletexString: B", "IA5String: bob@beta.test", "printableString: Users",
           // multiple-originator-certificates: a directory entry and a certificate
           "ExtendedCertificates: 2 items", "ExtendedCertificate: directory-entry (0)", "ExtendedCertificate: certificate (1)",
           "X121Address: 0123 45", "universalString: x\xf0\x9f\x93\xa7", "uTF8String: Us\xc3\xa9rs", "UniqueIdentifier: 05",
           "printableString: a@b",
           // certificate-selectors: CertificateAssertion, every component
           "CertificateSelectors", "encryption-recipient", "encryption-originator", "token-signature",
           "message-origin-authentication", "subjectKeyIdentifier: 60051168", "authorityCertSerialNumber: 0x0a",
           "certificateValid: utcTime (0)", "utcTime: 2026-12-01 00:00:00 (UTC)",
           "privateKeyValid: Dec  1, 2026 12:00:00.000000000 UTC", "subjectPublicKeyAlgID: 1.2.840.10045.2.1 (id-ecPublicKey)",
           "keyUsage: a0", "subjectAltName: builtinNameForm (0)", "builtinNameForm: directoryName (4)", "policy: 2 items",
           "CertPolicyId: 2.5.29.32.0 (anyPolicy)", "pathToName: rdnSequence (0)", "uTF8String: Beta CA",
           "permittedSubtrees: 2 items", "minimum: 0", "maximum: 3", "x400Address (/C=GB/A=TEST/P=BETA/O=Alpha/S=bob/)",
           "excludedSubtrees: 7 items", "type-id: 1.3.6.1.5.2.2 (id-pkinit-san)", "realm: BETA.TEST",
           "rfc822Name: eve@beta.test", "nameAssigner: printableString (1)", "printableString: EDI assigner",
           "uTF8String: party \xc3\xa9", "uniformResourceIdentifier: http://beta.test/eve", "registeredID: 1.2.3.4"})
    EXPECT_TRUE(d.has(line)) << line;
}

// body-part-encryption-token (43) and forwarded-content-token (44), defined by X.420, and
// certificate-selectors-override (46): tshark's p1 dissector has no dissector for these
// standard extensions (its one warning), and reads their values as generic BER, cleanly.
TEST(X411Oracle, x420_envelope_tokens_and_selectors_override) {
  mts::MtsApdu m = mts::test::full_message(1);
  std::get<mts::Message>(m).envelope.extensions.clear();
  for (const mts::Extension& e : mts::test::security_extensions())
    if (e.is(mts::ext::body_part_encryption_token) || e.is(mts::ext::forwarded_content_token) ||
        e.is(mts::ext::certificate_selectors_override))
      std::get<mts::Message>(m).envelope.extensions.push_back(e);
  ASSERT_EQ(std::get<mts::Message>(m).envelope.extensions.size(), 3u);
  auto d = transfer({mts::encode(m).value()}, {"Unknown standard-extension"});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  EXPECT_EQ(d.count("[Expert Info (Warning/Undecoded): Unknown standard-extension]"), 3u);
  for (const char* line : {"standard-extension: body-part-encryption-token (43)", "BITSTRING: 0e4c0e4c",
                           "OID: 1.2.840.113549.1.1.1 (rsaEncryption)", "INTEGER: 0x1f2e3d4c5b6a79880102030405060708",
                           "BITSTRING: 99", "Dissector for standard-extension 44 not implemented",
                           "IA5String: beta.test", "BITSTRING: 12345678", "OID: 2.6.3.6.0 (id-tok-asymmetricToken)",
                           "OCTETSTRING: 63", "BITSTRING: f4f4f4f4f4f4f4f4", "standard-extension: Unknown (46)",
                           "[CONTEXT 2] 2ad6"})
    EXPECT_TRUE(d.has(line)) << line;
}

}  // namespace
