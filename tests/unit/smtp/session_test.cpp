// The session state machine: command order (RFC 5321 §4.1.4), extensions,
// limits, and the enhanced status codes on every reply (RFC 2034, RFC 3463).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smtp/proto/session.hpp"

using namespace mixer::smtp::proto;

namespace {
class Policy : public SessionPolicy {
 public:
  std::optional<Reply> check_sender(const MailFrom& m) override {
    if (m.reverse_path.domain == "full.example") return Reply(452, "4.3.1", "Insufficient system storage");
    return std::nullopt;
  }
  std::optional<Reply> check_recipient(const MailFrom&, const RcptTo& r) override {
    if (r.postmaster_only || r.forward_path.domain == "x400.example") return std::nullopt;
    return Reply(550, "5.7.1", "Relay access denied");
  }
};

struct Fixture : ::testing::Test {
  Policy policy;
  SessionSettings settings = [] {
    SessionSettings s;
    s.hostname = "gw.example";
    s.ext.max_message_size = 1000;
    s.max_recipients = 3;
    s.max_errors = 10;
    s.max_commands = 50;
    s.starttls_available = true;
    return s;
  }();
  ServerSession session{settings, policy};
  Step say(std::string_view line) { return session.on_line(line); }
};
}  // namespace

TEST_F(Fixture, rfc2034_s3_greeting_and_ehlo_carry_no_enhanced_code) {
  EXPECT_EQ(session.greeting().reply.wire(), "220 gw.example ESMTP mixer\r\n");
  auto s = say("EHLO client.example");
  EXPECT_EQ(s.reply.wire(),
            "250-gw.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n"
            "250-DSN\r\n250 STARTTLS\r\n");
}

TEST_F(Fixture, rfc5321_s4_1_4_full_transaction) {
  say("EHLO c");
  EXPECT_EQ(say("MAIL FROM:<a@b.example> BODY=8BITMIME").reply.wire(), "250 2.1.0 Sender <a@b.example> OK\r\n");
  EXPECT_EQ(say("RCPT TO:<u@x400.example> NOTIFY=FAILURE").reply.wire(), "250 2.1.5 Recipient <u@x400.example> OK\r\n");
  auto d = say("DATA");
  EXPECT_EQ(d.next, Next::read_data);
  EXPECT_EQ(d.reply.code, 354);
  EXPECT_EQ(session.envelope().rcpts.size(), 1u);
  EXPECT_EQ(session.data_accepted("0ABCDEFGHJK").reply.wire(), "250 2.0.0 Ok: queued as 0ABCDEFGHJK\r\n");
  EXPECT_TRUE(session.envelope().rcpts.empty());
  EXPECT_EQ(say("QUIT").reply.wire(), "221 2.0.0 Bye\r\n");
  EXPECT_EQ(session.counters(), "ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5");
}

TEST_F(Fixture, rfc5321_s4_1_4_order_is_enforced) {
  EXPECT_EQ(say("MAIL FROM:<a@b.example>").reply.text(), "503 5.5.1 Error: send HELO/EHLO first");
  say("HELO c");
  EXPECT_EQ(say("RCPT TO:<u@x400.example>").reply.code, 503);
  EXPECT_EQ(say("DATA").reply.code, 503);
  say("MAIL FROM:<a@b.example>");
  EXPECT_EQ(say("MAIL FROM:<a@b.example>").reply.text(), "503 5.5.1 Error: nested MAIL command");
  EXPECT_EQ(say("DATA").reply.text(), "554 5.5.1 Error: no valid recipients");
}

TEST_F(Fixture, rfc5321_s4_1_1_11_helo_sessions_take_no_parameters) {
  say("HELO c");
  EXPECT_EQ(say("MAIL FROM:<a@b.example> SIZE=10").reply.code, 555);
}

TEST_F(Fixture, relay_refusal_is_550_5_7_1_and_session_goes_on) {
  say("EHLO c");
  say("MAIL FROM:<a@b.example>");
  auto r = say("RCPT TO:<victim@elsewhere.example>");
  EXPECT_EQ(r.reply.text(), "550 5.7.1 Relay access denied");
  EXPECT_TRUE(r.refused);
  EXPECT_EQ(r.next, Next::read_command);
  EXPECT_EQ(say("RCPT TO:<Postmaster>").reply.code, 250);
}

TEST_F(Fixture, rfc5321_s4_5_3_1_10_too_many_recipients_is_452_not_an_error) {
  say("EHLO c");
  say("MAIL FROM:<a@b.example>");
  for (int i = 0; i < 3; ++i) EXPECT_EQ(say("RCPT TO:<u@x400.example>").reply.code, 250);
  for (int i = 0; i < 10; ++i) {
    auto s = say("RCPT TO:<u@x400.example>");
    EXPECT_EQ(s.reply.text(), "452 4.5.3 Error: too many recipients");
    EXPECT_EQ(s.next, Next::read_command);
  }
}

