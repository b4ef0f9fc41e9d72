// tests/unit/p1/session_machine_test.cpp: the session protocol machine
// replaying both sides of pp-p1-transfer-1988 (our TSDUs must equal PP's
// byte for byte), then the sequences X.225 forbids.
#include <gtest/gtest.h>

#include "p1/session/connection.hpp"
#include "tests/unit/p1/support/hex.hpp"

namespace {

using namespace mixer::p1::session;
using mixer::p1::test::dt_user_data;
using mixer::p1::test::tpkts;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

Bytes tsdu_of(const std::string& file, std::size_t i = 0) { return dt_user_data(tpkts(vector_file(file)).at(i)); }

Bytes user_data_of(const Bytes& tsdu, std::size_t spdu = 0) {
  auto s = decode_tsdu(tsdu);
  if (!s) throw std::runtime_error(s.error().what);
  auto u = s->at(spdu).user_data;
  return u ? Bytes(u->begin(), u->end()) : Bytes{};
}

Connection::Incoming receive_ok(Connection& c, const Bytes& tsdu) {
  auto r = c.receive(tsdu);
  if (!r) throw std::runtime_error(r.error().what);
  return std::move(*r);
}

Bytes ok(Result<Bytes> r) {
  if (!r) throw std::runtime_error(r.error().what);
  return std::move(*r);
}

TEST(X225Machine, s7_responder_replays_pp_1988) {
  Connection r(Role::responder);
  auto cn = receive_ok(r, tsdu_of("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex"));
  ASSERT_EQ(cn.spdus.size(), 1u);
  EXPECT_EQ(cn.spdus[0].kind, Kind::connect);
  EXPECT_EQ(r.state(), Connection::State::await_user_accept);
  EXPECT_EQ(r.peer_calling_reference(), unhex("1402766d"));

  Bytes pp_ac = tsdu_of("pp-1988/10-R-ac-cpa-aare-rtoac-bindres.hex");
  Bytes empty;
  Bytes ac = ok(r.accept(user_data_of(pp_ac), ByteView(empty)));
  EXPECT_EQ(ac, pp_ac);  // version 2, token setting 0, 0x0249, `34 00`
  EXPECT_EQ(r.requirements(), fu::rtse);
  EXPECT_EQ(r.tokens(), 0);

  auto as = receive_ok(r, tsdu_of("pp-1988/11-I-gt-as.hex"));
  ASSERT_EQ(as.spdus.size(), 1u);
  EXPECT_EQ(as.spdus[0].kind, Kind::activity_start);
  EXPECT_TRUE(as.reply.empty());  // nothing is answered to AS
  EXPECT_TRUE(r.in_activity());
  auto dt = receive_ok(r, tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 0));
  EXPECT_EQ(dt.spdus.at(0).kind, Kind::data);
  EXPECT_EQ(dt.spdus[0].user_data->size(), 684u);
  auto ae = receive_ok(r, tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 1));
  EXPECT_EQ(ae.spdus.at(0).kind, Kind::activity_end);
  EXPECT_EQ(ok(r.activity_end_ack()), tsdu_of("pp-1988/15-R-pt-aea.hex"));
  EXPECT_FALSE(r.in_activity());

  Bytes fn = tsdu_of("pp-1988/16-I-fn-rlrq.hex");
  auto f = receive_ok(r, fn);
  EXPECT_EQ(f.spdus.at(0).kind, Kind::finish);
  EXPECT_EQ(r.state(), Connection::State::await_user_release);
  Bytes pp_dn = tsdu_of("pp-1988/17-R-dn-rlre.hex");
  EXPECT_EQ(ok(r.disconnect(user_data_of(pp_dn))), pp_dn);
  EXPECT_EQ(r.state(), Connection::State::closed);
}

