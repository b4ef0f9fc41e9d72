// tests/unit/p1/rtse_test.cpp: X.228 APDUs of the captures (P1-PRIMER §6 and
// §8, tshark's rtse decode), byte-exact re-encoding, X.410-mode components,
// recover, and hostile APDUs.
#include <gtest/gtest.h>

#include <algorithm>

#include "p1/rtse/apdu.hpp"
#include "tests/unit/p1/support/hex.hpp"

namespace {

using namespace mixer::p1::rtse;
using mixer::p1::test::bytes_of;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

const mixer::p1::ber::Limits limits{};

// The TLV starting with `prefix` in a capture frame, `length` octets long.
Bytes slice(const std::string& file, const char* prefix, std::size_t length) {
  Bytes f = vector_file(file), p = unhex(prefix);
  auto it = std::search(f.begin(), f.end(), p.begin(), p.end());
  if (it == f.end()) throw std::runtime_error("prefix not found");
  return Bytes(it, it + static_cast<std::ptrdiff_t>(length));
}

template <class T>
T decode_as(const Bytes& b) {
  auto r = decode(b, limits);
  if (!r) throw std::runtime_error(r.error().what);
  return std::get<T>(*r);
}

Bytes v(ByteView x) { return Bytes(x.begin(), x.end()); }

TEST(X228, s9_rtorq_isode_and_pp) {
  Bytes isode = slice("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex", "b03080013f", 0x32);
  auto a = decode_as<Rtorq>(isode);
  EXPECT_EQ(a.checkpoint_size, 63);
  EXPECT_FALSE(a.window_size);
  EXPECT_EQ(a.window(), 3);
  EXPECT_EQ(a.dialogue_mode, dialogue::monologue);  // sent although DEFAULT
  EXPECT_FALSE(a.data.recover);
  EXPECT_EQ(v(a.data.open).size(), 0x26u);
  EXPECT_EQ(a.data.open[0], 0xb0);
  EXPECT_FALSE(a.application_protocol);
  EXPECT_EQ(encode(a), isode);
  Bytes pp = slice("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex", "b01e80013f", 0x20);
  auto b = decode_as<Rtorq>(pp);
  EXPECT_EQ(b.checkpoint(), 63);
  EXPECT_EQ(encode(b), pp);
}

TEST(X228, s9_rtoac_checkpoint_and_window) {
  Bytes isode = slice("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex", "b12b80013f", 0x2d);
  auto a = decode_as<Rtoac>(isode);
  EXPECT_EQ(a.checkpoint_size, 63);
  EXPECT_FALSE(a.window_size);
  EXPECT_EQ(a.data.open[0], 0xb1);
  EXPECT_EQ(encode(a), isode);
  Bytes pp = slice("pp-1988/10-R-ac-cpa-aare-rtoac-bindres.hex", "b11d800101", 0x1f);
  auto b = decode_as<Rtoac>(pp);
  EXPECT_EQ(b.checkpoint_size, 1);  // PP lowers 63 to 1
  EXPECT_EQ(b.window_size, 3);      // and sends the DEFAULT
  EXPECT_EQ(encode(b), pp);
}

TEST(X228, s9_rtorj_carries_bind_error) {
  Bytes rj = slice("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex", "b207a105", 9);
  auto a = decode_as<Rtorj>(rj);
  EXPECT_FALSE(a.refuse_reason);
  ASSERT_TRUE(a.user_data);
  EXPECT_EQ(v(*a.user_data), unhex("b203020102"));  // bind-error authentication-error(2)
  EXPECT_EQ(encode(a), rj);
}

TEST(X228, s9_rttr_octet_string) {
  Bytes rttr = slice("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", "04820299", 4 + 665);
  auto t = decode_as<Rttr>(rttr);
  EXPECT_EQ(t.value().size(), 665u);
  EXPECT_EQ(Bytes(t.value().begin(), t.value().begin() + 4), unhex("28800201"));
  EXPECT_EQ(encode(t), rttr);
  EXPECT_EQ(rttr_header(665), unhex("04820299"));
  // A constructed RTTR is legal BER too.
  auto c = decode_as<Rttr>(unhex("2480 0402 aabb 0401 cc 0000"));
  EXPECT_EQ(v(c.value()), unhex("aabbcc"));
}

TEST(X228, x410_mode_components) {
  Bytes rq = slice("pp-x410/08-I-cn-cp-x410-rtorq-bind.hex", "80013f820100a314", 0x20);
  auto a = decode_rtorq_components(rq, limits);
  ASSERT_TRUE(a) << a.error().what;
  EXPECT_EQ(a->checkpoint_size, 63);
  EXPECT_EQ(a->dialogue_mode, dialogue::monologue);
  EXPECT_EQ(a->application_protocol, 3072);  // PP's 84 02 0c 00 (P1-PRIMER §8)
  EXPECT_EQ(a->data.open[0], 0xa1);          // MTABindArgument without the [16] wrapper
  EXPECT_EQ(encode_components(*a), rq);
  Bytes ac = slice("pp-x410/09-R-ac-cpa-x410-rtoac-bindres.hex", "800101810103a213", 0x1b);
  auto b = decode_rtoac_components(ac, limits);
  ASSERT_TRUE(b) << b.error().what;
  EXPECT_EQ(b->checkpoint_size, 1);
  EXPECT_EQ(b->window_size, 3);
  EXPECT_EQ(encode_components(*b), ac);
}

TEST(X228, recover_rttp_rtab_round_trip) {
  Rtorq q;
  q.checkpoint_size = 8;
  q.window_size = 2;
  q.data.recover = true;
  q.data.recovery.calling_reference = bytes_of("MIXER-17");
  q.data.recovery.common_reference = "261123104015Z";
  q.data.recovery.additional_reference = bytes_of("x");
  Bytes b = encode(q);
  EXPECT_EQ(b, mixer::p1::test::cat(unhex("b026 800108 810102 a31e a11c 0408"),
                                    mixer::p1::test::cat(bytes_of("MIXER-17"), mixer::p1::test::cat(unhex("170d"),
                                    mixer::p1::test::cat(bytes_of("261123104015Z"), unhex("800178"))))));
  auto back = decode_as<Rtorq>(b);
  EXPECT_TRUE(back.data.recover);
  EXPECT_EQ(back.data.recovery, q.data.recovery);
  EXPECT_EQ(encode(Apdu{Rttp{5}}), unhex("020105"));
  EXPECT_EQ(decode_as<Rttp>(unhex("020105")).priority, 5);
  Rtab ab;
  ab.abort_reason = abort_reason::protocol_error;
  EXPECT_EQ(encode(ab), unhex("b603 800104"));
  EXPECT_EQ(decode_as<Rtab>(unhex("b603800104")).abort_reason, abort_reason::protocol_error);
}

TEST(X228, hostile_apdus) {
  auto code = [](const char* h) {
    auto r = decode(unhex(h), limits);
    return r ? Errc{} : r.code();
  };
  EXPECT_EQ(code("b300"), Errc::unknown_apdu);
  EXPECT_EQ(code("b003800101"), Errc::malformed);                 // RTORQ without connectionDataRQ
  EXPECT_EQ(code("b00a800101800102a303a00105"), Errc::malformed);  // checkpointSize twice
  EXPECT_EQ(code("b005a303a20105"), Errc::malformed);             // ConnectionData [2]
  EXPECT_EQ(code("b007a305a10304017a"), Errc::malformed);         // recover without commonReference
  EXPECT_EQ(code("0201"), Errc::malformed);
  EXPECT_EQ(code("b00ca303a00105850100"), Errc::malformed);       // [5] unknown in RTORQ (no extension marker)
}

}  // namespace
