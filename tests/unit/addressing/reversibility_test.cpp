// tests/unit/addressing/reversibility_test.cpp: X.400 -> RFC 822 -> X.400
// gives back the same O/R address, attribute for attribute and string type
// for string type, for values a review found lost or refused: the
// zero-length ADMD (RFC 2156 §4.3.5 step 1), a T.61 surname beside a given
// name in PrintableString characters (§3.3.4, §4.3.1), and the null
// attributes of X.400(1984) (Appendix B). The addresses are built as the
// p1/ decoder folds them (teletex forms in Text::teletex), not parsed.
#include <gtest/gtest.h>

#include "addressing/mapping.hpp"
#include "addressing/routing.hpp"
#include "helpers.hpp"

using namespace mixer::addressing;
using namespace mixer::addressing::test;

namespace {

const char* kTable1 = "Widget.COM#O$Widget.ADMD$BTT.C$TC#\nmcgam.example#PRMD$EXAMPLE.ADMD$ .C$XX#\n";
const char* kTable2 = "O$Widget.ADMD$BTT.C$TC#Widget.COM#\nPRMD$EXAMPLE.ADMD$ .C$XX#mcgam.example#\n";

MappingContext gw() {
  return context("/O=Gateway/PRMD=MIXER/ADMD= /C=XX/", "gw.example",
                 tables_from({{"t1", TableKind::table1, kTable1}, {"t2", TableKind::table2, kTable2}}));
}

Text teletex(std::string octets) {
  Text t;
  t.teletex = std::move(octets);
  return t;
}

// Maps `a` to RFC 822, expects `want`, maps back and expects `a` again.
void round_trip(const OrAddress& a, const std::string& want) {
  const auto ctx = gw();
  {
    auto v = validate_x402(a);
    ASSERT_TRUE(v.ok()) << v.error().text();
  }
  auto out = map_x400_to_rfc822(a, AddressRole::ipms, ctx);
  ASSERT_TRUE(out.ok()) << out.error().text();
  EXPECT_EQ(out.value().address, want);
  for (auto role : {AddressRole::ipms, AddressRole::smtp_recipient}) {
    auto back = map_rfc822_to_x400(out.value().address, role, ctx);
    ASSERT_TRUE(back.ok()) << back.error().text();
    EXPECT_FALSE(back.value().encapsulated) << out.value().address;
    EXPECT_EQ(back.value().address, a) << out.value().address;
  }
}

// The Errc validate_x411() refuses `a` with; nullopt when it passes.
std::optional<Errc> refused(const OrAddress& a) {
  auto r = validate_x411(a);
  if (r.ok()) return std::nullopt;
  return r.error().code;
}

OrAddress smith_at(Text admd) {
  OrAddress a;
  a.country = Text::of("XX");
  a.admd = std::move(admd);
  a.prmd = Text::of("P");
  a.organization = Text::of("Org");
  a.personal_name.surname = Text::of("Smith");
  return a;
}

}  // namespace

// §4.3.5 step 1: "The only attribute which is permitted to have zero length
// is the ADMD. This shall be mapped onto a single space. These
// transformations are for lookup only. If an EBNF.std-or-address mapping is
// used as in 4), then the original values shall be used."
TEST(Rfc2156, s4_3_5_empty_admd_kept) {
  const OrAddress empty = smith_at(Text::of(""));
  round_trip(empty, "/S=Smith/O=Org/PRMD=P/ADMD=/C=XX/@gw.example");
  EXPECT_NE(empty, smith_at(Text::of(" ")));
  // std-or text: "ADMD=" is the zero-length value, an absent ADMD beside a C
  // a single space (§4.1.3), as is RFC 1685's labelled "ADMD=;" (F.3.2.1).
  EXPECT_EQ(*orx("/S=Smith/ADMD=/C=XX/").admd.printable, "");
  EXPECT_EQ(std_or(orx("/S=Smith/ADMD=/C=XX/")), "/S=Smith/ADMD=/C=XX/");
  EXPECT_EQ(*orx("/S=Smith/C=XX/").admd.printable, " ");
  EXPECT_EQ(*orx("S=Smith; ADMD=; C=XX").admd.printable, " ");
  // For lookup the zero-length ADMD is a space: the MCGAM with ADMD " " applies.
  OrAddress m = empty;
  m.prmd = Text::of("EXAMPLE");
  m.organization = Text{};
  auto r = map_x400_to_rfc822(m, AddressRole::ipms, gw());
  ASSERT_TRUE(r.ok()) << r.error().text();
  EXPECT_EQ(r.value().address, "Smith@mcgam.example");
}

