// tests/unit/addressing/roundtrip_test.cpp: properties over generated
// addresses. Two gateways A and B share symmetrical MCGAM pairs:
//  - RFC 822 -> X.400 at A -> RFC 822 at B returns the original address
//    (§4.3.2 encapsulation, §4.3.5 mapping A; §4.4.2 reversibility);
//  - X.400 -> RFC 822 at A -> X.400 at B returns the original O/R address
//    (§4.3.1 std-or encapsulation, §4.3.4 stage I; MCGAM symmetry §4.2);
//  - every generated std-or string parses back to the address it came from.
// Fixed seeds: a failure is reproducible.
#include <gtest/gtest.h>

#include <random>

#include "addressing/charset.hpp"
#include "addressing/mapping.hpp"
#include "helpers.hpp"

using namespace mixer::addressing;
using namespace mixer::addressing::test;

namespace {

const char* kTable1 =
    "Widget.COM#O$Widget.ADMD$BTT.C$TC#\n"
    "AC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#\n"
    "GMD.DE#O$@.PRMD$GMD.ADMD$DBP.C$DE#\n";
const char* kTable2 =
    "O$Widget.ADMD$BTT.C$TC#Widget.COM#\n"
    "PRMD$UK\\.AC.ADMD$GOLD 400.C$GB#AC.UK#\n"
    "O$@.PRMD$GMD.ADMD$DBP.C$DE#GMD.DE#\n";

struct Gateways {
  MappingContext a, b;
  Gateways() {
    auto t = tables_from({{"t1", TableKind::table1, kTable1}, {"t2", TableKind::table2, kTable2}});
    a = context("/O=GWA/PRMD=PA/ADMD= /C=XA/", "gwa.example", t);
    b = context("/O=GWB/PRMD=PB/ADMD=BB/C=XB/", "gwb.example", t);
  }
};

struct Gen {
  std::mt19937 rng;
  explicit Gen(unsigned seed) : rng(seed) {}
  int n(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
  bool coin(int percent = 50) { return n(1, 100) <= percent; }
  char pick(std::string_view s) { return s[static_cast<std::size_t>(n(0, static_cast<int>(s.size()) - 1))]; }
  std::string str(std::string_view alphabet, int lo, int hi) {
    std::string s;
    for (int i = n(lo, hi); i > 0; --i) s += pick(alphabet);
    return s;
  }
  // PrintableString values, spaces and '/', '=', '(' included.
  std::string ps(int lo, int hi) { return str("abcXYZ019 '()+,-./:=?", lo, hi); }
  std::string label(int lo, int hi) {
    std::string s = str("abcdefghijklmnopqrstuvwxyz0123456789-", lo, hi);
    s.front() = 'a';
    s.back() = 'z';
    return s;
  }
  Text pt(int hi, bool teletex_only_allowed = true) {
    Text t = Text::of(ps(1, hi));
    if (coin(15)) {  // a teletex form that differs, with a non-ps octet
      std::string tt = str("abc \xA5\xE9\x01/=", 1, hi);
      tt[0] = '\xE9';
      t.teletex = tt;
      if (teletex_only_allowed && coin(30)) t.printable.reset();
    }
    return t;
  }
  Text numeric_choice(std::string v) {
    Text t = Text::of(v);
    t.numeric = is_all_digits(v);
    return t;
  }
};

// A random valid O/R address; `mcgam` picks a hierarchy prefix from the tables.
OrAddress random_or(Gen& g, int mcgam) {
  OrAddress a;
  switch (mcgam) {
    case 1:
      a.country = Text::of("TC"), a.admd = Text::of("BTT"), a.organization = Text::of("Widget");
      break;
    case 2:
      a.country = Text::of("GB"), a.admd = Text::of("GOLD 400"), a.prmd = Text::of("UK.AC");
      if (g.coin(70)) a.organization = g.coin() ? Text::of(g.label(2, 10)) : g.pt(20);
      break;
    case 3:
      a.country = Text::of("DE"), a.admd = Text::of("DBP"), a.prmd = Text::of("GMD");
      break;
    default:
      a.country = g.coin(80) ? Text::of(g.str("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 2, 2)) : g.numeric_choice(g.str("0123456789", 3, 3));
      a.admd = g.coin(30) ? Text::of(g.coin() ? " " : "") : g.numeric_choice(g.ps(1, 16));  // §4.3.5 step 1
      if (g.coin(60)) a.prmd = g.numeric_choice(g.ps(0, 16));  // Appendix B: null values of 1984 attributes
      if (g.coin(70)) a.organization = g.coin(5) ? Text::of("") : g.pt(64);
  }
  const int form = mcgam ? 0 : g.n(0, 9);
  if (form == 7) {  // numeric form
    a.organization = Text{};
    a.numeric_user_identifier = g.numeric_choice(g.str("0123456789", 1, 32));
    a.numeric_user_identifier.numeric = true;
    return a;
  }
  if (form == 8) {  // terminal form
    a = OrAddress{};
    a.network_address = Text::of(g.str("0123456789", 1, 16));
    a.network_address.numeric = true;
    if (g.coin()) a.terminal_identifier = Text::of(g.ps(1, 24));
    if (g.coin()) a.terminal_type = g.n(3, 8);
    return a;
  }
  if (form == 9) {  // postal form
    a.organization = Text{};
    a.postal_mut().pd_country = Text::of("GB");
    a.postal_mut().postal_code = g.numeric_choice(g.coin() ? g.str("0123456789", 1, 16) : g.ps(1, 16));
    if (g.coin()) a.postal_mut().street_address = g.pt(30);
    if (g.coin()) {
      UnformattedPostalAddress u;
      for (int i = g.n(1, 6); i > 0; --i) u.lines.push_back(g.ps(1, 30));
      a.postal_mut().unformatted_postal_address = u;
    }
    if (g.coin(30)) a.postal_mut().pds_name = Text::of(g.ps(1, 16));
    return a;
  }
  const int ous = g.n(0, 3);
  for (int i = 0; i < ous; ++i)
    a.organizational_units.push_back(g.coin(5) ? Text::of("") : g.coin(60) ? Text::of(g.label(1, 12)) : g.pt(32));
  if (!a.organization.present() && mcgam != 3) a.organizational_units.clear();
  if (g.coin(85)) {
    PersonalName& pn = a.personal_name;
    pn.surname = g.coin(70) ? Text::of(g.label(2, 12)) : g.pt(40);
    if (g.coin()) pn.given_name = Text::of(g.coin(70) ? g.label(2, 16) : g.ps(0, 16));
    if (g.coin(30)) pn.initials = Text::of(g.str("ABCDEFGH", 1, 5));
    if (g.coin(15)) pn.generation_qualifier = Text::of(g.ps(0, 3));
    // A T.61 surname alone: the name is a TeletexPersonalName (X.411 gives
    // each SET its surname, and no teletex value is empty), as the p1/
    // decoder folds one (§3.3.4, §4.3.1).
    if (!pn.surname.printable)
      for (Text* t : {&pn.given_name, &pn.initials, &pn.generation_qualifier}) {
        if (t->printable && !t->printable->empty()) t->teletex = *t->printable;
        if (t->printable) t->printable.reset();
      }
  }
  if (g.coin(15)) a.common_name = g.pt(64);
  for (int i = g.n(0, 10) < 8 ? 0 : g.n(1, 2); i > 0; --i)
    a.ddas.push_back({g.str("abcdefXYZ", 1, 8), g.ps(1, 128), DdaForm::printable});
  if (!a.prmd.present() && !a.organization.present() && a.organizational_units.empty() &&
      !a.personal_name.present() && !a.common_name.present() && a.ddas.empty())
    a.personal_name.surname = Text::of("Only");
  return a;
}

std::string random_local(Gen& g) {
  if (g.coin(40)) return g.str("abcdefghijklmnopqrstuvwxyzABC0123456789!#$%&'*+-/=?^_`{|}~", 1, 20);
  if (g.coin()) return g.label(1, 8) + "." + g.label(1, 8);
  return g.str("abc XYZ012().,:;<>@[]\\\"_!%", 1, 24);  // needs quoting
}

}  // namespace

// X.400 -> RFC 822 at gateway A -> X.400 at gateway B restores the address.
TEST(Rfc2156, roundtrip_x400_through_two_gateways) {
  const Gateways gws;
  Gen g(2156);
  int by_mcgam = 0, by_std_or = 0;
  for (int i = 0; i < 3000; ++i) {
    const OrAddress orig = random_or(g, i % 4);
    ASSERT_TRUE(validate_x402(orig).ok()) << i << ": " << validate_x402(orig).error().text();
    auto out = map_x400_to_rfc822(orig, AddressRole::ipms, gws.a);
    ASSERT_TRUE(out.ok()) << i << ": " << out.error().text();
    auto parsed = parse_rfc822_address(out.value().address);
    ASSERT_TRUE(parsed.ok()) << out.value().address;
    auto back = map_rfc822_to_x400(out.value().address, AddressRole::ipms, gws.b);
    ASSERT_TRUE(back.ok()) << out.value().address << ": " << back.error().text();
    EXPECT_EQ(back.value().address, orig) << i << " via " << out.value().address;
    (out.value().explanation.rule.find("MCGAM") != std::string::npos ? by_mcgam : by_std_or)++;
    if (HasFailure()) break;
  }
  EXPECT_GT(by_mcgam, 500);
  EXPECT_GT(by_std_or, 500);
}

// RFC 822 -> X.400 at A -> RFC 822 at B restores the address (no MCGAM
// for the domain: the RFC-822 attribute carries it).
TEST(Rfc2156, roundtrip_rfc822_through_two_gateways) {
  const Gateways gws;
  Gen g(822);
  for (int i = 0; i < 3000; ++i) {
    Rfc822Address r;
    r.local_part = random_local(g);
    r.domain = g.label(1, 10) + "." + g.label(1, 10) + ".test";
    if (g.coin(5)) r.route = {g.label(2, 8) + ".test"};
    const std::string text = format_rfc822_address(r);
    ASSERT_TRUE(parse_rfc822_address(text).ok()) << text;
    auto x = map_rfc822_to_x400(text, i % 2 ? AddressRole::ipms : AddressRole::smtp_originator, gws.a);
    if (!x.ok()) {  // only refused when too long for four DDAs
      EXPECT_EQ(x.error().code, Errc::too_long) << text;
      continue;
    }
    EXPECT_TRUE(x.value().encapsulated) << text;
    auto s = format_std_or(x.value().address);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(parse_or_address(s.value()).value(), x.value().address) << s.value();
    auto back = map_x400_to_rfc822(x.value().address, AddressRole::ipms, gws.b);
    ASSERT_TRUE(back.ok()) << back.error().text();
    EXPECT_EQ(back.value().address, text);
    if (HasFailure()) break;
  }
}

// RFC 822 addresses under an MCGAM map to X.400 and back to the same
// local-part at the same domain (domains compare case-independently).
TEST(Rfc2156, roundtrip_rfc822_through_mcgam) {
  const Gateways gws;
  Gen g(42);
  for (int i = 0; i < 2000; ++i) {
    std::string local = g.coin() ? g.label(2, 10) + "." + g.label(2, 10) : g.label(1, 12);
    std::string domain;
    for (int k = g.n(0, 3); k > 0; --k) domain += g.label(1, 12) + ".";
    domain += i % 2 ? "widget.com" : "ac.uk";
    const std::string text = local + "@" + domain;
    auto x = map_rfc822_to_x400(text, AddressRole::ipms, gws.a);
    ASSERT_TRUE(x.ok()) << text;
    EXPECT_EQ(x.value().explanation.rule, "§4.3.4 stage I (MCGAM)") << text;
    auto back = map_x400_to_rfc822(x.value().address, AddressRole::ipms, gws.b);
    ASSERT_TRUE(back.ok());
    EXPECT_TRUE(iequals(back.value().address, text)) << text << " came back as " << back.value().address;
    EXPECT_EQ(back.value().address.substr(0, local.size() + 1), local + "@");
    if (HasFailure()) break;
  }
}

// Every std-or string the formatter generates parses to the same address.
TEST(Rfc2156, s4_1_3_every_generated_std_or_parses) {
  Gen g(1685);
  for (int i = 0; i < 5000; ++i) {
    const OrAddress a = random_or(g, i % 4);
    auto s = format_std_or(a);
    ASSERT_TRUE(s.ok()) << s.error().text();
    auto p = parse_or_address(s.value());
    ASSERT_TRUE(p.ok()) << s.value() << ": " << p.error().text();
    EXPECT_EQ(p.value(), a) << s.value();
    if (HasFailure()) break;
  }
}
