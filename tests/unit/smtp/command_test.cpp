// MAIL and RCPT parameters: RFC 1870 SIZE, RFC 6152 BODY, RFC 3461 DSN.
#include <gtest/gtest.h>

#include "smtp/proto/command.hpp"

using namespace mixer::smtp::proto;

namespace {
Extensions ext() {
  Extensions e;
  e.max_message_size = 10000;
  return e;
}
Reply mail_refusal(std::string_view args) { return std::get<Reply>(parse_mail_args(args, ext())); }
Reply rcpt_refusal(std::string_view args) { return std::get<Reply>(parse_rcpt_args(args, ext())); }
}  // namespace

TEST(Rfc5321, s4_1_1_verbs_are_case_insensitive) {
  EXPECT_EQ(parse_command("mail FROM:<a@b.c>").verb, Verb::mail);
  EXPECT_EQ(parse_command("StartTLS").verb, Verb::starttls);
  EXPECT_EQ(parse_command("XYZZY").verb, Verb::unknown);
  EXPECT_EQ(parse_command("RCPT TO:<a@b.c>").args, "TO:<a@b.c>");
}

TEST(Rfc3461, s4_mail_with_every_parameter) {
  auto m = std::get<MailFrom>(parse_mail_args("FROM:<a@b.example> SIZE=1234 BODY=8BITMIME RET=HDRS ENVID=QQ+2B1", ext()));
  EXPECT_EQ(m.reverse_path.text(), "a@b.example");
  EXPECT_EQ(m.size.value(), 1234u);
  EXPECT_EQ(m.body, Body::eight_bit_mime);
  EXPECT_EQ(m.ret, Ret::hdrs);
  EXPECT_EQ(m.envid, "QQ+2B1");
}

TEST(Rfc1870, s6_size_over_the_limit_is_552_5_3_4) {
  auto r = mail_refusal("FROM:<a@b.example> SIZE=10001");
  EXPECT_EQ(r.code, 552);
  EXPECT_EQ(r.enhanced, "5.3.4");
  EXPECT_EQ(mail_refusal("FROM:<a@b.example> SIZE=abc").code, 501);
}

TEST(Rfc5321, s4_1_1_11_unknown_parameter_is_555) {
  auto r = mail_refusal("FROM:<a@b.example> FOO=bar");
  EXPECT_EQ(r.code, 555);
  EXPECT_EQ(r.enhanced, "5.5.4");
  Extensions no_dsn = ext();
  no_dsn.dsn = false;
  EXPECT_EQ(std::get<Reply>(parse_mail_args("FROM:<a@b.example> RET=FULL", no_dsn)).code, 555);
  // SMTPUTF8 is not offered, so it is an unknown parameter.
  EXPECT_EQ(mail_refusal("FROM:<a@b.example> SMTPUTF8").code, 555);
}

TEST(Rfc3461, s4_3_ret_and_s4_4_envid_validation) {
  EXPECT_EQ(mail_refusal("FROM:<a@b.example> RET=SOME").code, 501);
  EXPECT_EQ(mail_refusal("FROM:<a@b.example> ENVID=a+zz").code, 501);
  EXPECT_EQ(mail_refusal("FROM:<a@b.example> ENVID=" + std::string(101, 'x')).code, 501);
  EXPECT_TRUE(std::holds_alternative<MailFrom>(parse_mail_args("FROM:<a@b.example> ENVID=" + std::string(100, 'x'), ext())));
  auto dup = mail_refusal("FROM:<a@b.example> RET=FULL ret=HDRS");
  EXPECT_EQ(dup.code, 501);
  EXPECT_EQ(dup.enhanced, "5.5.4");
}

TEST(Rfc3461, s4_1_notify_values) {
  auto r = std::get<RcptTo>(parse_rcpt_args("TO:<u@x.example> NOTIFY=success,DELAY", ext()));
  EXPECT_TRUE(r.notify.present && r.notify.success && r.notify.delay && !r.notify.failure);
  EXPECT_EQ(r.notify.text(), "SUCCESS,DELAY");
  EXPECT_EQ(std::get<RcptTo>(parse_rcpt_args("TO:<u@x.example> NOTIFY=NEVER", ext())).notify.text(), "NEVER");
  EXPECT_EQ(rcpt_refusal("TO:<u@x.example> NOTIFY=NEVER,SUCCESS").code, 501);
  EXPECT_EQ(rcpt_refusal("TO:<u@x.example> NOTIFY=SOMETIMES").code, 501);
  EXPECT_EQ(rcpt_refusal("TO:<u@x.example> NOTIFY=SUCCESS,SUCCESS").code, 501);
  EXPECT_EQ(rcpt_refusal("TO:<u@x.example> NOTIFY=").code, 501);
}

TEST(Rfc3461, s4_2_orcpt_values) {
  auto r = std::get<RcptTo>(parse_rcpt_args("TO:<u@x.example> ORCPT=rfc822;u+40x.example", ext()));
  EXPECT_EQ(r.orcpt, "rfc822;u+40x.example");
  EXPECT_EQ(rcpt_refusal("TO:<u@x.example> ORCPT=u@x.example").code, 501);
  EXPECT_EQ(rcpt_refusal("TO:<u@x.example> ORCPT=rfc822;").code, 501);
  EXPECT_EQ(rcpt_refusal("TO:<u@x.example> ORCPT=rfc 822;u").code, 501);
  EXPECT_EQ(rcpt_refusal("TO:<u@x.example> ORCPT=rfc822;" + std::string(500, 'u')).code, 501);
}

TEST(Rfc5321, s4_1_1_3_postmaster_without_domain) {
  auto r = std::get<RcptTo>(parse_rcpt_args("TO:<POSTMASTER>", ext()));
  EXPECT_TRUE(r.postmaster_only);
  auto bad = rcpt_refusal("TO:<root>");
  EXPECT_EQ(bad.code, 501);
  EXPECT_EQ(bad.enhanced, "5.1.3");
}

TEST(Rfc3463, bad_address_codes_name_sender_or_recipient) {
  EXPECT_EQ(mail_refusal("FROM:<a b@c>").enhanced, "5.1.7");
  EXPECT_EQ(rcpt_refusal("TO:<a b@c>").enhanced, "5.1.3");
  EXPECT_EQ(mail_refusal("FROM:a@b.example").code, 501);
  EXPECT_EQ(mail_refusal("FROM:<a@b.example>junk").code, 501);
  auto utf8 = rcpt_refusal("TO:<\xc3\xa9@x.example>");
  EXPECT_EQ(utf8.code, 553);
  EXPECT_EQ(utf8.enhanced, "5.6.7");
}
