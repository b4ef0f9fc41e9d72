// tests/unit/p1/link_recovery_test.cpp: RTSE recovery as initiator (X.228
// §7.6, X.225 activity resume), protocol without I/O: our initiator Link and
// our responder Link (with its RecoveryStore) exchange octets in memory; the
// first association is cut in the middle of a large transfer after some
// checkpoints, the initiator's interrupted() says where it stands, a second
// initiator Link recovers that connection (RTORQ `recover`, no bind) and
// resumes the activity (AR) from the receiver's last confirmed checkpoint;
// the receiver delivers the APDU once, octet for octet. In normal and
// X.410-1984 mode, monologue and two-way alternate; refusals (cannotRecover,
// a peer without the partial) come back as a recovery refusal, never a bind
// error. tshark reads the recovering association without a complaint.
#include <gtest/gtest.h>

#include "p1/association/link.hpp"
#include "tests/unit/p1/support/hex.hpp"
#include "tests/unit/p1/support/oracle.hpp"

namespace {

using namespace mixer::p1::association;
namespace rtse = mixer::p1::rtse;
using mixer::p1::test::bytes_of;
using mixer::p1::test::Segment;
using mixer::p1::test::tshark_decode;

ResponderSettings beta(std::int64_t checkpoint) {
  ResponderSettings s;
  s.mta_name = "BETA-MTA";
  s.checkpoint_size = checkpoint;
  s.accepted_tsaps = {bytes_of("x400"), bytes_of("x410")};
  PeerSettings p;
  p.name = "ALPHA-MTA";
  p.password = "a";
  p.our_password = "b";
  s.peers.push_back(p);
  return s;
}

InitiatorSettings alpha() {
  InitiatorSettings s;
  s.mta_name = "ALPHA-MTA";
  s.checkpoint_size = 1;  // 1 K octets between checkpoints
  s.window_size = 3;
  return s;
}

PeerSettings to_beta(rtse::Mode mode, std::int64_t dialogue) {
  PeerSettings p;
  p.name = "BETA-MTA";
  p.password = "b";
  p.our_password = "a";
  p.remote.tsap = bytes_of(mode == rtse::Mode::normal ? "x400" : "x410");
  p.mode = mode;
  p.dialogue_mode = dialogue;
  return p;
}

Bytes big_apdu(std::size_t n) {
  // An MTS-APDU-shaped value: [0] { OCTET STRING } with definite lengths, n octets in all.
  Bytes inner(n - 10, 0);
  for (std::size_t k = 0; k < inner.size(); ++k) inner[k] = static_cast<std::uint8_t>(k * 131 + 7);
  Bytes os{0x04, 0x83, static_cast<std::uint8_t>(inner.size() >> 16), static_cast<std::uint8_t>(inner.size() >> 8),
           static_cast<std::uint8_t>(inner.size())};
  os.insert(os.end(), inner.begin(), inner.end());
  Bytes a{0xa0, 0x83, static_cast<std::uint8_t>(os.size() >> 16), static_cast<std::uint8_t>(os.size() >> 8),
          static_cast<std::uint8_t>(os.size())};
  a.insert(a.end(), os.begin(), os.end());
  return a;
}

// Two Links in memory; `rounds` bounds the exchanges (0: until both are quiet).
struct Wire {
  Link& i;
  Link& r;
  std::vector<Segment> transcript;
  std::vector<LinkEvent> at_i, at_r;
  std::size_t octets_from_i = 0;
  bool confirm = true;
  void pump(int rounds = 0) {
    for (int n = 0; rounds == 0 ? n < 100000 : n < rounds; ++n) {
      Bytes a = i.take_output();
      if (!a.empty()) {
        octets_from_i += a.size();
        transcript.push_back({true, a});
        for (auto& e : r.receive(a)) {
          if (e.kind == LinkEvent::Kind::apdu && confirm) r.confirm();
          at_r.push_back(std::move(e));
        }
      }
      Bytes b = r.take_output();
      if (!b.empty()) {
        transcript.push_back({false, b});
        for (auto& e : i.receive(b)) at_i.push_back(std::move(e));
      }
      if (a.empty() && b.empty()) return;
    }
  }
  std::size_t count(LinkEvent::Kind k, const std::vector<LinkEvent>& ev) const {
    std::size_t n = 0;
    for (const auto& e : ev) n += e.kind == k;
    return n;
  }
};

// The first association: bound, a transfer of `apdu` cut after `rounds` exchanges.
Interruption cut_after(Link& i, Link& r, const Bytes& apdu, int rounds) {
  Wire w{i, r, {}, {}, {}};
  i.start();
  w.pump();
  if (!i.ready()) throw std::runtime_error("first association not bound");
  if (!i.transfer(apdu)) throw std::runtime_error("transfer refused");
  w.pump(rounds);
  if (w.count(LinkEvent::Kind::apdu, w.at_r)) throw std::runtime_error("the transfer finished before the cut");
  // The TCP connection breaks: both sides see it end.
  auto ei = i.disconnected("cut");
  auto er = r.disconnected("EOF");
  if (ei.size() != 1 || ei[0].kind != LinkEvent::Kind::aborted) throw std::runtime_error("initiator did not report the cut");
  auto at = i.interrupted();
  if (!at) throw std::runtime_error("no interruption to recover");
  return *at;
}

// tshark reassembles RTTR segments per TCP conversation (packet-rtse.c keys them by the
// conversation index), so the resumed activity's reassembly starts inside the EXTERNAL
// whose head went on the broken connection: its own frame (the activity end after the
// AR) reports that in the RTSE subtree. Every other frame, and every layer of that frame
// beneath RTSE, must decode clean. The reassembled APDU is compared octet for octet instead.
bool only_the_resumed_tail(const std::string& text, const std::vector<std::string>& allowed, std::string& why) {
  std::vector<std::string> frames;
  for (std::size_t at = 0; (at = text.find("Frame ", at)) != std::string::npos;) {
    std::size_t next = text.find("\nFrame ", at + 1);
    frames.push_back(text.substr(at, next == std::string::npos ? std::string::npos : next + 1 - at));
    if (next == std::string::npos) break;
    at = next + 1;
  }
  bool after_ar = false, tail_seen = false;
  for (const auto& f : frames) {
    const bool is_tail = after_ar && !tail_seen && f.find("MAJOR SYNC POINT (MAP) SPDU (41)") != std::string::npos;
    if (f.find("ACTIVITY RESUME (AR) SPDU (29)") != std::string::npos) after_ar = true;
    const std::size_t rtse_at = f.find("X.228 OSI Reliable Transfer Service");
    std::size_t line_at = 0;
    for (std::size_t end; line_at < f.size(); line_at = end + 1) {
      end = f.find('\n', line_at);
      if (end == std::string::npos) end = f.size();
      std::string line = f.substr(line_at, end - line_at);
      bool problem = line.find("Malformed") != std::string::npos || line.find("Expert Info (Error") != std::string::npos ||
                     line.find("Expert Info (Warning") != std::string::npos;
      for (const auto& a : allowed) problem = problem && line.find(a) == std::string::npos;
      if (!problem) continue;
      if (is_tail && rtse_at != std::string::npos && line_at > rtse_at) {
        tail_seen = true;
        continue;
      }
      why = "tshark: " + line + "\nin\n" + f.substr(0, 3000);
      return false;
    }
    if (is_tail) tail_seen = true;
  }
  if (!after_ar) why = "no AR in the conversation";
  return after_ar;
}

struct Case {
  rtse::Mode mode;
  std::int64_t dialogue;
};

class Recovery : public ::testing::TestWithParam<Case> {};

// X.228 §7.6: the next association recovers the broken connection and resumes the
// activity from the receiver's last confirmed checkpoint; the APDU arrives once, whole.
TEST_P(Recovery, x228_7_6_resumes_from_the_last_confirmed_checkpoint) {
  const Case c = GetParam();
  RecoveryStore store;
  const Bytes apdu = big_apdu(40000);
  Link i1(alpha(), to_beta(c.mode, c.dialogue), "261123104015Z");
  Link r1(beta(4), "127.0.0.1", false, &store);
  Interruption at = cut_after(i1, r1, apdu, 4);
  EXPECT_GE(at.progress.serial, 2u);
  EXPECT_EQ(at.progress.offset, at.progress.serial * 1024u);  // 1 K checkpoints: the responder took our proposal
  EXPECT_EQ(at.apdu_size, apdu.size());
  EXPECT_EQ(at.mode, c.mode);
  EXPECT_EQ(at.dialogue_mode, c.dialogue);
  EXPECT_EQ(at.checkpoint_size, 1);
  EXPECT_EQ(at.peer_name, "BETA-MTA");
  EXPECT_EQ(at.connection.calling_reference, bytes_of("ALPHA-MTA"));
  EXPECT_EQ(at.connection.common_reference, "261123104015Z");
  EXPECT_EQ(at.connection.t61, c.mode == rtse::Mode::x410_1984);
  EXPECT_EQ(store.size(), 1u);  // the receiver kept what it had up to its last checkpoint

  Link i2(alpha(), to_beta(c.mode, c.dialogue), "261123104020Z", Resumption{at, apdu});
  Link r2(beta(4), "127.0.0.1", false, &store);
  EXPECT_TRUE(i2.recovering());
  Wire w{i2, r2, {}, {}, {}};
  i2.start();
  w.pump();
  ASSERT_GE(w.at_i.size(), 2u);
  EXPECT_EQ(w.at_i[0].kind, LinkEvent::Kind::bound);
  EXPECT_TRUE(w.at_i[0].recovery);
  EXPECT_NE(w.at_i[0].what.find("resumed from checkpoint " + std::to_string(at.progress.serial)), std::string::npos)
      << w.at_i[0].what;
  EXPECT_EQ(w.at_i[1].kind, LinkEvent::Kind::transfer_confirmed);
  ASSERT_EQ(w.count(LinkEvent::Kind::apdu, w.at_r), 1u);
  EXPECT_TRUE(w.at_r[0].recovery);
  EXPECT_EQ(w.at_r[1].apdu, apdu);       // once, octet for octet
  EXPECT_EQ(w.at_r[1].peer, "ALPHA-MTA");  // the MTA bound on the broken association
  EXPECT_EQ(store.size(), 0u);
  // Only what followed the checkpoint travelled again (with the framing of the segments).
  EXPECT_LT(w.octets_from_i, apdu.size() - at.progress.offset + 2000);
  EXPECT_TRUE(i2.ready());  // the recovered association takes the next APDU
  ASSERT_TRUE(i2.transfer(mixer::p1::test::vector_file("mts-apdu-pp-without-extensions.hex")));
  w.pump();
  EXPECT_EQ(w.count(LinkEvent::Kind::apdu, w.at_r), 2u);
  i2.release();
  w.pump();
  EXPECT_TRUE(i2.closed());

  std::vector<std::string> allowed;
  if (c.mode == rtse::Mode::x410_1984) allowed = {"can't get spdu type", "[Group: Malformed]"};  // tshark 4.0 on X.410 DT (P1-PRIMER)
  auto d = tshark_decode(w.transcript, 102, allowed);
  ASSERT_TRUE(d.tool_error.empty()) << d.tool_error;
  std::string why;
  EXPECT_TRUE(only_the_resumed_tail(d.text, allowed, why)) << why;
  EXPECT_TRUE(d.has("ACTIVITY RESUME (AR) SPDU (29)")) << d.text.substr(0, 4000);
  EXPECT_TRUE(d.has("Serial Number: " + std::to_string(at.progress.serial)));
  EXPECT_TRUE(d.has("recover")) << d.text.substr(0, 4000);
  if (c.mode == rtse::Mode::normal) {
    EXPECT_TRUE(d.has("Reassembled RTSE"));
    EXPECT_TRUE(d.has("MTS-APDU: message (0)"));  // the next APDU, whole on the recovered association
  }
  EXPECT_FALSE(d.has("initiator-name"));  // recovery replaces the bind
}

INSTANTIATE_TEST_SUITE_P(Modes, Recovery,
                         ::testing::Values(Case{rtse::Mode::normal, rtse::dialogue::monologue},
                                           Case{rtse::Mode::normal, rtse::dialogue::two_way_alternate},
                                           Case{rtse::Mode::x410_1984, rtse::dialogue::monologue},
                                           Case{rtse::Mode::x410_1984, rtse::dialogue::two_way_alternate}),
                         [](const auto& info) {
                           return std::string(info.param.mode == rtse::Mode::normal ? "normal" : "x410") + "_" +
                                  (info.param.dialogue == rtse::dialogue::monologue ? "monologue" : "twa");
                         });

// X.228 §7.6: a responder that no longer holds the connection (restarted, or another
// MTA) refuses cannotRecover; the initiator reads a recovery refusal, transient and
// without a bind error, so the APDU goes whole on a fresh association.
TEST(P1LinkRecovery, x228_refused_recovery_is_not_a_bind_error) {
  for (auto mode : {rtse::Mode::normal, rtse::Mode::x410_1984}) {
    RecoveryStore store;
    const Bytes apdu = big_apdu(20000);
    Link i1(alpha(), to_beta(mode, rtse::dialogue::monologue), "261123104015Z");
    Link r1(beta(4), "127.0.0.1", false, &store);
    Interruption at = cut_after(i1, r1, apdu, 3);
    RecoveryStore empty;  // the receiver restarted: its partial transfers are gone
    Link i2(alpha(), to_beta(mode, rtse::dialogue::monologue), "261123104020Z", Resumption{at, apdu});
    Link r2(beta(4), "127.0.0.1", false, &empty);
    Wire w{i2, r2, {}, {}, {}};
    i2.start();
    w.pump();
    ASSERT_EQ(w.at_i.size(), 1u);
    EXPECT_EQ(w.at_i[0].kind, LinkEvent::Kind::bind_refused);
    EXPECT_TRUE(w.at_i[0].recovery);
    EXPECT_FALSE(w.at_i[0].bind_error);
    EXPECT_EQ(w.at_i[0].failure.kind, FailureClass::transient);
    EXPECT_NE(w.at_i[0].what.find("recovery refused"), std::string::npos) << w.at_i[0].what;
    // X.410 mode: RTORJ refuseReason cannotRecover; normal mode: a transient AARE rejection.
    EXPECT_NE(w.at_i[0].what.find("cannotRecover"), std::string::npos) << w.at_i[0].what;
    EXPECT_TRUE(i2.closed());
    EXPECT_FALSE(i2.interrupted());
    // Another address does not recover a connection it did not have (the store's key).
    Link r3(beta(4), "127.0.0.9", false, &store);
    Link i3(alpha(), to_beta(mode, rtse::dialogue::monologue), "261123104030Z", Resumption{at, apdu});
    Wire w3{i3, r3, {}, {}, {}};
    i3.start();
    w3.pump();
    ASSERT_EQ(w3.at_i.size(), 1u);
    EXPECT_EQ(w3.at_i[0].kind, LinkEvent::Kind::bind_refused);
    EXPECT_TRUE(w3.at_i[0].recovery);
  }
}

// Nothing to recover: no checkpoint confirmed yet, or a peer that negotiated no
// checkpointing (checkpointSize 0: the function is not there), or a transfer confirmed.
TEST(P1LinkRecovery, x228_no_interruption_without_a_confirmed_checkpoint) {
  const Bytes apdu = big_apdu(20000);
  {
    Link i(alpha(), to_beta(rtse::Mode::normal, rtse::dialogue::monologue), "261123104015Z");
    Link r(beta(4), "127.0.0.1", false);
    Wire w{i, r, {}, {}, {}};
    i.start();
    w.pump();
    ASSERT_TRUE(i.transfer(apdu));
    (void)i.take_output();  // AS, DTs and MIPs lost with the connection: no MIA came back
    i.disconnected("cut");
    EXPECT_FALSE(i.interrupted());
  }
  {
    Link i(alpha(), to_beta(rtse::Mode::normal, rtse::dialogue::monologue), "261123104015Z");
    Link r(beta(0), "127.0.0.1", false);  // the responder answers checkpointSize 0
    Wire w{i, r, {}, {}, {}};
    i.start();
    w.pump();
    ASSERT_TRUE(i.transfer(apdu));
    w.pump(1);
    i.disconnected("cut");
    EXPECT_FALSE(i.interrupted());
  }
  {
    Link i(alpha(), to_beta(rtse::Mode::normal, rtse::dialogue::monologue), "261123104015Z");
    Link r(beta(4), "127.0.0.1", false);
    Wire w{i, r, {}, {}, {}};
    i.start();
    w.pump();
    ASSERT_TRUE(i.transfer(apdu));
    w.pump();
    ASSERT_EQ(w.count(LinkEvent::Kind::transfer_confirmed, w.at_i), 1u);
    i.disconnected("cut");
    EXPECT_FALSE(i.interrupted());  // confirmed: nothing is owed
  }
  {
    // The control: the same transfer cut after its checkpoints were confirmed is recoverable.
    Link i(alpha(), to_beta(rtse::Mode::normal, rtse::dialogue::monologue), "261123104015Z");
    Link r(beta(4), "127.0.0.1", false);
    EXPECT_GE(cut_after(i, r, apdu, 3).progress.serial, 1u);
  }
}

// A resumption whose APDU is not the one interrupted (another size) is not resumed:
// the association reports a failed recovery and the APDU goes whole.
TEST(P1LinkRecovery, resumption_checks_the_apdu) {
  RecoveryStore store;
  const Bytes apdu = big_apdu(20000);
  Link i1(alpha(), to_beta(rtse::Mode::normal, rtse::dialogue::monologue), "261123104015Z");
  Link r1(beta(4), "127.0.0.1", false, &store);
  Interruption at = cut_after(i1, r1, apdu, 3);
  Link i2(alpha(), to_beta(rtse::Mode::normal, rtse::dialogue::monologue), "261123104020Z",
          Resumption{at, big_apdu(20001)});
  Link r2(beta(4), "127.0.0.1", false, &store);
  Wire w{i2, r2, {}, {}, {}};
  i2.start();
  w.pump();
  ASSERT_EQ(w.count(LinkEvent::Kind::bind_refused, w.at_i), 1u);
  EXPECT_EQ(w.count(LinkEvent::Kind::apdu, w.at_r), 0u);
}

// A peer that accepts the recover but cannot resume the activity (another activity
// identifier in its store) aborts the AR (X.228 unrecognizedActivity); the initiator's
// interruption then stands where it stood, which the P1 channel reads as no progress
// and answers by sending the APDU whole.
TEST(P1LinkRecovery, x228_resume_refused_by_abort_makes_no_progress) {
  RecoveryStore store;
  const Bytes apdu = big_apdu(20000);
  Link i1(alpha(), to_beta(rtse::Mode::normal, rtse::dialogue::monologue), "261123104015Z");
  Link r1(beta(4), "127.0.0.1", false, &store);
  Interruption at = cut_after(i1, r1, apdu, 3);
  auto held = store.take(at.connection, "127.0.0.1");
  ASSERT_TRUE(held);
  held->partial.activity_id = {0x02, 0x01, 0x07};  // not the activity the AR names
  store.put(at.connection, "127.0.0.1", std::move(*held));
  Link i2(alpha(), to_beta(rtse::Mode::normal, rtse::dialogue::monologue), "261123104020Z", Resumption{at, apdu});
  Link r2(beta(4), "127.0.0.1", false, &store);
  Wire w{i2, r2, {}, {}, {}};
  i2.start();
  w.pump();
  ASSERT_EQ(w.count(LinkEvent::Kind::bound, w.at_i), 1u);
  ASSERT_EQ(w.count(LinkEvent::Kind::aborted, w.at_i), 1u);
  EXPECT_EQ(w.count(LinkEvent::Kind::apdu, w.at_r), 0u);
  auto again = i2.interrupted();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->progress.offset, at.progress.offset);
  EXPECT_EQ(again->progress.serial, at.progress.serial);
}

