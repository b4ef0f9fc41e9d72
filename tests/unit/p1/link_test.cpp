// tests/unit/p1/link_test.cpp: the association engine replaying the
// captures' initiators: as guinevere it answers Isode's percival with the
// capture's own octets (bind accepted, bind refused, release); as BETA-MTA
// and ALPHA-MTA it answers PP in both modes. As percival it binds to the
// capture's guinevere. tshark reads our side as it reads the capture's.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "p1/association/link.hpp"
#include "p1/rtse/machine.hpp"
#include "tests/unit/p1/support/hex.hpp"
#include "tests/unit/p1/support/oracle.hpp"

namespace {

using namespace mixer::p1::association;
namespace mta = mixer::p1::mta;
using mixer::p1::test::bytes_of;
using mixer::p1::test::Segment;
using mixer::p1::test::tpkts;
using mixer::p1::test::tshark_decode;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

ResponderSettings guinevere() {
  ResponderSettings s;
  s.mta_name = "guinevere.smhs.co.uk";
  s.checkpoint_size = 63;
  s.local.tsap = bytes_of("X400-88");
  PeerSettings p;
  p.name = "percival.smhs.co.uk";
  p.password = "excalibur";
  p.our_password = "merlin";
  s.peers.push_back(p);
  return s;
}

ResponderSettings pp_responder(const std::string& name, const std::string& peer) {
  ResponderSettings s;
  s.mta_name = name;
  s.checkpoint_size = 1;
  s.explicit_default_window = true;
  s.accepted_tsaps = {bytes_of("x400"), bytes_of("x410")};
  PeerSettings p;
  p.name = peer;
  p.password = " ";
  p.our_password = " ";
  s.peers.push_back(p);
  return s;
}

std::vector<LinkEvent::Kind> kinds(const std::vector<LinkEvent>& ev) {
  std::vector<LinkEvent::Kind> k;
  for (const auto& e : ev) k.push_back(e.kind);
  return k;
}

// The capture's CC with our reference in place of the capture responder's.
void expect_cc_like(const Bytes& ours, const Bytes& capture) {
  ASSERT_EQ(ours.size(), capture.size());
  EXPECT_EQ(Bytes(ours.begin(), ours.begin() + 8), Bytes(capture.begin(), capture.begin() + 8));  // TPKT, LI, CC, dst-ref
  EXPECT_EQ(Bytes(ours.begin() + 10, ours.end()), Bytes(capture.begin() + 10, capture.end()));   // class, TPDU size
}

TEST(P1Link, responder_replays_isode_ping_success) {
  Link l(guinevere(), "192.168.0.3", false);
  auto ev = l.receive(vector_file("ping-success/04-I-cr.hex"));
  EXPECT_TRUE(ev.empty());
  expect_cc_like(l.take_output(), vector_file("ping-success/05-R-cc.hex"));
  ev = l.receive(vector_file("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex"));
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::bound});
  EXPECT_EQ(ev[0].peer, "percival.smhs.co.uk");
  EXPECT_EQ(l.take_output(), vector_file("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex"));
  ev = l.receive(vector_file("ping-success/08-I-fn-rlrq.hex"));
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::released});
  EXPECT_EQ(l.take_output(), vector_file("ping-success/09-R-dn-rlre.hex"));
  EXPECT_TRUE(l.disconnected("EOF").empty());  // Isode closes TCP without a DR
  EXPECT_TRUE(l.closed());
}

TEST(P1Link, responder_replays_isode_ping_refuse) {
  Link l(guinevere(), "192.168.0.3", false);
  l.receive(vector_file("ping-refuse/04-I-cr.hex"));
  expect_cc_like(l.take_output(), vector_file("ping-refuse/05-R-cc.hex"));
  auto ev = l.receive(vector_file("ping-refuse/06-I-cn-cp-aarq-rtorq-bind.hex"));
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::bind_refused});
  EXPECT_EQ(ev[0].bind_error, mta::BindError::authentication_error);
  EXPECT_EQ(l.take_output(), vector_file("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex"));
  EXPECT_TRUE(l.closed());
}

