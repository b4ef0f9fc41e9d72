// tests/unit/p1/rtse_machine_test.cpp: the RTSE machine with everything
// beneath it. Our responder answers the captures' initiators with the
// captures' own replies byte for byte (Isode: bind accepted and refused,
// release; PP: bind, one transfer, release, both modes); our initiator
// reads the captures' replies; two machines transfer with checkpoints,
// windows, turns, interruption and recovery across associations.
#include <gtest/gtest.h>

#include <algorithm>

#include "p1/rtse/machine.hpp"
#include "tests/unit/p1/support/hex.hpp"

namespace {

using namespace mixer::p1::rtse;
using mixer::p1::test::bytes_of;
using mixer::p1::test::dt_user_data;
using mixer::p1::test::tpkts;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

Bytes tsdu_of(const std::string& file, std::size_t i = 0) { return dt_user_data(tpkts(vector_file(file)).at(i)); }

Bytes slice(const std::string& file, const char* prefix) {
  Bytes f = vector_file(file), p = unhex(prefix);
  auto it = std::search(f.begin(), f.end(), p.begin(), p.end());
  if (it == f.end()) throw std::runtime_error("prefix not found");
  return Bytes(it, it + static_cast<std::ptrdiff_t>(it[1]) + 2);
}

std::vector<Event> feed(Machine& m, const Bytes& tsdu) {
  auto r = m.receive(tsdu);
  if (!r) throw std::runtime_error(r.error().what);
  return std::move(*r);
}

void ok(mixer::p1::Status<Errc> s) {
  if (!s) throw std::runtime_error(s.error().what);
}

Bytes only_output(Machine& m) {
  auto out = m.take_output();
  if (out.size() != 1) throw std::runtime_error("expected one TSDU, got " + std::to_string(out.size()));
  return out[0];
}

Settings responder_settings() {
  Settings s;
  s.checkpoint_size = 63;
  return s;
}

TEST(X228Machine, responder_answers_isode_ping_byte_for_byte) {
  Machine r(Role::responder, responder_settings());
  auto ev = feed(r, tsdu_of("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex"));
  ASSERT_EQ(ev.size(), 1u);
  EXPECT_EQ(ev[0].kind, Event::Kind::open_indication);
  EXPECT_EQ(ev[0].data, slice("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex", "b024a122"));
  EXPECT_EQ(ev[0].open.mode, Mode::normal);
  EXPECT_EQ(ev[0].open.checkpoint_size, 63);
  EXPECT_EQ(ev[0].open.dialogue_mode, dialogue::monologue);
  EXPECT_FALSE(ev[0].open.recover);
  ok(r.accept(slice("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex", "b122a120")));
  EXPECT_EQ(only_output(r), tsdu_of("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex"));
  EXPECT_EQ(r.state(), Machine::State::open);
  auto fn = feed(r, tsdu_of("ping-success/08-I-fn-rlrq.hex"));
  ASSERT_EQ(fn.size(), 1u);
  EXPECT_EQ(fn[0].kind, Event::Kind::close_indication);
  ok(r.close_response());
  EXPECT_EQ(only_output(r), tsdu_of("ping-success/09-R-dn-rlre.hex"));
  EXPECT_EQ(r.state(), Machine::State::closed);
}

TEST(X228Machine, responder_refuses_like_isode_byte_for_byte) {
  Machine r(Role::responder, responder_settings());
  auto ev = feed(r, tsdu_of("ping-refuse/06-I-cn-cp-aarq-rtorq-bind.hex"));
  ASSERT_EQ(ev.at(0).kind, Event::Kind::open_indication);
  ok(r.refuse(unhex("b203020102")));  // bind-error authentication-error
  EXPECT_EQ(only_output(r), tsdu_of("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex"));
  EXPECT_EQ(r.state(), Machine::State::closed);
}

TEST(X228Machine, responder_takes_pp_1988_transfer) {
  Settings s = responder_settings();
  s.checkpoint_size = 1;
  s.explicit_default_window = true;  // as PP does
  Machine r(Role::responder, s);
  auto ev = feed(r, tsdu_of("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex"));
  ASSERT_EQ(ev.at(0).kind, Event::Kind::open_indication);
  ok(r.accept(slice("pp-1988/10-R-ac-cpa-aare-rtoac-bindres.hex", "b111a10f")));
  EXPECT_EQ(only_output(r), tsdu_of("pp-1988/10-R-ac-cpa-aare-rtoac-bindres.hex"));
  EXPECT_TRUE(feed(r, tsdu_of("pp-1988/11-I-gt-as.hex")).empty());
  EXPECT_TRUE(r.take_output().empty());  // nothing answers an AS
  EXPECT_TRUE(feed(r, tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 0)).empty());
  auto end = feed(r, tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 1));
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].kind, Event::Kind::transfer_indication);
  // The MTS-APDU itself: message [0], indefinite, 665 - 4 - 4 octets of EXTERNAL framing.
  EXPECT_EQ(Bytes(end[0].data.begin(), end[0].data.begin() + 4), unhex("a0803180"));
  EXPECT_EQ(end[0].data.size(), 665u - 7u - 4u);
  EXPECT_TRUE(r.take_output().empty());  // not confirmed before the user says it is durable
  ok(r.confirm_transfer());
  EXPECT_EQ(only_output(r), tsdu_of("pp-1988/15-R-pt-aea.hex"));
  EXPECT_EQ(feed(r, tsdu_of("pp-1988/16-I-fn-rlrq.hex")).at(0).kind, Event::Kind::close_indication);
  ok(r.close_response());
  EXPECT_EQ(only_output(r), tsdu_of("pp-1988/17-R-dn-rlre.hex"));
}

