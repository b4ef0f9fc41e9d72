// tests/unit/gateway/own_x400_report_test.cpp: the gateway's own report for
// an X.400 originator (gateway/own_x400_report): one Report for the failed
// recipients, each with the X.411 reason and diagnostic its failure recorded
// (or RFC 2156 §5.1.8.4's for an RFC 3463 status), and the delivered ones
// that owe a delivery report (Appendix A §3.2; a probe's answer, §5.3.9);
// the subject's identifiers, and the content returned only when
// content-return-request asks. Every report is encoded and decoded strictly.
#include <gtest/gtest.h>

#include "addressing/std_or.hpp"
#include "gateway/own_x400_report.hpp"
#include "p1/mts/mts.hpp"

using namespace mixer;
using namespace mixer::gateway;
namespace mts = p1::mts;

namespace {

mts::OrName or_name(const std::string& text) {
  auto parsed = addressing::parse_std_or(text);
  EXPECT_TRUE(parsed) << text;
  return mts::OrName{parsed->address, std::nullopt};
}

mts::GlobalDomainIdentifier domain(const char* c, const char* admd, const char* prmd) {
  mts::GlobalDomainIdentifier d;
  d.country = addressing::Text::of(c);
  d.admd = addressing::Text::of(admd);
  if (*prmd) d.prmd = addressing::Text::of(prmd);
  return d;
}

mts::Message message(bool content_return) {
  mts::Message m;
  auto& e = m.envelope;
  e.message_identifier = {domain("XX", " ", "ARMY"), "ipm-4711"};
  e.originator_name = or_name("/G=Ann/S=Smith/O=Army/PRMD=ARMY/ADMD= /C=XX/");
  e.content_type = mts::BuiltInContentType{22};
  e.content_identifier = "cid-1";
  if (content_return) {
    e.per_message_indicators.emplace();
    e.per_message_indicators->set(mts::pmi::content_return_request);
  }
  mts::TraceInformationElement t;
  t.global_domain_identifier = domain("XX", " ", "ARMY");
  t.domain_supplied_information.arrival_time = "261203115900Z";
  e.trace_information.push_back(t);
  for (int i = 0; i < 3; ++i) {
    mts::PerRecipientMessageTransferFields f;
    f.recipient_name = or_name("/RFC-822=u" + std::to_string(i) + "(a)example.org/O=GW/PRMD=GW/ADMD= /C=XX/");
    f.originally_specified_recipient_number = i + 1;
    f.per_recipient_indicators.set(mts::pri::responsibility);
    f.per_recipient_indicators.set(mts::pri::originating_mta_non_delivery_report);
    f.per_recipient_indicators.set(mts::pri::originator_non_delivery_report);
    e.per_recipient_fields.push_back(f);
  }
  m.content = mts::Bytes{0x31, 0x00};
  return m;
}

queue::ControlFile entry() {
  queue::ControlFile c;
  c.id = "0J5Q3Z9A1B2C";
  c.arrival_us = 1796299140LL * 1000000;  // 2026-12-03 11:59:00Z
  c.origin = "p1";
  c.apdu = "message";
  for (int i = 0; i < 3; ++i) {
    queue::RecipientRecord r;
    r.index = i;
    r.address = "u" + std::to_string(i) + "@example.org";
    r.channel = queue::Channel::smtp;
    r.source = i;
    r.status = queue::RecipientStatus::delivered;
    c.recipients.push_back(r);
  }
  // 1: refused by the next hop; 2: refused by the submit stage.
  c.recipients[1].status = queue::RecipientStatus::failed;
  c.recipients[1].dsn = "5.1.1";
  c.recipients[1].diagnostic = "smtp; 550 5.1.1 <u1@example.org>: no such user (from mx.example.org)";
  c.recipients[2].status = queue::RecipientStatus::failed;
  c.recipients[2].dsn = "5.6.3";
  c.recipients[2].diagnostic = "conversion with loss prohibited [X.411 reason 2, diagnostic 10]";
  return c;
}

OwnX400ReportInput input(const queue::ControlFile& c, const mts::Message& m) {
  OwnX400ReportInput in;
  in.entry = &c;
  in.subject = &m;
  in.domain = domain("XX", " ", "GW");
  in.report_local_id = "0J5Q3Z9A1B2D";
  in.now = 1796299200;
  return in;
}

// Encoded and decoded strictly: what a peer will read.
mts::Report round_trip(const mts::Report& r) {
  auto ber = mts::encode_mts_apdu(mts::MtsApdu(r));
  EXPECT_TRUE(ber) << (ber ? "" : ber.error().what);
  auto back = mts::decode_mts_apdu(*ber);
  EXPECT_TRUE(back) << (back ? "" : back.error().what);
  return std::get<mts::Report>(*back);
}

}  // namespace

