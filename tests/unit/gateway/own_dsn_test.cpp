// tests/unit/gateway/own_dsn_test.cpp: the gateway's own DSN (gateway/own_dsn):
// who gets one (RFC 3461 NOTIFY, never for <>), what it says per recipient
// (RFC 3464), and the content returned as RET asks (RFC 3461 §4.3). Every
// report is read back with the message/delivery-status reader.
#include <gtest/gtest.h>

#include "gateway/own_dsn.hpp"

using namespace mixer;
using namespace mixer::gateway;

namespace {

const std::string kContent =
    "From: Jane <jane@client.example>\r\nTo: u@x400.example, v@x400.example\r\nSubject: hi\r\n"
    "Message-ID: <m1@client.example>\r\n\r\nthe body\r\n";

queue::ControlFile entry() {
  queue::ControlFile e;
  e.id = "0J5Q3Z9A1B2C";
  e.arrival_us = 1796300000LL * 1000000;  // 2026-12-03
  e.sender = "jane@client.example";
  e.envid = "abc+2Bdef";
  for (int i = 0; i < 3; ++i) {
    queue::RecipientRecord r;
    r.index = i;
    r.address = "u" + std::to_string(i) + "@x400.example";
    r.channel = queue::Channel::p1;
    r.peer = "mta-b";
    r.status = queue::RecipientStatus::failed;
    r.dsn = "5.1.1";
    r.diagnostic = "unable-to-transfer, unrecognised-OR-name: no such O/R address";
    e.recipients.push_back(r);
  }
  e.recipients[0].orcpt = "rfc822;U0+40x400.example";
  e.recipients[1].notify = "NEVER";
  e.recipients[2].notify = "SUCCESS,DELAY";
  return e;
}

OwnDsnInput input(const queue::ControlFile& e, std::vector<std::size_t> rcpts) {
  OwnDsnInput in;
  in.entry = &e;
  in.recipients = std::move(rcpts);
  in.content = kContent;
  in.reporting_mta = "gw.example";
  in.postmaster = "postmaster@gw.example";
  in.now = 1796300100;
  return in;
}

// The message/delivery-status part of a report, read back.
mapping::DeliveryStatusNotification status_part(const std::string& m) {
  const auto start = m.find("Content-Type: message/delivery-status");
  EXPECT_NE(start, std::string::npos);
  const auto body = m.find("\r\n\r\n", start) + 4;
  const auto end = m.find("\r\n--=_mixer_dsn_", body);
  mapping::DeliveryStatusError err;
  auto d = mapping::parse_delivery_status(std::string_view(m).substr(body, end - body), {}, err);
  EXPECT_TRUE(d) << err.message;
  return d ? *d : mapping::DeliveryStatusNotification{};
}

}  // namespace

TEST(OwnDsn, rfc3461_4_1_notify_decides_who_is_reported) {
  auto e = entry();
  auto dsn = own_dsn(input(e, {0, 1, 2}));
  ASSERT_TRUE(dsn);
  EXPECT_EQ(dsn->reported, (std::vector<std::size_t>{0}));  // 1 said NEVER, 2 did not ask for failures
  EXPECT_EQ(dsn->rcpt, "jane@client.example");
  // Delays: the default (no NOTIFY) and DELAY ask; NEVER does not.
  auto in = input(e, {0, 1, 2});
  in.action = mapping::DsnAction::delayed;
  e.recipients[0].dsn = "4.4.1";
  auto delayed = own_dsn(in);
  ASSERT_TRUE(delayed);
  EXPECT_EQ(delayed->reported, (std::vector<std::size_t>{0, 2}));
}

TEST(OwnDsn, rfc3461_6_2_never_a_report_to_the_empty_reverse_path) {
  auto e = entry();
  e.sender.clear();
  EXPECT_FALSE(own_dsn(input(e, {0})));
  e = entry();
  EXPECT_FALSE(own_dsn(input(e, {1})));  // NOTIFY=NEVER only
}