TEST_F(Fixture, policy_refuses_sender_when_queue_full) {
  say("EHLO c");
  EXPECT_EQ(say("MAIL FROM:<a@full.example>").reply.text(), "452 4.3.1 Insufficient system storage");
}

TEST_F(Fixture, error_limit_closes_with_421) {
  settings.max_errors = 5;
  ServerSession session(settings, policy);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(session.on_line("BOGUS").reply.text(), "500 5.5.2 Error: command not recognized");
  auto s = session.on_line("BOGUS");
  EXPECT_EQ(s.reply.text(), "421 4.7.0 gw.example Error: too many errors");
  EXPECT_EQ(s.next, Next::close);
}

TEST_F(Fixture, command_limit_closes_with_421) {
  settings.max_commands = 3;
  settings.max_errors = 100;
  ServerSession s(settings, policy);
  s.on_line("NOOP");
  s.on_line("NOOP");
  s.on_line("NOOP");
  auto last = s.on_line("NOOP");
  EXPECT_EQ(last.reply.code, 421);
  EXPECT_EQ(last.next, Next::close);
}

TEST_F(Fixture, rfc3207_s4_2_starttls_resets_the_session) {
  say("EHLO c");
  say("MAIL FROM:<a@b.example>");
  auto s = say("STARTTLS");
  EXPECT_EQ(s.reply.text(), "220 2.0.0 Ready to start TLS");
  EXPECT_EQ(s.next, Next::start_tls);
  session.tls_started();
  EXPECT_EQ(say("MAIL FROM:<a@b.example>").reply.code, 503);  // EHLO again first
  auto e = say("EHLO c");
  EXPECT_EQ(e.reply.wire().find("STARTTLS"), std::string::npos);
  EXPECT_EQ(say("STARTTLS").reply.text(), "503 5.5.1 Error: TLS already active");
  EXPECT_EQ(session.protocol(), "ESMTPS");
}

TEST_F(Fixture, starttls_not_offered_without_certificate) {
  settings.starttls_available = false;
  ServerSession s(settings, policy);
  EXPECT_EQ(s.on_line("EHLO c").reply.wire().find("STARTTLS"), std::string::npos);
  EXPECT_EQ(s.on_line("STARTTLS").reply.text(), "502 5.5.1 Error: command not implemented");
}

TEST_F(Fixture, rfc5321_s3_5_3_vrfy_is_252) {
  EXPECT_EQ(say("VRFY someone").reply.code, 252);
  EXPECT_EQ(say("VRFY someone").reply.enhanced, "2.0.0");
  EXPECT_EQ(say("VRFY").reply.code, 501);
}

TEST_F(Fixture, rfc3463_every_non_greeting_reply_has_an_enhanced_code) {
  const std::vector<std::string> lines = {"HELO c", "NOOP", "RSET", "RSET x", "VRFY x", "EXPN x", "HELP", "BDAT 1", "AUTH PLAIN",
                         "MAIL FROM:<a@b.example>", "RCPT TO:<u@x400.example>", "RCPT TO:<u@nowhere.example>",
                         "FOO", std::string(300, 'x'), "QUIT"};
  settings.max_errors = 100;
  ServerSession s(settings, policy);
  for (const auto& l : lines) {
    auto step = s.on_line(l);
    if (l.rfind("HELO", 0) == 0) continue;  // RFC 2034 §3 exemption
    EXPECT_FALSE(step.reply.enhanced.empty()) << l;
    EXPECT_EQ(step.reply.enhanced[0], static_cast<char>('0' + step.reply.code / 100)) << l;
  }
  EXPECT_EQ(s.on_bad_line(CommandLineReader::Kind::too_long).reply.text(), "500 5.5.2 Error: line too long");
  EXPECT_EQ(s.on_line(std::string_view("NO\0OP", 5)).reply.code, 500);
}

TEST_F(Fixture, rfc5321_s2_3_8_data_refusals) {
  say("EHLO c");
  say("MAIL FROM:<a@b.example>");
  say("RCPT TO:<u@x400.example>");
  say("DATA");
  DataReader r(1000);
  struct : ContentSink {
    void append(std::string_view) override {}
  } sink;
  r.feed("a\r\nb\nc\r\n.\r\n", sink);
  auto s = session.data_refused(r);
  EXPECT_EQ(s.reply.text(),
            "554 5.5.2 Message refused: bare <LF> in content at line 2; lines must end with <CR><LF> (RFC 5321 2.3.8)");
  EXPECT_EQ(s.next, Next::read_command);
  EXPECT_TRUE(session.envelope().rcpts.empty());
}

TEST(Rfc5321, s4_2_reply_text_is_us_ascii) {
  Reply r(550, "5.1.1", "caf\xc3\xa9\r\nQUIT");
  EXPECT_EQ(r.wire(), "550 5.1.1 caf????QUIT\r\n");  // two octets of UTF-8, CR, LF
}
