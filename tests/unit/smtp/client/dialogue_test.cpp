// Recorded dialogues of the SMTP client (smtp/client/proto/session.hpp):
// server lines in, exact client bytes out, then each recipient's result.
// Each test name cites the rule it checks.
#include <gtest/gtest.h>

#include "tests/unit/smtp/client/dialogue_harness.hpp"

using namespace mixer::smtp::client;
using namespace mixer::smtp::client::test;
using mixer::smtp::proto::Body;
using mixer::smtp::proto::Ret;

namespace {

const std::vector<std::string> kGreetingPlainEhlo = {
    "S: 220 mx.example ESMTP",
    "C: EHLO gw.example",
    "S: 250-mx.example",
    "S: 250 HELP",
    "E: ready",
};

std::vector<std::string> operator+(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const RecipientResult& rr(const Dialogue& d, std::size_t msg, std::size_t i) { return d.results.at(msg).recipients.at(i); }

}  // namespace

TEST(ClientDialogue, rfc5321_s3_3_plain_lock_step) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example")}, {"Subject: t\r\n\r\nhello\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{
                                    "A: send 0",
                                    "C: MAIL FROM:<a@x.example>",
                                    "S: 250 ok",
                                    "C: RCPT TO:<u@y.example>",
                                    "S: 250 ok",
                                    "C: RCPT TO:<v@y.example>",
                                    "S: 250 ok",
                                    "C: DATA",
                                    "S: 354 go ahead",
                                    "C: Subject: t",
                                    "C: ",
                                    "C: hello",
                                    "C: .",
                                    "S: 250 queued as 1234",
                                    "E: message_done",
                                    "E: ready",
                                    "A: quit",
                                    "C: QUIT",
                                    "S: 221 bye",
                                    "E: closed",
                                });
  ASSERT_EQ(d.results.size(), 1u);
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::delivered);
  EXPECT_EQ(rr(d, 0, 1).status, RecipientStatus::delivered);
  EXPECT_EQ(rr(d, 0, 1).reply.text(), "250 queued as 1234");
  EXPECT_EQ(rr(d, 0, 1).stage, Command::end_of_data);
  EXPECT_FALSE(d.results[0].dsn_passed_on);
  EXPECT_TRUE(s.finished());
}

TEST(ClientDialogue, lock_step_waits_for_each_reply) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>"});
  EXPECT_EQ(Dialogue::take(s), "");  // nothing more before the reply to MAIL
  EXPECT_EQ(s.awaiting(), Command::mail);
}

TEST(ClientDialogue, rfc2920_s3_pipelining_sends_mail_rcpts_and_data_in_one_write) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example")}, {"hello\r\n"})};
  ClientSession s(d.settings);
  s.on_input("220 mx.example ESMTP\r\n");
  ASSERT_EQ(Dialogue::take(s), "EHLO gw.example\r\n");
  s.on_input("250-mx.example\r\n250-PIPELINING\r\n250 8BITMIME\r\n");
  ASSERT_EQ(s.next_event()->kind, Event::Kind::ready);
  ASSERT_TRUE(s.start_message(d.messages[0]).ok());
  // One piece: the whole group is one write.
  EXPECT_EQ(s.output(), "MAIL FROM:<a@x.example>\r\nRCPT TO:<u@y.example>\r\nRCPT TO:<v@y.example>\r\nDATA\r\n");
  d.run(s, {
               "C: MAIL FROM:<a@x.example>",
               "C: RCPT TO:<u@y.example>",
               "C: RCPT TO:<v@y.example>",
               "C: DATA",
               "S: 250 ok",
               "S: 250 ok",
               "S: 250 ok",
               "S: 354 go",
               "C: hello",
               "C: .",
               "S: 250 ok",
               "E: message_done",
               "E: ready",
           });
  EXPECT_EQ(rr(d, 0, 1).status, RecipientStatus::delivered);
}

