// tests/unit/addressing/std_or_test.cpp: RFC 2156 §4.1 text form of O/R
// addresses (key table, P/T values, std-or-address in and out) and the
// RFC 1685 / F.401 Annex F labelled forms people type.
#include <gtest/gtest.h>

#include "addressing/personal_name.hpp"
#include "addressing/std_or.hpp"
#include "helpers.hpp"

using namespace mixer::addressing;
using mixer::addressing::test::orx;
using mixer::addressing::test::std_or;

namespace {
Text pt(const char* p, const char* t = nullptr) {
  Text x;
  if (p) x.printable = p;
  if (t) x.teletex = t;
  return x;
}
}  // namespace

// §4.1.1: every key of the attribute key table reaches its X.411 attribute.
TEST(Rfc2156, s4_1_1_every_key_of_the_key_table) {
  const struct {
    const char* key;
    const char* value;
    Text OrAddress::*field;
    Text PostalAndNetworkAttributes::*postal_field = nullptr;  // extension attributes 7..22, in their box
  } rows[] = {
      {"C", "GB", &OrAddress::country},
      {"ADMD", "BT", &OrAddress::admd},
      {"PRMD", "UK.AC", &OrAddress::prmd},
      {"X121", "23421920030013", &OrAddress::network_address},
      {"T-ID", "term1", &OrAddress::terminal_identifier},
      {"O", "Widget", &OrAddress::organization},
      {"UA-ID", "1234", &OrAddress::numeric_user_identifier},
      {"CN", "John Smith", &OrAddress::common_name},
      {"PD-SERVICE", "Royal Mail", nullptr, &PostalAndNetworkAttributes::pds_name},
      {"PD-C", "GB", nullptr, &PostalAndNetworkAttributes::pd_country},
      {"PD-CODE", "TW9 1DT", nullptr, &PostalAndNetworkAttributes::postal_code},
      {"PD-OFFICE", "Richmond", nullptr, &PostalAndNetworkAttributes::pd_office_name},
      {"PD-OFFICE-NUM", "12", nullptr, &PostalAndNetworkAttributes::pd_office_number},
      {"PD-EXT-ADDRESS", "Flat 2", nullptr, &PostalAndNetworkAttributes::extension_or_address_components},
      {"PD-PN", "J Smith", nullptr, &PostalAndNetworkAttributes::pd_personal_name},
      {"PD-O", "Widget Ltd", nullptr, &PostalAndNetworkAttributes::pd_organization_name},
      {"PD-EXT-DELIVERY", "Rear", nullptr, &PostalAndNetworkAttributes::extension_pd_address_components},
      {"PD-STREET", "The Square", nullptr, &PostalAndNetworkAttributes::street_address},
      {"PD-BOX", "PO Box 7", nullptr, &PostalAndNetworkAttributes::post_office_box_address},
      {"PD-RESTANTE", "Main Office", nullptr, &PostalAndNetworkAttributes::poste_restante_address},
      {"PD-UNIQUE", "Dome", nullptr, &PostalAndNetworkAttributes::unique_postal_name},
      {"PD-LOCAL", "Loc", nullptr, &PostalAndNetworkAttributes::local_postal_attributes},
      {"NET-NUM", "441813337777", nullptr, &PostalAndNetworkAttributes::e163_4_number},
      {"NET-SUB", "12", nullptr, &PostalAndNetworkAttributes::e163_4_sub_address},
      {"NET-PSAP", "'0101'H$/Telex+00728722", nullptr, &PostalAndNetworkAttributes::psap_address},
  };
  for (const auto& r : rows) {
    const std::string text = std::string("/") + r.key + "=" + r.value + "/";
    auto a = parse_or_address(text);
    ASSERT_TRUE(a.ok()) << text << ": " << a.error().text();
    const Text& t = r.field ? a.value().*r.field : a.value().postal().*r.postal_field;
    EXPECT_EQ(a.value().postal_network.has_value(), r.field == nullptr) << r.key << ": boxed only when needed";
    ASSERT_TRUE(t.printable.has_value()) << r.key;
    if (std::string(r.key) == "NET-PSAP") EXPECT_EQ(*t.printable, "'0101'H/Telex+00728722");
    else EXPECT_EQ(*t.printable, r.value) << r.key;
    auto back = format_std_or(a.value());
    ASSERT_TRUE(back.ok()) << r.key;
    if (std::string(r.key) == "C") EXPECT_EQ(back.value(), "/ADMD= /C=GB/");  // §4.1.3 ADMD default
    else EXPECT_EQ(back.value(), text) << r.key;
  }
  // Structured keys.
  auto a = orx("/S=Rose/G=Marshall/I=MT/GQ=Jr/OU=Sales/DD.Title=Boss/T-TY=g3fax/PD-ADDRESS=A|B/");
  EXPECT_EQ(a.personal_name.surname, pt("Rose"));
  EXPECT_EQ(a.personal_name.given_name, pt("Marshall"));
  EXPECT_EQ(a.personal_name.initials, pt("MT"));
  EXPECT_EQ(a.personal_name.generation_qualifier, pt("Jr"));
  ASSERT_EQ(a.organizational_units.size(), 1u);
  ASSERT_EQ(a.ddas.size(), 1u);
  EXPECT_EQ(a.ddas[0].type, "Title");
  EXPECT_EQ(a.ddas[0].value, "Boss");
  EXPECT_EQ(a.terminal_type, 5);
  ASSERT_TRUE(a.postal().unformatted_postal_address);
  EXPECT_EQ(a.postal().unformatted_postal_address->lines, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(std_or(a), "/DD.Title=Boss/T-TY=g3fax(5)/PD-ADDRESS=A|B/G=Marshall/I=MT/S=Rose/GQ=Jr/OU=Sales/");
}

// §4.1.1: "/CN=yen*{165}/" — printable and teletex forms of one attribute.
TEST(Rfc2156, s4_1_1_teletex_and_or_ps_example) {
  auto a = orx("/CN=yen*{165}/");
  EXPECT_EQ(a.common_name, pt("yen", "\xA5"));
  EXPECT_EQ(std_or(a), "/CN=yen*{165}/");
  // Teletex only, printable characters only: written as printable.
  OrAddress t;
  t.organization.teletex = "Widget";
  EXPECT_EQ(std_or(t), "/O=Widget/");
  // Both forms the same: one printable value.
  t.organization.printable = "Widget";
  EXPECT_EQ(std_or(t), "/O=Widget/");
  // Teletex only with non-printable octets.
  OrAddress u;
  u.personal_name.surname.teletex = "M\xFC" "ller";
  EXPECT_EQ(std_or(u), "/S=*M{252}ller/");
  EXPECT_EQ(orx("/S=*M{252}ller/"), u);
}

// §4.1.1: "/PD-ADDRESS=The Dome|The Square|Richmond|England/".
TEST(Rfc2156, s4_1_1_upa_string_example) {
  auto a = orx("/PD-ADDRESS=The Dome|The Square|Richmond|England/");
  ASSERT_TRUE(a.postal().unformatted_postal_address);
  EXPECT_EQ(a.postal().unformatted_postal_address->lines,
            (std::vector<std::string>{"The Dome", "The Square", "Richmond", "England"}));
  EXPECT_EQ(std_or(a), "/PD-ADDRESS=The Dome|The Square|Richmond|England/");
  // PD-A1..PD-A6 are ordered lines (§4.1.1), not generated.
  auto b = orx("/PD-A2=The Square/PD-A1=The Dome/");
  EXPECT_EQ(b.postal().unformatted_postal_address->lines, (std::vector<std::string>{"The Dome", "The Square"}));
  EXPECT_FALSE(parse_or_address("/PD-A1=x/PD-ADDRESS=y/").ok());
}

// §4.1.1 keyword alternative table: recognised, never generated.
TEST(Rfc2156, s4_1_1_alternative_keywords) {
  const std::pair<const char*, const char*> rows[] = {
      {"/A=BT/C=GB/", "/ADMD=BT/C=GB/"},
      {"/P=Foo/A=BT/C=GB/", "/PRMD=Foo/ADMD=BT/C=GB/"},
      {"/Q=Jr/S=X/", "/S=X/GQ=Jr/"},
      {"/X.121=1234/", "/X121=1234/"},
      {"/N-ID=77/", "/UA-ID=77/"},
      {"/PD-OFFICE NUMBER=3/", "/PD-OFFICE-NUM=3/"},
      {"/PD-OFN=3/", "/PD-OFFICE-NUM=3/"},
      {"/PD-EA=x/", "/PD-EXT-ADDRESS=x/"},
      {"/PD-ED=x/", "/PD-EXT-DELIVERY=x/"},
      {"/PD-OF=x/", "/PD-OFFICE=x/"},
      {"/PD-S=x/", "/PD-STREET=x/"},
      {"/PD-U=x/", "/PD-UNIQUE=x/"},
      {"/PD-L=x/", "/PD-LOCAL=x/"},
      {"/PD-R=x/", "/PD-RESTANTE=x/"},
      {"/PD-B=x/", "/PD-BOX=x/"},
      {"/PD-PC=123/", "/PD-CODE=123/"},
      {"/PD-SN=x/", "/PD-SERVICE=x/"},
      {"/DDA.t=v/", "/DD.t=v/"},
      {"/E.164=4412/", "/NET-NUM=4412/"},
      {"/PSAP=x/", "/NET-PSAP=x/"},
      {"/PD-A=l1|l2/", "/PD-ADDRESS=l1|l2/"},
      {"/ISDN=+44 181-333/", "/NET-NUM=44181333/"},
  };
  for (const auto& [in, out] : rows) EXPECT_EQ(std_or(orx(in)), out) << in;
}

// §4.1.1: OU1..OU4 are ordered (OU1 most significant) and exclude plain OU.
TEST(Rfc2156, s4_1_1_ordered_ou_keywords) {
  auto a = orx("/OU2=b/OU1=a/O=x/ADMD=y/C=zz/");
  ASSERT_EQ(a.organizational_units.size(), 2u);
  EXPECT_EQ(*a.organizational_units[0].printable, "a");
  EXPECT_EQ(std_or(a), "/OU=b/OU=a/O=x/ADMD=y/C=zz/");
  EXPECT_FALSE(parse_or_address("/OU1=a/OU=b/").ok());
  EXPECT_FALSE(parse_or_address("/OU2=a/").ok());
  auto d = orx("/DD2.b=2/DD1.a=1/");
  ASSERT_EQ(d.ddas.size(), 2u);
  EXPECT_EQ(d.ddas[0].type, "a");
}

// §4.1.1: T-TY labelled-integer with the X.400 recommended labels.
TEST(Rfc2156, s4_1_1_terminal_type_values) {
  const std::pair<const char*, int> rows[] = {{"tlx", 3}, {"ttx", 4}, {"g3fax", 5}, {"g4fax", 6},
                                              {"ia5", 7}, {"vtx", 8}, {"(5)", 5},   {"g3fax(5)", 5},
                                              {"42", 42}};
  for (const auto& [v, n] : rows) EXPECT_EQ(orx(std::string("/T-TY=") + v + "/").terminal_type, n) << v;
  EXPECT_FALSE(parse_or_address("/T-TY=fax/").ok());
}

// §4.1.2 examples: Marshall.Rose, M.T.Rose, Marshall.M.T.Rose.
TEST(Rfc2156, s4_1_2_encoded_pn_examples) {
  PersonalName a;
  a.given_name = pt("Marshall");
  a.surname = pt("Rose");
  PersonalName b;
  b.initials = pt("MT");
  b.surname = pt("Rose");
  PersonalName c = a;
  c.initials = pt("MT");
  EXPECT_EQ(format_encoded_pn(a), "Marshall.Rose");
  EXPECT_EQ(format_encoded_pn(b), "M.T.Rose");
  EXPECT_EQ(format_encoded_pn(c), "Marshall.M.T.Rose");
  EXPECT_EQ(parse_encoded_pn("Marshall.Rose"), a);
  EXPECT_EQ(parse_encoded_pn("M.T.Rose"), b);
  EXPECT_EQ(parse_encoded_pn("Marshall.M.T.Rose"), c);
  for (const auto* p : {&a, &b, &c}) EXPECT_TRUE(encoded_pn_reversible(*p));
  // "PN" key takes encoded-pn (§4.1.3).
  EXPECT_EQ(orx("/PN=Marshall.M.T.Rose/").personal_name, c);
}

// §4.1.2 restrictions 1-5 decide whether encoded-pn may be generated.
TEST(Rfc2156, s4_1_2_encoded_pn_restrictions) {
  auto pn = [](const char* g, const char* i, const char* s, const char* q = nullptr) {
    PersonalName p;
    if (g) p.given_name = pt(g);
    if (i) p.initials = pt(i);
    if (s) p.surname = pt(s);
    if (q) p.generation_qualifier = pt(q);
    return p;
  };
  EXPECT_FALSE(encoded_pn_reversible(pn("Joe", nullptr, "Soap", "Jr")));  // 1: GQ
  EXPECT_FALSE(encoded_pn_reversible(pn(nullptr, "M.", "Rose")));          // 2: initials letters only
  EXPECT_FALSE(encoded_pn_reversible(pn("J", nullptr, "Soap")));           // 3: given >= 2
  EXPECT_FALSE(encoded_pn_reversible(pn("Jo.e", nullptr, "Soap")));        // 3: no '.' in given
  EXPECT_FALSE(encoded_pn_reversible(pn("Joe", nullptr, "S.oap")));        // 4: '.' in first two
  EXPECT_FALSE(encoded_pn_reversible(pn(nullptr, nullptr, "Soap.Jr")));    // 5: surname alone
  EXPECT_TRUE(encoded_pn_reversible(pn("Joe", nullptr, "Soap.Jr")));
  EXPECT_TRUE(encoded_pn_reversible(pn(nullptr, nullptr, "Soap")));
  EXPECT_FALSE(encoded_pn_reversible(pn(nullptr, nullptr, "a=b")));       // would read as std-or
  EXPECT_FALSE(encoded_pn_reversible(pn("Mary  Ann", nullptr, "Smith")));  // §4.3.4 step 2
  PersonalName t = pn(nullptr, nullptr, "Soap");
  t.surname.teletex = "So\xE1p";
  EXPECT_FALSE(encoded_pn_reversible(t));  // non-teletex names only (§4.3.1)
}

// §4.1.3: "/" and "=" in values as "$/" and "$="; "$" before any ps-char.
TEST(Rfc2156, s4_1_3_dollar_quoting) {
  auto a = orx("/O=A$/S Norsk/OU=x$=y/");
  EXPECT_EQ(*a.organization.printable, "A/S Norsk");
  EXPECT_EQ(*a.organizational_units[0].printable, "x=y");
  EXPECT_EQ(std_or(a), "/OU=x$=y/O=A$/S Norsk/");
  EXPECT_EQ(*orx("/S=$a$b/").personal_name.surname.printable, "ab");
  EXPECT_FALSE(parse_or_address("/S=a$").ok());
  EXPECT_EQ(*orx("/S=a$/").personal_name.surname.printable, "a/");
  EXPECT_FALSE(parse_or_address("/S=a$@b/").ok());
  EXPECT_FALSE(parse_or_address("/S=a=b/").ok());
  // Two adjacent spaces are written with "$ " so a local-part never has them.
  OrAddress s;
  s.personal_name.surname = pt("a  b");
  EXPECT_EQ(std_or(s), "/S=a $ b/");
  EXPECT_EQ(orx("/S=a $ b/"), s);
}

// §4.1.3: "/" and ";" separators, mixed; keys case-independent.
TEST(Rfc2156, s4_1_3_input_separators_and_case) {
  const OrAddress want = orx("/S=Smith/O=Widget/ADMD=BT/C=GB/");
  EXPECT_EQ(orx("/s=Smith;o=Widget/admd=BT;c=GB/"), want);
  EXPECT_EQ(orx("S=Smith;O=Widget;ADMD=BT;C=GB"), want);
  EXPECT_EQ(orx("/S=Smith/O=Widget/ADMD=BT/C=GB"), want);
  EXPECT_EQ(orx("  /S=Smith/ O=Widget/ADMD=BT/C=GB/  "), want);
}

// §4.1.3: a country without ADMD means ADMD " ".
TEST(Rfc2156, s4_1_3_country_without_admd_is_single_space) {
  auto a = orx("/S=x/C=GB/");
  ASSERT_TRUE(a.admd.printable);
  EXPECT_EQ(*a.admd.printable, " ");
  EXPECT_EQ(std_or(a), "/S=x/ADMD= /C=GB/");
}

// §4.1.3: RFC-822 is the optimised form of the DD type "RFC-822".
TEST(Rfc2156, s4_1_3_rfc822_attribute) {
  auto a = orx("/RFC-822=jj(a)seismo.css.gov/PRMD=AC/ADMD=BT/C=GB/");
  ASSERT_EQ(a.ddas.size(), 1u);
  EXPECT_EQ(a.ddas[0].type, "RFC-822");
  EXPECT_EQ(a.ddas[0].value, "jj(a)seismo.css.gov");
  EXPECT_EQ(std_or(a), "/RFC-822=jj(a)seismo.css.gov/PRMD=AC/ADMD=BT/C=GB/");
}

// §4.1.1: C, ADMD, PRMD are NumericString when digits only.
TEST(Rfc2156, s4_1_1_numeric_choice_for_digits_only) {
  auto a = orx("c=TC; a=Wizz.mail; p=42; rfc-822=postel(a)venera.isi.edu");
  EXPECT_TRUE(a.prmd.numeric);
  EXPECT_FALSE(a.admd.numeric);
  EXPECT_TRUE(orx("/C=234/ADMD=x/").country.numeric);
}

// §4.3.3: OUs and DDAs with the most significant (first in the SEQUENCE)
// on the right; O to the right of the OUs.
TEST(Rfc2156, s4_3_3_component_ordering) {
  auto a = orx("/OU=R-D/OU=Salford/O=Univ/PRMD=UK.AC/ADMD=GOLD 400/C=GB/");
  ASSERT_EQ(a.organizational_units.size(), 2u);
  EXPECT_EQ(*a.organizational_units[0].printable, "Salford");  // OU1, most significant
  EXPECT_EQ(*a.organizational_units[1].printable, "R-D");
  auto d = orx("/DD.b=2/DD.a=1/S=x/");
  ASSERT_EQ(d.ddas.size(), 2u);
  EXPECT_EQ(d.ddas[0].type, "a");  // first in the SEQUENCE is the rightmost
  // Generation: least significant left; G, I, S, GQ; CN; OU...; O, PRMD, ADMD, C.
  auto g = orx("C=GB;ADMD=BT;PRMD=P;O=Org;OU=ou1;CN=Common;GQ=Jr;S=Smith;I=J;G=John;DD.t=v");
  EXPECT_EQ(std_or(g), "/DD.t=v/G=John/I=J/S=Smith/GQ=Jr/CN=Common/OU=ou1/O=Org/PRMD=P/ADMD=BT/C=GB/");
}

// §4.3.4.1 heuristic: an O left of OUs reads the OUs most significant first.
TEST(Rfc2156, s4_3_4_1_inverted_hierarchy_heuristic) {
  StdOrParseOptions on;
  on.inverted_ou_heuristic = true;
  auto inv = parse_std_or("/S=x/O=Univ/OU=Salford/OU=R-D/ADMD=y/C=zz/", on);
  ASSERT_TRUE(inv.ok());
  EXPECT_TRUE(inv.value().inverted_ou_order);
  EXPECT_EQ(*inv.value().address.organizational_units[0].printable, "Salford");
  // Off (the default): §4.3.3 order, most significant on the right.
  auto std_order = parse_std_or("/S=x/O=Univ/OU=Salford/OU=R-D/ADMD=y/C=zz/");
  EXPECT_EQ(*std_order.value().address.organizational_units[0].printable, "R-D");
  // In §4.3.3 order the heuristic changes nothing.
  auto norm = parse_std_or("/S=x/OU=R-D/OU=Salford/O=Univ/ADMD=y/C=zz/", on);
  EXPECT_FALSE(norm.value().inverted_ou_order);
  EXPECT_EQ(*norm.value().address.organizational_units[0].printable, "Salford");
}

// RFC 1685 §3 (F.401 Annex F) examples, typed as users type them.
TEST(Rfc1685, f3_2_1_labelled_format_examples) {
  auto a = orx("G=john; S=smith; O=a bank ltd; P=abl; A=snomail; C=aq");
  EXPECT_EQ(std_or(a), "/G=john/S=smith/O=a bank ltd/PRMD=abl/ADMD=snomail/C=aq/");
  const std::string per = "/G=per/S=hansen/OU=forskning/O=teledir/PRMD=tele/ADMD=telemax/C=no/";
  EXPECT_EQ(std_or(orx("g=per;s=hansen;o=teledir;ou1=forskning;p=tele;a=telemax;c=no")), per);
  EXPECT_EQ(std_or(orx("/g=per/s=hansen/o=teledir/ou1=forskning/p=tele/a=telemax/c=no")), per);
  // The author's address: "ADMD=" (no value) is a single space (F.4).
  auto h = orx("C=no; ADMD=; PRMD=uninett; O=uninett; S=alvestrand; G=harald");
  EXPECT_EQ(std_or(h), "/G=harald/S=alvestrand/O=uninett/PRMD=uninett/ADMD= /C=no/");
  // Appendix F §2 of RFC 2156 writes MailFLOW's address the same way.
  EXPECT_EQ(std_or(orx("S=MailFLOW;O=MailFLOW;P=DANTE;A=mailnet;C=fi;")),
            "/S=MailFLOW/O=MailFLOW/PRMD=DANTE/ADMD=mailnet/C=fi/");
}

// RFC 1685 F.3.2.3: "DDA:RFC-822=fred(a)widget.co.uk; O=gateway; P=abc; C=gb",
// "==" in a DDA type, a doubled delimiter inside a value.
TEST(Rfc1685, f3_2_3_domain_defined_attributes_and_delimiters) {
  auto a = orx("DDA:RFC-822=fred(a)widget.co.uk; O=gateway; P=abc; C=gb");
  ASSERT_EQ(a.ddas.size(), 1u);
  EXPECT_EQ(a.ddas[0].type, "RFC-822");
  EXPECT_EQ(std_or(a), "/RFC-822=fred(a)widget.co.uk/O=gateway/PRMD=abc/ADMD= /C=gb/");
  auto b = orx("DDA:a==b=v; C=gb");
  EXPECT_EQ(b.ddas[0].type, "a=b");
  EXPECT_EQ(std_or(b), "/DD.a$=b=v/ADMD= /C=gb/");
  auto c = orx("/O=A//S/C=no/");
  EXPECT_EQ(*c.organization.printable, "A/S");
  // ";;" is a ";" in the value, which PrintableString cannot hold.
  EXPECT_EQ(parse_or_address("O=a;;b; C=no").error().code, Errc::invalid_value);
  // With ";" as the delimiter a "/" is plain text.
  EXPECT_EQ(*orx("O=A/S Norsk; C=no").organization.printable, "A/S Norsk");
  StdOrParseOptions o;
  o.label_prefix = true;
  EXPECT_TRUE(parse_or_address("X.400: G=john; S=smith; A=snomail; C=aq", o).ok());
}

// Bad input: precise errors, never a silently altered address.
TEST(Rfc2156, s4_1_3_parse_errors) {
  const std::pair<const char*, Errc> rows[] = {
      {"", Errc::syntax},
      {"/S=x/Y=z/", Errc::unknown_attribute},
      {"/S=x/S=y/", Errc::duplicate_attribute},
      {"/PN=a.b/S=c/", Errc::duplicate_attribute},
      {"/S=x_y/", Errc::invalid_value},
      {"/X121=12a/", Errc::invalid_value},
      {"/O=a*{999}/", Errc::invalid_value},
      {"/S/", Errc::syntax},
      {"/DD=x/", Errc::syntax},
  };
  for (const auto& [text, code] : rows) {
    auto r = parse_or_address(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, code) << text << ": " << r.error().text();
  }
  auto r = parse_or_address("/S=x_y/");
  EXPECT_EQ(r.error().message, "S value 'x_y' has '_', which is not a PrintableString character");
}

// §4.1.1 universal strings have no text form unless printable.
TEST(Rfc2156, s4_1_1_universal_strings) {
  OrAddress a;
  a.organization.universal = UniversalString{"Widget", "", true};
  EXPECT_EQ(std_or(a), "/O=Widget/");
  a.organization.universal = UniversalString{"W\xC3\xBC" "dget", "de", true};
  auto r = format_std_or(a);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::not_representable);
}

