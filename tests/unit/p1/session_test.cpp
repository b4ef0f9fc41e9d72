// tests/unit/p1/session_test.cpp: X.225 SPDUs from the captures (values as
// the tshark decodes and P1-PRIMER §3 show them), byte-exact re-encoding, the
// SI ambiguities, hostile TSDUs, and tshark's ses dissector on what we emit.
#include <gtest/gtest.h>

#include "p1/session/spdu.hpp"
#include "tests/unit/p1/support/hex.hpp"
#include "tests/unit/p1/support/oracle.hpp"

namespace {

using namespace mixer::p1::session;
using mixer::p1::test::bytes_of;
using mixer::p1::test::cat;
using mixer::p1::test::dt_tpkt;
using mixer::p1::test::dt_user_data;
using mixer::p1::test::Segment;
using mixer::p1::test::tpkts;
using mixer::p1::test::tshark_decode;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

Bytes tsdu_of(const std::string& file, std::size_t tpkt_index = 0) {
  return dt_user_data(tpkts(vector_file(file)).at(tpkt_index));
}

std::vector<Spdu> decode_ok(const Bytes& tsdu, DecodeOptions o = {}) {
  auto r = decode_tsdu(tsdu, o);
  if (!r) throw std::runtime_error(r.error().what);
  return *r;
}

Bytes view_bytes(const std::optional<ByteView>& v) { return v ? Bytes(v->begin(), v->end()) : Bytes{}; }

Bytes reencode(const std::vector<Spdu>& s) {
  return s.size() == 1 ? encode_tsdu(s[0]) : encode_tsdu(s[0], s[1]);
}

TEST(X225, s8_3_1_isode_cn) {
  Bytes t = tsdu_of("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex");
  auto s = decode_ok(t);
  ASSERT_EQ(s.size(), 1u);
  const Spdu& cn = s[0];
  EXPECT_EQ(cn.kind, Kind::connect);
  ASSERT_TRUE(cn.connection_id);
  EXPECT_EQ(view_bytes(cn.connection_id->calling_ss_user_reference), cat(unhex("0408"), bytes_of("Percival")));
  EXPECT_EQ(view_bytes(cn.connection_id->common_reference), cat(unhex("170d"), bytes_of("051001144852Z")));
  EXPECT_EQ(cn.protocol_options, 0);
  EXPECT_EQ(cn.version_number, 2);
  EXPECT_EQ(cn.token_setting, 0);
  EXPECT_FALSE(cn.tsdu_maximum_size);
  EXPECT_EQ(cn.session_requirements, 0x0249);
  EXPECT_EQ(cn.session_requirements, fu::rtse);
  ASSERT_TRUE(cn.user_data);
  EXPECT_EQ(cn.user_data->size(), 0x94u);
  EXPECT_EQ(reencode(s), t);
}

TEST(X225, s8_3_1_pp_cn_tsdu_maximum_size_and_version_3) {
  Bytes t = tsdu_of("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex");
  auto s = decode_ok(t);
  const Spdu& cn = s.at(0);
  EXPECT_EQ(view_bytes(cn.connection_id->calling_ss_user_reference), unhex("1402766d"));  // T61String "vm"
  EXPECT_EQ(cn.tsdu_maximum_size, 0x07f907f9u);                                            // 2041 each way
  EXPECT_EQ(cn.version_number, 3);
  EXPECT_EQ(cn.user_data->size(), 0x7eu);
  EXPECT_EQ(reencode(s), t);
}

TEST(X225, s8_3_2_accept_echoes_reference_as_called) {
  Bytes t = tsdu_of("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex");
  auto s = decode_ok(t);
  const Spdu& ac = s.at(0);
  EXPECT_EQ(ac.kind, Kind::accept);
  EXPECT_EQ(view_bytes(ac.connection_id->called_ss_user_reference), cat(unhex("0408"), bytes_of("Percival")));
  EXPECT_FALSE(ac.connection_id->calling_ss_user_reference);
  EXPECT_EQ(ac.version_number, 2);
  EXPECT_EQ(ac.session_requirements, 0x0249);
  ASSERT_TRUE(ac.called_ssap);
  EXPECT_TRUE(ac.called_ssap->empty());  // `34 00`
  EXPECT_EQ(ac.user_data->size(), 0x7fu);
  EXPECT_EQ(reencode(s), t);
  Bytes x410 = tsdu_of("pp-x410/09-R-ac-cpa-x410-rtoac-bindres.hex");
  auto sx = decode_ok(x410);
  EXPECT_FALSE(sx.at(0).called_ssap);  // PP's X.410-mode AC has no PI 52
  EXPECT_EQ(reencode(sx), x410);
}

TEST(X225, s8_3_5_refuse_reason_2_carries_user_data) {
  Bytes t = tsdu_of("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex");
  auto s = decode_ok(t);
  const Spdu& rf = s.at(0);
  EXPECT_EQ(rf.kind, Kind::refuse);
  EXPECT_EQ(rf.transport_disconnect, tdisc::release);
  EXPECT_EQ(rf.session_requirements, 0x0249);
  EXPECT_FALSE(rf.version_number);
  ASSERT_TRUE(rf.reason_code);
  EXPECT_EQ(rf.reason_code->size(), 0x55u);
  EXPECT_EQ((*rf.reason_code)[0], refuse_reason::user_data);
  EXPECT_EQ((*rf.reason_code)[1], 0x30);  // CPR-PPDU normal-mode SEQUENCE
  EXPECT_EQ(reencode(s), t);
}

TEST(X225, s8_3_6_finish_and_disconnect) {
  for (const char* f : {"ping-success/08-I-fn-rlrq.hex", "pp-1988/16-I-fn-rlrq.hex", "pp-x410/15-I-fn.hex"}) {
    Bytes t = tsdu_of(f);
    auto s = decode_ok(t);
    EXPECT_EQ(s.at(0).kind, Kind::finish) << f;
    EXPECT_EQ(s.at(0).transport_disconnect, tdisc::release) << f;
    EXPECT_EQ(reencode(s), t) << f;
  }
  Bytes dn = tsdu_of("ping-success/09-R-dn-rlre.hex");
  auto s = decode_ok(dn);
  EXPECT_EQ(s.at(0).kind, Kind::disconnect);
  EXPECT_EQ(view_bytes(s.at(0).user_data), unhex("610c300a020101a0056303800100"));
  EXPECT_EQ(reencode(s), dn);
  Bytes dn410 = tsdu_of("pp-x410/16-R-dn.hex");
  EXPECT_EQ(dn410, unhex("0a00"));
  EXPECT_FALSE(decode_ok(dn410).at(0).user_data);
}

// P1-PRIMER §3.4: GT+AS, GT+DT, GT+AE (SI 41 without PI 15), PT+AEA.
TEST(X225, s6_3_7_concatenated_activity_transfer) {
  Bytes as = tsdu_of("pp-1988/11-I-gt-as.hex");
  auto s = decode_ok(as);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].kind, Kind::give_tokens);
  EXPECT_FALSE(s[0].token_item);
  EXPECT_EQ(s[1].kind, Kind::activity_start);
  EXPECT_EQ(view_bytes(s[1].activity_id), unhex("020101"));
  EXPECT_EQ(reencode(s), as);

  Bytes dt = tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 0);
  s = decode_ok(dt);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].kind, Kind::data);
  EXPECT_EQ(s[1].user_data->size(), 0x2b7u - 4 - 3 - 4);
  EXPECT_EQ((*s[1].user_data)[0], 0x61);
  EXPECT_EQ(reencode(s), dt);

  Bytes ae = tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 1);
  s = decode_ok(ae);
  EXPECT_EQ(s.at(1).kind, Kind::activity_end);
  EXPECT_EQ(s.at(1).serial_number, 1u);
  EXPECT_EQ(reencode(s), ae);
  // Without activity management the same SI 41 is a MAJOR SYNC POINT.
  EXPECT_EQ(decode_ok(ae, DecodeOptions{false}).at(1).kind, Kind::major_sync_point);

  Bytes aea = tsdu_of("pp-1988/15-R-pt-aea.hex");
  s = decode_ok(aea);
  EXPECT_EQ(s.at(0).kind, Kind::please_tokens);
  EXPECT_EQ(s.at(1).kind, Kind::activity_end_ack);
  EXPECT_EQ(s.at(1).serial_number, 1u);
  EXPECT_EQ(reencode(s), aea);
}