TEST(ClientDialogue, rfc2920_s3_replies_matched_in_order_even_one_octet_at_a_time) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example"), rcpt("w@y.example")}, {"m\r\n"})};
  ClientSession s(d.settings);
  s.on_input("220 mx\r\n");
  Dialogue::take(s);
  s.on_input("250-mx\r\n250-ENHANCEDSTATUSCODES\r\n250 PIPELINING\r\n");
  s.next_event();
  ASSERT_TRUE(s.start_message(d.messages[0]).ok());
  Dialogue::take(s);
  std::string replies = "250 2.1.0 ok\r\n250 2.1.5 ok\r\n451 4.3.0 try later\r\n550-5.1.1 no such\r\n550 5.1.1 user\r\n354 go\r\n";
  for (char c : replies) s.on_input(std::string_view(&c, 1));
  EXPECT_EQ(Dialogue::take(s), "m\r\n.\r\n");
  s.on_input("250 2.0.0 queued\r\n");
  auto ev = s.next_event();
  ASSERT_EQ(ev->kind, Event::Kind::message_done);
  EXPECT_EQ(ev->result.recipients[0].status, RecipientStatus::delivered);
  EXPECT_EQ(ev->result.recipients[0].reply.enhanced, "2.0.0");
  EXPECT_EQ(ev->result.recipients[1].status, RecipientStatus::deferred);
  EXPECT_EQ(ev->result.recipients[1].reply.enhanced, "4.3.0");
  EXPECT_EQ(ev->result.recipients[1].reply.lines.front(), "try later");
  EXPECT_EQ(ev->result.recipients[2].status, RecipientStatus::failed);
  EXPECT_EQ(ev->result.recipients[2].reply.lines, (std::vector<std::string>{"no such", "user"}));
  EXPECT_EQ(ev->result.recipients[2].stage, Command::rcpt);
}

TEST(ClientDialogue, rfc1870_rfc6152_rfc3461_parameters_when_offered) {
  Dialogue d;
  auto m = message("a@x.example", {rcpt("u@y.example", "SUCCESS,FAILURE", "rfc822;u@y.example"), rcpt("v@y.example")},
                   {"Subject: \xC3\xA9t\xC3\xA9\r\n", "\r\nbody\r\n"});
  m.envelope.mail.body = Body::eight_bit_mime;
  m.envelope.mail.ret = Ret::hdrs;
  m.envelope.mail.envid = "QQ+2B1";
  d.messages = {m};
  ClientSession s(d.settings);
  d.run(s, {
               "S: 220 mx",
               "C: EHLO gw.example",
               "S: 250-mx.example hello",
               "S: 250-SIZE 1000000",
               "S: 250-8BITMIME",
               "S: 250-DSN",
               "S: 250 ENHANCEDSTATUSCODES",
               "E: ready",
               "A: send 0",
               "C: MAIL FROM:<a@x.example> SIZE=24 BODY=8BITMIME RET=HDRS ENVID=QQ+2B1",
               "S: 250 2.1.0 ok",
               "C: RCPT TO:<u@y.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;u@y.example",
               "S: 250 2.1.5 ok",
               "C: RCPT TO:<v@y.example>",
               "S: 250 2.1.5 ok",
               "C: DATA",
               "S: 354 go",
               "C: Subject: \xC3\xA9t\xC3\xA9",
               "C: ",
               "C: body",
               "C: .",
               "S: 250 2.0.0 ok",
               "E: message_done",
               "E: ready",
           });
  EXPECT_TRUE(d.results[0].dsn_passed_on);
  EXPECT_TRUE(d.results[0].eight_bit);
  EXPECT_EQ(d.results[0].size, 24u);
  EXPECT_FALSE(rr(d, 0, 0).relayed_dsn_due);
  EXPECT_EQ(s.capabilities().max_size, 1000000u);
}

TEST(ClientDialogue, rfc6152_eight_bit_message_refused_when_8bitmime_not_offered_then_7bit_form_sent) {
  Dialogue d;
  auto eight = message("a@x.example", {rcpt("u@y.example")}, {"\xC3\xA9\r\n"});
  eight.envelope.mail.body = Body::eight_bit_mime;
  auto seven = message("a@x.example", {rcpt("u@y.example")}, {"=C3=A9\r\n"});
  d.messages = {eight, seven};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{
                                    "A: send 0",
                                    "A: refused needs_8bitmime",
                                    "A: send 1",
                                    "C: MAIL FROM:<a@x.example>",
                                    "S: 250 ok",
                                    "C: RCPT TO:<u@y.example>",
                                    "S: 250 ok",
                                    "C: DATA",
                                    "S: 354 go",
                                    "C: =C3=A9",
                                    "C: .",
                                    "S: 250 ok",
                                    "E: message_done",
                                    "E: ready",
                                });
  EXPECT_EQ(d.last_start.refusal, Refusal::none);
  ClientSession s2(d.settings);
  d.run(s2, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0"});
  EXPECT_EQ(d.last_start.reply.text(), "554 5.6.3 8-bit message, 8BITMIME not offered");
}

