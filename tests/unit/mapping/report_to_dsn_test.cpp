// tests/unit/mapping/report_to_dsn_test.cpp: X.400 report -> DSN (RFC 2156
// §5.3.8, RFC 3464, RFC 6522), one test per rule: the §5.3.8.2 status
// table row by row, the §5.3.8.1 header, body and per-recipient fields, the
// §5.3.8.3 correlation the caller needs. Reports are built here as values;
// the gateway has no tables, so O/R addresses map by §4.3.5's std-or or
// RFC-822 DDA rules.
#include <gtest/gtest.h>

#include "addressing/std_or.hpp"
#include "mapping/dsn_status.hpp"
#include "mapping/engine.hpp"
#include "tests/unit/mapping/report_fixture.hpp"

namespace {

using namespace mixer;
using namespace mixer::mapping;
namespace mts = p1::mts;

struct Fixture : test_support::ReportFixture {
  Fixture() : ReportFixture(std::chrono::sys_days{std::chrono::year{1998} / 1 / 1}) {}
};

mts::OrName name(const char* std_or) {
  mts::OrName n;
  n.address = *addressing::parse_or_address(std_or);
  return n;
}

mts::GlobalDomainIdentifier ucl() {
  mts::GlobalDomainIdentifier g;
  g.country = addressing::Text::of("GB");
  g.admd = addressing::Text::of("GOLD 400");
  g.prmd = addressing::Text::of("UK.AC");
  return g;
}

mts::PerRecipientReportTransferFields recipient(const char* std_or, std::int64_t number, mts::ReportType type) {
  mts::PerRecipientReportTransferFields r;
  r.actual_recipient_name = name(std_or);
  r.originally_specified_recipient_number = number;
  r.per_recipient_indicators.set(mts::pri::originator_non_delivery_report);
  r.last_trace_information.arrival_time = "971231235930Z";
  r.last_trace_information.report_type = type;
  return r;
}

mts::ReportType failed(std::int64_t reason, std::optional<std::int64_t> diagnostic) {
  return mts::NonDeliveryReport{reason, diagnostic};
}
mts::ReportType delivered() { return mts::DeliveryReport{"971231235931Z", std::nullopt}; }

mts::Report report(std::vector<mts::PerRecipientReportTransferFields> rs) {
  mts::Report r;
  r.envelope.report_identifier = {ucl(), "report-1"};
  r.envelope.report_destination_name = name("/C=XX/ADMD= /PRMD=MIXER/O=Gateway/DD.RFC-822=jane(a)example.org/");
  mts::TraceInformationElement t;
  t.global_domain_identifier = ucl();
  t.domain_supplied_information.arrival_time = "971231235940Z";
  r.envelope.trace_information.push_back(t);
  r.content.subject_identifier = {ucl(), "subject-1"};
  r.content.per_recipient_fields = std::move(rs);
  return r;
}

const char* kille = "/C=GB/ADMD=GOLD 400/PRMD=UK.AC/O=ucl/OU=cs/S=Kille/I=S/";
const char* nobody = "/C=GB/ADMD=GOLD 400/PRMD=UK.AC/O=ucl/OU=cs/S=Nobody/";

// Whether the text, its folded lines joined (RFC 5322 §2.2.3), holds `what`.
bool has(const std::string& text, const std::string& what) {
  std::string unfolded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 1;  // CRLF dropped, the space kept
      continue;
    }
    unfolded += text[i];
  }
  return unfolded.find(what) != std::string::npos;
}
// Whether the text holds `what` as it is (the text part's indented lines).
bool has_text(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// ---- §5.3.8.2

TEST(ReportToDsn, rfc2156_5_3_8_2_reason_rows_any_diagnostic) {
  const char* want[] = {"4.4.0", "5.0.0", "5.6.3", "5.6.0", "5.1.0", "5.7.1", "5.4.3", "5.3.3"};
  for (int c = 0; c < 8; ++c) EXPECT_EQ(dsn::status_of(c, std::nullopt), want[c]) << "reason " << c;
}

TEST(ReportToDsn, rfc2156_5_3_8_2_diagnostic_rows) {
  // C/D rows of the table, as the RFC prints them.
  struct Row {
    int c, d;
    const char* status;
  } rows[] = {{1, 0, "5.1.1"},  {1, 1, "5.1.4"},  {1, 2, "4.3.1"},  {1, 3, "5.4.6"},  {1, 4, "4.2.1"},
              {1, 5, "4.4.7"},  {1, 6, "5.6.1"},  {1, 7, "5.2.3"},  {2, 8, "5.6.3"},  {2, 9, "5.6.3"},
              {1, 10, "5.6.3"}, {1, 11, "5.5.2"}, {1, 12, "5.5.2"}, {1, 13, "5.5.2"}, {1, 14, "5.5.0"},
              {1, 15, "5.6.1"}, {1, 16, "5.5.3"}, {1, 17, "5.4.4"}, {1, 18, "5.3.3"}, {2, 19, "5.6.2"},
              {2, 20, "5.6.0"}, {2, 21, "5.6.0"}, {2, 22, "5.6.2"}, {2, 23, "5.6.2"}, {2, 24, "5.6.2"},
              {2, 25, "5.6.2"}, {1, 26, "5.4.0"}, {1, 27, "5.4.6"}, {1, 28, "5.7.2"}, {1, 29, "5.7.1"},
              {1, 30, "4.2.4"}, {4, 31, "5.6.0"}, {1, 43, "5.1.6"}, {1, 46, "5.7.0"}, {2, 47, "5.3.3"},
              {0, 48, "5.3.4"}, {0, 49, "4.4.7"}};
  for (const auto& r : rows) EXPECT_EQ(dsn::status_of(r.c, r.d), r.status) << r.c << "/" << r.d;
}

TEST(ReportToDsn, rfc2156_5_3_8_2_physical_mail_range_32_to_45) {
  for (int d = 32; d <= 45; ++d) EXPECT_EQ(dsn::status_of(4, d), d == 43 ? "5.1.6" : "5.1.0") << d;
}

TEST(ReportToDsn, rfc2156_5_3_8_2_codes_outside_the_table_take_the_reason_row) {
  EXPECT_EQ(dsn::status_of(1, 59), "5.0.0");    // unauthorised-recipient-name: 1/Any
  EXPECT_EQ(dsn::status_of(5, 77), "5.7.1");    // 5/Any
  EXPECT_EQ(dsn::status_of(8, 68), "5.7.0");    // transfer-failure-for-security-reason (X.411 1992)
  EXPECT_EQ(dsn::status_of(99, 1000), "5.0.0");  // neither known
  EXPECT_EQ(dsn::status_of(-1, -1), "5.0.0");
}

TEST(ReportToDsn, rfc2156_5_3_8_1_dr_diagnostic_labelled_integer_2) {
  EXPECT_EQ(dsn::dr_diagnostic(1, 0), "Reason 1 (unable-to-transfer); Diagnostic 0 (unrecognised-OR-name)");
  EXPECT_EQ(dsn::dr_diagnostic(0, std::nullopt), "Reason 0 (transfer-failure)");
  EXPECT_EQ(dsn::dr_diagnostic(42, 4242), "Reason 42 (unknown); Diagnostic 4242 (unknown)");
}

// ---- §5.3.8.1 and §5.3.8.3

TEST(ReportToDsn, rfc2156_5_3_8_3_envelope_null_path_to_report_destination) {
  Fixture f;
  auto r = report_to_internet(report({recipient(nobody, 1, failed(1, 0))}), f.ctx);
  ASSERT_TRUE(r) << r.error().text();
  EXPECT_EQ(r->envelope.mail_from, "");
  ASSERT_EQ(r->envelope.recipients.size(), 1u);
  EXPECT_EQ(r->envelope.recipients[0].address, "jane@example.org");
  EXPECT_TRUE(has(r->content, "\r\nTo: jane@example.org\r\n"));
  EXPECT_TRUE(has(r->content, "\r\nMessage-Type: Delivery Report\r\n"));
  EXPECT_TRUE(has(r->content, "\r\nX400-MTS-Identifier: [/PRMD=UK.AC/ADMD=GOLD 400/C=GB/;report-1]\r\n"));
  // §5.3.8.3: a Message-ID derived from it, as dot-atom-text.
  EXPECT_TRUE(has(r->content, "\r\nMessage-ID: </PRMD=3DUK.AC/ADMD=3DGOLD=20400/C=3DGB/=3Breport-1@mixer.gateway.example>\r\n"))
      << r->content;
  EXPECT_TRUE(has(r->content, "Content-Type: multipart/report; report-type=delivery-status;"));
}

TEST(ReportToDsn, rfc2156_5_3_8_1_from_the_gateway_postmaster) {
  Fixture f;
  auto r = report_to_internet(report({recipient(nobody, 1, failed(1, 0))}), f.ctx);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "\r\nFrom: postmaster@gateway.example\r\n"));
  f.ctx.postmaster = "mailer-admin@gateway.example";
  r = report_to_internet(report({recipient(nobody, 1, failed(1, 0))}), f.ctx);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "\r\nFrom: mailer-admin@gateway.example\r\n"));
}

