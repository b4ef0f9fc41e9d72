// tests/unit/mapping/dsn_to_x400_test.cpp: Internet DSN -> X.400 report (RFC
// 2156 §5.1.8.3, §5.1.8.4): DSNs written here and DSNs made by the other
// direction (report_to_internet), whose reason and diagnostic come back.
#include <gtest/gtest.h>

#include "addressing/std_or.hpp"
#include "mapping/engine.hpp"
#include "tests/unit/mapping/report_fixture.hpp"
#include "p1/mts/mts.hpp"

namespace {

using namespace mixer;
using namespace mixer::mapping;
namespace mts = p1::mts;

struct Fixture : test_support::ReportFixture {
  Fixture() : ReportFixture(std::chrono::sys_days{std::chrono::year{2026} / 12 / 3}) {}
};

using test_support::kDsnOriginator;
using test_support::to_originator;

std::string dsn(const std::string& per_message, const std::string& recipients) {
  return "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
         "To: " + std::string(kDsnOriginator) + "\r\n"
         "Subject: Undelivered Mail Returned to Sender\r\n"
         "Date: Thu, 3 Dec 2026 10:00:00 +0000\r\n"
         "Message-ID: <dsn-1@mx.example.org>\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message.\r\n"
         "--b1\r\nContent-Type: message/delivery-status\r\n\r\n" + per_message + "\r\n" + recipients +
         "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\n\r\n--b1--\r\n";
}


}  // namespace