TEST(OwnX400Report, x411_one_report_for_the_failed_recipients_with_reason_and_diagnostic) {
  const auto c = entry();
  const auto m = message(false);
  auto report = own_x400_report(input(c, m));
  ASSERT_TRUE(report);
  const auto r = round_trip(*report);
  EXPECT_EQ(r.envelope.report_identifier.local_identifier, "0J5Q3Z9A1B2D");
  EXPECT_EQ(r.envelope.report_identifier.global_domain_identifier, domain("XX", " ", "GW"));
  EXPECT_EQ(*addressing::format_std_or(r.envelope.report_destination_name.address),
            *addressing::format_std_or(m.envelope.originator_name.address));
  ASSERT_EQ(r.envelope.trace_information.size(), 1u);
  EXPECT_EQ(r.envelope.trace_information[0].domain_supplied_information.arrival_time, "261203120000Z");
  EXPECT_EQ(r.content.subject_identifier.local_identifier, "ipm-4711");
  EXPECT_EQ(r.content.subject_intermediate_trace_information.size(), 1u);
  EXPECT_EQ(r.content.content_identifier, std::optional<std::string>("cid-1"));
  EXPECT_FALSE(r.content.returned_content);  // content-return-request not set
  ASSERT_EQ(r.content.per_recipient_fields.size(), 2u);
  const auto& f1 = r.content.per_recipient_fields[0];
  EXPECT_EQ(f1.originally_specified_recipient_number, 2);
  EXPECT_EQ(*addressing::format_std_or(f1.actual_recipient_name.address),
            *addressing::format_std_or(m.envelope.per_recipient_fields[1].recipient_name.address));
  EXPECT_EQ(f1.last_trace_information.arrival_time, "261203115900Z");
  const auto& nd1 = std::get<mts::NonDeliveryReport>(f1.last_trace_information.report_type);
  EXPECT_EQ(nd1.non_delivery_reason_code, 1);  // §5.1.8.4: X.1.1 -> unable-to-transfer,
  EXPECT_EQ(nd1.non_delivery_diagnostic_code, std::optional<std::int64_t>(0));  // unrecognised-OR-name
  ASSERT_TRUE(f1.supplementary_information);
  EXPECT_NE(f1.supplementary_information->find("550 5.1.1"), std::string::npos) << *f1.supplementary_information;
  EXPECT_TRUE(f1.per_recipient_indicators.test(mts::pri::originator_non_delivery_report));
  const auto& f2 = r.content.per_recipient_fields[1];
  EXPECT_EQ(f2.originally_specified_recipient_number, 3);
  const auto& nd2 = std::get<mts::NonDeliveryReport>(f2.last_trace_information.report_type);
  EXPECT_EQ(nd2.non_delivery_reason_code, 2);  // as the submit stage's refusal recorded it
  EXPECT_EQ(nd2.non_delivery_diagnostic_code, std::optional<std::int64_t>(10));
}

TEST(OwnX400Report, x411_content_return_request_returns_the_content_as_received) {
  const auto c = entry();
  const auto m = message(true);
  auto r = round_trip(*own_x400_report(input(c, m)));
  ASSERT_TRUE(r.content.returned_content);
  EXPECT_EQ(*r.content.returned_content, m.content);
  auto in = input(c, m);
  in.max_returned = 1;  // over the limit: not returned, the report still goes
  auto small = own_x400_report(in);
  ASSERT_TRUE(small);
  EXPECT_FALSE(small->content.returned_content);
}

TEST(OwnX400Report, no_report_without_a_failed_recipient_of_the_received_apdu) {
  auto c = entry();
  const auto m = message(false);
  auto in = input(c, m);
  c.recipients[1].source = -1;  // mixer p1-submit's entries have no per-recipient field
  c.recipients[2].source = 7;   // out of range
  EXPECT_FALSE(own_x400_report(in));
  c = entry();
  for (auto& r : c.recipients) r.status = queue::RecipientStatus::delivered;  // and none owes a report
  EXPECT_FALSE(own_x400_report(in));
}