TEST(ReportToDsn, rfc2156_5_3_8_1_subject_one_recipient_names_its_mailbox) {
  Fixture f;
  auto r = report_to_internet(report({recipient(nobody, 1, failed(1, 0))}), f.ctx);
  ASSERT_TRUE(r);
  // §4.3.5 mapping B without tables: the std-or at the gateway's domain.
  EXPECT_TRUE(has(r->content,
                  "\r\nSubject: Delivery-Report (failure) for \"/S=Nobody/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\"@gateway.example\r\n"))
      << r->content;
  r = report_to_internet(report({recipient(kille, 1, delivered())}), f.ctx);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "\r\nSubject: Delivery-Report (success) for \"/I=S/S=Kille/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\"@gateway.example\r\n")) << r->content;
}

TEST(ReportToDsn, rfc2156_5_3_8_1_subject_mixed_outcomes) {
  Fixture f;
  auto rep = report({recipient(kille, 1, delivered()), recipient(nobody, 2, failed(1, 0))});
  auto r = report_to_internet(rep, f.ctx);
  ASSERT_TRUE(r);
  // Several recipients, no MTA name in the trace: no destination.
  EXPECT_TRUE(has(r->content, "\r\nSubject: Delivery-Report (success and failures)\r\n")) << r->content;
  EXPECT_EQ(r->delivered, 1u);
  EXPECT_EQ(r->failed, 1u);
  // The reporting-MTA-name extension names the MTA of the trace's first domain: "for MTA word".
  mts::ReportingMtaName n;
  n.domain = ucl();
  n.mta_name = "bells.cs.ucl.ac.uk";
  rep.envelope.extensions.push_back(mts::Extension::standard(mts::ext::reporting_mta_name, n));
  r = report_to_internet(rep, f.ctx);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "Subject: Delivery-Report (success and failures) for MTA \"bells.cs.ucl.ac.uk\"\r\n"));
  EXPECT_TRUE(has(r->content, "Reporting-MTA: x400; mta \"bells.cs.ucl.ac.uk\" in /PRMD=UK.AC/ADMD=GOLD 400/C=GB/\r\n"));
}

