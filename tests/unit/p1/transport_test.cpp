// tests/unit/p1/transport_test.cpp: TPKT (RFC 1006 §6) and X.224 class 0
// against the capture bytes; what we emit is judged by tshark's cotp dissector.
#include <gtest/gtest.h>

#include "p1/transport/cotp.hpp"
#include "p1/transport/tpkt.hpp"
#include "tests/unit/p1/support/hex.hpp"
#include "tests/unit/p1/support/oracle.hpp"

namespace {

using namespace mixer::p1::transport;
using mixer::p1::test::bytes_of;
using mixer::p1::test::Segment;
using mixer::p1::test::tshark_decode;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

Tpdu decode_ok(ByteView tpdu) {
  auto r = decode_tpdu(tpdu);
  if (!r) throw std::runtime_error(r.error().what);
  return *r;
}

ByteView payload(const Bytes& tpkt_bytes) { return ByteView(tpkt_bytes).subspan(4); }

TEST(Rfc1006, s6_tpkt_framing_two_tpkts_in_one_segment) {
  // pp-1988 frame 13: a 695-octet TPKT and a 14-octet TPKT in one TCP segment.
  Bytes seg = vector_file("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex");
  ASSERT_EQ(seg.size(), 709u);
  TpktFramer f;
  f.feed(seg);
  auto a = f.next();
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((*a)->size(), 695u - 4);
  auto b = f.next();
  ASSERT_TRUE(b && *b);
  EXPECT_EQ((*b)->size(), 14u - 4);
  auto c = f.next();
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
}

TEST(Rfc1006, s6_tpkt_framing_byte_by_byte) {
  Bytes seg = vector_file("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex");
  TpktFramer f;
  std::vector<std::size_t> sizes;
  for (auto byte : seg) {
    f.feed(ByteView(&byte, 1));
    while (true) {
      auto n = f.next();
      ASSERT_TRUE(n);
      if (!*n) break;
      sizes.push_back((*n)->size());
    }
  }
  EXPECT_EQ(sizes, (std::vector<std::size_t>{691, 10}));
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(Rfc1006, s6_tpkt_version_3) {
  TpktFramer f;
  f.feed(unhex("0200000b06d017c4034c00"));
  auto n = f.next();
  ASSERT_FALSE(n);
  EXPECT_EQ(n.code(), Errc::bad_version);
}

TEST(Rfc1006, s6_tpkt_length_min_7_and_limit) {
  TpktFramer f;
  f.feed(unhex("03000006020f80"));
  EXPECT_EQ(f.next().code(), Errc::bad_length);
  Limits small;
  small.max_tpkt = 2048;
  TpktFramer g(small);
  g.feed(unhex("03000801"));
  EXPECT_EQ(g.next().code(), Errc::bad_length);
}

TEST(Rfc1006, s6_tpkt_length_65535_with_short_data_waits) {
  // The refusal of this case is the association's deadline; the framer must
  // neither fail nor return anything while the data is short.
  TpktFramer f;
  f.feed(unhex("0300ffff02f080"));
  f.feed(Bytes(1000, 0));
  auto n = f.next();
  ASSERT_TRUE(n);
  EXPECT_FALSE(*n);
  EXPECT_EQ(f.buffered(), 1007u);
}

TEST(X224, s13_3_isode_cr_decodes_and_reencodes) {
  Bytes t = vector_file("ping-success/04-I-cr.hex");
  auto tpdu = decode_ok(payload(t));
  auto* cr = std::get_if<ConnectionRequest>(&tpdu);
  ASSERT_TRUE(cr);
  EXPECT_EQ(cr->dst_ref, 0);
  EXPECT_EQ(cr->src_ref, 0x17c4);
  EXPECT_EQ(cr->protocol_class(), 0);
  EXPECT_EQ(cr->calling_tsap, bytes_of("X400-88"));
  EXPECT_EQ(cr->called_tsap, bytes_of("X400-88"));
  EXPECT_FALSE(cr->tpdu_size_code);
  EXPECT_EQ(tpkt(encode(*cr)), t);
  auto choice = negotiate_tpdu_size(*cr, rfc1006_default_max_tpdu);
  EXPECT_FALSE(choice.cc_code);  // Isode's CC states no size: 65531 applies
  EXPECT_EQ(choice.max_tpdu, 65531u);
}

TEST(X224, s13_4_isode_cc_decodes_and_reencodes) {
  Bytes t = vector_file("ping-success/05-R-cc.hex");
  auto tpdu = decode_ok(payload(t));
  auto* cc = std::get_if<ConnectionConfirm>(&tpdu);
  ASSERT_TRUE(cc);
  EXPECT_EQ(cc->dst_ref, 0x17c4);
  EXPECT_EQ(cc->src_ref, 0x034c);
  EXPECT_FALSE(cc->calling_tsap);
  EXPECT_FALSE(cc->called_tsap);
  EXPECT_EQ(tpkt(encode(*cc)), t);
}

TEST(X224, s13_3_4_pp_tpdu_size_2048_negotiated) {
  Bytes t = vector_file("pp-1988/04-I-cr.hex");
  auto tpdu = decode_ok(payload(t));
  auto& cr = std::get<ConnectionRequest>(tpdu);
  EXPECT_FALSE(cr.calling_tsap);
  EXPECT_EQ(cr.called_tsap, bytes_of("x400"));
  EXPECT_EQ(cr.tpdu_size_code, 0x0b);
  EXPECT_EQ(tpkt(encode(cr)), t);
  auto choice = negotiate_tpdu_size(cr, rfc1006_default_max_tpdu);
  EXPECT_EQ(choice.cc_code, 0x0b);
  EXPECT_EQ(choice.max_tpdu, 2048u);
  EXPECT_EQ(negotiate_tpdu_size(cr, 1024).cc_code, 0x0a);
  Bytes cct = vector_file("pp-1988/06-R-cc.hex");
  auto cc = std::get<ConnectionConfirm>(decode_ok(payload(cct)));
  EXPECT_EQ(cc.tpdu_size_code, 0x0b);
  EXPECT_EQ(agreed_tpdu_size(cr, cc), 2048u);
  EXPECT_EQ(tpkt(encode(cc)), cct);
  // The x410 CR differs in the called TSAP only.
  auto x410 = std::get<ConnectionRequest>(decode_ok(payload(vector_file("pp-x410/04-I-cr.hex"))));
  EXPECT_EQ(x410.called_tsap, bytes_of("x410"));
}

TEST(X224, s13_5_pp_dr_normal) {
  Bytes t = vector_file("pp-1988/18-I-dr.hex");
  auto dr = std::get<DisconnectRequest>(decode_ok(payload(t)));
  EXPECT_EQ(dr.dst_ref, 0x3439);
  EXPECT_EQ(dr.src_ref, 0x3433);
  EXPECT_EQ(dr.reason, dr_reason::normal);
  EXPECT_EQ(tpkt(encode(dr)), t);
}

TEST(X224, s13_7_dt_eot_and_user_data) {
  Bytes t = vector_file("ping-success/08-I-fn-rlrq.hex");
  auto dt = std::get<DataTpdu>(decode_ok(payload(t)));
  EXPECT_TRUE(dt.eot);
  EXPECT_EQ(Bytes(dt.user_data.begin(), dt.user_data.end()), unhex("0913110101c10e610c300a020101a0056203800100"));
}

TEST(X224, s13_bad_tpdus_are_refused) {
  EXPECT_EQ(decode_tpdu(unhex("02f0")).code(), Errc::malformed_tpdu);          // LI past the end
  EXPECT_EQ(decode_tpdu(unhex("03f08000")).code(), Errc::malformed_tpdu);      // DT with LI 3
  EXPECT_EQ(decode_tpdu(unhex("02f081")).code(), Errc::bad_parameter);         // TPDU-NR 1
  EXPECT_EQ(decode_tpdu(unhex("02f180")).code(), Errc::bad_parameter);
  EXPECT_EQ(decode_tpdu(unhex("ff")).code(), Errc::malformed_tpdu);
  EXPECT_EQ(decode_tpdu(unhex("06c0000000000000")).code(), Errc::unsupported_tpdu);  // DC
  EXPECT_EQ(decode_tpdu(unhex("0930000000000000000000")).code(), Errc::unsupported_tpdu);
  EXPECT_EQ(decode_tpdu(unhex("08e0000017c400c105")).code(), Errc::malformed_tpdu);   // param past LI
  EXPECT_EQ(decode_tpdu(unhex("09e0000017c400c00106")).code(), Errc::bad_parameter);  // size code 6
  EXPECT_EQ(decode_tpdu(unhex("09e0000017c400c0010e")).code(), Errc::bad_parameter);  // size code 14
  EXPECT_EQ(decode_tpdu(unhex("06e1000017c400")).code(), Errc::bad_parameter);        // CDT 1
  EXPECT_EQ(decode_tpdu(unhex("06e0000017c400ff")).code(), Errc::malformed_tpdu);     // user data in CR
  // Unknown parameters are skipped (X.224 §13.3.4).
  auto ok = decode_tpdu(unhex("0ae0000017c40085020001"));
  ASSERT_TRUE(ok) << ok.error().what;
}

TEST(X224, s6_3_segmenting_and_reassembling) {
  Bytes tsdu(5000);
  for (std::size_t i = 0; i < tsdu.size(); ++i) tsdu[i] = static_cast<std::uint8_t>(i * 7);
  Bytes wire;
  append_data_tpkts(wire, tsdu, 2048);
  TpktFramer f;
  f.feed(wire);
  TsduAssembler a;
  int dts = 0;
  std::optional<Bytes> got;
  while (true) {
    auto n = f.next();
    ASSERT_TRUE(n);
    if (!*n) break;
    auto dt = std::get<DataTpdu>(decode_ok(**n));
    ++dts;
    EXPECT_LE((*n)->size(), 2048u);
    auto r = a.add(dt);
    ASSERT_TRUE(r);
    if (*r) got = Bytes((*r)->begin(), (*r)->end());
  }
  EXPECT_EQ(dts, 3);  // 2045 + 2045 + 910
  EXPECT_EQ(got, tsdu);
  Limits lim;
  lim.max_tsdu = 4000;
  TsduAssembler small(lim);
  EXPECT_TRUE(small.add(DataTpdu{false, ByteView(tsdu).first(2045)}));
  EXPECT_TRUE(small.add(DataTpdu{false, ByteView(tsdu).first(1955)}));
  EXPECT_EQ(small.add(DataTpdu{true, ByteView(tsdu).first(1)}).code(), Errc::tsdu_too_large);
}

// Every TPDU type we emit, as one conversation, through tshark's cotp dissector.
TEST(X224, oracle_tshark_reads_what_we_emit) {
  ConnectionRequest cr;
  cr.src_ref = 0x1234;
  cr.calling_tsap = bytes_of("MIXER");
  cr.called_tsap = bytes_of("X400-88");
  cr.tpdu_size_code = 0x0b;
  ConnectionConfirm cc;
  cc.dst_ref = 0x1234;
  cc.src_ref = 0x4321;
  cc.tpdu_size_code = negotiate_tpdu_size(cr, 65531).cc_code;
  Bytes data;
  append_data_tpkts(data, Bytes(3000, 0x41), 2048);
  DisconnectRequest dr;
  dr.dst_ref = 0x4321;
  dr.src_ref = 0x1234;
  ErrorTpdu er;
  er.dst_ref = 0x1234;
  er.cause = er_cause::invalid_parameter_value;
  er.invalid_tpdu = unhex("02f081");
  auto d = tshark_decode({{true, tpkt(encode(cr))}, {false, tpkt(encode(cc))}, {true, data},
                          {false, tpkt(encode(er))}, {true, tpkt(encode(dr))}});
  ASSERT_TRUE(d.clean()) << d.report();
  EXPECT_TRUE(d.has("PDU Type: CR Connect Request (0x0e)"));
  EXPECT_TRUE(d.has("Source reference: 0x1234"));
  EXPECT_TRUE(d.has("Source TSAP: MIXER"));
  EXPECT_TRUE(d.has("Destination TSAP: X400-88"));
  EXPECT_EQ(d.count("TPDU size: 2048"), 2u) << d.text;
  EXPECT_TRUE(d.has("PDU Type: CC Connect Confirm (0x0d)"));
  EXPECT_EQ(d.count("PDU Type: DT Data (0x0f)"), 2u);
  EXPECT_TRUE(d.has("Last data unit: Yes"));
  EXPECT_TRUE(d.has("Last data unit: No"));
  EXPECT_TRUE(d.has("PDU Type: ER TPDU Error (0x07)"));
  EXPECT_TRUE(d.has("PDU Type: DR Disconnect Request (0x08)"));
  EXPECT_TRUE(d.has("Cause: Normal Disconnect (128)"));
}

}  // namespace