TEST(DsnToX400, rfc2156_5_1_8_3_failed_and_delivered_recipients_become_one_report) {
  Fixture f;
  const auto text = dsn("Reporting-MTA: dns; mx.example.org\r\n"
                        "Original-Envelope-Id: X400-MTS-Identifier: [/PRMD=UK.AC/ADMD=GOLD 400/C=GB/;subject-7]\r\n"
                        "Arrival-Date: Thu, 3 Dec 2026 09:59:00 +0000\r\n",
                        "Final-Recipient: rfc822; nobody@example.org\r\nOriginal-Recipient: rfc822; NoBody@example.org\r\n"
                        "Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n\r\n"
                        "Final-Recipient: rfc822; ok@example.org\r\nAction: delivered\r\nStatus: 2.0.0\r\n\r\n"
                        "Final-Recipient: rfc822; full@example.org\r\nAction: failed\r\nStatus: 5.2.2\r\n");
  auto x = dsn_to_x400(to_originator(), text, f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  EXPECT_FALSE(x->ipm);  // nothing delayed or relayed
  ASSERT_TRUE(x->report);
  const auto& r = *x->report;
  // §5.1.8.3: the subject identifier from an Original-Envelope-Id that was an MTS identifier.
  EXPECT_EQ(r.content.subject_identifier.local_identifier, "subject-7");
  auto destination = addressing::format_std_or(r.envelope.report_destination_name.address);
  ASSERT_TRUE(destination);
  EXPECT_EQ(*destination, "/S=Kille/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
  ASSERT_TRUE(r.content.returned_content);  // the DSN as an IPM
  ASSERT_EQ(r.content.per_recipient_fields.size(), 3u);
  const auto& nobody = r.content.per_recipient_fields[0];
  EXPECT_EQ(nobody.originally_specified_recipient_number, 1);
  const auto* nd = std::get_if<mts::NonDeliveryReport>(&nobody.last_trace_information.report_type);
  ASSERT_TRUE(nd);
  EXPECT_EQ(nd->non_delivery_reason_code, 1);        // §5.1.8.4 X.1.1: 1/0
  EXPECT_EQ(nd->non_delivery_diagnostic_code, 0);
  EXPECT_TRUE(nobody.originally_intended_recipient_name);
  EXPECT_EQ(nobody.supplementary_information, "Status 5.1.1 smtp 550 5.1.1 no such user");
  EXPECT_EQ(nobody.last_trace_information.arrival_time, "261203095900+0000");
  EXPECT_TRUE(nobody.per_recipient_indicators.test(mts::pri::originating_mta_non_delivery_report));
  const auto* d = std::get_if<mts::DeliveryReport>(&r.content.per_recipient_fields[1].last_trace_information.report_type);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->message_delivery_time, "261203095900+0000");
  const auto* full = std::get_if<mts::NonDeliveryReport>(&r.content.per_recipient_fields[2].last_trace_information.report_type);
  ASSERT_TRUE(full);
  EXPECT_EQ(full->non_delivery_diagnostic_code, 4);  // X.2.2: 1/4 recipient unavailable
  // It encodes as an MTS-APDU.
  EXPECT_TRUE(mts::encode_mts_apdu(mts::MtsApdu(r)));
}

TEST(DsnToX400, rfc2156_5_1_8_3_delayed_recipients_get_an_ipm_and_no_report) {
  Fixture f;
  auto x = dsn_to_x400(to_originator(),
                       dsn("Reporting-MTA: dns; mx.example.org\r\n",
                           "Final-Recipient: rfc822; slow@example.org\r\nAction: delayed\r\nStatus: 4.4.1\r\n"),
                       f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  EXPECT_FALSE(x->report);
  ASSERT_TRUE(x->ipm);
  EXPECT_EQ(x->ipm->message.envelope.per_recipient_fields.size(), 1u);
}

TEST(DsnToX400, rfc2156_5_1_8_3_subject_generated_when_the_envid_was_not_an_mts_identifier) {
  Fixture f;
  auto x = dsn_to_x400(to_originator(),
                       dsn("Reporting-MTA: dns; mx.example.org\r\nOriginal-Envelope-Id: abc\r\n",
                           "Final-Recipient: rfc822; a@example.org\r\nAction: failed\r\nStatus: 5.4.7\r\n"),
                       f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  ASSERT_TRUE(x->report);
  EXPECT_FALSE(x->report->content.subject_identifier.local_identifier.empty());
  EXPECT_NE(x->report->content.subject_identifier.local_identifier, x->report->envelope.report_identifier.local_identifier);
  const auto* nd = std::get_if<mts::NonDeliveryReport>(&x->report->content.per_recipient_fields[0].last_trace_information.report_type);
  ASSERT_TRUE(nd);
  EXPECT_EQ(nd->non_delivery_diagnostic_code, 5);  // X.4.7: 1/5 maximum time expired
}

// An "X400-MTS-Identifier:" ENVID whose identifier X.411 would not take (a PRMD over
// ub-domain-name-length 16, an octet outside IA5 in the local identifier, an empty C
// where CountryName is SIZE (2) or (3)) is not used: the gateway generates the subject,
// so the report it sends decodes at its peer (each found by fuzz_dsn_to_x400).
TEST(DsnToX400, rfc2156_5_1_8_3_an_envid_outside_x411_bounds_is_not_the_subject) {
  Fixture f;
  for (std::string envid : {"X400-MTS-Identifier: [/PRMD=ABCDEFGHIJKLMNOPQRS/ADMD= /C=XX/;id-1]",
                            "X400-MTS-Identifier: [/PRMD=P/ADMD= /C=XX/;id-\x86]",
                            "X400-MTS-Identifier: [/PRMD=UK.AC/ADMD=GOLD 400/C=/;id-2]"}) {
    auto x = dsn_to_x400(to_originator(),
                         dsn("Reporting-MTA: dns; mx.example.org\r\nOriginal-Envelope-Id: " + envid + "\r\n",
                             "Final-Recipient: rfc822; a@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"),
                         f.ctx);
    ASSERT_TRUE(x) << x.error().text();
    ASSERT_TRUE(x->report);
    EXPECT_NE(x->report->content.subject_identifier.local_identifier.substr(0, 3), "id-") << envid;
    auto ber = mts::encode_mts_apdu(mts::MtsApdu(*x->report));
    ASSERT_TRUE(ber);
    EXPECT_TRUE(mts::decode_mts_apdu(p1::ber::ByteView(ber->data(), ber->size()))) << envid;
  }
}

TEST(DsnToX400, not_a_dsn_is_refused_so_the_caller_maps_it_as_a_message) {
  Fixture f;
  const std::string plain = "From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\n\r\nbody\r\n";
  auto x = dsn_to_x400(to_originator(), plain, f.ctx);
  ASSERT_FALSE(x);
  EXPECT_NE(x.error().message.find("not a multipart/report"), std::string::npos) << x.error().message;
  auto broken = dsn_to_x400(to_originator(), dsn("Arrival-Date: x\r\n", "Final-Recipient: rfc822; a@b\r\n"), f.ctx);
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("Reporting-MTA"), std::string::npos) << broken.error().message;
}

// A report the other direction made into a DSN comes back with its reason and diagnostic
// (for the codes whose §5.3.8.2 status maps back by §5.1.8.4 to the same pair).
TEST(DsnToX400, rfc2156_5_3_8_then_5_1_8_reason_and_diagnostic_come_back) {
  Fixture f;
  for (auto [reason, diagnostic] : std::vector<std::pair<int, int>>{{1, 0}, {1, 1}, {1, 3}, {1, 5}, {1, 7}, {1, 4}}) {
    mts::Report report;
    report.envelope.report_identifier.global_domain_identifier.country = addressing::Text::of("GB");
    report.envelope.report_identifier.global_domain_identifier.admd = addressing::Text::of("GOLD 400");
    report.envelope.report_identifier.local_identifier = "r1";
    report.envelope.report_destination_name.address = *addressing::parse_or_address("/C=XX/ADMD= /PRMD=MIXER/O=Gateway/DD.RFC-822=jane(a)example.org/");
    mts::TraceInformationElement t;
    t.global_domain_identifier = report.envelope.report_identifier.global_domain_identifier;
    t.domain_supplied_information.arrival_time = "261203095940Z";
    report.envelope.trace_information.push_back(t);
    report.content.subject_identifier = report.envelope.report_identifier;
    mts::PerRecipientReportTransferFields r;
    r.actual_recipient_name.address = *addressing::parse_or_address("/C=GB/ADMD=GOLD 400/PRMD=UK.AC/O=ucl/S=Nobody/");
    r.last_trace_information.arrival_time = "261203095930Z";
    r.last_trace_information.report_type = mts::NonDeliveryReport{reason, diagnostic};
    report.content.per_recipient_fields.push_back(r);
    auto internet = report_to_internet(report, f.ctx);
    ASSERT_TRUE(internet) << internet.error().text();
    SmtpEnvelope back;
    back.recipients.push_back({kDsnOriginator, {}, std::nullopt});
    auto x = dsn_to_x400(back, internet->content, f.ctx);
    ASSERT_TRUE(x) << x.error().text();
    ASSERT_TRUE(x->report);
    ASSERT_EQ(x->report->content.per_recipient_fields.size(), 1u);
    const auto* nd = std::get_if<mts::NonDeliveryReport>(&x->report->content.per_recipient_fields[0].last_trace_information.report_type);
    ASSERT_TRUE(nd);
    EXPECT_EQ(nd->non_delivery_reason_code, reason) << reason << "/" << diagnostic;
    EXPECT_EQ(nd->non_delivery_diagnostic_code.value_or(-1), diagnostic) << reason << "/" << diagnostic;
  }
}