TEST(ReportToDsn, rfc2156_5_3_8_1_failed_recipient_fields) {
  Fixture f;
  auto rep = report({recipient(nobody, 3, failed(1, 0))});
  rep.content.per_recipient_fields[0].supplementary_information = "No such user";
  auto r = report_to_internet(rep, f.ctx);
  ASSERT_TRUE(r);
  const auto& c = r->content;
  EXPECT_TRUE(has(c, "Final-Recipient: x400; /S=Nobody/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\r\n")) << c;
  EXPECT_TRUE(has(c, "Action: failed\r\nStatus: 5.1.1\r\n"));
  EXPECT_TRUE(has(c, "Diagnostic-Code: x400; Reason 1 (unable-to-transfer); Diagnostic 0"));
  EXPECT_TRUE(has(c, "Last-Attempt-Date: Wed, 31 Dec 1997 23:59:30 +0000\r\n"));
  EXPECT_TRUE(has(c, "X400-Supplementary-Info: \"No such user\";\r\n"));
  EXPECT_TRUE(has(c, "X400-Originally-Specified-Recipient-Number: 3\r\n"));
  EXPECT_TRUE(has(c, "X400-Last-Trace: Wed, 31 Dec 1997 23:59:30 +0000\r\n"));
  EXPECT_TRUE(has(c, "Arrival-Date: Wed, 31 Dec 1997 23:59:30 +0000\r\n"));
  EXPECT_TRUE(has(c, "Reporting-MTA: x400; /PRMD=UK.AC/ADMD=GOLD 400/C=GB/\r\n"));
  EXPECT_TRUE(has(c, "Original-Envelope-Id: [/PRMD=UK.AC/ADMD=GOLD 400/C=GB/;subject-1]\r\n"));
  EXPECT_TRUE(has_text(c, "Your message was not delivered to:\r\n"));
  EXPECT_TRUE(has_text(c, "for the following reason:\r\n        Unable to transfer: Unrecognized OR name\r\n"));
  EXPECT_TRUE(has_text(c, "The Original Message is not available\r\n"));
}

TEST(ReportToDsn, rfc2156_5_3_8_1_delivered_recipient_fields) {
  Fixture f;
  auto r = report_to_internet(report({recipient(kille, 1, delivered())}), f.ctx);
  ASSERT_TRUE(r);
  const auto& c = r->content;
  EXPECT_TRUE(has(c, "Action: delivered\r\nStatus: 2.0.0\r\nLast-Attempt-Date: Wed, 31 Dec 1997 23:59:31 +0000\r\n")) << c;
  EXPECT_TRUE(has(c, "X400-Delivery-Time: Wed, 31 Dec 1997 23:59:31 +0000\r\n"));
  EXPECT_TRUE(has(c, "X400-Type-of-MTS-User: public (0)\r\n"));
  EXPECT_FALSE(has(c, "Diagnostic-Code"));
  EXPECT_TRUE(has_text(c, "Your message was successfully delivered to:\r\n"));
}