TEST(P1Link, responder_replays_pp_1988_both_associations) {
  struct Case { const char* self; const char* peer; int cr, cc, cn, ac, as, dt, aea, fn, dn, dr; } cases[] = {
      {"BETA-MTA", "ALPHA-MTA", 4, 6, 8, 10, 11, 13, 15, 16, 17, 18},
      {"ALPHA-MTA", "BETA-MTA", 27, 29, 31, 32, 33, 35, 37, 38, 39, 40}};
  auto f = [](int n, const char* what) {
    char name[80];
    std::snprintf(name, sizeof name, "pp-1988/%02d-%s.hex", n, what);
    return vector_file(name);
  };
  for (const auto& c : cases) {
    Link l(pp_responder(c.self, c.peer), "127.0.0.1", false);
    l.receive(f(c.cr, "I-cr"));
    expect_cc_like(l.take_output(), f(c.cc, "R-cc"));
    auto ev = l.receive(f(c.cn, "I-cn-cp-aarq-rtorq-bind"));
    ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::bound});
    EXPECT_EQ(l.take_output(), f(c.ac, "R-ac-cpa-aare-rtoac-bindres"));
    EXPECT_TRUE(l.receive(f(c.as, "I-gt-as")).empty());
    EXPECT_TRUE(l.take_output().empty());
    ev = l.receive(f(c.dt, "I-gt-dt-rttr-message+gt-ae"));  // DT and AE in one segment
    ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::apdu});
    EXPECT_EQ(Bytes(ev[0].apdu.begin(), ev[0].apdu.begin() + 4), unhex("a0803180"));
    EXPECT_TRUE(l.take_output().empty());  // nothing until durable
    l.confirm();
    EXPECT_EQ(l.take_output(), f(c.aea, "R-pt-aea"));
    ev = l.receive(f(c.fn, "I-fn-rlrq"));
    ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::released});
    EXPECT_EQ(l.take_output(), f(c.dn, "R-dn-rlre"));
    EXPECT_TRUE(l.receive(f(c.dr, "I-dr")).empty());  // PP's DR after the DN
    EXPECT_TRUE(l.closed());
    EXPECT_EQ(l.apdus_in(), 1u);
  }
}

TEST(P1Link, responder_replays_pp_x410) {
  Link l(pp_responder("BETA-MTA", "ALPHA-MTA"), "127.0.0.1", false);
  l.receive(vector_file("pp-x410/04-I-cr.hex"));
  expect_cc_like(l.take_output(), vector_file("pp-x410/06-R-cc.hex"));
  auto ev = l.receive(vector_file("pp-x410/08-I-cn-cp-x410-rtorq-bind.hex"));
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::bound});
  EXPECT_EQ(l.mode(), mixer::p1::rtse::Mode::x410_1984);
  EXPECT_EQ(l.take_output(), vector_file("pp-x410/09-R-ac-cpa-x410-rtoac-bindres.hex"));
  l.receive(vector_file("pp-x410/10-I-gt-as.hex"));
  ev = l.receive(vector_file("pp-x410/12-I-gt-dt-message+gt-ae.hex"));
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::apdu});
  l.confirm();
  EXPECT_EQ(l.take_output(), vector_file("pp-x410/14-R-pt-aea.hex"));
  l.receive(vector_file("pp-x410/15-I-fn.hex"));
  EXPECT_EQ(l.take_output(), vector_file("pp-x410/16-R-dn.hex"));
  l.receive(vector_file("pp-x410/17-I-dr.hex"));
  EXPECT_TRUE(l.closed());
}

// Our initiator as percival, configured as Isode's was in the captures.
InitiatorSettings percival_as_isode() {
  InitiatorSettings s;
  s.mta_name = "percival.smhs.co.uk";
  s.checkpoint_size = 63;
  s.tpdu_size_code = 0;  // as Isode: no TPDU size (65531)
  return s;
}

// The peer `name` with the captures' passwords and TSAPs.
PeerSettings capture_peer(const std::string& name) {
  PeerSettings p;
  p.name = name;
  p.password = "merlin";
  p.our_password = "excalibur";
  p.local.tsap = bytes_of("X400-88");
  p.remote.tsap = bytes_of("X400-88");
  return p;
}

