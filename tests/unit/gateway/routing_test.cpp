// Recipient routing: X.400-bound domains, postmaster (RFC 5321 §4.5.1),
// and no open relay.
#include <gtest/gtest.h>

#include "gateway/routing.hpp"

using namespace mixer;
using smtp::proto::RcptTo;
using smtp::proto::Reply;

namespace {
conf::Config config() {
  conf::Config c;
  c.gateway.domain = "gw.example";
  c.smtp.hostname = "mx.gw.example";
  c.routing.x400_domains = {"x400.example", ".army.example"};
  return c;
}
RcptTo rcpt(std::string local, std::string domain) {
  RcptTo r;
  r.forward_path.local = std::move(local);
  r.forward_path.domain = std::move(domain);
  r.postmaster_only = r.forward_path.domain.empty();
  return r;
}
}  // namespace

TEST(Routing, x400_domains_exact_and_subdomains) {
  auto c = config();
  EXPECT_EQ(std::get<gateway::Channel>(gateway::route_recipient(c, rcpt("u", "X400.Example"))), gateway::Channel::x400);
  EXPECT_EQ(std::get<gateway::Channel>(gateway::route_recipient(c, rcpt("u", "hq.army.example"))), gateway::Channel::x400);
  auto r = std::get<Reply>(gateway::route_recipient(c, rcpt("u", "army.example")));
  EXPECT_EQ(r.text(), "550 5.7.1 <u@army.example>: Relay access denied");
}

TEST(Routing, rfc5321_s4_5_1_postmaster_is_always_accepted) {
  auto c = config();
  EXPECT_EQ(std::get<gateway::Channel>(gateway::route_recipient(c, rcpt("Postmaster", ""))), gateway::Channel::local);
  EXPECT_EQ(std::get<gateway::Channel>(gateway::route_recipient(c, rcpt("POSTMASTER", "gw.example"))),
            gateway::Channel::local);
  EXPECT_EQ(std::get<gateway::Channel>(gateway::route_recipient(c, rcpt("postmaster", "mx.gw.example"))),
            gateway::Channel::local);
}

TEST(Routing, no_open_relay) {
  auto c = config();
  auto r = std::get<Reply>(gateway::route_recipient(c, rcpt("victim", "elsewhere.example")));
  EXPECT_EQ(r.code, 550);
  EXPECT_EQ(r.enhanced, "5.7.1");
  auto lit = std::get<Reply>(gateway::route_recipient(c, rcpt("u", "[192.0.2.1]")));
  EXPECT_EQ(lit.enhanced, "5.7.1");
  auto local = std::get<Reply>(gateway::route_recipient(c, rcpt("root", "gw.example")));
  EXPECT_EQ(local.text(), "550 5.1.1 <root@gw.example>: Recipient address rejected: no such user at the gateway");
}
