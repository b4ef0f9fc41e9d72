// tests/unit/addressing/mapping_test.cpp: RFC 2156 §4.2-§4.4 address
// mapping, both directions, with every example the RFC gives. The tables
// are the RFC's examples (tests/vectors/addressing/rfc2156-*.txt); where the
// RFC prints an X.400 address, the expectation is that text parsed, so the
// RFC's own string is the judge.
#include <gtest/gtest.h>

#include "addressing/mapping.hpp"
#include "addressing/refusal.hpp"
#include "helpers.hpp"

using namespace mixer::addressing;
using namespace mixer::addressing::test;

namespace {

MappingTables::Ptr rfc_tables() {
  static MappingTables::Ptr t = [] {
    const std::string dir = "tests/vectors/addressing/";
    auto r = MappingTables::load({{dir + "rfc2156-table1.txt", TableKind::table1, TableScope::shared},
                                  {dir + "rfc2156-table2.txt", TableKind::table2, TableScope::shared},
                                  {dir + "rfc2156-gateway-or.txt", TableKind::gateway_or, TableScope::shared},
                                  {dir + "rfc2156-gateway-domain.txt", TableKind::gateway_domain, TableScope::shared}});
    if (auto* e = std::get_if<std::vector<TableError>>(&r)) ADD_FAILURE() << e->front().text();
    return std::holds_alternative<MappingTables::Ptr>(r) ? std::get<MappingTables::Ptr>(r) : MappingTables::empty();
  }();
  return t;
}

MappingContext gw(std::string_view or_text = "/O=Gateway/PRMD=MIXER/ADMD= /C=XX/",
                  std::string_view domain = "gw.example", bool tables = true) {
  return context(or_text, domain, tables ? rfc_tables() : MappingTables::empty());
}

OrAddress to_x400(std::string_view in, const MappingContext& ctx, AddressRole role = AddressRole::ipms) {
  auto r = map_rfc822_to_x400(in, role, ctx);
  EXPECT_TRUE(r.ok()) << in << ": " << (r.ok() ? "" : r.error().text());
  return r.ok() ? r.value().address : OrAddress{};
}

std::string to_822(std::string_view or_text, const MappingContext& ctx) {
  auto r = map_x400_to_rfc822(orx(or_text), AddressRole::ipms, ctx);
  EXPECT_TRUE(r.ok()) << or_text << ": " << (r.ok() ? "" : r.error().text());
  return r.ok() ? r.value().address : "";
}

}  // namespace

// §4.3.1: /I=J/S=Linnimouth/GQ=5/@Marketing.Widget.COM with the MCGAM pair
// Widget.COM <-> O=Widget, ADMD=BTT, C=TC; without GQ, J.Linnimouth@...
TEST(Rfc2156, s4_3_1_x400_encoded_in_rfc822_example) {
  const auto ctx = gw();
  const OrAddress a = orx("/I=J/S=Linnimouth/GQ=5/OU=Marketing/O=Widget/ADMD=BTT/C=TC/");
  EXPECT_EQ(to_x400("/I=J/S=Linnimouth/GQ=5/@Marketing.Widget.COM", ctx), a);
  auto back = map_x400_to_rfc822(a, AddressRole::ipms, ctx);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value().address, "/I=J/S=Linnimouth/GQ=5/@Marketing.Widget.COM");
  EXPECT_EQ(back.value().explanation.source, "tests/vectors/addressing/rfc2156-table2.txt:7");
  const OrAddress b = orx("/I=J/S=Linnimouth/OU=Marketing/O=Widget/ADMD=BTT/C=TC/");
  EXPECT_EQ(to_822("/I=J/S=Linnimouth/OU=Marketing/O=Widget/ADMD=BTT/C=TC/", ctx), "J.Linnimouth@Marketing.Widget.COM");
  EXPECT_EQ(to_x400("J.Linnimouth@Marketing.Widget.COM", ctx), b);
}

