// tests/unit/addressing/map_command_test.cpp: the `mixer map` body, single
// address with --explain and batch TSV over the RFC 2156 examples
// (tests/vectors/addressing/map-batch.in -> map-batch.tsv).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "addressing/map_command.hpp"
#include "addressing/routing.hpp"
#include "helpers.hpp"

using namespace mixer::addressing;
using namespace mixer::addressing::test;

namespace {

MappingContext rfc_context() {
  const std::string dir = "tests/vectors/addressing/";
  auto r = MappingTables::load({{dir + "rfc2156-table1.txt", TableKind::table1, TableScope::shared},
                                {dir + "rfc2156-table2.txt", TableKind::table2, TableScope::shared},
                                {dir + "rfc2156-gateway-or.txt", TableKind::gateway_or, TableScope::shared},
                                {dir + "rfc2156-gateway-domain.txt", TableKind::gateway_domain, TableScope::shared}});
  EXPECT_TRUE(std::holds_alternative<MappingTables::Ptr>(r));
  return context("/O=Gateway/PRMD=MIXER/ADMD= /C=XX/", "gw.example", std::get<MappingTables::Ptr>(r));
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

}  // namespace

TEST(MixerMap, single_address_plain_and_explained) {
  const auto ctx = rfc_context();
  std::ostringstream out;
  EXPECT_EQ(run_map("J.Smith@R-D.Salford.AC.UK", {}, ctx, out), 0);
  EXPECT_EQ(out.str(), "/I=J/S=Smith/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\n");
  std::ostringstream ex;
  MapCommandOptions o;
  o.explain = true;
  EXPECT_EQ(run_map("J.Smith@R-D.Salford.AC.UK", o, ctx, ex), 0);
  EXPECT_EQ(ex.str(),
            "result: /I=J/S=Smith/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\n"
            "to: x400\n"
            "rule: RFC 2156 §4.3.4 stage I (MCGAM)\n"
            "table: tests/vectors/addressing/rfc2156-table1.txt:6\n"
            "  RFC 2156 §4.1.2: local-part parsed as encoded-pn\n"
            "  RFC 2156 §4.3.4 stage I step 8: MCGAM 'PRMD$UK\\.AC.ADMD$GOLD 400.C$GB' matches 2 label(s); subdomains give "
            "O=Salford, OU=R-D [tests/vectors/addressing/rfc2156-table1.txt:6]\n");
  std::ostringstream back;
  o.direction = MapDirection::to_rfc822;
  EXPECT_EQ(run_map("/I=J/S=Smith/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/", o, ctx, back), 0);
  EXPECT_EQ(back.str(),
            "result: J.Smith@R-D.Salford.AC.UK\n"
            "to: rfc822\n"
            "rule: RFC 2156 §4.3.5 mapping B (MCGAM)\n"
            "table: tests/vectors/addressing/rfc2156-table2.txt:5\n"
            "  RFC 2156 §4.3.5 mapping B step 3: MCGAM 3 level(s) -> 'AC.UK' [tests/vectors/addressing/rfc2156-table2.txt:5]\n"
            "  RFC 2156 §4.3.5 mapping B step 4: subdomains from O=Salford, OU=R-D\n"
            "  RFC 2156 §4.1.2: remaining attributes are a personal name: encoded-pn\n");
}

TEST(MixerMap, refusal_names_reason_and_status) {
  const auto ctx = rfc_context();
  std::ostringstream out;
  EXPECT_EQ(run_map("/S=x_y/ADMD=a/C=GB/", {}, ctx, out), 1);
  EXPECT_EQ(out.str(), "refused: S value 'x_y' has '_', which is not a PrintableString character (RFC 2156 §3.3.3) [5.1.3, X.411 1/0]\n");
  // RFC 2156 §5.1.8.4 X.1.7: a sender's bad address is invalid-arguments (1/11).
  std::ostringstream sender;
  MapCommandOptions o;
  o.role = AddressRole::smtp_originator;
  EXPECT_EQ(run_map("caf\xC3\xA9@example.org", o, ctx, sender), 1);
  EXPECT_EQ(sender.str(), "refused: 'caf\xC3\xA9@example.org': octet 195 is not ASCII and cannot be encoded in PrintableString "
                          "(RFC 2156 §4.3.4 stage II step 1) [5.1.7, X.411 1/11]\n");
}

TEST(MixerMap, batch_tsv_of_rfc2156_examples) {
  const auto ctx = rfc_context();
  std::istringstream in(slurp("tests/vectors/addressing/map-batch.in"));
  std::ostringstream out;
  EXPECT_EQ(run_map_batch(in, {}, ctx, out), 1);  // two lines are refused
  EXPECT_EQ(out.str(), slurp("tests/vectors/addressing/map-batch.tsv"));
}

// §4.3.4 "SMTP Recipient": MCGAM domains, the gateway's own domain and the
// private list go to X.400; preferred-gateway tables never decide.
TEST(Rfc2156, s4_3_4_smtp_recipient_routing) {
  const auto ctx = rfc_context();
  auto mcgam = route_smtp_recipient("J.Smith@R-D.Salford.AC.UK", ctx);
  EXPECT_TRUE(mcgam.x400);
  EXPECT_EQ(mcgam.why, "table1 MCGAM tests/vectors/addressing/rfc2156-table1.txt:6");
  ASSERT_TRUE(mcgam.mapping);
  EXPECT_EQ(std_or(mcgam.mapping->address), "/I=J/S=Smith/OU=R-D/O=Salford/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
  auto own = route_smtp_recipient("\"/S=Smith/O=Widget/ADMD=BTT/C=TC/\"@gw.example", ctx);
  EXPECT_TRUE(own.x400);
  EXPECT_EQ(own.why, "gateway domain");
  ASSERT_TRUE(own.mapping);
  auto loop = route_smtp_recipient("john@gw.example", ctx);
  EXPECT_TRUE(loop.x400);
  ASSERT_TRUE(loop.refusal);
  EXPECT_EQ(loop.refusal->smtp_code, 550);
  EXPECT_EQ(loop.refusal->enhanced_status, "5.1.1");
  EXPECT_EQ(loop.refusal->rule, "RFC 2156 §4.3.1");
  EXPECT_FALSE(route_smtp_recipient("someone@UK.alter.net", ctx).x400);  // gateway-or table only
  auto island = route_smtp_recipient("bob@lab.island.example", ctx, {".island.example"});
  EXPECT_TRUE(island.x400);
  EXPECT_EQ(std_or(island.mapping->address), "/RFC-822=bob(a)lab.island.example/O=Gateway/PRMD=MIXER/ADMD= /C=XX/");
  EXPECT_FALSE(route_smtp_recipient("bob@island.example", ctx, {".island.example"}).x400);
  auto bad = route_smtp_recipient("caf\xC3\xA9@Widget.COM", ctx);
  EXPECT_TRUE(bad.x400);
  ASSERT_TRUE(bad.refusal);
  EXPECT_EQ(bad.refusal->enhanced_status, "5.1.1");
  EXPECT_EQ(bad.refusal->smtp_text(),
            "'caf??@Widget.COM': octet 195 is not ASCII and cannot be encoded in PrintableString "
            "(RFC 2156 section 4.3.4 stage II step 1)");
}

// The sample tables shipped under conf/tables/ load and map the default
// config's X.400 domain both ways.
TEST(MixerMap, shipped_sample_tables) {
  auto r = MappingTables::load({{"conf/tables/mcgam-table1.txt", TableKind::table1, TableScope::shared},
                                {"conf/tables/mcgam-table2.txt", TableKind::table2, TableScope::shared},
                                {"conf/tables/local-table1.txt", TableKind::table1, TableScope::local},
                                {"conf/tables/gateway-or.txt", TableKind::gateway_or, TableScope::shared},
                                {"conf/tables/gateway-domain.txt", TableKind::gateway_domain, TableScope::shared}});
  ASSERT_TRUE(std::holds_alternative<MappingTables::Ptr>(r)) << std::get<std::vector<TableError>>(r).front().text();
  const auto ctx = context("/C=XX/ADMD= /PRMD=MIXER/O=Gateway/", "mixer.localhost", std::get<MappingTables::Ptr>(r));
  std::ostringstream out;
  EXPECT_EQ(run_map("john.smith@sales.x400.example", {}, ctx, out), 0);
  EXPECT_EQ(out.str(), "/G=john/S=smith/O=sales/PRMD=EXAMPLE/ADMD= /C=XX/\n");
  std::ostringstream back;
  EXPECT_EQ(run_map("/G=john/S=smith/O=sales/PRMD=EXAMPLE/ADMD= /C=XX/", {}, ctx, back), 0);
  EXPECT_EQ(back.str(), "john.smith@sales.x400.example\n");
}