// Our initiator as percival against the capture's guinevere.
TEST(P1Link, initiator_as_percival_binds_like_isode) {
  Link l(percival_as_isode(), capture_peer("guinevere.smhs.co.uk"), "051001144852Z");
  l.start();
  Bytes cr = l.take_output();
  Bytes isode_cr = vector_file("ping-success/04-I-cr.hex");
  EXPECT_EQ(Bytes(cr.begin(), cr.begin() + 8), Bytes(isode_cr.begin(), isode_cr.begin() + 8));
  EXPECT_EQ(Bytes(cr.begin() + 10, cr.end()), Bytes(isode_cr.begin() + 10, isode_cr.end()));  // same TSAPs
  Bytes cc = vector_file("ping-success/05-R-cc.hex");
  cc[6] = cr[8];  // the capture's CC, addressed to our reference
  cc[7] = cr[9];
  EXPECT_TRUE(l.receive(cc).empty());
  Bytes cn = l.take_output();
  auto ev = l.receive(vector_file("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex"));
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::bound});
  EXPECT_EQ(ev[0].peer, "guinevere.smhs.co.uk");
  EXPECT_TRUE(l.ready());
  l.release();
  Bytes fn = l.take_output();
  EXPECT_EQ(fn, vector_file("ping-success/08-I-fn-rlrq.hex"));
  ev = l.receive(vector_file("ping-success/09-R-dn-rlre.hex"));
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::released});
  Bytes dr = l.take_output();
  EXPECT_EQ(dr.size(), 11u);  // a DR, as PP sends after the DN
  EXPECT_TRUE(l.closed());

  // tshark reads our CR, CN and FN with the capture's replies as it reads Isode's.
  auto ours = tshark_decode({{true, cr}, {false, cc}, {true, cn}, {false, vector_file("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex")},
                             {true, fn}, {false, vector_file("ping-success/09-R-dn-rlre.hex")}, {true, dr}});
  auto theirs = tshark_decode({{true, isode_cr}, {false, vector_file("ping-success/05-R-cc.hex")},
                               {true, vector_file("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex")},
                               {false, vector_file("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex")},
                               {true, vector_file("ping-success/08-I-fn-rlrq.hex")},
                               {false, vector_file("ping-success/09-R-dn-rlre.hex")}});
  ASSERT_TRUE(ours.clean()) << ours.report();
  ASSERT_TRUE(theirs.clean()) << theirs.report();
  for (const char* line : {"Source TSAP: X400-88", "Destination TSAP: X400-88", "Calling SS User Reference: 0413706572636976616c2e736d68732e636f2e756b",
                           "aSO-context-name: 2.6.0.1.6 (id-ac-mts-transfer)", "checkpointSize: 63", "dialogueMode: monologue (0)",
                           "initiator-name: percival.smhs.co.uk", "ia5-string: excalibur", "responder-name: guinevere.smhs.co.uk",
                           ".... ..1. = Protocol Version 2: True",
                           "Flags: 0x0249, Exception function unit, Activity management function unit"}) {
    EXPECT_TRUE(ours.has(line)) << line;
  }
  for (const char* line : {"aSO-context-name: 2.6.0.1.6 (id-ac-mts-transfer)", "checkpointSize: 63", "dialogueMode: monologue (0)",
                           "initiator-name: percival.smhs.co.uk", "ia5-string: excalibur", ".... ..1. = Protocol Version 2: True",
                           "Flags: 0x0249, Exception function unit, Activity management function unit"}) {
    EXPECT_EQ(ours.count(line), theirs.count(line)) << line;
  }
}

// PP refuses a 1988 normal-mode bind with the MTABindError bare in the RTORJ user data
// (a1 03 02 01 02): the initiator names the X.411 bind error and treats authentication as
// permanent (not "association rejected, result 1, diagnostic 1", retried for days).
TEST(P1Link, initiator_reads_pp_bare_bind_error) {
  Link l(percival_as_isode(), capture_peer("pp.example"), "051001144852Z");
  l.start();
  Bytes cr = l.take_output();
  Bytes cc = vector_file("ping-success/05-R-cc.hex");
  cc[6] = cr[8];
  cc[7] = cr[9];
  EXPECT_TRUE(l.receive(cc).empty());
  Bytes cn = l.take_output();
  ASSERT_GT(cn.size(), 7u);
  ASSERT_EQ(Bytes(cn.begin() + 4, cn.begin() + 7), unhex("02f080"));  // one DT, end of TSDU
  // The responder's RTSE answers as PP does: the bare INTEGER as RTORJ user data.
  mixer::p1::rtse::Machine pp(mixer::p1::rtse::Role::responder, mixer::p1::rtse::Settings{});
  ASSERT_TRUE(pp.receive(Bytes(cn.begin() + 7, cn.end())));
  ASSERT_TRUE(pp.refuse(unhex("020102")));
  auto tsdus = pp.take_output();
  ASSERT_EQ(tsdus.size(), 1u);
  const std::size_t n = tsdus[0].size() + 7;
  Bytes rf{0x03, 0x00, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), 0x02, 0xf0, 0x80};
  rf.insert(rf.end(), tsdus[0].begin(), tsdus[0].end());
  Bytes bare = unhex("a103020102");
  ASSERT_NE(std::search(rf.begin(), rf.end(), bare.begin(), bare.end()), rf.end());
  auto ev = l.receive(rf);
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::bind_refused});
  EXPECT_EQ(ev[0].bind_error, mta::BindError::authentication_error);
  EXPECT_EQ(ev[0].failure.kind, FailureClass::permanent);
  EXPECT_NE(ev[0].what.find("Bind-Error authentication-error"), std::string::npos) << ev[0].what;
}

