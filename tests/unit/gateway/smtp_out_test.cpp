// The outbound SMTP message made from a queue entry's RFC 822 form and its
// envelope (MAIL FROM, BODY, RET, ENVID; per RCPT NOTIFY and ORCPT).
#include <gtest/gtest.h>

#include "gateway/smtp_out.hpp"

using namespace mixer;

namespace {
queue::ControlFile entry() {
  queue::ControlFile c;
  c.id = "1K1Q6GV7QW2";
  queue::FormRecord f;
  f.index = 1;
  f.kind = queue::FormRecord::Kind::rfc822;
  f.sender = "jane@client.example";
  f.body = "8BITMIME";
  f.ret = "HDRS";
  f.envid = "X400+2Bid";
  c.forms.push_back(f);
  for (const char* to : {"a@example.org", "b@example.org", "c@other.example"}) {
    queue::RecipientRecord r;
    r.index = c.recipients.size();
    r.address = to;
    r.channel = queue::Channel::smtp;
    r.domain = std::string(to).substr(std::string(to).find('@') + 1);
    r.form = 1;
    r.notify = "SUCCESS,FAILURE";
    r.orcpt = "x400;+2FC+3DXX+2F";
    c.recipients.push_back(r);
  }
  return c;
}
}  // namespace

TEST(OutboundMessage, rfc3461_envelope_from_the_form_and_recipients) {
  std::string why;
  auto m = gateway::outbound_message(entry(), {0, 1}, "Subject: x\r\n\r\ny\r\n", why);
  ASSERT_TRUE(m) << why;
  EXPECT_EQ(m->domain, "example.org");
  EXPECT_EQ(m->envelope.mail.reverse_path.text(), "jane@client.example");
  EXPECT_EQ(m->envelope.mail.body, smtp::proto::Body::eight_bit_mime);
  EXPECT_EQ(m->envelope.mail.ret, smtp::proto::Ret::hdrs);
  EXPECT_EQ(m->envelope.mail.envid, "X400+2Bid");
  EXPECT_TRUE(m->eight_bit);
  ASSERT_EQ(m->envelope.rcpts.size(), 2u);
  EXPECT_EQ(m->envelope.rcpts[1].forward_path.text(), "b@example.org");
  EXPECT_EQ(m->envelope.rcpts[1].notify.text(), "SUCCESS,FAILURE");
  EXPECT_EQ(m->envelope.rcpts[1].orcpt, "x400;+2FC+3DXX+2F");
  ASSERT_EQ(m->content.size(), 1u);
  EXPECT_EQ(m->content[0], "Subject: x\r\n\r\ny\r\n");
}

TEST(OutboundMessage, null_sender_and_refusals) {
  auto e = entry();
  e.forms[0].sender = "";  // a report's <>
  std::string why;
  auto m = gateway::outbound_message(e, {2}, "x", why);
  ASSERT_TRUE(m) << why;
  EXPECT_TRUE(m->envelope.mail.reverse_path.empty());
  EXPECT_FALSE(gateway::outbound_message(e, {0, 2}, "x", why));
  EXPECT_EQ(why, "recipient 2 does not share the first one's channel, form and domain");
  e.recipients[0].form = 0;
  e.apdu = "message";  // form 0 is an MTS-APDU
  EXPECT_FALSE(gateway::outbound_message(e, {0}, "x", why));
  EXPECT_EQ(why, "recipient 0 has no RFC 822 form");
}

// Form 0, the content as received, goes with the entry's own envelope (the gateway's
// own reports are queued so: MAIL FROM:<>).
TEST(OutboundMessage, form_0_is_sent_with_the_entrys_envelope) {
  auto e = entry();
  e.apdu.clear();
  e.sender = "";
  e.body = "8BITMIME";
  e.recipients[2].form = 0;
  std::string why;
  auto m = gateway::outbound_message(e, {2}, "Subject: r\r\n\r\nz\r\n", why);
  ASSERT_TRUE(m) << why;
  EXPECT_TRUE(m->envelope.mail.reverse_path.empty());
  EXPECT_TRUE(m->eight_bit);
  EXPECT_EQ(m->envelope.rcpts.size(), 1u);
}
