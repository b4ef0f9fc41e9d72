// tests/unit/mapping/delivery_status_test.cpp: the RFC 3464 message/delivery-status
// body read and written (mapping/delivery_status), and RFC 2156 §5.1.8.4's table.
#include <gtest/gtest.h>

#include "mapping/delivery_status.hpp"

using namespace mixer::mapping;

namespace {

// RFC 3464 Appendix ... style: a DSN from an SMTP MTA, folded, a comment after the status.
const char* kPostfixStyle =
    "Reporting-MTA: dns; mail.example.org\r\n"
    "X-Postfix-Queue-ID: 4Q1x2y3z\r\n"
    "X-Postfix-Sender: rfc822; jane@example.org\r\n"
    "Arrival-Date: Thu,  3 Dec 2026 14:59:00 +0000 (UTC)\r\n"
    "\r\n"
    "Final-Recipient: rfc822; nobody@example.net\r\n"
    "Original-Recipient: rfc822;nobody@example.net\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1 (bad destination mailbox)\r\n"
    "Remote-MTA: dns; mx.example.net\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address\r\n"
    "    rejected: User unknown in local recipient table\r\n"
    "\r\n"
    "Final-Recipient: rfc822; slow@example.net\r\n"
    "Action: delayed\r\n"
    "Status: 4.4.1\r\n"
    "Will-Retry-Until: Tue, 8 Dec 2026 14:59:00 +0000\r\n";

DeliveryStatusNotification parse_ok(std::string_view body) {
  DeliveryStatusError e;
  auto d = parse_delivery_status(body, {}, e);
  EXPECT_TRUE(d) << "line " << e.line << ": " << e.message;
  return d ? *d : DeliveryStatusNotification{};
}

std::string parse_error(std::string_view body, const DeliveryStatusLimits& limits = {}) {
  DeliveryStatusError e;
  auto d = parse_delivery_status(body, limits, e);
  EXPECT_FALSE(d);
  return "line " + std::to_string(e.line) + ": " + e.message;
}

}  // namespace

TEST(DeliveryStatus, rfc3464_2_per_message_and_per_recipient_fields_read) {
  auto d = parse_ok(kPostfixStyle);
  EXPECT_EQ(d.per_message.reporting_mta.type, "dns");
  EXPECT_EQ(d.per_message.reporting_mta.value, "mail.example.org");
  EXPECT_EQ(d.per_message.arrival_date, "Thu,  3 Dec 2026 14:59:00 +0000 (UTC)");
  ASSERT_EQ(d.per_message.fields.size(), 4u);  // every field kept, for §5.1.8.3's extension
  EXPECT_EQ(d.per_message.fields[1].name, "X-Postfix-Queue-ID");
  ASSERT_EQ(d.recipients.size(), 2u);
  const auto& r = d.recipients[0];
  EXPECT_EQ(r.final_recipient.type, "rfc822");
  EXPECT_EQ(r.final_recipient.value, "nobody@example.net");
  ASSERT_TRUE(r.original_recipient);
  EXPECT_EQ(r.original_recipient->value, "nobody@example.net");
  EXPECT_EQ(r.action, DsnAction::failed);
  EXPECT_EQ(r.status, "5.1.1");  // the comment is not part of the code
  ASSERT_TRUE(r.diagnostic_code);
  EXPECT_EQ(r.diagnostic_code->type, "smtp");
  // RFC 5322 §2.2.3: unfolding removes the CRLF, the white space stays.
  EXPECT_EQ(r.diagnostic_code->value,
            "550 5.1.1 <nobody@example.net>: Recipient address    rejected: User unknown in local recipient table");
  EXPECT_EQ(d.recipients[1].action, DsnAction::delayed);
  EXPECT_EQ(d.recipients[1].will_retry_until, "Tue, 8 Dec 2026 14:59:00 +0000");
}

TEST(DeliveryStatus, rfc3464_bare_lf_line_ends_and_field_names_in_any_case) {
  auto d = parse_ok("reporting-mta: dns; a.example\n\nfinal-recipient: rfc822; b@c.example\nACTION: Delivered\nstatus: 2.0.0\n");
  ASSERT_EQ(d.recipients.size(), 1u);
  EXPECT_EQ(d.recipients[0].action, DsnAction::delivered);
}

TEST(DeliveryStatus, rfc3464_2_2_2_and_2_3_required_fields_refused_with_the_line) {
  EXPECT_EQ(parse_error("Arrival-Date: x\r\n\r\nFinal-Recipient: rfc822; a@b\r\nAction: failed\r\nStatus: 5.0.0\r\n"),
            "line 1: no Reporting-MTA field (RFC 3464 §2.2.2 requires it)");
  EXPECT_EQ(parse_error("Reporting-MTA: dns; a\r\n\r\nAction: failed\r\nStatus: 5.0.0\r\n"),
            "line 3: a recipient without Final-Recipient (RFC 3464 §2.3.2 requires it)");
  EXPECT_EQ(parse_error("Reporting-MTA: dns; a\r\n\r\nFinal-Recipient: rfc822; a@b\r\nStatus: 5.0.0\r\n"),
            "line 3: a recipient without Action (RFC 3464 §2.3.3 requires it)");
  EXPECT_EQ(parse_error("Reporting-MTA: dns; a\r\n\r\nFinal-Recipient: rfc822; a@b\r\nAction: failed\r\n"),
            "line 3: a recipient without Status (RFC 3464 §2.3.4 requires it)");
  EXPECT_EQ(parse_error("Reporting-MTA: dns; a\r\n"), "line 1: no per-recipient fields (RFC 3464 §2.1: at least one recipient)");
}

