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
  std::get<mts::Message>(m).content = ipms::encode(content).value();
  return mts::encode(m).value();
}

// The full IPM without the FTBP document type's parameter: tshark's p22 has no dissector for
// DOCUMENT-PARAMETER.&Type (p22.cnf: "Not implemented yet") and flags it as beyond the known SEQUENCE.
ipms::InformationObject full_ipm_for_tshark() {
  ipms::InformationObject o = ipms::test::full_ipm();
  for (ipms::BodyPart& b : std::get<ipms::Ipm>(o).body)
    if (auto* ft = b.as<ipms::FileTransferBodyPart>()) std::get<ipms::DocumentType>(*ft->parameters.contents_type).parameter.reset();
  return o;
}

TEST(X420Oracle, ipm_with_every_heading_field_and_body_part) {
  auto d = mts::test::transfer({message_with(full_ipm_for_tshark())},
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
                           "object-size: actual-values (1)", "actual-values: deferred-availability (1)",
                           // forwarded content submission-proof: SIGNATURE{}, Certificates, P3 envelope
                           "encrypted: 50524f4f46", "serialNumber: 0x1f2e3d4c5b6a79880102030405060708",
                           // its P3 MessageSubmissionEnvelope, every field
                           "content-identifier: fwd content", "deferred-delivery-time: 26-11-23 12:00:00 (UTC)",
                           "PerRecipientMessageSubmissionFields", "recipient-name (/C=GB/A=TEST/P=BETA/O=Alpha/S=bob/)",
                           "1... = non-delivery-report: True", "explicit-conversion: ia5-text-to-g3-facsimile (8)",
                           "ProofOfDeliveryRequest: proof-of-delivery-requested (1)",
                           "LatestDeliveryTime: 26-11-24 00:00:00 (UTC)", "content-return-request: True"})
    EXPECT_TRUE(d.has(line)) << line;
}

// What the IPMS codec types beyond the above: the FTBP's related stored files, every FTAM file
// attribute (access control with its passwords and ACSE AE-title), FTBP extensions; the
// circulation list's Checkmark (simple, timestamped, signed); the encrypted body part's
// EncryptedParameters; the recipient-security-request recipient extension.
TEST(X420Oracle, ftbp_attributes_checkmarks_encrypted_parameters_security_request) {
  auto d = mts::test::transfer({message_with(full_ipm_for_tshark())}, {"Dissector for OID not implemented"});
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  EXPECT_TRUE(d.clean()) << d.report();
  for (const char* line :
       {// RelatedStoredFile
        "pathname: complete-pathname (23)", "Pathname item: report-v1.pdf", "file-version: v1",
        "explicit-relationship: replacement (2)", "application-cross-reference: cafe", "user-relative-identifier: msg-7",
        "body-part-reference: 3", "descriptive-relationship: attachment of",
        // FTAM attributes
        "storage-account: actual-values (1)", "actual-values: acct-42", "identity-of-creator: actual-values (1)",
        "actual-values: creator", "identity-of-last-modifier: no-value-available (0)", "actual-values: reader",
        "actual-values: attribute-modifier", "object-availability: actual-values (1)",
        "actual-values: deferred-availability (1)", "future-object-size: no-value-available (0)",
        "access-control: actual-values (1)", ".1.. .... = insert: True", ".... ...1 = delete-object: True",
        "1... .... = not-required: True", ".1.. .... = shared: True", "identity: alice", "graphic-string: pw-read",
        "graphic-string: pw-change-attr", "delete-password: octet-string (1)", "octet-string: de1e",
        "graphic-string: pass-1", "octet-string: 02", "link-password: graphic-string (0)",
        "ap-title-form2: 1.3.6.1.4.1.99999.30", "aso-qualifier-form2: 7",
        "ap-title-form1: rdnSequence (0)", "printableString: mta", "aso-qualifier-form1: 1 item (id-at-commonName=ae)",
        "legal-qualifications: actual-values (1)", "actual-values: (c) mixer", "private-use: actual-values (2)",
        "direct-reference: 1.3.6.1.4.1.99999.31", "octet-aligned: 7075",
        "extension-set-identifier: 1.3.6.1.4.1.99999.32", "extension-attribute-identifier: 1.3.6.1.4.1.99999.33",
        "Language: de",
        // Checkmark
        "checked: simple (0)", "checked: timestamped (1)", "timestamped: Nov 23, 2026 10:45:00.000000000 UTC",
        "checked: signed (2)", "user-relative-identifier: circulated-1",
        "timestamp: Nov 23, 2026 10:50:00.000000000 UTC", "encrypted: 516e",
        // EncryptedParameters
        "Algorithm Id: 2.16.840.1.101.3.4.1.2 (id-aes128-CBC)", "AES-IV: 0a0b", "printableString: enc",
        // RecipientSecurityRequest
        "IPMSExtension (id-sec-ipm-security-request)", "RecipientSecurityRequest: a0",
        "1... .... = content-non-repudiation: True", "..1. .... = ipn-non-repudiation: True"})
    EXPECT_TRUE(d.has(line)) << line;
  // Three of the four circulation members carry a Checkmark; one directory-entry certificate.
  EXPECT_EQ(d.count("checked: "), 3u);
  EXPECT_EQ(d.count("ExtendedCertificate: directory-entry (0)"), 1u);
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
                           "user-relative-identifier: subject-1",
                           // ipn-security-response (IPMSSecurityExtensions) in the notification extensions
                           "IPMSExtension (id-sec-security-common-fields)",
                           "content-or-arguments: original-security-arguments (1)",
                           "security-diagnostic-code: unable-to-sign-notification (7)",
                           "original-content-integrity-check", "encrypted: 1111111111111111",
                           "original-message-origin-authentication-check", "encrypted: 2222222222222222",
                           "token-type-identifier: 2.6.3.6.0 (id-tok-asymmetricToken)", "encrypted: dededededededede",
                           "content-or-arguments: original-content (0)",
                           "security-diagnostic-code: security-policy-violation (32)"})
    EXPECT_TRUE(d.has(line)) << line;
}


// X.420 IPMSForwardedReportBodyPartType: tshark's p22 dissects id-et-notification as an
// IPN with id-ep-notification MessageParameters. (It has no dissector for id-et-report:
// the report body part is judged by hand-assembled X.411 bytes in ipms_test.cpp.)
TEST(X420Oracle, forwarded_notification_body_parts) {
  ipms::InformationObject o = ipms::test::forwarded_notifications_and_report();
  std::get<ipms::Ipm>(o).body.resize(2);
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