TEST(ReportToDsn, rfc2156_5_3_8_1_original_recipient_from_stored_orcpt) {
  Fixture f;
  ReportSubject s;
  s.orcpts.push_back({1, "rfc822;S.Kille@cs.ucl.ac.uk"});
  auto r = report_to_internet(report({recipient(kille, 1, failed(1, 4))}), f.ctx, s);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "Original-Recipient: rfc822;S.Kille@cs.ucl.ac.uk\r\n")) << r->content;
  EXPECT_TRUE(has(r->content, "Status: 4.2.1\r\n"));
}

TEST(ReportToDsn, rfc2156_5_3_8_1_redirected_recipient_fields) {
  Fixture f;
  auto rep = report({recipient(kille, 1, failed(1, 4))});
  rep.content.per_recipient_fields[0].originally_intended_recipient_name = name(nobody);
  auto r = report_to_internet(rep, f.ctx);
  ASSERT_TRUE(r);
  const auto& c = r->content;
  EXPECT_TRUE(has(c, "Original-Recipient: x400; /S=Nobody/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\r\n")) << c;
  EXPECT_TRUE(has(c, "Final-Recipient: rfc822; "));
  EXPECT_TRUE(has(c, "X400-Redirect-Recipient: x400; /I=S/S=Kille/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\r\n"));
  EXPECT_TRUE(has(c, "X400-Mapped-Redirect-Recipient: rfc822; "));
}

TEST(ReportToDsn, rfc2156_5_3_8_1_original_message_kept_by_the_gateway_is_returned) {
  Fixture f;
  ReportSubject s;
  s.original_message = "From: jane@example.org\r\nTo: S.Kille@cs.ucl.ac.uk\r\nSubject: hi\r\n\r\nbody line\r\n";
  auto r = report_to_internet(report({recipient(kille, 1, failed(1, 0))}), f.ctx, s);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "Content-Type: message/rfc822\r\n\r\nFrom: jane@example.org\r\n")) << r->content;
  EXPECT_TRUE(has(r->content, "body line\r\n"));
  EXPECT_TRUE(has_text(r->content, "The Original Message follows:\r\n"));
  // A positive report: the headers only (RFC 6522 text/rfc822-headers).
  r = report_to_internet(report({recipient(kille, 1, delivered())}), f.ctx, s);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "Content-Type: text/rfc822-headers\r\n\r\nFrom: jane@example.org\r\n")) << r->content;
  EXPECT_FALSE(has(r->content, "body line"));
}

TEST(ReportToDsn, rfc6522_boundary_not_in_any_part) {
  Fixture f;
  ReportSubject s;
  s.original_message = "Subject: x\r\n\r\n--mixer-dsn-0\r\n--mixer-dsn-1--\r\n";
  auto r = report_to_internet(report({recipient(kille, 1, failed(1, 0))}), f.ctx, s);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "boundary=\"mixer-dsn-2\"")) << r->content;
}

TEST(ReportToDsn, rfc2156_5_3_8_3_subject_identifier_and_envid_for_correlation) {
  Fixture f;
  auto rep = report({recipient(kille, 1, failed(1, 0))});
  auto r = report_to_internet(rep, f.ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->subject_identifier.local_identifier, "subject-1");
  EXPECT_EQ(r->subject_mts_id, "[/PRMD=UK.AC/ADMD=GOLD 400/C=GB/;subject-1]");
  EXPECT_FALSE(r->subject_envid);
  rep.content.extensions.push_back(
      mts::Extension::standard(mts::ext::content_correlator, mts::ContentCorrelator{std::string("SMTP/NOTARY ENVID: Q1")}));
  r = report_to_internet(rep, f.ctx);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->subject_envid, "Q1");
  EXPECT_TRUE(has(r->content, "Original-Envelope-Id: Q1\r\n"));
}

TEST(ReportToDsn, rfc2156_5_3_8_1_report_without_recipients_refused) {
  Fixture f;
  auto r = report_to_internet(report({}), f.ctx);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().x411_diagnostic, 12);
}

TEST(ReportToDsn, rfc2156_5_3_8_3_trace_as_x400_received_and_date) {
  Fixture f;
  auto r = report_to_internet(report({recipient(kille, 1, failed(1, 0))}), f.ctx);
  ASSERT_TRUE(r);
  EXPECT_TRUE(has(r->content, "\r\nX400-Received: by /PRMD=UK.AC/ADMD=GOLD 400/C=GB/ ; Relayed ; Wed, 31 Dec 1997 23:59:40 +0000\r\n"))
      << r->content;
  EXPECT_TRUE(has(r->content, "\r\nDate: Wed, 31 Dec 1997 23:59:40 +0000\r\n"));
}

}  // namespace