TEST(ClientDialogue, rfc3461_s5_2_2_no_dsn_parameters_and_relayed_obligation_when_dsn_not_offered) {
  Dialogue d;
  auto m = message("a@x.example",
                   {rcpt("u@y.example", "SUCCESS", "rfc822;u@y.example"), rcpt("v@y.example", "FAILURE"),
                    rcpt("w@y.example", "SUCCESS,DELAY"), rcpt("z@y.example", "SUCCESS")},
                   {"x\r\n"});
  m.envelope.mail.ret = Ret::full;
  m.envelope.mail.envid = "id1";
  d.messages = {m};
  ClientSession s(d.settings);
  d.run(s, {
               "S: 220 mx",
               "C: EHLO gw.example",
               "S: 250-mx",
               "S: 250 PIPELINING",
               "E: ready",
               "A: send 0",
               "C: MAIL FROM:<a@x.example>",
               "C: RCPT TO:<u@y.example>",
               "C: RCPT TO:<v@y.example>",
               "C: RCPT TO:<w@y.example>",
               "C: RCPT TO:<z@y.example>",
               "C: DATA",
               "S: 250 ok",
               "S: 250 ok",
               "S: 250 ok",
               "S: 250 ok",
               "S: 550 no",
               "S: 354 go",
               "C: x",
               "C: .",
               "S: 250 ok",
               "E: message_done",
               "E: ready",
           });
  EXPECT_FALSE(d.results[0].dsn_passed_on);
  EXPECT_TRUE(rr(d, 0, 0).relayed_dsn_due);
  EXPECT_FALSE(rr(d, 0, 1).relayed_dsn_due);
  EXPECT_TRUE(rr(d, 0, 2).relayed_dsn_due);
  EXPECT_FALSE(rr(d, 0, 3).relayed_dsn_due);  // refused: a failure, not a relay
  EXPECT_EQ(rr(d, 0, 3).status, RecipientStatus::failed);
}

TEST(ClientDialogue, rfc1870_size_over_the_servers_maximum_is_refused_before_sending) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"0123456789\r\n"})};
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250 SIZE 10", "E: ready", "A: send 0",
            "A: refused too_big"});
  EXPECT_EQ(d.last_start.reply.code, 552);
  EXPECT_EQ(d.last_start.reply.enhanced, "5.3.4");
}

TEST(ClientDialogue, rfc1870_size_without_a_number_means_no_limit) {
  Dialogue d;
  d.messages = {message("<>", {rcpt("u@y.example")}, {"0123456789"})};
  d.messages[0].envelope.mail.reverse_path = {};
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250 SIZE", "E: ready", "A: send 0",
            "C: MAIL FROM:<> SIZE=12", "S: 250 ok", "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA",
            "S: 354 go", "C: 0123456789", "C: .", "S: 250 ok", "E: message_done", "E: ready"});
}

TEST(ClientDialogue, rfc5321_s3_2_helo_fallback_after_502_to_ehlo) {
  Dialogue d;
  auto m = message("a@x.example", {rcpt("u@y.example", "SUCCESS")}, {"x\r\n"});
  d.messages = {m};
  ClientSession s(d.settings);
  d.run(s, {"S: 220 old.example SMTP", "C: EHLO gw.example", "S: 502 command not recognized", "C: HELO gw.example",
            "S: 250 old.example", "E: ready", "A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
            "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA", "S: 354 go", "C: x", "C: .", "S: 250 ok",
            "E: message_done", "E: ready"});
  EXPECT_FALSE(s.capabilities().esmtp);
  EXPECT_TRUE(rr(d, 0, 0).relayed_dsn_due);
}

TEST(ClientDialogue, helo_refused_too_is_a_connection_failure_and_quit) {
  Dialogue d;
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 500 what", "C: HELO gw.example", "S: 550 go away",
            "E: failed", "C: QUIT"});
  EXPECT_EQ(d.error->failure, Failure::helo_refused);
  EXPECT_EQ(d.error->reply.code, 550);
  EXPECT_EQ(d.error->during, Command::helo);
}