TEST(X228Machine, responder_takes_pp_x410_mode_transfer) {
  Settings s = responder_settings();
  s.checkpoint_size = 1;
  s.explicit_default_window = true;
  Machine r(Role::responder, s);
  auto ev = feed(r, tsdu_of("pp-x410/08-I-cn-cp-x410-rtorq-bind.hex"));
  ASSERT_EQ(ev.at(0).kind, Event::Kind::open_indication);
  EXPECT_EQ(ev[0].open.mode, Mode::x410_1984);
  EXPECT_EQ(ev[0].open.application_protocol, 3072);
  EXPECT_EQ(ev[0].data, slice("pp-x410/08-I-cn-cp-x410-rtorq-bind.hex", "a1108009"));  // no [16]
  ok(r.accept(slice("pp-x410/09-R-ac-cpa-x410-rtoac-bindres.hex", "a10f8008")));
  EXPECT_EQ(only_output(r), tsdu_of("pp-x410/09-R-ac-cpa-x410-rtoac-bindres.hex"));
  feed(r, tsdu_of("pp-x410/10-I-gt-as.hex"));
  feed(r, tsdu_of("pp-x410/12-I-gt-dt-message+gt-ae.hex", 0));
  auto end = feed(r, tsdu_of("pp-x410/12-I-gt-dt-message+gt-ae.hex", 1));
  ASSERT_EQ(end.at(0).kind, Event::Kind::transfer_indication);
  EXPECT_EQ(Bytes(end[0].data.begin(), end[0].data.begin() + 4), unhex("a0803180"));  // the bare MTS-APDU
  ok(r.confirm_transfer());
  EXPECT_EQ(only_output(r), tsdu_of("pp-x410/14-R-pt-aea.hex"));
  EXPECT_EQ(feed(r, tsdu_of("pp-x410/15-I-fn.hex")).at(0).kind, Event::Kind::close_indication);
  ok(r.close_response());
  EXPECT_EQ(only_output(r), tsdu_of("pp-x410/16-R-dn.hex"));
}

Settings isode_like_initiator() {
  Settings s;
  s.calling_reference = bytes_of("Percival");
  s.common_reference = "051001144852Z";
  return s;
}