// §4.2: "R-D.Salford.AC.UK" algorithmically maps with OU="R-D",
// O="Salford", PRMD="UK.AC", ADMD="GOLD 400", C="GB".
TEST(Rfc2156, s4_2_algorithmic_mapping_below_an_mcgam) {
  const auto ctx = gw();
  auto r = map_rfc822_to_x400("J.Smith@R-D.Salford.AC.UK", AddressRole::ipms, ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().address, orx("/I=J/S=Smith/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/"));
  EXPECT_EQ(r.value().explanation.rule, "§4.3.4 stage I (MCGAM)");
  EXPECT_EQ(r.value().explanation.source, "tests/vectors/addressing/rfc2156-table1.txt:6");
  EXPECT_EQ(to_822("/I=J/S=Smith/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", ctx), "J.Smith@R-D.Salford.AC.UK");
}

// §4.2: MCGAM HNE.EGM <-> O=HNE, ADMD=ECQ, C=TC with PRMD omitted;
// "ZI.HNE.EGM" maps with an OU (the RFC prints "OU=I", a typo for "OU=ZI").
TEST(Rfc2156, s4_2_omitted_attribute_is_skipped) {
  const auto ctx = gw();
  const OrAddress a = orx("/S=Kim/OU=ZI/O=HNE/ADMD=ECQ/C=TC/");
  EXPECT_EQ(to_x400("Kim@ZI.HNE.EGM", ctx), a);
  EXPECT_EQ(to_822("/S=Kim/OU=ZI/O=HNE/ADMD=ECQ/C=TC/", ctx), "Kim@ZI.HNE.EGM");
  // Appendix F §5 GMD.DE#O$@.PRMD$GMD...: the next label is an OU.
  EXPECT_EQ(to_x400("Kim@ZI.GMD.DE", ctx), orx("/S=Kim/OU=ZI/PRMD=GMD/ADMD=DBP/C=DE/"));
  EXPECT_EQ(to_822("/S=Kim/OU=ZI/PRMD=GMD/ADMD=DBP/C=DE/", ctx), "Kim@ZI.GMD.DE");
  // Appendix F §5 XEROX.COM leaves PRMD out; the next label is an OU.
  EXPECT_EQ(to_x400("Kim@Parc.XEROX.COM", ctx), orx("/S=Kim/OU=Parc/O=Xerox/ADMD=ATT/C=US/"));
}

// §4.3.2: RFC 822 encoded in X.400 with the RFC-822 domain-defined attribute.
TEST(Rfc2156, s4_3_2_rfc822_encoded_in_x400_examples) {
  const auto ctx = gw();
  EXPECT_EQ(to_822("C=GB; ADMD=GOLD 400; PRMD=UK.AC; O=UCL; OU=CS; DD.RFC-822=Jimmy(a)WIDGET-LABS.CO.UK", ctx),
            "Jimmy@WIDGET-LABS.CO.UK");
  EXPECT_EQ(to_822("C=TC; ADMD=Wizz.mail; PRMD=42; DD.rfc-822=postel(a)venera.isi.edu", ctx), "postel@venera.isi.edu");
}

// §4.3.2: longer than 128 characters: RFC822C1..C3, filled completely;
// longer than 512 cannot be encoded.
TEST(Rfc2156, s4_3_2_long_addresses_use_rfc822c1_to_c3) {
  const auto ctx = gw("/O=Gateway/PRMD=MIXER/ADMD= /C=XX/", "gw.example", false);
  const std::string local(200, 'a');
  auto r = map_rfc822_to_x400(local + "@example.org", AddressRole::ipms, ctx);
  ASSERT_TRUE(r.ok()) << r.error().text();
  const auto& d = r.value().address.ddas;
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].type, "RFC-822");
  EXPECT_EQ(d[0].value.size(), 128u);
  EXPECT_EQ(d[1].type, "RFC822C1");
  EXPECT_EQ(d[1].value, std::string(72, 'a') + "(a)example.org");
  auto back = map_x400_to_rfc822(r.value().address, AddressRole::ipms, ctx);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value().address, local + "@example.org");
  auto too_long = map_rfc822_to_x400(std::string(500, 'b') + "@example.org", AddressRole::ipms, ctx);
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().code, Errc::too_long);
  EXPECT_EQ(to_refusal(too_long.error(), AddressRole::ipms).enhanced_status, "5.1.3");
}