TEST(X225Machine, s7_initiator_replays_pp_1988) {
  Connection i(Role::initiator);
  ConnectParameters p;
  p.calling_reference = unhex("1402766d");
  p.common_reference = unhex("170d") ;
  Bytes t = mixer::p1::test::bytes_of("261123104015Z");
  p.common_reference.insert(p.common_reference.end(), t.begin(), t.end());
  p.versions = 0x03;
  p.tsdu_maximum_size = 0x07f907f9;
  Bytes pp_cn = tsdu_of("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex");
  EXPECT_EQ(i.connect(p, user_data_of(pp_cn)), pp_cn);

  auto ac = receive_ok(i, tsdu_of("pp-1988/10-R-ac-cpa-aare-rtoac-bindres.hex"));
  EXPECT_EQ(ac.spdus.at(0).kind, Kind::accept);
  EXPECT_EQ(i.state(), Connection::State::connected);
  EXPECT_EQ(i.version(), 2);
  EXPECT_EQ(i.tokens(), token::data | token::minor_sync | token::major_activity);

  EXPECT_EQ(ok(i.activity_start(unhex("020101"))), tsdu_of("pp-1988/11-I-gt-as.hex"));
  Bytes pp_dt = tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 0);
  EXPECT_EQ(ok(i.data(user_data_of(pp_dt, 1))), pp_dt);
  EXPECT_EQ(ok(i.activity_end()), tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 1));
  auto aea = receive_ok(i, tsdu_of("pp-1988/15-R-pt-aea.hex"));
  ASSERT_EQ(aea.spdus.size(), 1u);  // the empty PT in front is dropped
  EXPECT_EQ(aea.spdus[0].kind, Kind::activity_end_ack);
  EXPECT_EQ(aea.spdus[0].serial_number, 1u);
  EXPECT_FALSE(i.in_activity());

  Bytes pp_fn = tsdu_of("pp-1988/16-I-fn-rlrq.hex");
  EXPECT_EQ(ok(i.finish(user_data_of(pp_fn))), pp_fn);
  auto dn = receive_ok(i, tsdu_of("pp-1988/17-R-dn-rlre.hex"));
  EXPECT_EQ(dn.spdus.at(0).kind, Kind::disconnect);
  EXPECT_EQ(i.state(), Connection::State::closed);
}

// Two machines talking: checkpointing with minor syncs, interrupt, discard, resume.
struct Pair {
  Connection i{Role::initiator}, r{Role::responder};
  Pair() {
    ConnectParameters p;
    p.calling_reference = unhex("04024142");
    p.common_reference = unhex("170d323631313233313034303135");
    (void)receive_ok(r, i.connect(p, {}));
    (void)receive_ok(i, ok(r.accept({})));
  }
};

TEST(X225Machine, s7_minor_sync_checkpoints_and_acks) {
  Pair c;
  (void)receive_ok(c.r, ok(c.i.activity_start(unhex("01"))));
  for (std::uint32_t n = 1; n <= 3; ++n) {
    (void)receive_ok(c.r, ok(c.i.data(unhex("aa"))));
    auto mip = receive_ok(c.r, ok(c.i.minor_sync()));
    EXPECT_EQ(mip.spdus.at(0).serial_number, n);
  }
  EXPECT_EQ(c.i.next_serial(), 4u);
  auto mia = receive_ok(c.i, ok(c.r.minor_sync_ack(2)));
  EXPECT_EQ(mia.spdus.at(0).kind, Kind::minor_sync_ack);
  EXPECT_EQ(c.i.lowest_unconfirmed(), 3u);
  EXPECT_FALSE(c.r.minor_sync_ack(5));  // never received
  auto ae = receive_ok(c.r, ok(c.i.activity_end()));
  EXPECT_EQ(ae.spdus.at(0).serial_number, 4u);
  (void)receive_ok(c.i, ok(c.r.activity_end_ack()));
  EXPECT_FALSE(c.i.in_activity());
  EXPECT_FALSE(c.r.in_activity());
}