TEST(X228Machine, initiator_reads_isode_accept_and_refusal) {
  Machine i(Role::initiator, isode_like_initiator());
  ok(i.open(slice("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex", "b024a122")));
  ASSERT_EQ(i.take_output().size(), 1u);
  auto ev = feed(i, tsdu_of("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex"));
  ASSERT_EQ(ev.at(0).kind, Event::Kind::open_accepted);
  EXPECT_EQ(ev[0].data, slice("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex", "b122a120"));
  EXPECT_EQ(i.checkpoint_size(), 63);
  EXPECT_TRUE(i.has_turn());
  ok(i.close());
  EXPECT_EQ(only_output(i), tsdu_of("ping-success/08-I-fn-rlrq.hex"));
  EXPECT_EQ(feed(i, tsdu_of("ping-success/09-R-dn-rlre.hex")).at(0).kind, Event::Kind::closed);

  Machine j(Role::initiator, isode_like_initiator());
  ok(j.open(slice("ping-refuse/06-I-cn-cp-aarq-rtorq-bind.hex", "b01ca11a")));
  (void)j.take_output();
  auto rf = feed(j, tsdu_of("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex"));
  ASSERT_EQ(rf.at(0).kind, Event::Kind::open_refused);
  EXPECT_EQ(rf[0].data, unhex("b203020102"));
  EXPECT_EQ(j.state(), Machine::State::closed);
}

TEST(X228Machine, initiator_sends_pp_transfer_byte_for_byte) {
  // With PP's session references and its bind, after PP's AC (checkpoint 1),
  // our AS/DT/AE for PP's MTS-APDU are PP's TSDUs.
  Settings s;
  s.calling_reference = bytes_of("vm");
  s.common_reference = "261123104015Z";
  Machine i(Role::initiator, s);
  ok(i.open(slice("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex", "b012a110")));
  (void)i.take_output();
  feed(i, tsdu_of("pp-1988/10-R-ac-cpa-aare-rtoac-bindres.hex"));
  EXPECT_EQ(i.checkpoint_size(), 1);
  // PP's message is 665 octets of RTTR: more than one 1 K checkpoint? No: one segment.
  Bytes dt = tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 0);
  Bytes rttr_contents(dt.begin() + 4 + 9 + 4, dt.end() - 6);  // GT DT | 61 80 30 80 02 01 03 a0 80 | 04 82 02 99 | ... | 00 x6
  Bytes apdu(rttr_contents.begin() + 7, rttr_contents.end() - 4);  // 28 80 02 01 05 a0 80 | APDU | 00 00 00 00
  ok(i.transfer(apdu));
  auto out = i.take_output();
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], tsdu_of("pp-1988/11-I-gt-as.hex"));
  // Our encoding is definite where PP's is indefinite; the content is the same.
  EXPECT_EQ(Bytes(out[1].begin(), out[1].begin() + 4), unhex("01000100"));
  EXPECT_EQ(out[2], tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 1));
  auto aea = feed(i, tsdu_of("pp-1988/15-R-pt-aea.hex"));
  EXPECT_EQ(aea.at(0).kind, Event::Kind::transfer_confirmed);
}

// Two of our machines.
struct Link {
  Machine i, r;
  explicit Link(Settings is = isode_like_initiator(), Settings rs = responder_settings())
      : i(Role::initiator, std::move(is)), r(Role::responder, std::move(rs)) {}
  // Delivers everything both sides have to say until both are quiet; returns all events.
  std::vector<Event> run(std::vector<Event>* initiator_events = nullptr) {
    std::vector<Event> at_responder;
    for (int rounds = 0; rounds < 100000; ++rounds) {
      auto a = i.take_output();
      for (auto& t : a)
        for (auto& e : feed(r, t)) at_responder.push_back(std::move(e));
      auto b = r.take_output();
      for (auto& t : b)
        for (auto& e : feed(i, t))
          if (initiator_events) initiator_events->push_back(std::move(e));
      if (a.empty() && b.empty()) break;
    }
    return at_responder;
  }
  void open() {
    ok(i.open(unhex("b0020500")));
    auto ev = run();
    ok(r.accept(unhex("b1020500")));
    std::vector<Event> ie;
    run(&ie);
    if (ie.empty() || ie[0].kind != Event::Kind::open_accepted) throw std::runtime_error("not accepted");
  }
};