// X.228: recovery of a connection the responder does not hold is refused cannotRecover
// (normal mode: a transient AARE rejection, as X.228 keeps refuseReason to X.410 mode), not
// as an authentication error, and the initiator reads it as transient.
TEST(P1Link, responder_refuses_unknown_recovery_as_cannot_recover) {
  RecoveryStore store;
  Link l(guinevere(), "192.168.0.3", false, &store);
  l.receive(vector_file("ping-success/04-I-cr.hex"));
  (void)l.take_output();
  namespace rtse = mixer::p1::rtse;
  rtse::Settings is;
  is.calling_reference = bytes_of("Percival");
  is.common_reference = "051001150000Z";
  rtse::Machine i(rtse::Role::initiator, is);
  rtse::SessionConnectionIdentifier unknown;
  unknown.calling_reference = bytes_of("Percival");
  unknown.common_reference = "051001144852Z";
  ASSERT_TRUE(i.open({}, unknown));
  auto cn = i.take_output();
  ASSERT_EQ(cn.size(), 1u);
  const std::size_t n = cn[0].size() + 7;
  Bytes frame{0x03, 0x00, static_cast<std::uint8_t>(n >> 8), static_cast<std::uint8_t>(n), 0x02, 0xf0, 0x80};
  frame.insert(frame.end(), cn[0].begin(), cn[0].end());
  auto ev = l.receive(frame);
  ASSERT_EQ(kinds(ev), std::vector{LinkEvent::Kind::bind_refused});
  EXPECT_FALSE(ev[0].bind_error);
  EXPECT_EQ(ev[0].failure.kind, FailureClass::transient);
  EXPECT_NE(ev[0].what.find("cannotRecover"), std::string::npos) << ev[0].what;
  Bytes rf = l.take_output();
  Bytes transient = unhex("a203020102");  // AARE result [2] rejected-transient
  EXPECT_NE(std::search(rf.begin(), rf.end(), transient.begin(), transient.end()), rf.end());
  Bytes auth = unhex("b203020102");  // no bind-error authentication-error
  EXPECT_EQ(std::search(rf.begin(), rf.end(), auth.begin(), auth.end()), rf.end());
  ASSERT_GT(rf.size(), 7u);
  auto at_i = i.receive(Bytes(rf.begin() + 7, rf.end()));
  ASSERT_TRUE(at_i);
  ASSERT_EQ(at_i->at(0).kind, rtse::Event::Kind::open_refused);
}

// X.224 §13.3: each connection has its own source reference, so a peer or a capture can
// tell concurrent connections apart (the CR's SRC-REF, octets 8-9 of the TPKT).
TEST(P1Link, x224_13_3_each_connection_its_own_source_reference) {
  InitiatorSettings s;
  s.mta_name = "percival.smhs.co.uk";
  PeerSettings p;
  p.name = "guinevere.smhs.co.uk";
  std::set<std::uint16_t> refs;
  for (int k = 0; k < 64; ++k) {
    Link l(s, p, "051001144852Z");
    l.start();
    Bytes cr = l.take_output();
    ASSERT_GT(cr.size(), 10u);
    const auto ref = static_cast<std::uint16_t>(cr[8] << 8 | cr[9]);
    EXPECT_NE(ref, 0u);
    refs.insert(ref);
  }
  EXPECT_EQ(refs.size(), 64u);
  std::set<std::uint16_t> cc_refs;
  for (int k = 0; k < 16; ++k) {
    Link r(guinevere(), "192.168.0.3", false);
    r.receive(vector_file("ping-success/04-I-cr.hex"));
    Bytes cc = r.take_output();
    ASSERT_GT(cc.size(), 10u);
    cc_refs.insert(static_cast<std::uint16_t>(cc[8] << 8 | cc[9]));
  }
  EXPECT_EQ(cc_refs.size(), 16u);
}