TEST(ClientDialogue, rfc3207_s4_2_starttls_then_ehlo_again_forgetting_the_keywords) {
  Dialogue d;
  d.settings.tls = TlsPolicy::opportunistic;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250-PIPELINING", "S: 250-DSN", "S: 250 STARTTLS",
            "C: STARTTLS", "S: 220 2.0.0 go ahead", "E: start_tls", "A: tls", "C: EHLO gw.example",
            "S: 250-mx", "S: 250 8BITMIME", "E: ready", "A: send 0",
            // No PIPELINING any more: lock-step.
            "C: MAIL FROM:<a@x.example>", "S: 250 ok", "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA",
            "S: 354 go", "C: x", "C: .", "S: 250 ok", "E: message_done", "E: ready"});
  EXPECT_TRUE(s.tls_active());
  EXPECT_FALSE(s.capabilities().pipelining);
  EXPECT_FALSE(s.capabilities().dsn);
}

TEST(ClientDialogue, starttls_reply_injection_is_refused) {
  Dialogue d;
  d.settings.tls = TlsPolicy::opportunistic;
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250 STARTTLS", "C: STARTTLS", "S: 220 go ahead",
            "S: 250 injected", "E: failed"});
  EXPECT_EQ(d.error->failure, Failure::tls_injection);
}

TEST(ClientDialogue, starttls_required_but_not_offered_fails_without_sending_in_clear) {
  Dialogue d;
  d.settings.tls = TlsPolicy::required;
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250 PIPELINING", "E: failed", "C: QUIT"});
  EXPECT_EQ(d.error->failure, Failure::tls_required);
  EXPECT_EQ(d.error->reply.enhanced, "4.7.4");
}

TEST(ClientDialogue, starttls_refused_opportunistic_goes_on_in_clear) {
  Dialogue d;
  d.settings.tls = TlsPolicy::opportunistic;
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250 STARTTLS", "C: STARTTLS",
            "S: 454 4.7.0 TLS not available", "E: ready", "A: quit", "C: QUIT", "A: eof", "E: closed"});
  EXPECT_FALSE(s.tls_active());
}

TEST(ClientDialogue, rfc5321_s4_1_1_4_no_accepted_recipient_means_rset_not_data) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example")}, {"x\r\n"}),
                message("a@x.example", {rcpt("w@y.example")}, {"y\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{
                                    "A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                    "C: RCPT TO:<u@y.example>", "S: 550 no", "C: RCPT TO:<v@y.example>",
                                    "S: 451 later", "C: RSET", "S: 250 ok", "E: message_done", "E: ready",
                                    "A: send 1", "C: MAIL FROM:<a@x.example>"});
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::failed);
  EXPECT_EQ(rr(d, 0, 1).status, RecipientStatus::deferred);
}

TEST(ClientDialogue, rfc2920_pipelined_no_accepted_recipient_data_refused_then_rset) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250 PIPELINING", "E: ready", "A: send 0",
            "C: MAIL FROM:<a@x.example>", "C: RCPT TO:<u@y.example>", "C: DATA", "S: 250 ok", "S: 550 no",
            "S: 554 no valid recipients", "C: RSET", "S: 250 ok", "E: message_done", "E: ready"});
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::failed);
  EXPECT_EQ(rr(d, 0, 0).reply.code, 550);
}

TEST(ClientDialogue, rfc2920_pipelined_354_without_accepted_recipient_sends_only_the_end) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"secret\r\n"})};
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250 PIPELINING", "E: ready", "A: send 0",
            "C: MAIL FROM:<a@x.example>", "C: RCPT TO:<u@y.example>", "C: DATA", "S: 250 ok", "S: 550 no",
            "S: 354 go", "C: .", "S: 554 no recipients", "E: message_done", "E: ready"});
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::failed);
}