// §5.3.3.2 global-id = std-or-address of C, ADMD, PRMD.
TEST(Rfc2156, s5_3_3_2_global_id) {
  auto g = parse_global_id("/PRMD=UK.AC/ADMD=Gold 400/C=GB/");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(*g.value().prmd.printable, "UK.AC");
  EXPECT_EQ(format_global_id(g.value()).value(), "/PRMD=UK.AC/ADMD=Gold 400/C=GB/");
  EXPECT_FALSE(parse_global_id("/S=x/ADMD=a/C=b/").ok());
}

// X.411 bounds and X.402 forms (validate_x411, classify_form).
TEST(X411, upper_bounds_and_x402_forms) {
  EXPECT_EQ(classify_form(orx("/S=x/ADMD=a/C=GB/")), OrAddressForm::mnemonic);
  EXPECT_EQ(classify_form(orx("/UA-ID=123/ADMD=a/C=GB/")), OrAddressForm::numeric);
  EXPECT_EQ(classify_form(orx("/X121=123/")), OrAddressForm::terminal);
  EXPECT_EQ(classify_form(orx("/PD-CODE=123/PD-C=GB/ADMD=a/C=GB/")), OrAddressForm::postal);
  EXPECT_EQ(classify_form(orx("/S=x/")), OrAddressForm::invalid);
  EXPECT_EQ(classify_form(orx("/ADMD=a/C=GB/")), OrAddressForm::invalid);
  EXPECT_TRUE(validate_x411(orx("/PRMD=0123456789012345/ADMD=a/C=GB/")).ok());
  auto r = validate_x411(orx("/PRMD=01234567890123456/ADMD=a/C=GB/"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::upper_bound);
  EXPECT_FALSE(validate_x411(orx("/OU=a/OU=b/OU=c/OU=d/OU=e/")).ok());
  EXPECT_FALSE(validate_x411(orx("/C=GBR/")).ok());
  EXPECT_FALSE(validate_x411(orx("/G=x/")).ok());  // given name without surname
  EXPECT_FALSE(validate_x411(orx("/DD.toolongtype=x/")).ok());
}

// The box of extension attributes 7..22 (or_address.hpp): a mnemonic address
// has none, a postal one has it; an empty box is the same address as none,
// and clearing or emptying an address removes it.
TEST(OrAddressModel, postal_and_network_attributes_are_boxed_only_when_present) {
  OrAddress mnemonic = orx("/C=GB/ADMD=BT/O=Widget/S=Rose/");
  EXPECT_FALSE(mnemonic.postal_network.has_value());
  EXPECT_FALSE(mnemonic.postal().street_address.present());  // reads do not box
  EXPECT_FALSE(mnemonic.postal_network.has_value());
  OrAddress with_empty_box = mnemonic;
  with_empty_box.postal_mut();
  EXPECT_TRUE(with_empty_box.postal_network.has_value());
  EXPECT_EQ(with_empty_box, mnemonic) << "an empty box is no attribute at all";
  EXPECT_EQ(classify_form(with_empty_box), OrAddressForm::mnemonic);
  with_empty_box.postal_mut().street_address = Text::of("The Square");
  EXPECT_NE(with_empty_box, mnemonic);

  OrAddress postal = orx("/C=GB/ADMD=BT/PD-C=GB/PD-CODE=TW9 1DT/PD-STREET=The Square/");
  ASSERT_TRUE(postal.postal_network.has_value());
  EXPECT_EQ(classify_form(postal), OrAddressForm::postal);
  EXPECT_FALSE(only_mnemonic_attributes(postal));
  OrAddress moved = std::move(postal);
  EXPECT_EQ(*moved.postal().street_address.printable, "The Square");
  EXPECT_FALSE(moved.empty());
  OrAddress cleared = orx("/PD-STREET=The Square/");
  EXPECT_FALSE(cleared.empty());
  cleared.postal_mut().street_address = Text{};
  EXPECT_TRUE(cleared.empty()) << "a box of absent attributes is an empty address";
}