TEST(DeliveryStatus, rfc3463_2_garbage_status_and_action_refused) {
  for (const char* status : {"5.1", "3.1.1", "5.1.1234", "five", "5..1", "5.1.1.1"})
    EXPECT_NE(parse_error(std::string("Reporting-MTA: dns; a\r\n\r\nFinal-Recipient: rfc822; a@b\r\nAction: failed\r\nStatus: ") +
                          status + "\r\n")
                  .find("is not an RFC 3463 code"),
              std::string::npos)
        << status;
  EXPECT_NE(parse_error("Reporting-MTA: dns; a\r\n\r\nFinal-Recipient: rfc822; a@b\r\nAction: bounced\r\nStatus: 5.0.0\r\n")
                .find("none of RFC 3464 §2.3.3's"),
            std::string::npos);
  EXPECT_NE(parse_error("Reporting-MTA: dns a\r\n\r\nFinal-Recipient: rfc822; a@b\r\nAction: failed\r\nStatus: 5.0.0\r\n")
                .find("Reporting-MTA is not"),
            std::string::npos);
  EXPECT_NE(parse_error("Reporting-MTA: dns; a\r\nthis is prose\r\n").find("line 2: a line that is not a field"),
            std::string::npos);
}

TEST(DeliveryStatus, limits_refuse_rather_than_grow) {
  DeliveryStatusLimits small;
  small.max_recipients = 2;
  std::string many = "Reporting-MTA: dns; a\r\n";
  for (int i = 0; i < 5; ++i) many += "\r\nFinal-Recipient: rfc822; a@b\r\nAction: failed\r\nStatus: 5.0.0\r\n";
  EXPECT_NE(parse_error(many, small).find("over 2 recipients"), std::string::npos);
  small = {};
  small.max_field_size = 100;
  EXPECT_NE(parse_error("Reporting-MTA: dns; " + std::string(200, 'a') + "\r\n", small).find("a field over 100"),
            std::string::npos);
  small = {};
  small.max_size = 10;
  EXPECT_EQ(parse_error(kPostfixStyle, small), "line 0: over 10 octets");
}

TEST(DeliveryStatus, rfc3464_written_and_read_back_the_same) {
  auto d = parse_ok(kPostfixStyle);
  const std::string text = write_delivery_status(d);
  auto again = parse_ok(text);
  ASSERT_EQ(again.recipients.size(), d.recipients.size());
  EXPECT_EQ(again.per_message.fields.size(), d.per_message.fields.size());
  for (std::size_t i = 0; i < d.recipients.size(); ++i) {
    EXPECT_EQ(again.recipients[i].status, d.recipients[i].status);
    EXPECT_EQ(again.recipients[i].action, d.recipients[i].action);
    EXPECT_EQ(again.recipients[i].final_recipient.value, d.recipients[i].final_recipient.value);
  }
  EXPECT_EQ(again.recipients[0].diagnostic_code->value, d.recipients[0].diagnostic_code->value);
  // Typed fields in RFC 3464's order, the extension fields after them.
  EXPECT_EQ(text.rfind("Reporting-MTA: dns; mail.example.org\r\nArrival-Date:", 0), 0u) << text;
  for (std::size_t at = 0, next; (next = text.find("\r\n", at)) != std::string::npos; at = next + 2)
    EXPECT_LE(next - at, 78u) << text.substr(at, next - at);
}

// RFC 2156 §5.1.8.4, a row of each group, the class not mattering, and the default rows.
TEST(DeliveryStatus, rfc2156_5_1_8_4_status_to_reason_and_diagnostic) {
  struct Case {
    const char* status;
    int reason;
    int diagnostic;  // -1: none
  } cases[] = {
      {"5.1.1", 1, 0},  {"5.1.4", 1, 1},  {"5.1.6", 1, 43}, {"5.1.7", 1, 11}, {"5.2.2", 1, 4},  {"5.2.3", 1, 7},
      {"5.2.4", 1, 30}, {"5.3.0", 0, -1}, {"5.3.1", 1, 2},  {"5.3.3", 1, 18}, {"5.3.4", 1, 7},  {"5.3.5", 1, -1},
      {"5.4.3", 6, -1}, {"5.4.4", 0, -1}, {"5.4.6", 1, 3},  {"5.4.7", 1, 5},  {"5.5.1", 1, 14}, {"5.5.3", 1, 16},
      {"5.5.5", 1, 18}, {"5.6.0", 2, -1}, {"5.6.1", 1, 6},  {"5.6.2", 1, 9},  {"5.6.3", 2, 8},  {"5.6.5", 2, 47},
      {"5.7.0", 1, 46}, {"5.7.1", 1, 29}, {"5.7.2", 1, 28}, {"5.7.7", 1, 46}, {"4.4.7", 1, 5},  {"5.0.0", 1, -1},
      // Not in the table: as its X.n.0 row ("5.2.37" is the section's own example).
      {"5.2.37", 1, -1}, {"5.4.99", 0, -1}, {"5.9.9", 1, -1},
  };
  for (const auto& c : cases) {
    auto n = non_delivery_of_status(c.status);
    EXPECT_EQ(n.reason, c.reason) << c.status;
    EXPECT_EQ(n.diagnostic.value_or(-1), c.diagnostic) << c.status;
  }
  // Positive-only rows on a failure: their X.n.0 row, marked.
  auto loss = non_delivery_of_status("5.6.4");
  EXPECT_TRUE(loss.positive);
  EXPECT_EQ(loss.reason, 2);
  EXPECT_FALSE(loss.diagnostic);
}