TEST(X225Machine, s7_interrupt_then_resume_and_discard) {
  Pair c;
  (void)receive_ok(c.r, ok(c.i.activity_start(unhex("020101"))));
  (void)receive_ok(c.r, ok(c.i.data(unhex("aa"))));
  (void)receive_ok(c.r, ok(c.i.minor_sync()));
  (void)receive_ok(c.i, ok(c.r.minor_sync_ack(1)));
  auto ai = receive_ok(c.r, ok(c.i.activity_interrupt(0)));
  EXPECT_EQ(ai.spdus.at(0).kind, Kind::activity_interrupt);
  EXPECT_FALSE(c.r.in_activity());
  auto aia = receive_ok(c.i, ok(c.r.activity_interrupt_ack()));
  EXPECT_EQ(aia.spdus.at(0).kind, Kind::activity_interrupt_ack);
  // Resume from checkpoint 1 under a new identifier.
  Bytes old_id = unhex("020101"), new_id = unhex("020102");
  Bytes ar_tsdu = ok(c.i.activity_resume(new_id, old_id, 1, ConnectionIdentifier{}));
  auto ar = receive_ok(c.r, ar_tsdu);
  ASSERT_EQ(ar.spdus.at(0).kind, Kind::activity_resume);
  EXPECT_EQ(Bytes(ar.spdus[0].old_activity_id->begin(), ar.spdus[0].old_activity_id->end()), old_id);
  EXPECT_EQ(ar.spdus[0].serial_number, 1u);
  EXPECT_EQ(c.r.next_serial(), 2u);
  auto mip = receive_ok(c.r, ok(c.i.minor_sync()));
  EXPECT_EQ(mip.spdus.at(0).serial_number, 2u);
  auto ad = receive_ok(c.r, ok(c.i.activity_discard(0)));
  EXPECT_EQ(ad.spdus.at(0).kind, Kind::activity_discard);
  (void)receive_ok(c.i, ok(c.r.activity_discard_ack()));
  EXPECT_FALSE(c.i.in_activity());
}

TEST(X225Machine, s7_exception_report_by_the_receiver) {
  Pair c;
  (void)receive_ok(c.r, ok(c.i.activity_start(unhex("01"))));
  auto ed = receive_ok(c.i, ok(c.r.exception_data(0)));
  EXPECT_EQ(ed.spdus.at(0).kind, Kind::exception_data);
  EXPECT_FALSE(c.i.exception_data(0));  // the data token holder may not
}

TEST(X225Machine, s7_turn_by_control_give_and_token_please) {
  Pair c;
  auto pt = receive_ok(c.i, ok(c.r.please_tokens(token::data)));
  EXPECT_EQ(pt.spdus.at(0).kind, Kind::please_tokens);
  EXPECT_EQ(pt.spdus[0].token_item, token::data);
  auto gtc = receive_ok(c.r, ok(c.i.give_control()));
  EXPECT_EQ(gtc.spdus.at(0).kind, Kind::give_tokens_confirm);
  EXPECT_EQ(gtc.reply, unhex("1600"));  // GTA from the machine itself
  EXPECT_EQ(c.r.tokens(), token::data | token::minor_sync | token::major_activity);
  EXPECT_EQ(c.i.tokens(), 0);
  (void)receive_ok(c.i, gtc.reply);
  // Now the responder may start an activity and the initiator may not.
  EXPECT_TRUE(c.r.activity_start(unhex("07")));
  EXPECT_FALSE(c.i.activity_start(unhex("08")));
}

TEST(X225Machine, s7_protocol_errors) {
  {
    Pair c;  // DT outside an activity, from either side
    EXPECT_FALSE(c.i.data(unhex("aa")));
    EXPECT_EQ(c.r.receive(unhex("0100 0100 aa")).code(), Errc::protocol_error);
  }
  {
    Pair c;  // the responder holds no token
    EXPECT_FALSE(c.r.activity_start(unhex("01")));
    EXPECT_FALSE(c.r.finish({}));
  }
  {
    Pair c;  // wrong serial numbers
    (void)receive_ok(c.r, ok(c.i.activity_start(unhex("01"))));
    EXPECT_EQ(c.r.receive(unhex("0100 2903 2a0132")).code(), Errc::protocol_error);  // AE "2", expected 1
  }
  {
    Pair c;
    (void)receive_ok(c.r, ok(c.i.activity_start(unhex("01"))));
    EXPECT_EQ(c.r.receive(unhex("0100 2d03 290101")).code(), Errc::protocol_error);  // AS inside an activity
    EXPECT_EQ(c.i.receive(unhex("0200 2a03 2a0131")).code(), Errc::protocol_error);  // AEA for nothing
  }
  {
    Connection r(Role::responder);
    EXPECT_EQ(r.receive(unhex("0100 2d03 290101")).code(), Errc::protocol_error);  // before CN
  }
  {
    Pair c;  // AB ends everything
    auto ab = receive_ok(c.r, c.i.abort({}));
    EXPECT_EQ(ab.spdus.at(0).kind, Kind::abort);
    EXPECT_EQ(c.r.state(), Connection::State::closed);
  }
}

}  // namespace
