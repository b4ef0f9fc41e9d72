// tests/unit/p1/presentation_test.cpp: X.226 PPDUs of the captures (fields
// as tshark's pres dissector shows them), byte-exact re-encoding of PP's
// definite-length PPDUs, context negotiation, hostile PPDUs, and tshark on
// what we emit.
#include <gtest/gtest.h>

#include "p1/presentation/contexts.hpp"
#include "p1/presentation/ppdu.hpp"
#include "p1/session/spdu.hpp"
#include "tests/unit/p1/support/hex.hpp"
#include "tests/unit/p1/support/oracle.hpp"

namespace {

using namespace mixer::p1::presentation;
namespace session = mixer::p1::session;
using mixer::p1::test::dt_tpkt;
using mixer::p1::test::dt_user_data;
using mixer::p1::test::Segment;
using mixer::p1::test::tpkts;
using mixer::p1::test::tshark_decode;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

const Oid acse_as{2, 2, 1, 0, 1};
const Oid mta_rtse_as{2, 6, 0, 2, 12};
const Oid mtse_as{2, 6, 0, 2, 7};
const mixer::p1::ber::Limits limits{};

// The session user data (or, for an RF, the Reason Code after its first octet).
Bytes ss_user_data(const std::string& file, std::size_t tpkt = 0, std::size_t spdu = 0) {
  Bytes tsdu = dt_user_data(tpkts(vector_file(file)).at(tpkt));
  auto s = session::decode_tsdu(tsdu);
  if (!s) throw std::runtime_error(s.error().what);
  const auto& x = s->at(spdu);
  if (x.kind == session::Kind::refuse) return Bytes(x.reason_code->begin() + 1, x.reason_code->end());
  return Bytes(x.user_data->begin(), x.user_data->end());
}

template <class T>
T ok(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().what);
  return std::move(*r);
}

void expect_p1_contexts(const std::vector<ContextDefinition>& c) {
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].id, 1);
  EXPECT_EQ(c[0].abstract_syntax, acse_as);
  EXPECT_EQ(c[1].id, 3);
  EXPECT_EQ(c[1].abstract_syntax, mta_rtse_as);
  EXPECT_EQ(c[2].id, 5);
  EXPECT_EQ(c[2].abstract_syntax, mtse_as);
  for (const auto& d : c) EXPECT_EQ(d.transfer_syntaxes, std::vector<Oid>{ber_transfer_syntax});
}

TEST(X226, s8_1_isode_cp_type_indefinite) {
  Bytes b = ss_user_data("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex");
  auto cp = ok(decode_cp(b, limits));
  EXPECT_EQ(cp.mode, Mode::normal);
  expect_p1_contexts(cp.contexts);
  EXPECT_FALSE(cp.calling_selector);
  EXPECT_FALSE(cp.called_selector);
  EXPECT_FALSE(cp.protocol_version);
  ASSERT_TRUE(cp.user_data);
  ASSERT_EQ(cp.user_data->pdvs.size(), 1u);
  EXPECT_EQ(cp.user_data->pdvs[0].context_id, 1);
  EXPECT_EQ(cp.user_data->pdvs[0].value()[0], 0x60);  // AARQ
  EXPECT_EQ(cp.user_data->pdvs[0].value().size(), 0x49u);
}

TEST(X226, s8_1_pp_cp_type_reencodes_byte_exact) {
  Bytes b = ss_user_data("pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex");
  auto cp = ok(decode_cp(b, limits));
  expect_p1_contexts(cp.contexts);
  EXPECT_EQ(encode(cp), b);
}

TEST(X226, s8_2_cpa_three_acceptances) {
  for (const char* f : {"ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex", "pp-1988/10-R-ac-cpa-aare-rtoac-bindres.hex"}) {
    Bytes b = ss_user_data(f);
    auto cpa = ok(decode_cpa(b, limits));
    EXPECT_EQ(cpa.mode, Mode::normal);
    ASSERT_EQ(cpa.results.size(), 3u);
    for (const auto& r : cpa.results) {
      EXPECT_EQ(r.result, result::acceptance);
      EXPECT_EQ(r.transfer_syntax, ber_transfer_syntax);
      EXPECT_FALSE(r.provider_reason);
    }
    EXPECT_FALSE(cpa.responding_selector);
    EXPECT_EQ(cpa.user_data->pdvs.at(0).context_id, 1);
    EXPECT_EQ(cpa.user_data->pdvs[0].value()[0], 0x61);  // AARE
    EXPECT_EQ(encode(cpa), b) << f;
  }
}

TEST(X226, s8_3_cpr_normal_mode_in_rf) {
  Bytes b = ss_user_data("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex");
  auto cpr = ok(decode_cpr(b, limits));
  EXPECT_EQ(cpr.mode, Mode::normal);
  EXPECT_EQ(cpr.results.size(), 3u);
  EXPECT_FALSE(cpr.provider_reason);
  EXPECT_EQ(cpr.user_data->pdvs.at(0).context_id, 1);
  EXPECT_EQ(cpr.user_data->pdvs[0].value().size(), 0x2cu);
  EXPECT_EQ(encode(cpr), b);
}

