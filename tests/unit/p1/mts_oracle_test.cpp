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
  auto d = transfer({mts::encode(mts::test::full_message())},
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
  auto d = transfer({mts::encode(mts::test::full_probe()), mts::encode(mts::test::full_report())});
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
      mts::test::vector_file("mts-apdu-pp-without-extensions.hex")))});
  EXPECT_TRUE(d.clean()) << d.report();
  EXPECT_TRUE(d.has("local-identifier: alpha.test.357:23.10.26.10.40.15"));
  EXPECT_TRUE(d.has("subject: P1 test 10"));
}

// The security extensions (X.411 15..35): tshark's p1 dissector reads them with its
// x509af dissector (Certificates, SIGNATURE, the asymmetric token's SIGNED toBeSigned).
TEST(X411Oracle, certificate_checks_proofs_and_token) {
  // OpenSSL's certificate as originator-certificate (15): the value is the vector's octets,
  // retyped from the unassigned extension 99 (one-octet INTEGERs both), then re-encoded by us.
  Bytes cert_msg = mts::test::message_with_extension_octets(
      15, mts::test::certificates_of(mixer::p1::test::vector_file("mts/x509-ec-certificate.hex")));
  Bytes reencoded = mts::encode(mts::test::must_decode<mts::MtsApdu>(cert_msg));
  ASSERT_EQ(reencoded, cert_msg);
  mts::MtsApdu checks = mts::test::full_message(1);
  checks.msg.envelope.extensions = mts::test::security_extensions();
  auto d = transfer({reencoded, mts::encode(checks)});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line : {"ExtensionField (originator-certificate)", "serialNumber: 0x1f2e3d4c5b6a79880102030405060708",
                           "utcTime: 2026-11-23 15:39:52 (UTC)", "ExtensionField (content-integrity-check)",
                           "ExtensionField (message-origin-authentication-check)", "ExtensionField (proof-of-submission)",
                           "ExtensionField (message-token)", "token-type-identifier: 2.6.3.6.0 (id-tok-asymmetricToken)",
                           "recipient-name (/C=GB/A=TEST/P=BETA/O=Alpha/S=bob/)", "encrypted: deadbeef",
                           "Algorithm Id: 1.2.840.10045.4.3.2 (ecdsa-with-SHA256)"})
    EXPECT_TRUE(d.has(line)) << line;
}

}  // namespace