// §4.3.2: teletex RFC-822 attributes are read; both forms must agree.
TEST(Rfc2156, s4_3_2_teletex_rfc822_attributes) {
  const auto ctx = gw();
  OrAddress a = orx("/ADMD=x/C=GB/");
  a.ddas.push_back({"RFC-822", "fred(a)widget.co.uk", DdaForm::teletex});
  EXPECT_EQ(map_x400_to_rfc822(a, AddressRole::ipms, ctx).value().address, "fred@widget.co.uk");
  a.ddas.push_back({"RFC-822", "fred(a)widget.co.uk", DdaForm::printable});
  EXPECT_EQ(map_x400_to_rfc822(a, AddressRole::ipms, ctx).value().address, "fred@widget.co.uk");
  a.ddas.back().value = "joe(a)widget.co.uk";
  auto r = map_x400_to_rfc822(a, AddressRole::ipms, ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::conflict);
}

// §4.3.4 example 1: @relay.co.uk:userb@host2 ->
// c=gb; a= ; p=uk.ac; o=mr; dd.rfc-822=(a)relay.co.uk:userb(a)host2;
TEST(Rfc2156, s4_3_4_example1_source_route) {
  const auto ctx = gw("c=gb; a= ; p=uk.ac; o=mr", "mr.uk.example");
  auto r = map_rfc822_to_x400("@relay.co.uk:userb@host2", AddressRole::ipms, ctx);
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(upper_dda_types(r.value().address),
            upper_dda_types(orx("c=gb; a= ; p=uk.ac; o=mr; dd.rfc-822=(a)relay.co.uk:userb(a)host2;")));
  EXPECT_EQ(std_or(r.value().address), "/RFC-822=(a)relay.co.uk:userb(a)host2/O=mr/PRMD=uk.ac/ADMD= /C=gb/");
  // Mapping A restores the route-addr.
  EXPECT_EQ(map_x400_to_rfc822(r.value().address, AddressRole::ipms, ctx).value().address, "@relay.co.uk:userb@host2");
  // Stripping (RFC 1123 practice) is the configurable alternative.
  MappingContext strip = ctx;
  strip.heuristics.source_routes = SourceRoutes::strip;
  EXPECT_EQ(std_or(map_rfc822_to_x400("@relay.co.uk:userb@host2", AddressRole::ipms, strip).value().address),
            "/RFC-822=userb(a)host2/O=mr/PRMD=uk.ac/ADMD= /C=gb/");
  MappingContext local = ctx;
  local.heuristics.source_routes = SourceRoutes::strip_local;
  EXPECT_EQ(std_or(map_rfc822_to_x400("@mr.uk.example,@relay.co.uk:userb@host2", AddressRole::ipms, local).value().address),
            "/RFC-822=(a)relay.co.uk:userb(a)host2/O=mr/PRMD=uk.ac/ADMD= /C=gb/");
}

