// Recipient routing: MCGAM table 1 (RFC 2156 §4.3.4), the private list of
// X.400-routed domains, postmaster (RFC 5321 §4.5.1), and no open relay.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "gateway/routing.hpp"

using namespace mixer;
using smtp::proto::RcptTo;
using smtp::proto::Reply;
namespace fs = std::filesystem;

namespace {
struct RoutingTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-routing-test-" + std::to_string(::getpid()));
  std::shared_ptr<const gateway::Runtime> rt;

  void SetUp() override {
    fs::create_directories(dir);
    std::ofstream(dir / "t1.txt") << "mcgam.example#PRMD$EXAMPLE.ADMD$ .C$XX#\n";
    conf::Config c;
    c.file = dir / "mixer.yaml";
    c.gateway.domain = "gw.example";
    c.gateway.mta_name = "gw.example";
    c.gateway.or_address = "/O=Gateway/PRMD=GW/ADMD= /C=XX/";
    c.gateway.country = "XX";
    c.gateway.admd = " ";
    c.gateway.prmd = "GW";
    c.smtp.hostname = "mx.gw.example";
    c.routing.x400_domains = {"x400.example", ".army.example"};
    c.addressing.tables = {{dir / "t1.txt", "table1", "shared"}};
    conf::P1Peer peer;
    peer.name = "mta.example";
    peer.host = "127.0.0.1";
    c.p1.peers.push_back(peer);
    peer.name = "army-mta";
    peer.mode = 1984;
    c.p1.peers.push_back(peer);
    conf::P1Route army;
    army.match = {{"C", "XX"}, {"ADMD", " "}, {"PRMD", "GW"}, {"O", "Gateway"}};
    army.text = "/C=XX/ADMD= /PRMD=GW/O=Gateway/";
    army.peers = {"army-mta"};
    conf::P1Route fallback;
    fallback.text = "*";
    fallback.peers = {"mta.example"};
    c.p1.routes = {fallback, army};
    auto built = gateway::make_runtime(c);
    for (const auto& e : built.errors) ADD_FAILURE() << e;
    rt = built.runtime;
  }
  void TearDown() override { fs::remove_all(dir); }

  std::variant<gateway::Route, Reply> route(std::string local, std::string domain) {
    RcptTo r;
    r.forward_path.local = std::move(local);
    r.forward_path.domain = std::move(domain);
    r.postmaster_only = r.forward_path.domain.empty();
    return gateway::route_recipient(*rt, r);
  }
};
}  // namespace

TEST_F(RoutingTest, rfc2156_4_3_4_mcgam_domain_goes_to_x400_with_its_or_address) {
  auto r = std::get<gateway::Route>(route("john.smith", "Sales.MCGAM.example"));
  EXPECT_EQ(r.channel, gateway::Channel::p1);
  EXPECT_EQ(r.or_address, "/G=john/S=smith/O=Sales/PRMD=EXAMPLE/ADMD= /C=XX/");
}

TEST_F(RoutingTest, private_list_exact_and_subdomains_are_encapsulated) {
  auto r = std::get<gateway::Route>(route("u", "X400.Example"));
  EXPECT_EQ(r.channel, gateway::Channel::p1);
  EXPECT_EQ(r.or_address, "/RFC-822=u(a)X400.Example/O=Gateway/PRMD=GW/ADMD= /C=XX/");
  EXPECT_EQ(std::get<gateway::Route>(route("u", "hq.army.example")).channel, gateway::Channel::p1);
  auto refused = std::get<Reply>(route("u", "army.example"));
  EXPECT_EQ(refused.text(), "550 5.7.1 <u@army.example>: Relay access denied");
}

TEST_F(RoutingTest, rfc2156_4_3_1_x400_address_in_local_part_at_our_domain) {
  auto r = std::get<gateway::Route>(route("\"/S=Jones/O=Org/PRMD=P/ADMD= /C=XX/\"", "gw.example"));
  EXPECT_EQ(r.channel, gateway::Channel::p1);
  EXPECT_EQ(r.or_address, "/S=Jones/O=Org/PRMD=P/ADMD= /C=XX/");
}

TEST_F(RoutingTest, rfc5321_4_5_1_postmaster_is_always_accepted) {
  EXPECT_EQ(std::get<gateway::Route>(route("Postmaster", "")).channel, gateway::Channel::local);
  EXPECT_EQ(std::get<gateway::Route>(route("POSTMASTER", "gw.example")).channel, gateway::Channel::local);
  EXPECT_EQ(std::get<gateway::Route>(route("postmaster", "mx.gw.example")).channel, gateway::Channel::local);
}

TEST_F(RoutingTest, no_open_relay) {
  auto r = std::get<Reply>(route("victim", "elsewhere.example"));
  EXPECT_EQ(r.code, 550);
  EXPECT_EQ(r.enhanced, "5.7.1");
  EXPECT_EQ(std::get<Reply>(route("u", "[192.0.2.1]")).enhanced, "5.7.1");
  auto local = std::get<Reply>(route("root", "gw.example"));
  // RFC 2156 §4.3.1: the gateway's own domain carries X.400 addresses only.
  EXPECT_EQ(local.text(), "550 5.1.1 <root@gw.example>: cannot be mapped to X.400: 'root' is not an X.400 "
                          "address (std-or-address) at the gateway's domain (RFC 2156 section 4.3.1)");
}