TEST(ClientDialogue, mail_refused_applies_to_every_recipient) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250-ENHANCEDSTATUSCODES", "S: 250 PIPELINING",
            "E: ready", "A: send 0", "C: MAIL FROM:<a@x.example>", "C: RCPT TO:<u@y.example>",
            "C: RCPT TO:<v@y.example>", "C: DATA", "S: 452 4.3.1 insufficient storage", "S: 503 5.5.1 need MAIL",
            "S: 503 5.5.1 need MAIL", "S: 503 5.5.1 need MAIL", "E: message_done", "E: ready"});
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(rr(d, 0, i).status, RecipientStatus::deferred);
    EXPECT_EQ(rr(d, 0, i).stage, Command::mail);
    EXPECT_EQ(rr(d, 0, i).reply.enhanced, "4.3.1");
  }
}

TEST(ClientDialogue, rfc5321_s4_2_5_552_after_end_of_data_fails_accepted_recipients_only) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example")}, {"big\r\n"}),
                message("a@x.example", {rcpt("w@y.example")}, {"small\r\n"})};
  ClientSession s(d.settings);
  d.run(s, {"S: 220 mx", "C: EHLO gw.example", "S: 250-mx", "S: 250-ENHANCEDSTATUSCODES", "S: 250 PIPELINING",
            "E: ready", "A: send 0", "C: MAIL FROM:<a@x.example>", "C: RCPT TO:<u@y.example>",
            "C: RCPT TO:<v@y.example>", "C: DATA", "S: 250 2.1.0 ok", "S: 451 4.7.1 greylisted", "S: 250 2.1.5 ok",
            "S: 354 go", "C: big", "C: .", "S: 552 5.3.4 message too big", "E: message_done", "E: ready",
            "A: send 1", "C: MAIL FROM:<a@x.example>", "C: RCPT TO:<w@y.example>", "C: DATA", "S: 250 2.1.0 ok",
            "S: 250 2.1.5 ok", "S: 354 go", "C: small", "C: .", "S: 250 2.0.0 ok", "E: message_done", "E: ready"});
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::deferred);
  EXPECT_EQ(rr(d, 0, 0).stage, Command::rcpt);
  EXPECT_EQ(rr(d, 0, 1).status, RecipientStatus::failed);
  EXPECT_EQ(rr(d, 0, 1).stage, Command::end_of_data);
  EXPECT_EQ(rr(d, 0, 1).reply.text(), "552 5.3.4 message too big");
  EXPECT_EQ(rr(d, 1, 0).status, RecipientStatus::delivered);
}

TEST(ClientDialogue, data_refused_with_4xx_defers_accepted_recipients_then_rset) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                                         "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA",
                                                         "S: 451 not now", "C: RSET", "S: 250 ok", "E: message_done",
                                                         "E: ready"});
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::deferred);
  EXPECT_EQ(rr(d, 0, 0).stage, Command::data);
}

TEST(ClientDialogue, rfc5321_s3_8_421_mid_session_defers_the_message_and_ends_the_connection) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                                         "C: RCPT TO:<u@y.example>", "S: 550 unknown",
                                                         "C: RCPT TO:<v@y.example>",
                                                         "S: 421 4.4.2 mx.example timeout", "E: message_done",
                                                         "E: failed"});
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::failed);
  EXPECT_EQ(rr(d, 0, 1).status, RecipientStatus::deferred);
  EXPECT_EQ(rr(d, 0, 1).reply.code, 421);
  EXPECT_TRUE(rr(d, 0, 1).from_server);
  EXPECT_EQ(d.error->failure, Failure::service_closing);
  EXPECT_EQ(d.error->during, Command::rcpt);
  EXPECT_TRUE(s.finished());
  s.on_input("250 late\r\n");  // ignored after the end
  EXPECT_FALSE(s.next_event().has_value());
}

TEST(ClientDialogue, rfc5321_s3_1_greeting_554_is_a_connection_failure) {
  Dialogue d;
  ClientSession s(d.settings);
  d.run(s, {"S: 554 5.7.1 no service for you", "E: failed", "C: QUIT"});
  EXPECT_EQ(d.error->failure, Failure::greeting_refused);
  EXPECT_EQ(d.error->reply.code, 554);
  EXPECT_TRUE(d.error->from_server);
}

