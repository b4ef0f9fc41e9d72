// tests/unit/mapping/disposition_notification_test.cpp: the RFC 8098 (RFC
// 3798) message/disposition-notification reader and writer: each field of
// §3.2, the Disposition syntax of §3.2.6, what is refused (with its line),
// the limits, and that what the writer writes reads back the same.
#include <gtest/gtest.h>

#include "mapping/disposition_notification.hpp"

namespace {

using namespace mixer::mapping;

const std::string kGood =
    "Reporting-UA: joes-pc.cs.example.com; Foomail 97.1\r\n"
    "MDN-Gateway: dns; gw.example.org\r\n"
    "Original-Recipient: rfc822;Joe@Example.COM\r\n"
    "Final-Recipient: rfc822;joe@example.com\r\n"
    "Original-Message-ID: <199509192301.23456@example.org>\r\n"
    "Disposition: manual-action/MDN-sent-manually; displayed\r\n"
    "X400-Receipt-Time: Thu, 3 Dec 2026 10:00:00 +0000\r\n";

std::optional<DispositionNotification> parse(const std::string& body, DispositionNotificationError& e,
                                             const DispositionNotificationLimits& limits = {}) {
  return parse_disposition_notification(body, limits, e);
}

}  // namespace

TEST(DispositionNotification, rfc8098_3_2_every_field_read) {
  DispositionNotificationError e;
  auto m = parse(kGood, e);
  ASSERT_TRUE(m) << e.line << ": " << e.message;
  EXPECT_EQ(*m->reporting_ua, "joes-pc.cs.example.com; Foomail 97.1");
  EXPECT_EQ(m->mdn_gateway->type, "dns");
  EXPECT_EQ(m->mdn_gateway->value, "gw.example.org");
  EXPECT_EQ(m->original_recipient->value, "Joe@Example.COM");
  EXPECT_EQ(m->final_recipient.type, "rfc822");
  EXPECT_EQ(m->final_recipient.value, "joe@example.com");
  EXPECT_EQ(*m->original_message_id, "<199509192301.23456@example.org>");
  EXPECT_EQ(m->disposition.action, ActionMode::manual);
  EXPECT_EQ(m->disposition.sending, SendingMode::manually);
  EXPECT_EQ(m->disposition.type, DispositionType::displayed);
  ASSERT_NE(m->field("x400-receipt-time"), nullptr);  // field names in any case (§3.1.1)
  EXPECT_EQ(*m->field("X400-Receipt-Time"), "Thu, 3 Dec 2026 10:00:00 +0000");
}

TEST(DispositionNotification, rfc8098_3_2_6_disposition_case_comments_and_modifiers) {
  DispositionNotificationError e;
  auto m = parse("Final-Recipient: rfc822; a@b.example\nDisposition: Automatic-Action (by rule)/\n"
                 " mdn-sent-AUTOMATICALLY ; Deleted/Error, X-Foo\n",
                 e);
  ASSERT_TRUE(m) << e.message;
  EXPECT_EQ(m->disposition.action, ActionMode::automatic);
  EXPECT_EQ(m->disposition.sending, SendingMode::automatically);
  EXPECT_EQ(m->disposition.type, DispositionType::deleted);
  EXPECT_EQ(m->disposition.modifiers, (std::vector<std::string>{"error", "x-foo"}));
  EXPECT_EQ(disposition_text(m->disposition), "automatic-action/MDN-sent-automatically; deleted/error, x-foo");
  for (const char* t : {"dispatched", "processed"}) {
    auto d = parse(std::string("Final-Recipient: rfc822; a@b.example\r\nDisposition: automatic-action/MDN-sent-automatically; ") + t + "\r\n", e);
    ASSERT_TRUE(d) << t << ": " << e.message;
    EXPECT_EQ(disposition_type_name(d->disposition.type), std::string(t));
  }
}

TEST(DispositionNotification, rfc8098_3_2_6_bad_dispositions_refused_with_their_line) {
  const char* bad[] = {
      "manual-action/MDN-sent-manually displayed",          // no ";"
      "manual-action; displayed",                           // no sending-mode
      "by-hand/MDN-sent-manually; displayed",               // action-mode
      "manual-action/MDN-sent-by-carrier-pigeon; displayed", // sending-mode
      "manual-action/MDN-sent-manually; read",              // disposition-type
      "manual-action/MDN-sent-manually; displayed/",        // empty modifier
      "manual-action/MDN-sent-manually; displayed/a b",     // modifier not an atom
      "manual-action/MDN-sent-manually (unclosed; displayed",
  };
  for (const char* d : bad) {
    DispositionNotificationError e;
    auto m = parse(std::string("Final-Recipient: rfc822; a@b.example\r\nDisposition: ") + d + "\r\n", e);
    EXPECT_FALSE(m) << d;
    EXPECT_EQ(e.line, 2u) << d;
    EXPECT_NE(e.message.find("Disposition"), std::string::npos) << e.message;
  }
}