TEST(X225, s8_3_major_sync_point_has_sync_type_item) {
  Spdu gt{Kind::give_tokens};
  Spdu map{Kind::major_sync_point};
  map.sync_type = 1;
  map.serial_number = 7;
  Bytes t = encode_tsdu(gt, map);
  EXPECT_EQ(t, unhex("0100 2906 0f0101 2a0137"));
  EXPECT_EQ(decode_ok(t).at(1).kind, Kind::major_sync_point);
}

TEST(X225, s6_3_7_ambiguous_si_by_position) {
  // SI 25 alone is ABORT, after a GT it is ACTIVITY INTERRUPT; SI 26 likewise.
  EXPECT_EQ(decode_ok(unhex("1903110101")).at(0).kind, Kind::abort);
  EXPECT_EQ(decode_ok(unhex("0100 1903 320100")).at(1).kind, Kind::activity_interrupt);
  EXPECT_EQ(decode_ok(unhex("1a00")).at(0).kind, Kind::abort_accept);
  EXPECT_EQ(decode_ok(unhex("0100 1a00")).at(1).kind, Kind::activity_interrupt_ack);
  EXPECT_EQ(decode_ok(unhex("0100")).at(0).kind, Kind::give_tokens);
}

TEST(X225, s8_2_long_li_form) {
  Bytes big(300, 0x33);
  Spdu cd{Kind::capability_data};
  cd.user_data = ByteView(big);
  Bytes t = encode_tsdu(Spdu{Kind::give_tokens}, cd);
  // CD: SI 61, LI FF 01 30 (304), then PGI 193 with LI FF 01 2C (300).
  EXPECT_EQ(Bytes(t.begin(), t.begin() + 10), unhex("0100 3dff0130 c1ff012c"));
  auto s = decode_ok(t);
  EXPECT_EQ(view_bytes(s.at(1).user_data), big);
}