TEST(P1Link, refusals) {
  auto bind_with = [](ResponderSettings s, const std::string& address, bool busy) {
    Link l(s, address, busy);
    l.receive(vector_file("ping-success/04-I-cr.hex"));
    (void)l.take_output();
    auto ev = l.receive(vector_file("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex"));
    return std::make_pair(ev, l.take_output());
  };
  ResponderSettings wrong = guinevere();
  wrong.peers[0].password = "lancelot";
  auto [ev1, out1] = bind_with(wrong, "192.168.0.3", false);
  ASSERT_EQ(ev1.at(0).kind, LinkEvent::Kind::bind_refused);
  EXPECT_EQ(ev1[0].bind_error, mta::BindError::authentication_error);
  Bytes auth = unhex("b203020102");
  EXPECT_NE(std::search(out1.begin(), out1.end(), auth.begin(), auth.end()), out1.end());

  ResponderSettings unknown = guinevere();
  unknown.peers[0].name = "galahad.smhs.co.uk";
  EXPECT_EQ(bind_with(unknown, "192.168.0.3", false).first.at(0).bind_error, mta::BindError::authentication_error);

  ResponderSettings fenced = guinevere();
  fenced.peers[0].addresses = {"192.168.0.9"};
  EXPECT_EQ(bind_with(fenced, "192.168.0.3", false).first.at(0).bind_error, mta::BindError::authentication_error);
  fenced.peers[0].addresses = {"192.168.0.3"};
  EXPECT_EQ(bind_with(fenced, "192.168.0.3", false).first.at(0).kind, LinkEvent::Kind::bound);

  auto [ev4, out4] = bind_with(guinevere(), "192.168.0.3", true);
  EXPECT_EQ(ev4.at(0).bind_error, mta::BindError::busy);
  Bytes busy = unhex("b203020100");
  EXPECT_NE(std::search(out4.begin(), out4.end(), busy.begin(), busy.end()), out4.end());

  ResponderSettings no_twa = guinevere();
  no_twa.allow_two_way_alternate = false;
  EXPECT_EQ(bind_with(no_twa, "192.168.0.3", false).first.at(0).kind, LinkEvent::Kind::bound);  // Isode asks monologue
}

TEST(P1Link, transport_refusals) {
  {  // garbage after a valid TPKT header: ER, then close
    Link l(guinevere(), "10.0.0.1", false);
    auto ev = l.receive(unhex("0300000b 0f ffffffffffffff"));
    ASSERT_EQ(ev.at(0).kind, LinkEvent::Kind::aborted);
    Bytes out = l.take_output();
    ASSERT_GE(out.size(), 9u);
    EXPECT_EQ(out[5], 0x70);  // ER
    EXPECT_TRUE(l.closed());
  }
  {  // not a TPKT at all: close without a word
    Link l(guinevere(), "10.0.0.1", false);
    auto ev = l.receive(bytes_of("GET / HTTP/1.0\r\n\r\n"));
    ASSERT_EQ(ev.at(0).kind, LinkEvent::Kind::aborted);
    EXPECT_TRUE(l.take_output().empty());
    EXPECT_TRUE(l.closed());
  }
  {  // TPKT length 65535 with short data: waits; the deadline aborts
    Link l(guinevere(), "10.0.0.1", false);
    EXPECT_TRUE(l.receive(unhex("0300ffff 02f080 00000000")).empty());
    EXPECT_FALSE(l.closed());
    auto ev = l.timeout("bind");
    ASSERT_EQ(ev.at(0).kind, LinkEvent::Kind::aborted);
    EXPECT_TRUE(l.closed());
  }
  {  // a CR for another TSAP: DR reason 3
    Link l(guinevere(), "10.0.0.1", false);
    Bytes cr = vector_file("pp-1988/04-I-cr.hex");  // called "x400"
    auto ev = l.receive(cr);
    ASSERT_EQ(ev.at(0).kind, LinkEvent::Kind::aborted);
    Bytes out = l.take_output();
    EXPECT_EQ(out[5], 0x80);   // DR
    EXPECT_EQ(out.back(), 3);  // address unknown
  }
  {  // deep BER nesting in the CP: refused (RF) at once
    Link l(guinevere(), "10.0.0.1", false);
    l.receive(vector_file("ping-success/04-I-cr.hex"));
    (void)l.take_output();
    Bytes cp;
    for (int k = 0; k < 200; ++k) cp.insert(cp.end(), {0x31, 0x80});
    for (int k = 0; k < 200; ++k) cp.insert(cp.end(), {0x00, 0x00});
    Bytes tsdu = {0x0d, 0xff, 0, 0, 0xc1, 0xff, static_cast<std::uint8_t>(cp.size() >> 8), static_cast<std::uint8_t>(cp.size())};
    tsdu.insert(tsdu.end(), cp.begin(), cp.end());
    std::size_t li = tsdu.size() - 4;
    tsdu[2] = static_cast<std::uint8_t>(li >> 8);
    tsdu[3] = static_cast<std::uint8_t>(li);
    auto ev = l.receive(mixer::p1::test::dt_tpkt(tsdu));
    ASSERT_EQ(ev.at(0).kind, LinkEvent::Kind::bind_refused);
    EXPECT_NE(ev[0].what.find("nesting deeper"), std::string::npos) << ev[0].what;
    Bytes out = l.take_output();
    EXPECT_EQ(out[7], 0x0c);  // RF
    EXPECT_TRUE(l.closed());
  }
}

}  // namespace