TEST(X226, s8_4_p_data_indefinite_rttr_in_context_3) {
  Bytes b = ss_user_data("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", 0, 1);
  auto u = ok(decode_user_data(b, limits));
  ASSERT_EQ(u.pdvs.size(), 1u);
  EXPECT_EQ(u.pdvs[0].context_id, 3);
  EXPECT_FALSE(u.pdvs[0].transfer_syntax);
  EXPECT_EQ(u.pdvs[0].encoding, Pdv::Encoding::single_asn1_type);
  ByteView v = u.pdvs[0].value();
  EXPECT_EQ(Bytes(v.begin(), v.begin() + 4), unhex("04820299"));
  EXPECT_EQ(v.size(), 4u + 665u);
}

TEST(X226, release_user_data_context_1) {
  for (const char* f : {"ping-success/08-I-fn-rlrq.hex", "ping-success/09-R-dn-rlre.hex"}) {
    Bytes b = ss_user_data(f);
    auto u = ok(decode_user_data(b, limits));
    EXPECT_EQ(u.pdvs.at(0).context_id, 1);
    EXPECT_EQ(encode(u), b);
  }
}

TEST(X226, x410_mode_cp_and_cpa_carry_rtse_components) {
  Bytes b = ss_user_data("pp-x410/08-I-cn-cp-x410-rtorq-bind.hex");
  auto cp = ok(decode_cp(b, limits));
  EXPECT_EQ(cp.mode, Mode::x410_1984);
  EXPECT_TRUE(cp.contexts.empty());
  EXPECT_FALSE(cp.user_data);
  EXPECT_EQ(Bytes(cp.x410_parameters.begin(), cp.x410_parameters.begin() + 6), unhex("80013f820100"));
  EXPECT_EQ(encode(cp), b);
  Bytes a = ss_user_data("pp-x410/09-R-ac-cpa-x410-rtoac-bindres.hex");
  auto cpa = ok(decode_cpa(a, limits));
  EXPECT_EQ(cpa.mode, Mode::x410_1984);
  EXPECT_EQ(Bytes(cpa.x410_parameters.begin(), cpa.x410_parameters.begin() + 6), unhex("800101810103"));
  EXPECT_EQ(encode(cpa), a);
}

TEST(X226, s6_2_2_context_negotiation) {
  std::vector<ContextDefinition> proposed = {
      {1, acse_as, {ber_transfer_syntax}},
      {3, mta_rtse_as, {Oid{2, 1, 2, 1}, ber_transfer_syntax}},
      {5, Oid{1, 2, 3}, {ber_transfer_syntax}},
      {7, mtse_as, {Oid{2, 1, 2, 1}}},
      {1, mtse_as, {ber_transfer_syntax}},
  };
  ContextSet set;
  auto r = negotiate(proposed, {acse_as, mta_rtse_as, mtse_as}, set);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].result, result::acceptance);
  EXPECT_EQ(r[1].result, result::acceptance);
  EXPECT_EQ(r[1].transfer_syntax, ber_transfer_syntax);
  EXPECT_EQ(r[2].provider_reason, provider_reason::abstract_syntax_not_supported);
  EXPECT_EQ(r[3].provider_reason, provider_reason::transfer_syntaxes_not_supported);
  EXPECT_EQ(r[4].result, result::provider_rejection);  // id 1 twice
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(set.id_of(mta_rtse_as), 3);
  EXPECT_EQ(*set.abstract_syntax_of(1), acse_as);
  EXPECT_FALSE(set.abstract_syntax_of(5));
}

TEST(X226, hostile_ppdus) {
  auto cp_code = [](const char* h) {
    auto r = decode_cp(unhex(h), limits);
    return r ? Errc{} : r.code();
  };
  EXPECT_EQ(cp_code("3105a003800102"), Errc::bad_mode);                   // mode 2
  EXPECT_EQ(cp_code("3100"), Errc::bad_mode);                             // no mode
  EXPECT_EQ(cp_code("310aa003800101a103800100"), Errc::bad_mode);         // x410 parameters in normal mode
  EXPECT_EQ(cp_code("3105a003800100"), Errc::bad_mode);                   // x410 mode without them
  EXPECT_EQ(cp_code("310ca003800101a0038001010000"), Errc::malformed);    // mode twice / junk
  EXPECT_EQ(cp_code("310ca003800101a2056003040100"), Errc::unsupported);  // simply-encoded user data
  EXPECT_EQ(cp_code("3109a003800101a2026100"), Errc::malformed);          // empty fully-encoded data
  EXPECT_EQ(cp_code("31"), Errc::malformed);
  auto ud = decode_user_data(unhex("610a3008020101a203020100"), limits);  // [2] not a choice
  EXPECT_FALSE(ud);
}