TEST(ClientDialogue, connection_reuse_two_messages_without_rset) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"one\r\n"}, 1),
                message("b@x.example", {rcpt("v@y.example")}, {"two\r\n"}, 2)};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{
                                    "A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                    "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA", "S: 354 go", "C: one", "C: .",
                                    "S: 250 ok", "E: message_done", "E: ready", "A: send 1",
                                    "C: MAIL FROM:<b@x.example>", "S: 250 ok", "C: RCPT TO:<v@y.example>",
                                    "S: 250 ok", "C: DATA", "S: 354 go", "C: two", "C: .", "S: 250 ok",
                                    "E: message_done", "E: ready", "A: quit", "C: QUIT", "S: 221 bye", "E: closed"});
  ASSERT_EQ(d.results.size(), 2u);
  EXPECT_EQ(d.results[0].tag, 1u);
  EXPECT_EQ(d.results[1].tag, 2u);
}

TEST(ClientDialogue, rfc5321_s4_5_2_dot_stuffing_and_line_ends_across_chunks) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")},
                        {".start\r", "\n.", "..two\n", "bare lf\n.", "\r\n", "no end"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                                         "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA",
                                                         "S: 354 go", "C: ..start", "C: ....two", "C: bare lf",
                                                         "C: ..", "C: no end", "C: .", "S: 250 ok",
                                                         "E: message_done", "E: ready"});
}

TEST(ClientDialogue, the_final_reply_waits_until_the_content_is_written) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                                         "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA"});
  s.on_input("354 go\r\n");
  ASSERT_TRUE(s.has_output());  // not yet written
  s.on_input("250 ok\r\n");     // the reply raced the write completion
  EXPECT_FALSE(s.next_event().has_value());
  EXPECT_EQ(Dialogue::take(s), "x\r\n.\r\n");
  EXPECT_EQ(s.next_event()->kind, Event::Kind::message_done);
  EXPECT_EQ(s.next_event()->kind, Event::Kind::ready);
}

TEST(ClientDialogue, server_closing_after_the_data_defers_with_a_duplicate_warning) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                                         "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA",
                                                         "S: 354 go", "C: x", "C: .", "A: eof", "E: message_done",
                                                         "E: failed"});
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::deferred);
  EXPECT_FALSE(rr(d, 0, 0).from_server);
  EXPECT_EQ(rr(d, 0, 0).reply.enhanced, "4.4.2");
  EXPECT_NE(rr(d, 0, 0).reply.lines.front().find("may have been delivered"), std::string::npos);
  EXPECT_EQ(d.error->failure, Failure::server_closed);
}

TEST(ClientDialogue, server_closing_before_the_greeting) {
  Dialogue d;
  ClientSession s(d.settings);
  d.run(s, {"A: eof", "E: failed"});
  EXPECT_EQ(d.error->failure, Failure::server_closed);
  EXPECT_EQ(d.error->text, "connection closed by the server while waiting for the reply to greeting");
}

TEST(ClientDialogue, a_reply_during_the_content_ends_the_connection) {
  Dialogue d;
  std::string big(100000, 'a');
  for (std::size_t i = 0; i < big.size(); i += 100) big[i] = '\n';
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {big})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                                         "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA"});
  s.on_input("354 go\r\n");
  s.wrote(s.output().size());  // some of it
  s.on_input("554 5.3.4 stop\r\n");
  auto done = s.next_event();
  ASSERT_EQ(done->kind, Event::Kind::message_done);
  EXPECT_EQ(done->result.recipients[0].status, RecipientStatus::failed);
  EXPECT_EQ(s.next_event()->error.failure, Failure::unexpected_reply);
  EXPECT_FALSE(s.has_output());
}

// ---- malformed and oversized replies: precise connection errors ----

struct BadReply {
  const char* name;
  std::string bytes;
  Failure failure;
  ReplyError error;
};

class ClientBadReplies : public ::testing::TestWithParam<BadReply> {};

TEST_P(ClientBadReplies, rfc5321_s4_2_connection_error) {
  const auto& p = GetParam();
  Dialogue d;
  d.settings.limits.max_line_length = 100;
  d.settings.limits.max_reply_lines = 5;
  d.settings.limits.max_reply_size = 300;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S| " + p.bytes,
                                                         "E: message_done", "E: failed"});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->failure, p.failure) << d.error->text;
  EXPECT_EQ(d.error->reply_error, p.error) << d.error->text;
  EXPECT_EQ(d.error->during, Command::mail);
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::deferred);
  EXPECT_FALSE(rr(d, 0, 0).from_server);
}