Bytes pattern(std::size_t n, std::uint8_t seed) {
  Bytes b(n);
  for (std::size_t k = 0; k < n; ++k) b[k] = static_cast<std::uint8_t>(k * 31 + seed);
  // A valid BER value: OCTET STRING wrapper.
  mixer::p1::ber::Writer w;
  w.octets(b);
  return w.take();
}

TEST(X228Machine, checkpointed_transfers_with_window) {
  Settings is = isode_like_initiator();
  is.checkpoint_size = 1;
  is.window_size = 2;
  Link l(is);
  l.open();
  EXPECT_EQ(l.i.checkpoint_size(), 1);
  EXPECT_EQ(l.i.window_size(), 2);
  for (std::size_t size : {0u, 10u, 1024u, 5000u, 100000u}) {
    Bytes apdu = pattern(size, static_cast<std::uint8_t>(size));
    ok(l.i.transfer(apdu));
    // The window stops the sender after 2 unacknowledged checkpoints.
    auto first = l.i.take_output();
    std::size_t mips = 0;
    for (auto& t : first)
      if (t.size() > 2 && t[2] == 0x31) ++mips;
    EXPECT_LE(mips, 2u);
    std::vector<Event> at_r;
    for (auto& t : first)
      for (auto& e : feed(l.r, t)) at_r.push_back(std::move(e));
    for (auto& e : l.run()) at_r.push_back(std::move(e));
    ASSERT_EQ(at_r.size(), 1u) << size;
    EXPECT_EQ(at_r[0].kind, Event::Kind::transfer_indication);
    EXPECT_EQ(at_r[0].data, apdu);
    std::vector<Event> at_i;
    ok(l.r.confirm_transfer());
    l.run(&at_i);
    ASSERT_EQ(at_i.size(), 1u);
    EXPECT_EQ(at_i[0].kind, Event::Kind::transfer_confirmed);
  }
  ok(l.i.close());
  l.run();
  ok(l.r.close_response());
  std::vector<Event> at_i;
  l.run(&at_i);
  EXPECT_EQ(at_i.at(0).kind, Event::Kind::closed);
}

TEST(X228Machine, x410_mode_transfer_between_machines) {
  Settings is = isode_like_initiator();
  is.mode = Mode::x410_1984;
  is.checkpoint_size = 0;
  Link l(is);
  l.open();
  EXPECT_EQ(l.r.mode(), Mode::x410_1984);
  Bytes apdu = pattern(3000, 7);
  ok(l.i.transfer(apdu));
  auto ev = l.run();
  ASSERT_EQ(ev.at(0).kind, Event::Kind::transfer_indication);
  EXPECT_EQ(ev[0].data, apdu);
}

TEST(X228Machine, two_way_alternate_turns) {
  Settings is = isode_like_initiator();
  is.dialogue_mode = dialogue::two_way_alternate;
  Link l(is);
  l.open();
  EXPECT_FALSE(l.r.has_turn());
  EXPECT_FALSE(l.r.transfer(pattern(10, 1)));
  ok(l.r.turn_please(4));
  std::vector<Event> at_i;
  l.run(&at_i);
  ASSERT_EQ(at_i.at(0).kind, Event::Kind::turn_please);
  EXPECT_EQ(at_i[0].priority, 4);
  ok(l.i.turn_give());
  auto at_r = l.run();
  ASSERT_EQ(at_r.at(0).kind, Event::Kind::turn_given);
  EXPECT_TRUE(l.r.has_turn());
  Bytes apdu = pattern(2000, 9);
  ok(l.r.transfer(apdu));
  at_i.clear();
  l.run(&at_i);
  ASSERT_EQ(at_i.at(0).kind, Event::Kind::transfer_indication);
  EXPECT_EQ(at_i[0].data, apdu);
  ok(l.i.confirm_transfer());
  at_r = l.run();
  EXPECT_EQ(at_r.at(0).kind, Event::Kind::transfer_confirmed);
}

