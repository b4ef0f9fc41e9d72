// tests/unit/p1/acse_test.cpp: X.227 APDUs of the captures (P1-PRIMER §5,
// tshark's acse decode), byte-exact re-encoding, AE titles, hostile APDUs,
// and tshark on AARQ/AARE/RLRQ/RLRE/ABRT we emit.
#include <gtest/gtest.h>

#include "p1/acse/apdu.hpp"
#include "p1/presentation/ppdu.hpp"
#include "p1/session/spdu.hpp"
#include "tests/unit/p1/support/hex.hpp"
#include "tests/unit/p1/support/oracle.hpp"

namespace {

using namespace mixer::p1::acse;
namespace pres = mixer::p1::presentation;
namespace session = mixer::p1::session;
using mixer::p1::test::bytes_of;
using mixer::p1::test::cat;
using mixer::p1::test::dt_tpkt;
using mixer::p1::test::dt_user_data;
using mixer::p1::test::tpkts;
using mixer::p1::test::tshark_decode;
using mixer::p1::test::unhex;
using mixer::p1::test::vector_file;

const mixer::p1::ber::Limits limits{};
const Oid mts_transfer{2, 6, 0, 1, 6};

// The single PDV value of a capture frame's presentation user data.
Bytes pdv_value(const std::string& file) {
  Bytes tsdu = dt_user_data(tpkts(vector_file(file)).at(0));
  auto s = session::decode_tsdu(tsdu);
  if (!s) throw std::runtime_error(s.error().what);
  const auto& x = s->at(0);
  ByteView ud = x.kind == session::Kind::refuse ? x.reason_code->subspan(1) : *x.user_data;
  std::optional<pres::UserData> u;
  if (x.kind == session::Kind::connect) u = pres::decode_cp(ud, limits)->user_data;
  else if (x.kind == session::Kind::accept) u = pres::decode_cpa(ud, limits)->user_data;
  else if (x.kind == session::Kind::refuse) u = pres::decode_cpr(ud, limits)->user_data;
  else u = *pres::decode_user_data(ud, limits);
  ByteView v = u->pdvs.at(0).value();
  return Bytes(v.begin(), v.end());
}

template <class T>
T decode_as(const Bytes& b) {
  auto r = decode(b, limits);
  if (!r) throw std::runtime_error(r.error().what);
  return std::get<T>(*r);
}

TEST(X227, s7_1_aarq_of_isode_and_pp) {
  for (const char* f : {"ping-success/06-I-cn-cp-aarq-rtorq-bind.hex", "pp-1988/08-I-cn-cp-aarq-rtorq-bind.hex"}) {
    Bytes b = pdv_value(f);
    auto a = decode_as<Aarq>(b);
    EXPECT_EQ(a.context_name, mts_transfer);
    EXPECT_FALSE(a.protocol_version);
    EXPECT_FALSE(a.called.ap_title);
    EXPECT_FALSE(a.calling.ap_title);
    ASSERT_EQ(a.user_information.size(), 1u);
    const auto& e = a.user_information[0];
    EXPECT_EQ(e.direct_reference, (Oid{2, 1, 1}));
    EXPECT_EQ(e.indirect_reference, 3);
    EXPECT_EQ(e.encoding, External::Encoding::single_asn1_type);
    EXPECT_EQ(e.value[0], 0xb0);  // RTORQ [16]
    EXPECT_EQ(encode(a), b) << f;
  }
}

TEST(X227, s7_1_aare_accepted_and_rejected) {
  Bytes ok_b = pdv_value("ping-success/07-R-ac-cpa-aare-rtoac-bindres.hex");
  auto ok = decode_as<Aare>(ok_b);
  EXPECT_EQ(ok.context_name, mts_transfer);
  EXPECT_EQ(ok.result, associate_result::accepted);
  EXPECT_EQ(ok.diagnostic_source, DiagnosticSource::service_user);
  EXPECT_EQ(ok.diagnostic, user_diagnostic::null);
  EXPECT_EQ(ok.user_information.at(0).value[0], 0xb1);  // RTOAC [17]
  EXPECT_EQ(encode(ok), ok_b);
  Bytes rj_b = pdv_value("ping-refuse/07-R-rf-cpr-aare-rtorj-binderr.hex");
  auto rj = decode_as<Aare>(rj_b);
  EXPECT_EQ(rj.result, associate_result::rejected_permanent);
  EXPECT_EQ(rj.diagnostic, user_diagnostic::no_reason_given);
  EXPECT_EQ(Bytes(rj.user_information.at(0).value.begin(), rj.user_information[0].value.end()),
            unhex("b207a105b203020102"));
  EXPECT_EQ(encode(rj), rj_b);
}

TEST(X227, s7_2_release_normal) {
  Bytes q = pdv_value("ping-success/08-I-fn-rlrq.hex");
  EXPECT_EQ(q, unhex("6203800100"));
  EXPECT_EQ(decode_as<Rlrq>(q).reason, release_reason::normal);
  Bytes r = pdv_value("pp-1988/17-R-dn-rlre.hex");
  EXPECT_EQ(decode_as<Rlre>(r).reason, release_reason::normal);
  EXPECT_EQ(encode(Rlre{release_reason::normal, {}}), r);
}

TEST(X227, ae_titles_form2_and_abrt) {
  Aarq a;
  a.context_name = mts_transfer;
  a.called.ap_title = Title::from_oid(Oid{1, 3, 6, 1, 4, 1, 99999, 1});
  a.called.ae_qualifier = Title::from_integer(12);
  a.calling.ap_title = Title::from_oid(Oid{1, 3, 6, 1, 4, 1, 99999, 2});
  a.calling.ae_invocation = 7;
  Bytes b = encode(a);
  auto back = decode_as<Aarq>(b);
  EXPECT_EQ(back.called.ap_title->oid(), (Oid{1, 3, 6, 1, 4, 1, 99999, 1}));
  EXPECT_EQ(back.called.ae_qualifier->integer(), 12);
  EXPECT_EQ(back.calling.ae_invocation, 7);
  EXPECT_FALSE(back.calling.ae_qualifier);
  Abrt ab;
  ab.source = abort_source::service_provider;
  ab.diagnostic = abort_diagnostic::protocol_error;
  EXPECT_EQ(encode(ab), unhex("6406 800101 810102"));
  auto abr = decode_as<Abrt>(encode(ab));
  EXPECT_EQ(abr.diagnostic, abort_diagnostic::protocol_error);
}

TEST(X227, hostile_apdus) {
  auto code = [](const char* h) {
    auto r = decode(unhex(h), limits);
    return r ? Errc{} : r.code();
  };
  EXPECT_EQ(code("6500"), Errc::unknown_apdu);
  EXPECT_EQ(code("6000"), Errc::malformed);                          // AARQ without context name
  EXPECT_EQ(code("610aa106060456000106a203020100"), Errc::malformed);  // AARE without diagnostic
  EXPECT_EQ(code("6400"), Errc::malformed);                          // ABRT without source
  EXPECT_EQ(code("6203800100ff"), Errc::malformed);                  // trailing
  EXPECT_EQ(code("6208be0628040201030000"), Errc::malformed);        // EXTERNAL without encoding
  // Unknown extension components are skipped.
  EXPECT_EQ(code("62079f3f0100800100"), Errc{});
}

// AARQ (with AP titles), AARE, RLRQ, RLRE and an ABRT in an ARU, through tshark.
TEST(X227, oracle_tshark_reads_what_we_emit) {
  // RTORQ / RTOAC around Isode's bind argument and result (x400-ping-success).
  Bytes bind_arg = cat(cat(unhex("b024a1228013"), bytes_of("percival.smhs.co.uk")), cat(unhex("a10b1609"), bytes_of("excalibur")));
  Bytes bind_res = cat(cat(unhex("b122a1208014"), bytes_of("guinevere.smhs.co.uk")), cat(unhex("a1081606"), bytes_of("merlin")));
  Bytes rtorq = cat(unhex("b03080013f820100a328a026"), bind_arg);
  Bytes rtoac = cat(unhex("b12b80013fa226a024"), bind_res);
  External ui;
  ui.direct_reference = Oid{2, 1, 1};
  ui.indirect_reference = 3;
  ui.value = ByteView(rtorq);
  Aarq aarq;
  aarq.context_name = mts_transfer;
  aarq.called.ap_title = Title::from_oid(Oid{1, 3, 6, 1, 4, 1, 99999, 1});
  aarq.calling.ap_title = Title::from_oid(Oid{1, 3, 6, 1, 4, 1, 99999, 2});
  aarq.calling.ae_qualifier = Title::from_integer(5);
  aarq.user_information = {ui};
  Aare aare;
  aare.context_name = mts_transfer;
  aare.responding.ap_title = Title::from_oid(Oid{1, 3, 6, 1, 4, 1, 99999, 1});
  External ui2 = ui;
  ui2.value = ByteView(rtoac);
  aare.user_information = {ui2};
  Abrt abrt;
  abrt.source = abort_source::service_provider;
  abrt.diagnostic = abort_diagnostic::protocol_error;

  const pres::Oid acse{2, 2, 1, 0, 1}, rtse{2, 6, 0, 2, 12}, mtse{2, 6, 0, 2, 7};
  Bytes aarq_b = encode(aarq), aare_b = encode(aare), rlrq_b = encode(Rlrq{release_reason::normal, {}}),
        rlre_b = encode(Rlre{release_reason::normal, {}}), abrt_b = encode(abrt);
  pres::ConnectPpdu cp;
  cp.contexts = {{1, acse, {pres::ber_transfer_syntax}}, {3, rtse, {pres::ber_transfer_syntax}}, {5, mtse, {pres::ber_transfer_syntax}}};
  cp.user_data = pres::single_value(1, aarq_b);
  pres::AcceptPpdu cpa;
  for (int i = 0; i < 3; ++i) cpa.results.push_back({pres::result::acceptance, pres::ber_transfer_syntax, std::nullopt});
  cpa.user_data = pres::single_value(1, aare_b);
  Bytes cp_b = pres::encode(cp), cpa_b = pres::encode(cpa);
  Bytes fn_ud = pres::encode(pres::single_value(1, rlrq_b)), dn_ud = pres::encode(pres::single_value(1, rlre_b));
  pres::AbortPpdu aru;
  aru.user_data = pres::single_value(1, abrt_b);
  Bytes aru_b = pres::encode(aru);

  session::Spdu cn(session::Kind::connect), ac(session::Kind::accept), fn(session::Kind::finish), dn(session::Kind::disconnect),
      ab(session::Kind::abort);
  cn.user_data = ByteView(cp_b);
  ac.user_data = ByteView(cpa_b);
  fn.transport_disconnect = session::tdisc::release;
  fn.user_data = ByteView(fn_ud);
  dn.user_data = ByteView(dn_ud);
  ab.transport_disconnect = session::tdisc::release | session::tdisc::user_abort;
  ab.user_data = ByteView(aru_b);
  auto d = tshark_decode({{true, dt_tpkt(session::encode_tsdu(cn))},
                          {false, dt_tpkt(session::encode_tsdu(ac))},
                          {true, dt_tpkt(session::encode_tsdu(fn))},
                          {false, dt_tpkt(session::encode_tsdu(dn))}});
  ASSERT_TRUE(d.clean()) << d.report();
  EXPECT_TRUE(d.has("aSO-context-name: 2.6.0.1.6")) << d.text.substr(0, 6000);
  EXPECT_TRUE(d.has("ap-title-form2: 1.3.6.1.4.1.99999.1"));
  EXPECT_TRUE(d.has("ap-title-form2: 1.3.6.1.4.1.99999.2"));
  EXPECT_TRUE(d.has("aso-qualifier-form2: 5"));
  EXPECT_TRUE(d.has("result: accepted (0)"));
  EXPECT_TRUE(d.has("service-user: null (0)"));
  EXPECT_TRUE(d.has("    rlrq\n"));
  EXPECT_TRUE(d.has("    rlre\n"));
  EXPECT_EQ(d.count("reason: normal (0)"), 2u);
  auto d2 = tshark_decode({{true, dt_tpkt(session::encode_tsdu(cn))},
                           {false, dt_tpkt(session::encode_tsdu(ac))},
                           {false, dt_tpkt(session::encode_tsdu(ab))}});
  ASSERT_TRUE(d2.clean()) << d2.report();
  EXPECT_TRUE(d2.has("abort-source: service-provider (1)")) << d2.text.substr(d2.text.size() > 3000 ? d2.text.size() - 3000 : 0);
  EXPECT_TRUE(d2.has("abort-diagnostic: protocol-error (2)"));
}

}  // namespace