// CP / CPA / P-DATA / ARU / ARP of ours, in session SPDUs, through tshark.
TEST(X226, oracle_tshark_reads_what_we_emit) {
  // The ACSE/RTSE values inside are Isode's (the layers above are tested on their own).
  auto isode_cp = ok(decode_cp(ss_user_data("ping-success/06-I-cn-cp-aarq-rtorq-bind.hex"), limits));
  auto isode_cpa = ok(decode_cpa(ss_user_data("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex"), limits));
  Bytes aarq(isode_cp.user_data->pdvs[0].value().begin(), isode_cp.user_data->pdvs[0].value().end());
  Bytes aare(isode_cpa.user_data->pdvs[0].value().begin(), isode_cpa.user_data->pdvs[0].value().end());

  ConnectPpdu cp;
  cp.calling_selector = unhex("0001");
  cp.called_selector = unhex("0002");
  cp.contexts = {{1, acse_as, {ber_transfer_syntax}}, {3, mta_rtse_as, {ber_transfer_syntax}}, {5, mtse_as, {ber_transfer_syntax}}};
  cp.user_data = single_value(1, aarq);
  AcceptPpdu cpa;
  cpa.responding_selector = unhex("0002");
  ContextSet set;
  cpa.results = negotiate(cp.contexts, {acse_as, mta_rtse_as, mtse_as}, set);
  cpa.user_data = single_value(1, aare);
  // P-DATA with an RTTR (OCTET STRING) holding a small EXTERNAL in context 5.
  Bytes rttr = unhex("040f 280d 020105 a008 a106 3004 020101 3000");
  UserData pdata = single_value(3, rttr);
  AbortPpdu aru;
  aru.context_identifiers = {{3, ber_transfer_syntax}};
  AbortPpdu arp;
  arp.provider = true;
  arp.abort_reason = abort_reason::unrecognized_ppdu;
  arp.event_identifier = 7;

  Bytes cp_b = encode(cp), cpa_b = encode(cpa), pdata_b = encode(pdata), aru_b = encode(aru), arp_b = encode(arp);
  session::Spdu cn(session::Kind::connect);
  cn.session_requirements = session::fu::rtse;
  cn.user_data = ByteView(cp_b);
  session::Spdu ac(session::Kind::accept);
  ac.session_requirements = session::fu::rtse;
  ac.user_data = ByteView(cpa_b);
  Bytes act = unhex("01");
  session::Spdu as(session::Kind::activity_start);
  as.activity_id = ByteView(act);
  session::Spdu dt(session::Kind::data);
  dt.user_data = ByteView(pdata_b);
  session::Spdu ab1(session::Kind::abort);
  ab1.transport_disconnect = session::tdisc::release | session::tdisc::user_abort;
  ab1.user_data = ByteView(aru_b);
  session::Spdu ab2(session::Kind::abort);
  ab2.transport_disconnect = session::tdisc::release | session::tdisc::protocol_error;
  ab2.user_data = ByteView(arp_b);
  session::Spdu gt(session::Kind::give_tokens);

  auto d1 = tshark_decode({{true, dt_tpkt(session::encode_tsdu(cn))},
                           {false, dt_tpkt(session::encode_tsdu(ac))},
                           {true, dt_tpkt(session::encode_tsdu(gt, as))},
                           {true, dt_tpkt(session::encode_tsdu(gt, dt))},
                           {true, dt_tpkt(session::encode_tsdu(ab1))}});
  ASSERT_TRUE(d1.clean()) << d1.report();
  EXPECT_TRUE(d1.has("calling-presentation-selector: 0001")) << d1.text.substr(0, 5000);
  EXPECT_TRUE(d1.has("called-presentation-selector: 0002"));
  EXPECT_TRUE(d1.has("responding-presentation-selector: 0002"));
  EXPECT_EQ(d1.count("abstract-syntax-name: 2.6.0.2.12"), 1u);
  EXPECT_EQ(d1.count("result: acceptance (0)"), 3u);
  EXPECT_TRUE(d1.has("    aarq\n"));
  EXPECT_TRUE(d1.has("    aare\n"));
  EXPECT_TRUE(d1.has("presentation-context-identifier: 3"));
  EXPECT_TRUE(d1.has("aru-ppdu"));
  auto d2 = tshark_decode({{true, dt_tpkt(session::encode_tsdu(cn))},
                           {false, dt_tpkt(session::encode_tsdu(ac))},
                           {false, dt_tpkt(session::encode_tsdu(ab2))}});
  ASSERT_TRUE(d2.clean()) << d2.report();
  EXPECT_TRUE(d2.has("arp-ppdu")) << d2.text.substr(d2.text.size() > 3000 ? d2.text.size() - 3000 : 0);
  EXPECT_TRUE(d2.has("provider-reason: unrecognized-ppdu (1)"));
  EXPECT_TRUE(d2.has("event-identifier: td-PPDU (7)"));
}

}  // namespace