// The receiver's store is bounded in entries and octets, the oldest given up first.
TEST(P1LinkRecovery, recovery_store_forgets_the_oldest_first) {
  RecoveryStore store(3, 10000);
  auto id = [](int n) {
    rtse::SessionConnectionIdentifier c;
    c.calling_reference = bytes_of("ALPHA-MTA");
    c.common_reference = "2611231040" + std::to_string(10 + n) + "Z";
    return c;
  };
  auto entry = [](std::size_t octets) {
    RecoveryStore::Entry e;
    e.partial.data.assign(octets, 1);
    e.partial.checkpoints[1] = octets;
    e.peer = "ALPHA-MTA";
    return e;
  };
  for (int n = 0; n < 4; ++n) store.put(id(n), "127.0.0.1", entry(1000));
  EXPECT_EQ(store.size(), 3u);
  EXPECT_FALSE(store.take(id(0), "127.0.0.1"));  // the oldest went
  store.put(id(4), "127.0.0.1", entry(8500));     // 3 entries and 11500 octets would be too many
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.octets(), 9500u);
  EXPECT_FALSE(store.take(id(1), "127.0.0.1"));
  EXPECT_FALSE(store.take(id(2), "127.0.0.1"));
  auto kept = store.take(id(4), "127.0.0.1");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->peer, "ALPHA-MTA");
  EXPECT_FALSE(store.take(id(3), "127.0.0.9"));  // another address does not get it
  EXPECT_TRUE(store.take(id(3), "127.0.0.1"));
  EXPECT_EQ(store.octets(), 0u);
  store.put(id(5), "127.0.0.1", entry(20000));  // larger than the whole store: not kept
  EXPECT_EQ(store.size(), 0u);
}

// Two associations opened in the same second get distinct connection identifiers.
TEST(P1LinkRecovery, x228_each_connection_its_own_identifier) {
  std::string a = next_common_reference(), b = next_common_reference();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 13u);
  EXPECT_EQ(a.back(), 'Z');
}

}  // namespace