TEST(DispositionNotification, rfc8098_3_1_required_fields_and_once_only) {
  DispositionNotificationError e;
  EXPECT_FALSE(parse("Disposition: manual-action/MDN-sent-manually; displayed\r\n", e));
  EXPECT_NE(e.message.find("Final-Recipient"), std::string::npos);
  EXPECT_FALSE(parse("Final-Recipient: rfc822; a@b.example\r\n", e));
  EXPECT_NE(e.message.find("Disposition"), std::string::npos);
  EXPECT_FALSE(parse("Final-Recipient: a@b.example\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n", e));
  EXPECT_NE(e.message.find("address-type"), std::string::npos);
  EXPECT_FALSE(parse(kGood + "final-recipient: rfc822; other@example.com\r\n", e));
  EXPECT_EQ(e.line, 8u);
  EXPECT_NE(e.message.find("twice"), std::string::npos);
  EXPECT_FALSE(parse(kGood + "\r\nX-Second: group\r\n", e));  // one group only
  EXPECT_FALSE(parse(" continuation first\r\n" + kGood, e));
  EXPECT_EQ(e.line, 1u);
}

TEST(DispositionNotification, rfc8098_limits_size_fields_field_size_and_lines) {
  DispositionNotificationError e;
  DispositionNotificationLimits l;
  l.max_size = 100;
  EXPECT_FALSE(parse(kGood, e, l));
  EXPECT_NE(e.message.find("octets"), std::string::npos);
  l = {};
  l.max_fields = 6;
  EXPECT_FALSE(parse(kGood, e, l));
  EXPECT_EQ(e.line, 7u);
  l = {};
  l.max_field_size = 64;
  EXPECT_FALSE(parse(kGood + "X-Long: " + std::string(40, 'a') + "\r\n " + std::string(40, 'b') + "\r\n", e, l));
  EXPECT_EQ(e.line, 9u);
  EXPECT_FALSE(parse(kGood + "X-Line: " + std::string(1000, 'c') + "\r\n", e));
  EXPECT_NE(e.message.find("998"), std::string::npos);
  EXPECT_FALSE(parse(kGood + "X-Word: " + std::string(950, 'c') + "\r\n", e));  // cannot be written back
  EXPECT_FALSE(parse(kGood + "X-Nul: a" + std::string(1, '\0') + "b\r\n", e));
  l = {};
  l.max_modifiers = 2;
  EXPECT_FALSE(parse("Final-Recipient: rfc822; a@b.example\r\nDisposition: manual-action/MDN-sent-manually; displayed/a,b,c\r\n", e, l));
}

TEST(DispositionNotification, rfc8098_3_1_written_reads_back_the_same) {
  DispositionNotificationError e;
  auto m = parse(kGood + "X-Folded: one\r\n two\r\n\tthree\r\nX400-Long: " + std::string(60, 'x') + " " +
                     std::string(60, 'y') + "\r\n",
                 e);
  ASSERT_TRUE(m) << e.message;
  const std::string w = write_disposition_notification(*m);
  EXPECT_NE(w.find("Disposition: manual-action/MDN-sent-manually; displayed\r\n"), std::string::npos) << w;
  EXPECT_NE(w.find("Final-Recipient: rfc822; joe@example.com\r\n"), std::string::npos) << w;
  auto again = parse(w, e);
  ASSERT_TRUE(again) << e.message << "\n" << w;
  EXPECT_EQ(write_disposition_notification(*again), w);
  EXPECT_EQ(*again->field("X-Folded"), "one two\tthree");
  EXPECT_EQ(again->final_recipient.value, m->final_recipient.value);
  EXPECT_EQ(again->original_message_id, m->original_message_id);
  for (std::size_t at = 0; (at = w.find("\r\n", at)) != std::string::npos; at += 2) {
    const auto start = w.rfind("\r\n", at - 1);
    EXPECT_LE(at - (start == std::string::npos ? 0 : start + 2), 78u);  // folded at 78 (RFC 5322 §2.1.1)
  }
}