TEST(OwnDsn, rfc3464_rfc6522_one_report_with_every_recipient_and_the_content) {
  auto e = entry();
  e.recipients[1].notify.clear();
  auto dsn = own_dsn(input(e, {0, 1}));
  ASSERT_TRUE(dsn);
  const std::string& m = dsn->octets;
  EXPECT_NE(m.find("\r\nContent-Type: multipart/report; report-type=delivery-status;"), std::string::npos);
  EXPECT_NE(m.find("\r\nAuto-Submitted: auto-replied\r\n"), std::string::npos);
  EXPECT_EQ(m.rfind("From: Mail Delivery System <postmaster@gw.example>\r\n", 0), 0u);
  EXPECT_NE(m.find("Content-Type: message/rfc822\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\n\r\nthe body\r\n"), std::string::npos);  // RET absent: the whole message
  auto d = status_part(m);
  EXPECT_EQ(d.per_message.original_envelope_id, "abc+def");  // ENVID's xtext decoded
  EXPECT_EQ(d.per_message.reporting_mta.value, "gw.example");
  EXPECT_EQ(d.per_message.arrival_date, "Thu, 3 Dec 2026 12:13:20 +0000"  /* date -u -R -d @1796300000 */);
  ASSERT_EQ(d.recipients.size(), 2u);
  EXPECT_EQ(d.recipients[0].final_recipient.value, "u0@x400.example");
  ASSERT_TRUE(d.recipients[0].original_recipient);
  EXPECT_EQ(d.recipients[0].original_recipient->value, "U0@x400.example");  // ORCPT decoded
  EXPECT_EQ(d.recipients[0].action, mapping::DsnAction::failed);
  EXPECT_EQ(d.recipients[0].status, "5.1.1");
  EXPECT_EQ(d.recipients[0].remote_mta->value, "mta-b");
  EXPECT_EQ(d.recipients[0].diagnostic_code->type, "x400");
  EXPECT_EQ(d.recipients[1].final_recipient.value, "u1@x400.example");
  for (std::size_t at = 0, next; (next = m.find("\r\n", at)) != std::string::npos; at = next + 2)
    EXPECT_LE(next - at, 998u);
}

TEST(OwnDsn, rfc3461_4_3_ret_hdrs_returns_the_header_only) {
  auto e = entry();
  e.ret = "HDRS";
  e.arrival_us = 951782400LL * 1000000;  // a leap day
  auto dsn = own_dsn(input(e, {0}));
  ASSERT_TRUE(dsn);
  EXPECT_EQ(status_part(dsn->octets).per_message.arrival_date, "Tue, 29 Feb 2000 00:00:00 +0000");
  EXPECT_NE(dsn->octets.find("Content-Type: text/rfc822-headers\r\n"), std::string::npos);
  EXPECT_NE(dsn->octets.find("Message-ID: <m1@client.example>"), std::string::npos);
  EXPECT_EQ(dsn->octets.find("the body"), std::string::npos);
  EXPECT_FALSE(dsn->eight_bit);
}

TEST(OwnDsn, a_status_of_the_wrong_class_or_none_becomes_the_generic_one) {
  auto e = entry();
  e.recipients[0].dsn = "4.4.1";  // the last deferral's code on a recipient that then expired
  e.recipients[0].diagnostic = "t\xC3\xA9l\x01";
  auto dsn = own_dsn(input(e, {0}));
  ASSERT_TRUE(dsn);
  auto d = status_part(dsn->octets);
  ASSERT_EQ(d.recipients.size(), 1u);
  EXPECT_EQ(d.recipients[0].status, "5.0.0");
  EXPECT_EQ(d.recipients[0].diagnostic_code->value, "t??l?");  // ASCII only
}

// RFC 3461 §4.2: a recipient delivered to a next hop without DSN gets Action: relayed
// (status 2.x.x) when its NOTIFY has SUCCESS, nothing otherwise; like a delay notice
// it carries the message's header only (§4.3: RET is for failures).
TEST(OwnDsn, rfc3461_4_2_relayed_and_delayed_notices_carry_the_header_only) {
  auto e = entry();
  e.recipients[0].notify = "SUCCESS";
  e.recipients[0].dsn = "2.0.0";
  e.recipients[1].notify = "FAILURE";
  auto in = input(e, {0, 1});
  in.action = mapping::DsnAction::relayed;
  auto dsn = own_dsn(in);
  ASSERT_TRUE(dsn);
  auto d = status_part(dsn->octets);
  ASSERT_EQ(d.recipients.size(), 1u);  // not the one without SUCCESS
  EXPECT_EQ(d.recipients[0].action, mapping::DsnAction::relayed);
  EXPECT_EQ(d.recipients[0].status, "2.0.0");
  EXPECT_FALSE(d.recipients[0].will_retry_until);
  EXPECT_NE(dsn->octets.find("Subject: Delivery Status Notification (Relayed)\r\n"), std::string::npos);
  EXPECT_NE(dsn->octets.find("Content-Type: text/rfc822-headers\r\n"), std::string::npos);
  EXPECT_EQ(dsn->octets.find("the body"), std::string::npos);
  auto delayed = input(entry(), {0});
  delayed.action = mapping::DsnAction::delayed;
  auto late = own_dsn(delayed);
  ASSERT_TRUE(late);
  EXPECT_NE(late->octets.find("Content-Type: text/rfc822-headers\r\n"), std::string::npos);
  EXPECT_EQ(late->octets.find("the body"), std::string::npos);
}