TEST(X228Machine, interrupt_and_resume_on_the_same_association) {
  Settings is = isode_like_initiator();
  is.checkpoint_size = 1;
  is.window_size = 2;
  Link l(is);
  l.open();
  Bytes apdu = pattern(6000, 3);
  ok(l.i.transfer(apdu));
  // The window (2) stops the sender after AS, DT, MIP 1, DT, MIP 2.
  auto out = l.i.take_output();
  ASSERT_EQ(out.size(), 5u);
  for (auto& t : out) feed(l.r, t);
  auto mias = l.r.take_output();
  ASSERT_EQ(mias.size(), 2u);
  feed(l.i, mias[0]);  // MIA 1 arrives; MIA 2 and what the sender sends next are lost
  (void)l.i.take_output();
  auto progress = l.i.outbound_progress();
  ASSERT_TRUE(progress);
  EXPECT_EQ(progress->serial, 1u);
  EXPECT_EQ(progress->offset, 1024u);
  ok(l.i.interrupt_transfer());
  auto at_r = l.run();
  ASSERT_EQ(at_r.at(0).kind, Event::Kind::transfer_interrupted);
  std::vector<Event> at_i;
  l.run(&at_i);
  ok(l.i.resume_transfer(apdu, *l.i.outbound_progress(), l.i.connection_identifier()));
  at_r = l.run(&at_i);
  ASSERT_EQ(at_r.size(), 1u);
  ASSERT_EQ(at_r[0].kind, Event::Kind::transfer_indication);
  EXPECT_EQ(at_r[0].data, apdu);  // the receiver dropped what followed checkpoint 1
}

TEST(X228Machine, recovery_on_a_new_association) {
  Settings is = isode_like_initiator();
  is.checkpoint_size = 1;
  is.window_size = 10;
  Link first(is);
  first.open();
  Bytes apdu = pattern(7000, 5);
  ok(first.i.transfer(apdu));
  auto out = first.i.take_output();
  for (std::size_t k = 0; k < 7; ++k) feed(first.r, out[k]);  // AS, 3 x (DT, MIP)
  for (auto& t : first.r.take_output()) feed(first.i, t);
  // The transport breaks here. Each side keeps what it needs.
  auto sent = first.i.outbound_progress();
  auto got = first.r.take_partial();
  ASSERT_TRUE(sent && got);
  EXPECT_EQ(sent->serial, 3u);
  EXPECT_EQ(got->data.size(), 3072u);
  SessionConnectionIdentifier old = first.i.connection_identifier();
  EXPECT_EQ(first.r.connection_identifier(), old);

  Settings is2 = is;
  is2.common_reference = "051001150000Z";
  Link second(is2);
  ok(second.i.open({}, old));
  auto ev = second.run();
  ASSERT_EQ(ev.at(0).kind, Event::Kind::open_indication);
  ASSERT_TRUE(ev[0].open.recover);
  EXPECT_EQ(ev[0].open.recovery, old);
  second.r.resume_from(std::move(*got));
  ok(second.r.accept({}));
  std::vector<Event> at_i;
  second.run(&at_i);
  ASSERT_EQ(at_i.at(0).kind, Event::Kind::open_accepted);
  EXPECT_TRUE(at_i[0].open.recover);
  ok(second.i.resume_transfer(apdu, *sent, old));
  auto at_r = second.run();
  ASSERT_EQ(at_r.size(), 1u);
  EXPECT_EQ(at_r[0].kind, Event::Kind::transfer_indication);
  EXPECT_EQ(at_r[0].data, apdu);
}