TEST(X225, hostile_tsdus_are_refused) {
  auto code = [](const char* h) {
    auto r = decode_tsdu(unhex(h));
    return r ? Errc{} : r.code();
  };
  EXPECT_EQ(code(""), Errc::malformed);
  EXPECT_EQ(code("0d05 0101"), Errc::malformed);              // LI past the TSDU
  EXPECT_EQ(code("0dff00"), Errc::malformed);                 // cut long LI
  EXPECT_EQ(code("0d04 1405 0249"), Errc::malformed);         // PI past its SPDU
  EXPECT_EQ(code("0d03 140102"), Errc::bad_parameter);        // requirements of 1 octet
  EXPECT_EQ(code("0d03 2a0131"), Errc::bad_parameter);        // serial number not allowed in CN
  EXPECT_EQ(code("0d02 6300"), Errc::bad_parameter);          // unknown PI 99
  EXPECT_EQ(code("7700"), Errc::unknown_spdu);
  EXPECT_EQ(code("2d03 290101"), Errc::bad_concatenation);    // AS without a GT in front
  EXPECT_EQ(code("0100 0200"), Errc::bad_concatenation);       // PT after GT
  EXPECT_EQ(decode_ok(unhex("0100 0100 0100")).at(1).user_data->size(), 2u);  // DT takes the rest
  EXPECT_EQ(code("0a00 0a00"), Errc::bad_concatenation);      // DN is category 1
  EXPECT_EQ(code("0100 2900"), Errc::missing_parameter);      // AE without serial
  EXPECT_EQ(code("0100 2903 2a0141"), Errc::bad_parameter);   // serial "A"
  EXPECT_EQ(code("0100 2909 2a0731323334353637"), Errc::bad_parameter);  // 7 digits
  EXPECT_EQ(code("0100 2d00"), Errc::missing_parameter);      // AS without id
  EXPECT_EQ(code("0100 2d09 2907 01020304050607"), Errc::bad_parameter);  // id over 6 octets
  EXPECT_EQ(code("1900"), Errc::missing_parameter);           // AB without Transport Disconnect
}

