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
                           "BodyPartSecurityLabel: body-part-unlabelled (0)", "security-classification: unclassified (1)"})
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

}  // namespace