// X.228 RefuseReason in X.410-1984 mode: cannotRecover reaches the initiator as such.
TEST(X228Machine, x410_refusal_cannot_recover_reaches_the_initiator) {
  Settings is = isode_like_initiator();
  is.mode = Mode::x410_1984;
  Link link(is);
  SessionConnectionIdentifier unknown;
  unknown.t61 = true;
  unknown.calling_reference = bytes_of("Percival");
  unknown.common_reference = "051001144852Z";
  ok(link.i.open({}, unknown));
  auto ev = link.run();
  ASSERT_EQ(ev.at(0).kind, Event::Kind::open_indication);
  ok(link.r.refuse({}, refuse_reason::cannot_recover));
  std::vector<Event> at_i;
  link.run(&at_i);
  ASSERT_EQ(at_i.at(0).kind, Event::Kind::open_refused);
  ASSERT_TRUE(at_i[0].refuse_reason);
  EXPECT_EQ(*at_i[0].refuse_reason, refuse_reason::cannot_recover);
}

TEST(X228Machine, refusals_and_aborts_for_bad_input) {
  {  // garbage instead of a CN: the SPM refuses
    Machine r(Role::responder, responder_settings());
    auto e = r.receive(unhex("ffff"));
    ASSERT_FALSE(e);
    auto out = r.take_output();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0][0], 0x0c);  // RF
  }
  {  // a CN whose CP is not BER: RF with a CPR (provider reason 6)
    Machine r(Role::responder, responder_settings());
    Bytes cn = unhex("0d09 1402 0249 c103 3103ff");
    auto e = r.receive(cn);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.code(), Errc::refused);
    auto out = r.take_output();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0][0], 0x0c);
    Bytes reason = unhex("8a0106");  // provider-reason user-data-not-readable
    EXPECT_NE(std::search(out[0].begin(), out[0].end(), reason.begin(), reason.end()), out[0].end());
  }
  {  // an unknown application context: AARE rejected-permanent, diagnostic 2
    Settings s = responder_settings();
    s.accepted_application_contexts = {mixer::p1::ber::Oid{1, 2, 3}};
    Machine r(Role::responder, s);
    auto e = r.receive(tsdu_of("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex"));
    ASSERT_FALSE(e);
    Bytes rf = only_output(r);
    Bytes diag = unhex("a305a103020102");
    EXPECT_NE(std::search(rf.begin(), rf.end(), diag.begin(), diag.end()), rf.end());
  }
  {  // after establishment, a DT outside an activity: the session aborts (AB, protocol error)
    Link l;
    l.open();
    auto e = l.r.receive(unhex("0100 0100 6100"));
    ASSERT_FALSE(e);
    Bytes ab = only_output(l.r);
    EXPECT_EQ(ab, unhex("1903 110105"));
    auto at_i = l.i.receive(ab);
    ASSERT_TRUE(at_i);
    EXPECT_EQ(at_i->at(0).kind, Event::Kind::aborted);
  }
  {  // P-DATA that is not a presentation value: AB with ABRT + RTAB invalidParameter
    Link l;
    l.open();
    ASSERT_TRUE(l.r.receive(unhex("0100 2d03 290101")));
    auto e = l.r.receive(unhex("0100 0100 ffff"));
    ASSERT_FALSE(e);
    Bytes ab = only_output(l.r);
    EXPECT_EQ(ab[0], 0x19);
    auto at_i = l.i.receive(ab);
    ASSERT_TRUE(at_i);
    ASSERT_EQ(at_i->at(0).kind, Event::Kind::aborted);
    EXPECT_EQ(at_i->at(0).abort_reason, abort_reason::invalid_parameter);
  }
  {  // an APDU over the limit
    Settings rs = responder_settings();
    rs.max_apdu = 1000;
    Link l(isode_like_initiator(), rs);
    l.open();
    ok(l.i.transfer(pattern(5000, 1)));
    bool failed = false;
    for (auto& t : l.i.take_output()) {
      auto r = l.r.receive(t);
      if (!r) {
        failed = true;
        break;
      }
    }
    EXPECT_TRUE(failed);
    EXPECT_EQ(l.r.state(), Machine::State::closed);
  }
}

}  // namespace