// §3.3.4 / §4.3.1: encoded-pn is for non-teletex names only, so a T.61
// surname goes in the std-or local-part ("*" and "{ddd}", §4.3.4 stage I
// step 3 accepts them) beside a given name that §4.1.1 writes as printable;
// read back, the given name is the TeletexPersonalName's (X.411: a printable
// PersonalName needs its own surname).
TEST(Rfc2156, s4_3_1_teletex_surname_with_printable_given_name) {
  OrAddress a;
  a.country = Text::of("TC");
  a.admd = Text::of("BTT");
  a.organization = Text::of("Widget");
  a.personal_name.given_name = teletex("Hans");
  a.personal_name.surname = teletex("M\xFCller");
  round_trip(a, "/G=Hans/S=*M{252}ller/@Widget.COM");
  // Without an MCGAM: the whole address at the gateway's domain.
  OrAddress b = a;
  b.country = Text::of("XX");
  b.admd = Text::of("A");
  round_trip(b, "/G=Hans/S=*M{252}ller/O=Widget/ADMD=A/C=XX/@gw.example");
  // The other way round: a T.61 given name beside a surname in printable characters.
  OrAddress c = a;
  c.personal_name.given_name = teletex("J\xFCrg");
  c.personal_name.surname = teletex("Smith");
  round_trip(c, "/G=*J{252}rg/S=Smith/@Widget.COM");
  // Both forms of the surname (written once when equal, §4.1.1) beside a
  // given name with two different forms.
  OrAddress d = a;
  d.personal_name.given_name.printable = "Hans";
  d.personal_name.given_name.teletex = "H\xE4ns";
  d.personal_name.surname = Text::of("Smith");
  d.personal_name.surname.teletex = "Smith";
  round_trip(d, "/G=Hans*H{228}ns/S=Smith/@Widget.COM");
  // At the gateway's own domain the RCPT is routed to X.400, not refused.
  auto route = route_smtp_recipient("/G=Hans/S=*M{252}ller/O=Widget/ADMD=A/C=XX/@gw.example", gw());
  EXPECT_TRUE(route.x400);
  EXPECT_FALSE(route.refusal);
  ASSERT_TRUE(route.mapping);
  EXPECT_EQ(route.mapping->address, b);
  // A name no reading makes valid is still refused: a printable given name
  // with two forms has no printable surname.
  OrAddress e = a;
  e.personal_name.given_name.printable = "Hans";
  e.personal_name.given_name.teletex = "H\xE4ns";
  EXPECT_EQ(refused(orx(std_or(e))), Errc::not_x400_address);
}

// Appendix B: "some systems generate them and rely on them. Therefore, any
// null attribute shall be enoded using the std-or encoding (e.g., /O=/)."
// Each X.400(1984) attribute with a zero-length value goes through and back.
TEST(Rfc2156, appendix_b_null_attributes_kept) {
  const OrAddress base = smith_at(Text::of("A"));
  struct Row {
    const char* name;
    void (*set)(OrAddress&);
    const char* rfc822;
  };
  const Row rows[] = {
      {"O", [](OrAddress& a) { a.organization = Text::of(""); }, "/S=Smith/O=/PRMD=P/ADMD=A/C=XX/@gw.example"},
      {"PRMD", [](OrAddress& a) { a.prmd = Text::of(""); }, "/S=Smith/O=Org/PRMD=/ADMD=A/C=XX/@gw.example"},
      {"OU", [](OrAddress& a) { a.organizational_units = {Text::of("lab"), Text::of("")}; },
       "/S=Smith/OU=/OU=lab/O=Org/PRMD=P/ADMD=A/C=XX/@gw.example"},
      {"S", [](OrAddress& a) { a.personal_name.surname = Text::of(""); }, "/S=/O=Org/PRMD=P/ADMD=A/C=XX/@gw.example"},
      {"G", [](OrAddress& a) { a.personal_name.given_name = Text::of(""); },
       "/G=/S=Smith/O=Org/PRMD=P/ADMD=A/C=XX/@gw.example"},
      {"I", [](OrAddress& a) { a.personal_name.initials = Text::of(""); },
       "/I=/S=Smith/O=Org/PRMD=P/ADMD=A/C=XX/@gw.example"},
      {"GQ", [](OrAddress& a) { a.personal_name.generation_qualifier = Text::of(""); },
       "/S=Smith/GQ=/O=Org/PRMD=P/ADMD=A/C=XX/@gw.example"},
      {"DD", [](OrAddress& a) { a.ddas = {{"Title", "", DdaForm::printable}}; },
       "/DD.Title=/S=Smith/O=Org/PRMD=P/ADMD=A/C=XX/@gw.example"},
      {"C", [](OrAddress& a) { a.country = Text::of(""); }, "/S=Smith/O=Org/PRMD=P/ADMD=A/C=/@gw.example"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.name);
    OrAddress a = base;
    r.set(a);
    round_trip(a, r.rfc822);
  }
  // Below an MCGAM the null value stays on the left-hand side (not domain-syntax).
  OrAddress w;
  w.country = Text::of("TC");
  w.admd = Text::of("BTT");
  w.organization = Text::of("Widget");
  w.organizational_units = {Text::of("")};
  w.personal_name.surname = Text::of("Smith");
  round_trip(w, "/S=Smith/OU=/@Widget.COM");
  // Numeric and terminal forms: X121, T-ID and UA-ID.
  OrAddress n;
  n.country = Text::of("XX");
  n.admd = Text::of("A");
  n.numeric_user_identifier = Text::of("");
  n.numeric_user_identifier.numeric = true;
  round_trip(n, "/UA-ID=/ADMD=A/C=XX/@gw.example");
  OrAddress t;
  t.network_address = Text::of("1234");
  t.network_address.numeric = true;
  t.terminal_identifier = Text::of("");
  round_trip(t, "/X121=1234/T-ID=/@gw.example");
}