// §4.3.4 example 2: Tom_Harris@cs.widget.com -> c=us; a=MCI; P=relay; dd.rfc-822=Tom(u)Harris(a)cs.widget.com;
TEST(Rfc2156, s4_3_4_example2_non_printable_characters) {
  const auto ctx = gw("c=us; a=MCI; P=relay", "relay.example", false);  // "neither has applicable MCGAMs"
  auto r = map_rfc822_to_x400("Tom_Harris@cs.widget.com", AddressRole::ipms, ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(upper_dda_types(r.value().address), upper_dda_types(orx("c=us; a=MCI; P=relay; dd.rfc-822=Tom(u)Harris(a)cs.widget.com;")));
  EXPECT_EQ(r.value().explanation.rule, "§4.3.4 stage II (RFC-822 attribute at the local gateway)");
}

// §4.3.4 example 3: postmaster@UK.alter.net with alter.net in the preferred
// gateway table -> c=gb; a=BTglobal; P=relay; dd.rfc-822=postmaster(a)UK.alter.net;
TEST(Rfc2156, s4_3_4_example3_preferred_gateway) {
  const auto ctx = gw();
  auto r = map_rfc822_to_x400("postmaster@UK.alter.net", AddressRole::ipms, ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(upper_dda_types(r.value().address),
            upper_dda_types(orx("c=gb; a=BTglobal; P=relay; dd.rfc-822=postmaster(a)UK.alter.net;")));
  EXPECT_EQ(r.value().explanation.source, "tests/vectors/addressing/rfc2156-gateway-or.txt:4");
  // The SMTP return address always uses the local gateway (stage II).
  auto o = map_rfc822_to_x400("postmaster@UK.alter.net", AddressRole::smtp_originator, ctx);
  EXPECT_EQ(std_or(o.value().address), "/RFC-822=postmaster(a)UK.alter.net/O=Gateway/PRMD=MIXER/ADMD= /C=XX/");
  // With an MCGAM the encapsulation sits at the MCGAM's O/R address.
  auto m = map_rfc822_to_x400("john_doe@cs.ucl.AC.UK", AddressRole::smtp_originator, ctx);
  EXPECT_EQ(std_or(m.value().address), "/RFC-822=john(u)doe(a)cs.ucl.AC.UK/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
}

// §4.3.4 stage I steps 2-3: spaces and characters outside PrintableString
// send the address to stage II.
TEST(Rfc2156, s4_3_4_stage1_steps_2_and_3) {
  const auto ctx = gw();
  EXPECT_EQ(std_or(to_x400("\"a  b\"@Widget.COM", ctx)), "/RFC-822=(q)a $ b(q)(a)Widget.COM/O=Widget/ADMD=BTT/C=TC/");
  EXPECT_EQ(std_or(to_x400("\" ab\"@Widget.COM", ctx)), "/RFC-822=(q) ab(q)(a)Widget.COM/O=Widget/ADMD=BTT/C=TC/");
  EXPECT_EQ(std_or(to_x400("a+b@Widget.COM", ctx)), "/S=a+b/O=Widget/ADMD=BTT/C=TC/");
  EXPECT_EQ(std_or(to_x400("a&b@Widget.COM", ctx)), "/RFC-822=a(038)b(a)Widget.COM/O=Widget/ADMD=BTT/C=TC/");
  // "a b".c@x and "a b.c"@x are the same local-part (§4.3.5 step 5 quoting).
  EXPECT_EQ(to_x400("\"Mary Ann\".Smith@Widget.COM", ctx), to_x400("\"Mary Ann.Smith\"@Widget.COM", ctx));
  EXPECT_EQ(std_or(to_x400("\"Mary Ann\".Smith@Widget.COM", ctx)), "/G=Mary Ann/S=Smith/O=Widget/ADMD=BTT/C=TC/");
}

// §4.3.4 stage I step 6: a complete X.400 address in the local-part is used
// whatever the domain (X.400 encoded by another gateway, §4.3.1 reverse).
TEST(Rfc2156, s4_3_4_stage1_step6_complete_address_in_local_part) {
  const auto ctx = gw();
  auto r = map_rfc822_to_x400("\"/G=Harald/S=Alvestrand/O=uninett/PRMD=uninett/ADMD= /C=no/\"@other-gw.example",
                              AddressRole::smtp_recipient, ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().address, orx("C=no; ADMD=; PRMD=uninett; O=uninett; S=Alvestrand; G=Harald"));
  EXPECT_EQ(std_or(r.value().address), "/G=Harald/S=Alvestrand/O=uninett/PRMD=uninett/ADMD= /C=no/");
  EXPECT_EQ(r.value().explanation.rule, "§4.3.4 stage I (X.400 address encoded in the local-part, §4.3.1)");
  // The ";" input syntax works in a local-part too (switchable).
  EXPECT_EQ(std_or(to_x400("\"G=harald;S=alvestrand;O=uninett;P=uninett;A= ;C=no\"@x.example", ctx)),
            "/G=harald/S=alvestrand/O=uninett/PRMD=uninett/ADMD= /C=no/");
  MappingContext strict = ctx;
  strict.heuristics.semicolon_local_part = false;
  EXPECT_EQ(to_x400("\"G=harald;S=alvestrand;A= ;C=no\"@x.example", strict).ddas.size(), 1u);
}

// §4.3.4 stage I step 8 merge: LHS attributes win; RHS ones above them.
TEST(Rfc2156, s4_3_4_stage1_step8_merge_rules) {
  const auto ctx = gw();
  // O on the LHS: C, ADMD, PRMD from the RHS; the RHS O and OUs are dropped.
  EXPECT_EQ(std_or(to_x400("/S=x/O=Other/@cs.ucl.AC.UK", ctx)), "/S=x/O=Other/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
  // PRMD on the LHS: C and ADMD from the RHS.
  EXPECT_EQ(std_or(to_x400("/S=x/PRMD=P2/@cs.ucl.AC.UK", ctx)), "/S=x/PRMD=P2/ADMD=GOLD 400/C=GB/");
  // ADMD on the LHS: only C from the RHS.
  EXPECT_EQ(std_or(to_x400("/S=x/ADMD=A2/@cs.ucl.AC.UK", ctx)), "/S=x/ADMD=A2/C=GB/");
  // OU on the LHS without O: below the RHS OUs.
  EXPECT_EQ(std_or(to_x400("/S=x/OU=lab/@cs.ucl.AC.UK", ctx)), "/S=x/OU=lab/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
  // Upper bound: an OU label longer than 32 stops stage I (stage II with the attributes derived).
  const std::string longlabel(33, 'q');
  EXPECT_EQ(std_or(to_x400("x@" + longlabel + ".ucl.AC.UK", ctx)),
            "/RFC-822=x(a)" + longlabel + ".ucl.AC.UK/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
  // A fifth OU likewise.
  EXPECT_EQ(std_or(to_x400("x@e.d.c.b.a.ucl.AC.UK", ctx)),
            "/RFC-822=x(a)e.d.c.b.a.ucl.AC.UK/OU=d/OU=c/OU=b/OU=a/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
}

// §4.3.5 example 1: S=Support; O=sales; A=Master400; C=it; -> /S=Support/o=sales/@Master400.it
TEST(Rfc2156, s4_3_5_example1_attribute_omitted_below_prefix) {
  EXPECT_EQ(to_822("S=Support; O=sales;  A=Master400; C=it;", gw()), "/S=Support/O=sales/@Master400.it");
}

// §4.3.5 example 2: a component that is not domain-syntax stays on the LHS:
// "/S=renseignements/o=Region Parisienne/"@autoroutes.fr
TEST(Rfc2156, s4_3_5_example2_illegal_domain_characters) {
  EXPECT_EQ(to_822("S=renseignements; O=Region Parisienne; P=autoroutes; A=atlas; C=fr;", gw()),
            "\"/S=renseignements/O=Region Parisienne/\"@autoroutes.fr");
}

// §4.3.5 example 3: "/DD.cap=20100/DD.ph1=Via Larga 11/DD.city=Milano/S=Rossi/"@ptpostel.it
TEST(Rfc2156, s4_3_5_example3_domain_defined_attributes) {
  EXPECT_EQ(to_822("S=Rossi; DD.cap=20100; DD.ph1=Via Larga 11; DDA.city=Milano; A=PtPostel; C=it;", gw()),
            "\"/DD.cap=20100/DD.ph1=Via Larga 11/DD.city=Milano/S=Rossi/\"@ptpostel.it");
}

// §4.3.5 example 4: preferred gateway table A=ATT; C=us -> attmail.com:
// /G=Andy/S=Wharol/O=MMNY@attmail.com (the RFC drops the final "/").
TEST(Rfc2156, s4_3_5_example4_preferred_gateway_domain) {
  auto r = map_x400_to_rfc822(orx("G=Andy; S=Wharol; O=MMNY; A=ATT; C=us;"), AddressRole::ipms, gw());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().address, "/G=Andy/S=Wharol/O=MMNY/@attmail.com");
  EXPECT_EQ(r.value().explanation.source, "tests/vectors/addressing/rfc2156-gateway-domain.txt:4");
}

// §4.3.5 mapping B default: no MCGAM, the whole address at the gateway's domain.
TEST(Rfc2156, s4_3_5_default_std_or_at_gateway_domain) {
  const auto ctx = gw();
  auto r = map_x400_to_rfc822(orx("/G=Per/S=Hansen/O=Teledir/PRMD=Tele/ADMD=Telemax/C=NO/"), AddressRole::ipms, ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().address, "/G=Per/S=Hansen/O=Teledir/PRMD=Tele/ADMD=Telemax/C=NO/@gw.example");
  EXPECT_EQ(r.value().explanation.rule, "§4.3.5 mapping B (std-or at the local gateway)");
  EXPECT_EQ(to_822("/S=Smith/ADMD= /C=XX/", ctx), "\"/S=Smith/ADMD= /C=XX/\"@gw.example");
  // Step 5: an attribute outside the mnemonic form puts everything on the LHS.
  EXPECT_EQ(to_822("/X121=234219200300/UA-ID=1/ADMD=GOLD 400/C=GB/", ctx),
            "\"/X121=234219200300/UA-ID=1/ADMD=GOLD 400/C=GB/\"@gold-400.gb");
  // Step 4: at least one attribute stays on the LHS.
  EXPECT_EQ(to_822("/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", ctx), "/O=Salford/@AC.UK");
  // Step 1: spaces are squeezed for the lookup only.
  EXPECT_EQ(to_822("/S=x/PRMD= UK.AC /ADMD=GOLD  400/C=GB/", ctx), "x@AC.UK");
}

// §5.3.4.2 / §5.3.7 examples: X400-Originator and Final-Recipient.
TEST(Rfc2156, s5_3_examples_through_gold_400_mcgam) {
  const auto ctx = gw();
  EXPECT_EQ(std_or(to_x400("Stephen.Harrison@gosip-uk.hmg.gold-400.gb", ctx)),
            "/G=Stephen/S=Harrison/O=gosip-uk/PRMD=hmg/ADMD=GOLD 400/C=GB/");
  EXPECT_EQ(to_822("/I=j/S=nosuchuser/OU=dle/O=cambridge/PRMD=DGC/ADMD=GOLD 400/C=GB/", ctx),
            "j.nosuchuser@dle.cambridge.DGC.gold-400.gb");
  EXPECT_EQ(to_x400("j.nosuchuser@dle.cambridge.DGC.gold-400.gb", ctx),
            orx("/I=j/S=nosuchuser/OU=dle/O=cambridge/PRMD=DGC/ADMD=GOLD 400/C=GB/"));
}

// §4.4.1: C=XX, ADMD=YY, O=ZZ, RFC-822=Smith(a)ZZ.YY.XX comes back to
// C=XX, ADMD=YY, O=ZZ, S=Smith with no conversion.
TEST(Rfc2156, s4_4_1_recursive_mapping) {
  const auto ctx = gw();
  const OrAddress in = orx("/RFC-822=Smith(a)ZZ.YY.XX/O=ZZ/ADMD=YY/C=XX/");
  EXPECT_EQ(map_x400_to_rfc822(in, AddressRole::ipms, ctx).value().address, "Smith@ZZ.YY.XX");
  auto rec = recursive_x400(in, ctx);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->address, orx("/S=Smith/O=ZZ/ADMD=YY/C=XX/"));
  EXPECT_EQ(rec->explanation.rule, "§4.4.1 recursive mapping");
  // An RFC 822 address with no MCGAM here is not recursive.
  EXPECT_FALSE(recursive_x400(orx("/RFC-822=Smith(a)example.org/O=ZZ/ADMD=YY/C=XX/"), ctx));
  // Nor one that the MCGAM could only encapsulate again (that would loop).
  EXPECT_FALSE(recursive_x400(orx("/RFC-822=john(u)doe(a)ZZ.YY.XX/O=ZZ/ADMD=YY/C=XX/"), ctx));
}

// §4.4.2: Joe.Soap@Widget.PTT.XY through two gateways is restored; the
// source-routed examples reach their final addresses.
TEST(Rfc2156, s4_4_2_source_routes) {
  const auto ctx = gw();
  const OrAddress mid = to_x400("Joe.Soap@Widget.PTT.XY", ctx);
  EXPECT_EQ(mid, orx("/G=Joe/S=Soap/O=Widget Corporation/PRMD=Griddle MHS/ADMD=PTT/C=XY/"));
  EXPECT_EQ(map_x400_to_rfc822(mid, AddressRole::ipms, gw("/O=GW2/ADMD=B/C=XY/", "gw2.example")).value().address,
            "Joe.Soap@Widget.PTT.XY");
  // X.400 -> RFC 822 -> X.400: "/PN=Duval/DD.Title=Manager/(a)Inria.ATLAS.FR".
  const std::string hop1 = map_x400_to_rfc822(orx("/RFC-822=$/PN$=Duval$/DD.Title$=Manager$/(a)Inria.ATLAS.FR/PRMD=UK.AC/ADMD=Gold 400/C=UK/"),
                                              AddressRole::ipms, ctx)
                               .value()
                               .address;
  EXPECT_EQ(hop1, "/PN=Duval/DD.Title=Manager/@Inria.ATLAS.FR");
  EXPECT_EQ(to_x400(hop1, ctx), orx("/DD.Title=Manager/S=Duval/PRMD=Inria/ADMD=ATLAS/C=FR/"));
  // RFC 822 -> X.400 -> RFC 822.
  const OrAddress x = to_x400("\"/RFC-822=jj(a)seismo.css.gov/PRMD=AC/ADMD=BT/C=GB/\"@monet.berkeley.edu", ctx);
  EXPECT_EQ(x, orx("/RFC-822=jj(a)seismo.css.gov/PRMD=AC/ADMD=BT/C=GB/"));
  EXPECT_EQ(map_x400_to_rfc822(x, AddressRole::ipms, ctx).value().address, "jj@seismo.css.gov");
}

// §4.4.2 as printed: PRMD "Griddle MHS Providers" has 21 characters, over
// ub-domain-name-length (16): the table loader refuses the entry.
TEST(Rfc2156, s4_4_2_rfc_example_exceeds_x411_bound) {
  auto r = MappingTable::parse("Widget.PTT.XY#O$Widget Corporation.PRMD$Griddle MHS Providers.ADMD$PTT.C$XY#\n",
                               "t", TableKind::table1, TableScope::shared);
  ASSERT_TRUE(std::holds_alternative<std::vector<TableError>>(r));
  EXPECT_EQ(std::get<std::vector<TableError>>(r).front().text(),
            "t:1: right side 'O$Widget Corporation.PRMD$Griddle MHS Providers.ADMD$PTT.C$XY': PRMD value 'Griddle MHS "
            "Providers' longer than 16 (RFC 2156 Appendix F §5)");
}

// Bad input is refused with a reason, never altered.
TEST(Rfc2156, s4_3_refusals) {
  const auto ctx = gw();
  auto a = map_rfc822_to_x400("caf\xC3\xA9@example.org", AddressRole::smtp_recipient, ctx);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, Errc::not_representable);
  EXPECT_EQ(to_refusal(a.error(), AddressRole::smtp_recipient).enhanced_status, "5.1.1");
  EXPECT_EQ(to_refusal(a.error(), AddressRole::smtp_recipient).x411_diagnostic, 0);
  auto b = map_rfc822_to_x400("no-domain", AddressRole::smtp_recipient, ctx);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(to_refusal(b.error(), AddressRole::smtp_recipient).enhanced_status, "5.1.3");
  EXPECT_EQ(to_refusal(b.error(), AddressRole::smtp_originator).enhanced_status, "5.1.7");
  auto c = map_x400_to_rfc822(orx("/RFC-822=not an address/ADMD=x/C=GB/"), AddressRole::ipms, ctx);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().section, "RFC 2156 §4.3.5 mapping A");
  OrAddress u;
  u.organization.universal = UniversalString{"\xE4\xB8\xAD", "", false};
  u.country = Text::of("CN");
  u.admd = Text::of(" ");
  auto d = map_x400_to_rfc822(u, AddressRole::ipms, ctx);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().code, Errc::not_representable);
  // Four DDAs on the gateway leave no room for the RFC-822 attribute.
  auto full = gw("/DD.a=1/DD.b=2/DD.c=3/DD.d=4/O=G/ADMD= /C=XX/", "gw.example", false);
  auto e = map_rfc822_to_x400("x_y@example.org", AddressRole::ipms, full);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, Errc::upper_bound);
}

// §4.3.4.1 through the mapping: the heuristic is a switch of the context.
TEST(Rfc2156, s4_3_4_1_heuristic_in_rfc822_to_x400) {
  auto ctx = gw();
  const char* in = "\"/S=x/O=Univ/OU=Salford/OU=R-D/ADMD=y/C=zz/\"@other.example";
  EXPECT_EQ(std_or(to_x400(in, ctx)), "/S=x/OU=Salford/OU=R-D/O=Univ/ADMD=y/C=zz/");  // §4.3.3 order
  ctx.heuristics.inverted_ou_order = true;
  auto r = map_rfc822_to_x400(in, AddressRole::smtp_recipient, ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std_or(r.value().address), "/S=x/OU=R-D/OU=Salford/O=Univ/ADMD=y/C=zz/");
  EXPECT_EQ(r.value().explanation.steps.front().text, "local-part parsed as std-or-address (OU order inverted, §4.3.4.1)");
}