TEST(OwnX400Report, rfc2156_appendix_a_3_2_delivered_recipient_owing_a_report_is_a_delivery) {
  auto c = entry();
  c.recipients[0].delivery_report = true;  // relayed by SMTP: the originating MTA's request
  const auto m = message(true);
  auto r = round_trip(*own_x400_report(input(c, m)));
  ASSERT_EQ(r.content.per_recipient_fields.size(), 3u);
  const auto& f0 = r.content.per_recipient_fields[0];
  EXPECT_EQ(f0.originally_specified_recipient_number, 1);
  const auto& dr = std::get<mts::DeliveryReport>(f0.last_trace_information.report_type);
  EXPECT_EQ(dr.message_delivery_time, "261203120000Z");
  EXPECT_FALSE(dr.type_of_mts_user);  // public, the DEFAULT
  EXPECT_TRUE(std::holds_alternative<mts::NonDeliveryReport>(r.content.per_recipient_fields[1].last_trace_information.report_type));
  EXPECT_TRUE(r.content.returned_content);  // some were not delivered
  // Only deliveries: no content returned, even when asked for.
  for (auto& x : c.recipients) x.status = queue::RecipientStatus::delivered;
  r = round_trip(*own_x400_report(input(c, m)));
  ASSERT_EQ(r.content.per_recipient_fields.size(), 1u);
  EXPECT_FALSE(r.content.returned_content);
}

TEST(OwnX400Report, rfc2156_5_3_9_probe_answer_for_each_internet_recipient) {
  const auto m = message(false);
  mts::Probe probe;
  probe.probe_identifier = {m.envelope.message_identifier.global_domain_identifier, "probe-1"};
  probe.originator_name = m.envelope.originator_name;
  probe.content_type = m.envelope.content_type;
  probe.trace_information = m.envelope.trace_information;
  probe.per_recipient_fields = m.envelope.per_recipient_fields;
  auto c = entry();
  c.apdu = "probe";
  c.recipients[0].status = queue::RecipientStatus::delivered;
  c.recipients[0].delivery_report = true;
  c.recipients[0].dsn = "2.0.0";
  c.recipients[0].diagnostic = "probe: would be delivered to <u0@example.org> by SMTP";
  c.recipients[1].status = queue::RecipientStatus::failed;
  c.recipients[1].diagnostic = "no mapping [X.411 reason 1, diagnostic 0]";
  c.recipients.pop_back();
  OwnX400ReportInput in;
  in.entry = &c;
  in.subject = &probe;
  in.domain = domain("XX", " ", "GW");
  in.report_local_id = "R1";
  in.now = 1796299200;
  auto r = round_trip(*own_x400_report(in));
  EXPECT_EQ(r.content.subject_identifier.local_identifier, "probe-1");
  EXPECT_FALSE(r.content.returned_content);  // a probe has no content
  ASSERT_EQ(r.content.per_recipient_fields.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<mts::DeliveryReport>(r.content.per_recipient_fields[0].last_trace_information.report_type));
  const auto& nd = std::get<mts::NonDeliveryReport>(r.content.per_recipient_fields[1].last_trace_information.report_type);
  EXPECT_EQ(nd.non_delivery_reason_code, 1);
  EXPECT_EQ(nd.non_delivery_diagnostic_code, std::optional<std::int64_t>(0));
}

TEST(OwnX400Report, rfc2156_5_1_8_4_statuses_without_a_recorded_x411_code) {
  queue::RecipientRecord r;
  r.dsn = "5.4.7";  // expired in the queue
  r.diagnostic = "delivery time expired (X.411 unable-to-transfer, maximum-time-expired) after 3 attempts";
  auto nd = non_delivery_of(r);
  EXPECT_EQ(nd.non_delivery_reason_code, 1);
  EXPECT_EQ(nd.non_delivery_diagnostic_code, std::optional<std::int64_t>(5));  // maximum-time-expired
  r.dsn = "5.4.0";  // the P1 peer refused the transfer for good
  r.diagnostic = "transfer refused";
  nd = non_delivery_of(r);
  EXPECT_EQ(nd.non_delivery_reason_code, 0);  // transfer-failure
  EXPECT_FALSE(nd.non_delivery_diagnostic_code);
  r.diagnostic = "no route [X.411 reason 1]";
  nd = non_delivery_of(r);
  EXPECT_EQ(nd.non_delivery_reason_code, 1);
  EXPECT_FALSE(nd.non_delivery_diagnostic_code);
}

TEST(OwnX400Report, utc_time_text_is_x411_utctime) {
  EXPECT_EQ(utc_time_text(1796299200), "261203120000Z");
  EXPECT_EQ(utc_time_text(0), "700101000000Z");
}