// Appendix B: zero length "is not legal in 1988, except for ADMD": the
// X.400(1988) extension attributes, teletex forms and DD types keep X.411's
// lower bound of 1.
TEST(Rfc2156, appendix_b_null_values_of_1988_attributes_refused) {
  OrAddress a = smith_at(Text::of("A"));
  a.common_name = Text::of("");
  EXPECT_EQ(refused(a), Errc::upper_bound);
  a = smith_at(Text::of("A"));
  a.organization = teletex("");
  EXPECT_EQ(refused(a), Errc::upper_bound);
  a = smith_at(Text::of("A"));
  a.postal_mut().street_address = Text::of("");
  EXPECT_EQ(refused(a), Errc::upper_bound);
  a = smith_at(Text::of("A"));
  a.ddas = {{"", "x", DdaForm::printable}};
  EXPECT_EQ(refused(a), Errc::upper_bound);
  a = smith_at(Text::of("A"));
  a.ddas = {{"T", "", DdaForm::teletex}};
  EXPECT_EQ(refused(a), Errc::upper_bound);
  // A non-empty C still has X.411's fixed sizes.
  a = smith_at(Text::of("A"));
  a.country = Text::of("X");
  EXPECT_EQ(refused(a), Errc::invalid_value);
}

// Appendix B: null attributes are "not legal in 1988, except for ADMD". For an
// X.400(1988) next hop (NullAttributes::not_legal) a std-or local part with one is
// treated as an RFC 822 address, as Appendix B says of the std-or forms 1984 cannot
// take: stage II, the RFC-822 DDA at the gateway (originator) or the preferred
// gateway (IPMS). The encapsulated address maps back to the same RFC 822 address
// (§4.3.5 Mapping A), whose X.400 form is the 1984 one again.
TEST(Rfc2156, appendix_b_null_attributes_for_an_x400_1988_next_hop_are_encapsulated) {
  const auto ctx = gw();
  for (const char* rfc822 : {"/S=Smith/O=/PRMD=P/ADMD=A/C=XX/@gw.example", "/S=Smith/O=Org/PRMD=P/ADMD=A/C=/@gw.example",
                             "/S=/O=Org/PRMD=P/ADMD=A/C=XX/@gw.example", "/S=Smith/OU=/@Widget.COM"}) {
    SCOPED_TRACE(rfc822);
    auto kept = map_rfc822_to_x400(rfc822, AddressRole::ipms, ctx);
    ASSERT_TRUE(kept.ok()) << kept.error().text();
    EXPECT_FALSE(kept.value().encapsulated);
    EXPECT_FALSE(validate_x411_for_1988(kept.value().address).ok());
    for (auto role : {AddressRole::ipms, AddressRole::smtp_originator}) {
      auto x = map_rfc822_to_x400(rfc822, role, ctx, NullAttributes::not_legal);
      ASSERT_TRUE(x.ok()) << x.error().text();
      EXPECT_TRUE(x.value().encapsulated);
      EXPECT_TRUE(validate_x411_for_1988(x.value().address).ok());
      bool noted = false;
      for (const auto& s : x.value().explanation.steps) noted = noted || s.section == "RFC 2156 Appendix B";
      EXPECT_TRUE(noted);
      auto back = map_x400_to_rfc822(x.value().address, AddressRole::ipms, ctx);
      ASSERT_TRUE(back.ok()) << back.error().text();
      EXPECT_EQ(back.value().address, rfc822);
    }
  }
  // The null ADMD is legal in 1988 (§4.3.5): not encapsulated.
  auto admd = map_rfc822_to_x400("/S=Smith/O=Org/PRMD=P/ADMD=/C=XX/@gw.example", AddressRole::ipms, ctx,
                                 NullAttributes::not_legal);
  ASSERT_TRUE(admd.ok()) << admd.error().text();
  EXPECT_FALSE(admd.value().encapsulated);
  // Nor is an address without null attributes.
  auto plain = map_rfc822_to_x400("/S=Smith/O=Org/PRMD=P/ADMD=A/C=XX/@gw.example", AddressRole::ipms, ctx,
                                  NullAttributes::not_legal);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain.value().encapsulated);
}
