// The reply reader (smtp/client/proto/reply_reader.hpp), the EHLO keywords
// (capabilities.hpp) and the command lines (commands.hpp).
#include <gtest/gtest.h>

#include "smtp/client/proto/capabilities.hpp"
#include "smtp/client/proto/commands.hpp"
#include "smtp/client/proto/reply_reader.hpp"

using namespace mixer::smtp::client;
using mixer::smtp::proto::Reply;

namespace {
std::vector<Reply> read_all(std::string_view in, Limits limits = {}) {
  ReplyReader r(limits);
  std::vector<Reply> out;
  while (true) {
    auto ev = r.next(in);
    in.remove_prefix(ev.consumed);
    if (ev.kind != ReplyReader::Kind::reply) break;
    out.push_back(ev.reply);
  }
  return out;
}
}  // namespace

TEST(ReplyReader, rfc5321_s4_2_single_multiline_and_code_only_replies) {
  auto r = read_all("220 mx ready\r\n250-mx\r\n250-PIPELINING\r\n250 SIZE 10\r\n354\r\n");
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].code, 220);
  EXPECT_EQ(r[0].lines, std::vector<std::string>{"mx ready"});
  EXPECT_EQ(r[1].lines, (std::vector<std::string>{"mx", "PIPELINING", "SIZE 10"}));
  EXPECT_EQ(r[2].code, 354);
  EXPECT_EQ(r[2].lines, std::vector<std::string>{""});
}

TEST(ReplyReader, a_reply_split_anywhere_is_read_once_complete) {
  const std::string in = "250-a\r\n250 b\r\n";
  for (std::size_t cut = 0; cut <= in.size(); ++cut) {
    ReplyReader r({});
    std::string buf = in.substr(0, cut);
    auto ev = r.next(buf);
    buf.erase(0, ev.consumed);
    if (ev.kind == ReplyReader::Kind::reply) {
      EXPECT_EQ(cut, in.size());
      continue;
    }
    ASSERT_EQ(ev.kind, ReplyReader::Kind::need_more) << cut;
    EXPECT_TRUE(cut < 7 || r.in_reply());
    buf += in.substr(cut);
    ev = r.next(buf);
    ASSERT_EQ(ev.kind, ReplyReader::Kind::reply) << cut;
    EXPECT_EQ(ev.reply.lines, (std::vector<std::string>{"a", "b"}));
  }
}

TEST(ReplyReader, errors_are_sticky) {
  ReplyReader r({});
  EXPECT_EQ(r.next("xyz\r\n").kind, ReplyReader::Kind::error);
  EXPECT_EQ(r.next("250 ok\r\n").kind, ReplyReader::Kind::error);
}

TEST(ReplyReader, describe_names_the_limit) {
  Limits l;
  l.max_line_length = 77;
  EXPECT_EQ(describe(ReplyError::line_too_long, l), "reply line longer than 77 octets");
}

TEST(EnhancedStatus, rfc3463_s2_syntax) {
  EXPECT_TRUE(is_enhanced_status("2.0.0"));
  EXPECT_TRUE(is_enhanced_status("5.123.999"));
  EXPECT_FALSE(is_enhanced_status("3.0.0"));
  EXPECT_FALSE(is_enhanced_status("5.1234.0"));
  EXPECT_FALSE(is_enhanced_status("5.1."));
  EXPECT_FALSE(is_enhanced_status("5..1"));
  EXPECT_FALSE(is_enhanced_status("5.1.1a"));
}

TEST(EnhancedStatus, rfc2034_s4_split_from_every_line_when_the_class_matches) {
  Reply r;
  r.code = 550;
  r.lines = {"5.1.1 no such user", "5.1.1 here"};
  split_enhanced_status(r);
  EXPECT_EQ(r.enhanced, "5.1.1");
  EXPECT_EQ(r.lines, (std::vector<std::string>{"no such user", "here"}));
  Reply other;
  other.code = 450;
  other.lines = {"5.1.1 wrong class"};
  split_enhanced_status(other);
  EXPECT_EQ(other.enhanced, "");
  EXPECT_EQ(other.lines.front(), "5.1.1 wrong class");
}

TEST(Capabilities, rfc5321_s4_1_1_1_keywords_case_insensitive_unknown_ignored) {
  Reply r;
  r.code = 250;
  r.lines = {"mx.example greets you", "pipelining", "SIZE 52428800", "8BITMIME", "X-UNKNOWN yes", "dsn",
             "StartTLS", "ENHANCEDSTATUSCODES", "SMTPUTF8", "AUTH PLAIN"};
  auto c = parse_ehlo_reply(r);
  EXPECT_EQ(c.server_name, "mx.example");
  EXPECT_TRUE(c.pipelining && c.size && c.eight_bit_mime && c.dsn && c.starttls && c.enhanced_status_codes &&
              c.smtputf8);
  EXPECT_EQ(c.max_size, 52428800u);
  EXPECT_EQ(c.text(), "PIPELINING SIZE=52428800 8BITMIME DSN STARTTLS ENHANCEDSTATUSCODES SMTPUTF8");
  r.lines = {"mx", "SIZE lots"};
  c = parse_ehlo_reply(r);
  EXPECT_TRUE(c.size);
  EXPECT_EQ(c.max_size, 0u);
  EXPECT_FALSE(c.pipelining);
}

TEST(Commands, rfc3461_parameters_only_when_offered) {
  mixer::smtp::proto::RcptTo t;
  t.forward_path = {"u", "y.example"};
  t.notify.present = true;
  t.notify.never = true;
  t.orcpt = "rfc822;u@y.example";
  Capabilities none, dsn;
  dsn.dsn = true;
  EXPECT_EQ(rcpt_command(t, none), "RCPT TO:<u@y.example>\r\n");
  EXPECT_EQ(rcpt_command(t, dsn), "RCPT TO:<u@y.example> NOTIFY=NEVER ORCPT=rfc822;u@y.example\r\n");
  mixer::smtp::proto::MailFrom m;
  m.body = mixer::smtp::proto::Body::eight_bit_mime;
  Capabilities all;
  all.size = all.eight_bit_mime = all.smtputf8 = true;
  EXPECT_EQ(mail_command(m, 5, true, all), "MAIL FROM:<> SIZE=5 BODY=8BITMIME SMTPUTF8\r\n");
}