// A whole P1 association's session traffic, with the presentation bytes of
// the captures as user data, decoded by tshark's ses/pres/acse/rtse/p1.
TEST(X225, oracle_tshark_reads_what_we_emit) {
  using mixer::p1::test::Bytes;
  Bytes cn_in = tsdu_of("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex");
  Bytes ac_in = tsdu_of("pp-1988/10-R-ac-cpa-aare-rtoac-bindres.hex");
  Bytes dt_in = tsdu_of("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 0);
  Bytes fn_in = tsdu_of("pp-1988/16-I-fn-rlrq.hex");
  Bytes dn_in = tsdu_of("pp-1988/17-R-dn-rlre.hex");
  auto cn = decode_ok(cn_in).at(0);
  auto ac = decode_ok(ac_in).at(0);
  auto dt = decode_ok(dt_in).at(1);
  auto fn = decode_ok(fn_in).at(0);
  auto dn = decode_ok(dn_in).at(0);

  // Our own SPDUs around the captured user data.
  Spdu our_cn{Kind::connect};
  Bytes calling = cat(unhex("0408"), bytes_of("MIXER-01"));
  Bytes common = cat(unhex("170d"), bytes_of("261123104015Z"));
  our_cn.connection_id = ConnectionIdentifier{std::nullopt, ByteView(calling), ByteView(common), std::nullopt};
  our_cn.protocol_options = 0;
  our_cn.version_number = 2;
  our_cn.token_setting = 0;
  our_cn.session_requirements = fu::rtse;
  Bytes ssel = bytes_of("SSEL");
  our_cn.called_ssap = ByteView(ssel);
  our_cn.user_data = cn.user_data;
  Spdu our_ac{Kind::accept};
  our_ac.connection_id = ConnectionIdentifier{ByteView(calling), std::nullopt, ByteView(common), std::nullopt};
  our_ac.protocol_options = 0;
  our_ac.version_number = 2;
  our_ac.token_setting = 0;
  our_ac.session_requirements = fu::rtse;
  our_ac.called_ssap = ByteView(ssel);
  our_ac.user_data = ac.user_data;
  Bytes act = unhex("020101");
  Spdu as{Kind::activity_start};
  as.activity_id = ByteView(act);
  Spdu our_dt{Kind::data};
  our_dt.user_data = dt.user_data;
  Spdu mip{Kind::minor_sync_point};
  mip.serial_number = 1;
  Spdu mia{Kind::minor_sync_ack};
  mia.serial_number = 1;
  Spdu ae{Kind::activity_end};
  ae.serial_number = 2;
  Spdu aea{Kind::activity_end_ack};
  aea.serial_number = 2;
  Spdu gt{Kind::give_tokens}, pt{Kind::please_tokens};
  std::vector<Segment> conv = {
      {true, dt_tpkt(encode_tsdu(our_cn))},
      {false, dt_tpkt(encode_tsdu(our_ac))},
      {true, dt_tpkt(encode_tsdu(gt, as))},
      {true, dt_tpkt(encode_tsdu(gt, our_dt))},
      {true, dt_tpkt(encode_tsdu(gt, mip))},
      {false, dt_tpkt(encode_tsdu(pt, mia))},
      {true, dt_tpkt(encode_tsdu(gt, ae))},
      {false, dt_tpkt(encode_tsdu(pt, aea))},
      {true, dt_tpkt(encode_tsdu(fn))},
      {false, dt_tpkt(encode_tsdu(dn))},
  };
  // The message is PP's (P1-PRIMER §7.3: its [0]-tagged extension types).
  auto d = tshark_decode(conv, 102, {"Unknown standard-extension"});
  ASSERT_TRUE(d.clean()) << d.report();
  EXPECT_TRUE(d.has("SPDU Type: CONNECT (CN) SPDU (13)")) << d.text.substr(0, 4000);
  EXPECT_TRUE(d.has("Calling SS User Reference: 04084d495845522d3031"));
  EXPECT_TRUE(d.has("Called Session Selector: 5353454c"));
  EXPECT_TRUE(d.has("SPDU Type: ACCEPT (AC) SPDU (14)"));
  EXPECT_TRUE(d.has("SPDU Type: ACTIVITY START (AS) SPDU (45)"));
  EXPECT_TRUE(d.has("Activity Identifier: 020101"));
  EXPECT_TRUE(d.has("SPDU Type: DATA TRANSFER (DT) SPDU (1)"));
  EXPECT_TRUE(d.has("SPDU Type: MINOR SYNC POINT (MIP) SPDU (49)"));
  EXPECT_TRUE(d.has("SPDU Type: MINOR SYNC ACK (MIA) SPDU (50)"));
  EXPECT_EQ(d.count("SPDU Type: MAJOR SYNC POINT (MAP) SPDU (41)"), 1u);  // tshark's name for AE
  EXPECT_EQ(d.count("SPDU Type: MAJOR SYNC ACK (MAA) SPDU (42)"), 1u);
  EXPECT_TRUE(d.has("Serial Number: 2"));
  EXPECT_TRUE(d.has("SPDU Type: FINISH (FN) SPDU (9)"));
  EXPECT_TRUE(d.has("SPDU Type: DISCONNECT (DN) SPDU (10)"));
  EXPECT_TRUE(d.has("MTABindArgument"));
  EXPECT_TRUE(d.has("Reassembled RTSE"));
}

// The SPDUs of recovery, exceptions, tokens and abort, with no user data.
TEST(X225, oracle_tshark_reads_control_spdus) {
  Bytes old_id = unhex("020101"), new_id = unhex("020102"), ref = cat(unhex("0408"), bytes_of("MIXER-01"));
  Bytes reason{0x00};
  Spdu gt{Kind::give_tokens}, pt{Kind::please_tokens};
  Spdu ai{Kind::activity_interrupt};
  ai.reason_code = ByteView(reason);
  Spdu aia{Kind::activity_interrupt_ack};
  Spdu ar{Kind::activity_resume};
  ar.connection_id = ConnectionIdentifier{std::nullopt, ByteView(ref), std::nullopt, std::nullopt};
  ar.old_activity_id = ByteView(old_id);
  ar.serial_number = 3;
  ar.activity_id = ByteView(new_id);
  Spdu ad{Kind::activity_discard};
  ad.reason_code = ByteView(reason);
  Spdu ada{Kind::activity_discard_ack};
  Spdu cd{Kind::capability_data}, cda{Kind::capability_data_ack};
  Spdu ptt{Kind::please_tokens};
  ptt.token_item = token::data;
  Spdu gtt{Kind::give_tokens};
  gtt.token_item = token::data | token::minor_sync | token::major_activity;
  Spdu gtc{Kind::give_tokens_confirm}, gta{Kind::give_tokens_ack};
  Spdu ab{Kind::abort};
  ab.transport_disconnect = tdisc::release | tdisc::protocol_error;
  std::vector<Segment> conv = {
      {true, dt_tpkt(encode_tsdu(gt, ai))},  {false, dt_tpkt(encode_tsdu(pt, aia))},
      {true, dt_tpkt(encode_tsdu(gt, ar))},  {true, dt_tpkt(encode_tsdu(gt, ad))},
      {false, dt_tpkt(encode_tsdu(pt, ada))}, {true, dt_tpkt(encode_tsdu(gt, cd))},
      {false, dt_tpkt(encode_tsdu(pt, cda))}, {false, dt_tpkt(encode_tsdu(ptt))},
      {true, dt_tpkt(encode_tsdu(gtt))},      {true, dt_tpkt(encode_tsdu(gtc))},
      {false, dt_tpkt(encode_tsdu(gta))},     {false, dt_tpkt(encode_tsdu(ab))},
  };
  auto d = tshark_decode(conv, 102);
  ASSERT_TRUE(d.clean()) << d.report();
  EXPECT_TRUE(d.has("ACTIVITY RESUME (AR) SPDU (29)")) << d.text.substr(0, 3000);
  EXPECT_TRUE(d.has("ACTIVITY DISCARD (AD) SPDU (57)"));
  EXPECT_TRUE(d.has("ACTIVITY DISCARD ACK (ADA) SPDU (58)"));
  EXPECT_TRUE(d.has("CAPABILITY DATA (CD) SPDU (61)"));
  EXPECT_TRUE(d.has("CAPABILITY DATA ACK (CDA) SPDU (62)"));
  EXPECT_TRUE(d.has("GIVE TOKENS CONFIRM (GTC) SPDU (21)"));
  EXPECT_TRUE(d.has("GIVE TOKENS ACK (GTA) SPDU (22)"));
  EXPECT_TRUE(d.has("ABORT (AB) SPDU (25)"));
}

}  // namespace