namespace {

// Our initiator and our responder in memory: every octet both emit, as one
// TCP conversation, through tshark.
TEST(P1Link, oracle_initiator_and_responder_talk) {
  ResponderSettings rs = pp_responder("BETA-MTA", "ALPHA-MTA");
  rs.local.tsap = bytes_of("x400");
  InitiatorSettings is;
  is.mta_name = "ALPHA-MTA";
  is.checkpoint_size = 2;
  is.window_size = 2;
  PeerSettings p;
  p.name = "BETA-MTA";
  p.password = " ";
  p.our_password = " ";
  p.password_octets = true;
  p.remote.tsap = bytes_of("x400");
  Link i(is, p, "261123104015Z");
  Link r(rs, "127.0.0.1", false);
  std::vector<Segment> transcript;
  std::vector<LinkEvent> at_i, at_r;
  auto pump = [&] {
    for (int n = 0; n < 10000; ++n) {
      Bytes a = i.take_output(), b;
      if (!a.empty()) {
        transcript.push_back({true, a});
        for (auto& e : r.receive(a)) {
          if (e.kind == LinkEvent::Kind::apdu) r.confirm();
          at_r.push_back(std::move(e));
        }
      }
      b = r.take_output();
      if (!b.empty()) {
        transcript.push_back({false, b});
        for (auto& e : i.receive(b)) at_i.push_back(std::move(e));
      }
      if (a.empty() && b.empty()) return;
    }
  };
  i.start();
  pump();
  ASSERT_TRUE(i.ready());
  Bytes m = vector_file("mts-apdu-pp-without-extensions.hex");
  for (int k = 0; k < 3; ++k) {
    ASSERT_TRUE(i.transfer(m));
    pump();
  }
  i.release();
  pump();
  EXPECT_TRUE(i.closed());
  std::size_t apdus = 0, confirmed = 0;
  for (auto& e : at_r) apdus += e.kind == LinkEvent::Kind::apdu;
  for (auto& e : at_i) confirmed += e.kind == LinkEvent::Kind::transfer_confirmed;
  EXPECT_EQ(apdus, 3u);
  EXPECT_EQ(confirmed, 3u);
  auto d = tshark_decode(transcript, 102);
  ASSERT_TRUE(d.clean()) << d.report();
  EXPECT_EQ(d.count("TPDU size: 2048"), 2u);
  EXPECT_TRUE(d.has("Destination TSAP: x400"));
  EXPECT_TRUE(d.has("initiator-name: ALPHA-MTA"));
  EXPECT_TRUE(d.has("octet-string: 20"));
  EXPECT_TRUE(d.has("responder-name: BETA-MTA"));
  EXPECT_TRUE(d.has("checkpointSize: 2"));
  EXPECT_EQ(d.count("Reassembled RTSE"), 3u);
  EXPECT_TRUE(d.has("PDU Type: DR Disconnect Request (0x08)"));
  EXPECT_TRUE(d.has("Cause: Normal Disconnect (128)"));
}

}  // namespace