// RFC 2156 §4.3.4 stage II step 1: an SMTPUTF8 local part under an MCGAM has
// no PrintableString form; the reply is the mapping's base::Refusal (code,
// RFC 3463 status, its sentence in US-ASCII per RFC 5321 §4.2).
TEST_F(RoutingTest, rfc2156_4_3_4_unmappable_recipient_refused_with_the_mappings_refusal) {
  auto r = std::get<Reply>(route("caf\xC3\xA9", "mcgam.example"));
  EXPECT_EQ(r.code, 550);
  EXPECT_EQ(r.enhanced, "5.1.1");
  EXPECT_EQ(r.text(), "550 5.1.1 <caf\xC3\xA9@mcgam.example>: cannot be mapped to X.400: 'caf?"
                      "?@mcgam.example': octet 195 is not ASCII and cannot be encoded in PrintableString "
                      "(RFC 2156 section 4.3.4 stage II step 1)");
  // Bad syntax: more than the 512 characters RFC-822 and RFC822C1..C3 hold (§4.3.2).
  auto long_one = std::get<Reply>(route(std::string(600, 'a'), "mcgam.example"));
  EXPECT_EQ(long_one.code, 550);
  EXPECT_EQ(long_one.enhanced, "5.1.3");
}

// Issue 14: the P1 route is decided at RCPT from p1.routes, longest prefix first.
TEST_F(RoutingTest, p1_routes_longest_prefix_then_default) {
  auto army = std::get<gateway::Route>(route("u", "X400.Example"));  // encapsulated at /O=Gateway/PRMD=GW/...
  EXPECT_EQ(army.peers, std::vector<std::string>{"army-mta"});
  EXPECT_EQ(army.peer_mode, 1984);
  auto other = std::get<gateway::Route>(route("john.smith", "Sales.MCGAM.example"));
  EXPECT_EQ(other.peers, std::vector<std::string>{"mta.example"});
  EXPECT_EQ(other.peer_mode, 1988);
}

TEST_F(RoutingTest, no_p1_route_is_refused_at_rcpt) {
  auto c = rt->config;
  c.p1.routes.erase(std::remove_if(c.p1.routes.begin(), c.p1.routes.end(), [](auto& r) { return r.match.empty(); }),
                    c.p1.routes.end());
  auto built = gateway::make_runtime(c);
  ASSERT_TRUE(built.runtime);
  RcptTo r;
  r.forward_path.local = "john.smith";
  r.forward_path.domain = "Sales.MCGAM.example";
  auto reply = std::get<Reply>(gateway::route_recipient(*built.runtime, r));
  EXPECT_EQ(reply.text(), "550 5.4.4 <john.smith@Sales.MCGAM.example>: Unable to route: no p1.routes entry for "
                          "/G=john/S=smith/O=Sales/PRMD=EXAMPLE/ADMD= /C=XX/");
}

// RFC 2156 Appendix B: zero-length attributes are X.400(1984)'s (carried for the systems
// that rely on them), "not legal in 1988, except for ADMD": a recipient with one is refused
// at RCPT when its route goes to a 1988 peer, and taken for a 1984 one.
TEST_F(RoutingTest, rfc2156_appendix_b_null_attributes_only_to_1984_peers) {
  auto c = std::get<Reply>(route("\"/S=y/O=X/ADMD=BTT/C=/\"", "gw.example"));  // the "*" route: mta.example, 1988
  EXPECT_EQ(c.code, 550);
  EXPECT_EQ(c.enhanced, "5.1.3");
  EXPECT_NE(c.text().find("not legal in X.400(1988) (RFC 2156 Appendix B: C value '' is neither 3 digits"),
            std::string::npos)
      << c.text();
  auto o = std::get<Reply>(route("\"/S=y/O=/PRMD=P/ADMD= /C=XX/\"", "gw.example"));
  EXPECT_NE(o.text().find("O value '' has 0 characters (allowed 1..64)"), std::string::npos) << o.text();
  EXPECT_EQ(o.enhanced, "5.1.3");
  // A null ADMD is legal in 1988 (§4.3.5).
  EXPECT_EQ(std::get<gateway::Route>(route("\"/S=y/O=X/PRMD=P/ADMD=/C=XX/\"", "gw.example")).peer_mode, 1988);
  // The army route goes to a 1984 peer: a null OU is carried.
  auto army = std::get<gateway::Route>(route("\"/S=y/OU=/O=Gateway/PRMD=GW/ADMD= /C=XX/\"", "gw.example"));
  EXPECT_EQ(army.peer_mode, 1984);
  EXPECT_EQ(army.or_address, "/S=y/OU=/O=Gateway/PRMD=GW/ADMD= /C=XX/");
}