INSTANTIATE_TEST_SUITE_P(
    All, ClientBadReplies,
    ::testing::Values(
        BadReply{"letters", "abc ok\r\n", Failure::malformed_reply, ReplyError::bad_code},
        BadReply{"code_600", "600 ok\r\n", Failure::malformed_reply, ReplyError::bad_code},
        BadReply{"code_260", "260 ok\r\n", Failure::malformed_reply, ReplyError::bad_code},
        BadReply{"short", "25\r\n", Failure::malformed_reply, ReplyError::bad_code},
        BadReply{"four_digits", "2500 ok\r\n", Failure::malformed_reply, ReplyError::bad_separator},
        BadReply{"code_changed", "250-a\r\n251 b\r\n", Failure::malformed_reply, ReplyError::code_changed},
        BadReply{"bare_lf", "250 ok\n", Failure::malformed_reply, ReplyError::bare_lf},
        BadReply{"long_line_no_lf", std::string(150, '2'), Failure::reply_too_long, ReplyError::line_too_long},
        BadReply{"long_line", "250 " + std::string(120, 'x') + "\r\n", Failure::reply_too_long,
                 ReplyError::line_too_long},
        BadReply{"many_lines", "250-a\r\n250-a\r\n250-a\r\n250-a\r\n250-a\r\n250 a\r\n", Failure::reply_too_long,
                 ReplyError::too_many_lines},
        BadReply{"too_big", "250-" + std::string(90, 'x') + "\r\n250-" + std::string(90, 'x') + "\r\n250-" +
                                std::string(90, 'x') + "\r\n250-" + std::string(90, 'x') + "\r\n250 x\r\n",
                 Failure::reply_too_long, ReplyError::too_big},
        BadReply{"354_to_mail", "354 go\r\n", Failure::unexpected_reply, ReplyError::none}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(ClientDialogue, a_reply_nothing_asked_for_is_an_unexpected_reply) {
  // A reply when no command waits for one.
  Dialogue d;
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"S: 250 nobody asked", "E: failed"});
  EXPECT_EQ(d.error->failure, Failure::unexpected_reply);
  EXPECT_FALSE(d.error->during.has_value());
}

TEST(ClientDialogue, start_message_needs_a_ready_session_and_recipients_and_clean_values) {
  Dialogue d;
  d.messages = {message("a@x.example", {}, {"x\r\n"}), message("a@x.example", {rcpt("u@y.example\r\nRSET")}, {"x"}),
                message("a@x.example", {rcpt("u@y.example")}, {"x"})};
  ClientSession s(d.settings);
  d.run(s, {"A: send 2", "A: refused not_ready"});
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "A: refused no_recipients", "A: send 1",
                                                         "A: refused bad_envelope"});
  auto utf = message("a@x.example", {rcpt("\xC3\xA9@y.example")}, {"x"});
  EXPECT_EQ(s.start_message(utf).refusal, Refusal::needs_smtputf8);
}

TEST(ClientDialogue, a_ready_overtaken_by_a_failure_in_the_same_read_is_not_given) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                                         "C: RCPT TO:<u@y.example>", "S: 250 ok", "C: DATA",
                                                         "S: 354 go", "C: x", "C: .", "S: 250 queued",
                                                         "S: 421 shutting down", "E: message_done", "E: failed"});
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::delivered);
  EXPECT_EQ(d.error->failure, Failure::service_closing);
  EXPECT_EQ(s.start_message(d.messages[0]).refusal, Refusal::not_ready);
}

