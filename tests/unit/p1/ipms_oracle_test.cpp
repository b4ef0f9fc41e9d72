// tests/unit/p1/ipms_oracle_test.cpp: every X.420 content the IPMS codec
// writes travels as the content of a P1 message (content type 22) over a
// whole association and is decoded by tshark's p22 dissector: no Malformed,
// no expert Error or Warning, and the field values we meant.
#include <gtest/gtest.h>



#include "p1/ipms/ipms.hpp"
#include "p1/mts/mts.hpp"
#include "tests/unit/p1/mts/ipms_values.hpp"
#include "tests/unit/p1/mts/support.hpp"
#include "tests/unit/p1/mts/transfer.hpp"

namespace {

namespace mts = mixer::p1::mts;
namespace ipms = mixer::p1::ipms;
using Bytes = std::vector<std::uint8_t>;

// PP's minimal message (the capture vector) with our content.
Bytes message_with(const ipms::InformationObject& content) {
  auto m = mts::test::must_decode<mts::MtsApdu>(mts::test::vector_file("mts-apdu-pp-without-extensions.hex"));
  m.msg.content = ipms::encode(content);
  return mts::encode(m);
}

TEST(X420Oracle, ipm_with_every_heading_field_and_body_part) {
  auto d = mts::test::transfer({message_with(ipms::test::full_ipm())},
                               // tshark has no dissector for the private body part and parameter OIDs
                               {"Dissector for OID not implemented"});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line : {"user-relative-identifier: (q)1 Mon Nov 23 10:40:15 2026(q)(a)alpha.test",
                           "free-form-name: Free Form root", "telephone-number: +44 20 7946 0000",
                           "reply-requested: True", "importance: high (2)", "sensitivity: company-confidential (3)",
                           "auto-forwarded: True", "user-relative-identifier: replied-1",
                           "user-relative-identifier: old-2", "expiry-time: 26-11-30 00:00:00 (UTC)",
                           "Language: fr-CA", "AutoSubmitted: auto-generated (1)", "Precedence: 5",
                           "ManualHandlingInstruction", "ia5-text", "repertoire: ia5 (5)",
                           "number-of-pages: 2", "syntax: data-syntax1 (1)", "voice-encoding-type: 1.2.3.4",
                           "CharacterSetRegistration: 100", "GeneralTextData: general text",
                           "message-submission-time: 26-11-23 10:40:00 (UTC)", "subject: inner subject",
                           "surname: forwarder", "content-identifier: fwd-cid",
                           "security-classification: confidential (3)", "privacy-mark: HEADING",
                           "BodyPartSecurityLabel: body-part-unlabelled (0)", "security-classification: unclassified (1)",
                           // FTBP EnvironmentParameter and CompressionParameter (X.420 IPMSFileTransferBodyPartType)
                           "operating-system: 1.2.3", "registered-identifier: 1.3.6.1.4.1.99999.20",
                           "descriptive-identifier item: x86-64", "user-visible-string item: made by mixer",
                           "compression-algorithm-id: 1.3.6.1.4.1.99999.21",
                           // FTAM file attributes (ISO 8571 CHOICEs)
                           "actual-values: Nov 23, 2026 10:40:15.000000000 UTC",
                           "date-and-time-of-last-read-access: no-value-available (0)", "1... .... = read: True",
                           "object-size: actual-values (1)", "actual-values: immediate-availability (0)",
                           // forwarded content submission-proof: SIGNATURE{}, Certificates, P3 envelope
                           "encrypted: 50524f4f46", "serialNumber: 0x1f2e3d4c5b6a79880102030405060708"})
    EXPECT_TRUE(d.has(line)) << line;
}

TEST(X420Oracle, notifications) {
  auto d = mts::test::transfer({message_with(ipms::test::receipt_ipn()), message_with(ipms::test::non_receipt_ipn()),
                                message_with(ipms::test::other_ipn())},
                               {"Dissector for OID not implemented"});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line : {"receipt-time: 26-11-23 11:00:00 (UTC)", "acknowledgment-mode: automatic (1)",
                           "suppl-receipt-info: read by bob", "non-receipt-reason: ipm-discarded (0)",
                           "discard-reason: ipm-expired (0)", "auto-forward-comment: away", "subject: returned",
                           "user-relative-identifier: subject-1"})
    EXPECT_TRUE(d.has(line)) << line;
}


// X.420 IPMSForwardedReportBodyPartType: tshark's p22 dissects id-et-notification as an
// IPN with id-ep-notification MessageParameters. (It has no dissector for id-et-report:
// the report body part is judged by hand-assembled X.411 bytes in ipms_test.cpp.)
TEST(X420Oracle, forwarded_notification_body_parts) {
  ipms::InformationObject o = ipms::test::forwarded_notifications_and_report();
  o.ipm.body.resize(2);
  auto d = mts::test::transfer({message_with(o)});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line : {"direct-reference: 2.6.1.11.15 (id-ep-notification)",
                           "direct-reference: 2.6.1.4.15 (id-et-notification)", "delivery-time: 26-11-23 11:05:00 (UTC)",
                           "receipt-time: 26-11-23 11:00:00 (UTC)", "suppl-receipt-info: read by bob",
                           "non-receipt-reason: ipm-discarded (0)", "auto-forward-comment: away",
                           "data: returned body", "surname: robert"})
    EXPECT_TRUE(d.has(line)) << line;
  EXPECT_EQ(d.count(" IPN\n"), 2u);  // both data values dissected as IPNs
  EXPECT_FALSE(d.has("Dissector for OID not implemented"));
}

// X.420 body-part-signatures heading extension: p22 reads the SIGNATURE{} and the
// ExtendedCertificates (the OpenSSL certificate) with x509af.
TEST(X420Oracle, body_part_signatures) {
  auto d = mts::test::transfer({message_with(ipms::test::ipm_with_body_part_signatures())});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line : {"body-part-number: 1", "body-part-number: 2", "serialNumber: 0x1f2e3d4c5b6a79880102030405060708",
                           "Algorithm Id: 1.2.840.10045.4.3.2 (ecdsa-with-SHA256)", "encrypted: 0506",
                           "ExtendedCertificate: directory-entry (0)", "CountryName: GB", "version: v3 (2)",
                           "uTF8String: MTA alpha.test",
                           // [1] CertificateAssertion (x509ce)
                           "originator-certificate-selector", "serialNumber: 0x0b0c", "keyUsage: a0",
                           "builtinNameForm: directoryName (4)", "excludedSubtrees: 7 items", "realm: BETA.TEST",
                           "X121Address: 0123 45", "bmpString: b\xce\xa9"})
    EXPECT_TRUE(d.has(line)) << line;
  EXPECT_EQ(d.count("            originator-certificate-selector\n"), 2u);
}

}  // namespace