TEST(ClientDialogue, rfc5321_s4_5_3_2_timeout_defers_what_is_open_and_names_the_command) {
  Dialogue d;
  d.messages = {message("a@x.example", {rcpt("u@y.example"), rcpt("v@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: MAIL FROM:<a@x.example>", "S: 250 ok",
                                                         "C: RCPT TO:<u@y.example>", "S: 550 no",
                                                         "C: RCPT TO:<v@y.example>"});
  ASSERT_EQ(s.awaiting(), Command::rcpt);
  EXPECT_EQ(reply_timeout_seconds(*s.awaiting()), 300);
  EXPECT_EQ(reply_timeout_seconds(Command::data), 120);
  EXPECT_EQ(reply_timeout_seconds(Command::end_of_data), 600);
  s.on_timeout();
  auto done = s.next_event();
  ASSERT_EQ(done->kind, Event::Kind::message_done);
  EXPECT_EQ(done->result.recipients[0].status, RecipientStatus::failed);
  EXPECT_EQ(done->result.recipients[1].status, RecipientStatus::deferred);
  EXPECT_EQ(done->result.recipients[1].reply.text(),
            "451 4.4.2 timed out waiting for the reply to RCPT TO");
  auto failed = s.next_event();
  EXPECT_EQ(failed->error.failure, Failure::timed_out);
  EXPECT_FALSE(s.has_output());  // not in step: no QUIT
  EXPECT_FALSE(s.awaiting());
}

// RFC 2156 Appendix A §1: a probe's recipients are asked about with VRFY, one at a
// time even with PIPELINING (RFC 2920 §3.1: VRFY ends a group); RFC 5321 §3.5.3
// says what each reply means. No MAIL, no DATA; the session is ready again after.
TEST(ClientDialogue, rfc2156_appendix_a_1_probe_recipients_verified_one_vrfy_at_a_time) {
  Dialogue d;
  Message probe = message("", {rcpt("ok@y.example"), rcpt("bad@y.example"), rcpt("later@y.example"),
                               rcpt("who@y.example"), rcpt("sure@y.example")}, {});
  probe.verify_only = true;
  d.messages = {probe, message("a@x.example", {rcpt("u@y.example")}, {"x\r\n"})};
  ClientSession s(d.settings);
  d.run(s, std::vector<std::string>{"S: 220 mx.example ESMTP", "C: EHLO gw.example", "S: 250-mx.example",
                                    "S: 250 PIPELINING", "E: ready", "A: send 0",
                                    "C: VRFY <ok@y.example>",
                                    "S: 252 2.0.0 ok@y.example",
                                    "C: VRFY <bad@y.example>",
                                    "S: 550 5.1.1 <bad@y.example>: Recipient address rejected: no such user",
                                    "C: VRFY <later@y.example>",
                                    "S: 450 4.2.0 try later",
                                    "C: VRFY <who@y.example>",
                                    "S: 502 5.5.1 VRFY command is disabled",
                                    "C: VRFY <sure@y.example>",
                                    "S: 250 2.1.5 Sure <sure@y.example>",
                                    "E: message_done", "E: ready",
                                    // the connection takes a message after the probe
                                    "A: send 1", "C: MAIL FROM:<a@x.example>", "C: RCPT TO:<u@y.example>",
                                    "C: DATA"});
  ASSERT_EQ(d.results.size(), 1u);
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::delivered);   // 252: will accept
  EXPECT_EQ(rr(d, 0, 0).stage, Command::vrfy);
  EXPECT_EQ(rr(d, 0, 1).status, RecipientStatus::failed);
  EXPECT_EQ(rr(d, 0, 1).reply.enhanced, "5.1.1");
  EXPECT_EQ(rr(d, 0, 2).status, RecipientStatus::deferred);
  EXPECT_EQ(rr(d, 0, 3).status, RecipientStatus::delivered);   // 502: cannot tell, stands as routed
  EXPECT_EQ(rr(d, 0, 3).reply.code, 502);
  EXPECT_EQ(rr(d, 0, 4).status, RecipientStatus::delivered);
  for (const auto& r : d.results[0].recipients) EXPECT_FALSE(r.relayed_dsn_due);
}

TEST(ClientDialogue, rfc5321_s4_2_vrfy_with_a_code_it_cannot_have_is_a_connection_error) {
  Dialogue d;
  Message probe = message("", {rcpt("ok@y.example"), rcpt("next@y.example")}, {});
  probe.verify_only = true;
  d.messages = {probe};
  ClientSession s(d.settings);
  d.run(s, kGreetingPlainEhlo + std::vector<std::string>{"A: send 0", "C: VRFY <ok@y.example>", "S: 354 what",
                                                         "E: message_done", "E: failed"});
  ASSERT_TRUE(d.error);
  EXPECT_EQ(d.error->failure, Failure::unexpected_reply);
  EXPECT_EQ(d.error->during, Command::vrfy);
  EXPECT_EQ(rr(d, 0, 0).status, RecipientStatus::deferred);
  EXPECT_EQ(rr(d, 0, 1).status, RecipientStatus::deferred);
}
