// tests/unit/addressing/tables_test.cpp: RFC 2156 Appendix F table formats,
// longest-match lookup (§4 of the appendix), the loader's FILE:LINE errors,
// and local/shared precedence with related MCGAM sets (§4.2).
#include <gtest/gtest.h>

#include "addressing/dmn_or.hpp"
#include "addressing/tables.hpp"
#include "helpers.hpp"

using namespace mixer::addressing;
using mixer::addressing::test::orx;
using mixer::addressing::test::tables_from;

namespace {

std::vector<std::string> errors_of(const std::string& text, TableKind kind, const TableLimits& limits = {}) {
  auto r = MappingTable::parse(text, "t.txt", kind, TableScope::shared, limits);
  std::vector<std::string> out;
  if (auto* e = std::get_if<std::vector<TableError>>(&r))
    for (const auto& x : *e) out.push_back(x.text());
  return out;
}

std::string hit_value(const MappingTables& t, TableKind kind, std::string_view domain) {
  auto h = t.match_domain(kind, domain);
  return h ? std::string(h->value) + " @" + h->location() : "-";
}

}  // namespace

// Appendix F §3 examples: "~ROLE$Big\.Chief.ADMD$ATT.C$US", "PRMD$DEC.ADMD$@.C$US".
TEST(Rfc2156, appF_3_dmn_or_address_examples) {
  auto a = parse_dmn_or("~ROLE$Big\\.Chief.ADMD$ATT.C$US");
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a.value().size(), 3u);
  EXPECT_TRUE(a.value()[0].dda);
  EXPECT_EQ(a.value()[0].attribute, "ROLE");
  EXPECT_EQ(a.value()[0].value, "Big.Chief");
  auto g = dmn_to_or_address("~ROLE$Big\\.Chief.ADMD$ATT.C$US");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(test::std_or(g.value()), "/DD.ROLE=Big.Chief/ADMD=ATT/C=US/");
  auto p = parse_mcgam_or("PRMD$DEC.ADMD$@.C$US");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value().depth, 3u);
  EXPECT_FALSE(p.value().values[1].has_value());  // ADMD omitted
  EXPECT_EQ(*p.value().values[2], "DEC");
  EXPECT_EQ(prefix_key(p.value(), 3), "prmd$dec.admd$@.c$us");
  EXPECT_EQ(format_dmn_prefix(p.value()), "PRMD$DEC.ADMD$@.C$US");
}

// Appendix F §3 a-b: only C, ADMD, PRMD, O, OU; no level skipped.
TEST(Rfc2156, appF_3_mcgam_restrictions) {
  EXPECT_EQ(parse_mcgam_or("~ROLE$x.ADMD$ATT.C$US").error().message,
            "a domain-defined attribute is not allowed in an MCGAM (only C, ADMD, PRMD, O, OU)");
  EXPECT_EQ(parse_mcgam_or("S$x.ADMD$ATT.C$US").error().message,
            "attribute S is not allowed in an MCGAM (only C, ADMD, PRMD, O, OU)");
  EXPECT_EQ(parse_mcgam_or("C$US.ADMD$ATT").error().message,
            "the rightmost attribute must be C (most significant on the right)");
  EXPECT_EQ(parse_mcgam_or("ADMD$a.PRMD$p.ADMD$y.C$US").error().message,
            "attribute ADMD out of order (most significant on the right: C last)");
  EXPECT_EQ(parse_mcgam_or("PRMD$x.C$US").error().message, "ADMD level missing before PRMD (write ADMD$@ for an omitted level)");
  EXPECT_EQ(parse_mcgam_or("ADMD$x.C$@").error().message, "C cannot be omitted");
  // The Appendix F §5 example XEROX.COM leaves the PRMD level out: omitted.
  auto x = parse_mcgam_or("O$Xerox.ADMD$ATT.C$US");
  ASSERT_TRUE(x.ok());
  EXPECT_FALSE(x.value().values[2].has_value());
  EXPECT_EQ(prefix_key(x.value(), 4), "o$xerox.prmd$@.admd$att.c$us");
  EXPECT_EQ(parse_mcgam_or("OU$a.OU$b.OU$c.OU$d.OU$e.O$x.ADMD$y.C$zz").error().message, "more than four OUs");
}

// Appendix F §4: keys K.L and J.K.L; A.B.C matches nothing, I.J.K.L matches J.K.L.
TEST(Rfc2156, appF_4_longest_match_example) {
  auto t = tables_from({{"t1", TableKind::table1, "K.L#ADMD$K.C$LL#\nJ.K.L#ADMD$JK.C$LL#\n"}});
  EXPECT_EQ(hit_value(*t, TableKind::table1, "A.B.C"), "-");
  EXPECT_EQ(hit_value(*t, TableKind::table1, "I.J.K.L"), "ADMD$JK.C$LL @t1:2");
  EXPECT_EQ(hit_value(*t, TableKind::table1, "i.j.k.l"), "ADMD$JK.C$LL @t1:2");  // case independent
  EXPECT_EQ(hit_value(*t, TableKind::table1, "X.K.L"), "ADMD$K.C$LL @t1:1");
  EXPECT_EQ(hit_value(*t, TableKind::table1, "K.L."), "ADMD$K.C$LL @t1:1");
  EXPECT_EQ(hit_value(*t, TableKind::table1, "L"), "-");
}

// Appendix F §5/§6/§7/§8 files as shipped with the tests load and answer.
TEST(Rfc2156, appF_5_to_8_example_files) {
  const std::string dir = "tests/vectors/addressing/";
  auto set = MappingTables::load({{dir + "rfc2156-table1.txt", TableKind::table1, TableScope::shared},
                                  {dir + "rfc2156-table2.txt", TableKind::table2, TableScope::shared},
                                  {dir + "rfc2156-gateway-or.txt", TableKind::gateway_or, TableScope::shared},
                                  {dir + "rfc2156-gateway-domain.txt", TableKind::gateway_domain, TableScope::shared}});
  ASSERT_TRUE(std::holds_alternative<MappingTables::Ptr>(set)) << std::get<std::vector<TableError>>(set).front().text();
  const auto& t = *std::get<MappingTables::Ptr>(set);
  EXPECT_EQ(hit_value(t, TableKind::table1, "R-D.Salford.AC.UK"), "PRMD$UK\\.AC.ADMD$GOLD 400.C$GB @" + dir + "rfc2156-table1.txt:6");
  EXPECT_EQ(hit_value(t, TableKind::gateway_or, "UK.alter.net"), "PRMD$relay.ADMD$BTglobal.C$gb @" + dir + "rfc2156-gateway-or.txt:4");
  auto h = t.match_or(TableKind::table2, prefix_of(orx("/S=x/OU=y/O=z/PRMD=uk.ac/ADMD=gold  400/C=gb/")));
  ASSERT_TRUE(h);
  EXPECT_EQ(h->value, "AC.UK");
  EXPECT_EQ(h->depth, 3u);
  // Omitted attributes take part in the match (§4.3.5 step 3).
  auto g = t.match_or(TableKind::table2, prefix_of(orx("/S=x/PRMD=GMD/ADMD=DBP/C=DE/")));
  ASSERT_TRUE(g);
  EXPECT_EQ(g->value, "GMD.DE");
  EXPECT_EQ(g->depth, 4u);
  auto w = t.match_or(TableKind::gateway_domain, prefix_of(orx("/G=Andy/S=Wharol/O=MMNY/ADMD=ATT/C=us/")));
  ASSERT_TRUE(w);
  EXPECT_EQ(w->value, "attmail.com");
  EXPECT_EQ(t.entries(TableKind::table1), 9u);
}

// The loader names file and line for every kind of bad line.
TEST(Rfc2156, appF_loader_errors_with_file_and_line) {
  EXPECT_EQ(errors_of("# c\n\nAC.UK#PRMD$UK\\.AC.ADMD$GOLD 400.C$GB\n", TableKind::table1),
            std::vector<std::string>{"t.txt:3: expected 'domain#dmn-or-address#' (Appendix F §5)"});
  EXPECT_EQ(errors_of("AC.UK#ADMD$X.C$GB# junk\n", TableKind::table1),
            std::vector<std::string>{"t.txt:1: text after the closing '#'"});
  EXPECT_EQ(errors_of("ok.uk#ADMD$X.C$GB#\nbad_domain.uk#ADMD$X.C$GB#\n", TableKind::table1),
            std::vector<std::string>{"t.txt:2: left side 'bad_domain.uk' is not domain-syntax (RFC 2156 §4.2): label 'bad_domain' has '_'"});
  EXPECT_EQ(errors_of("-a.uk#ADMD$X.C$GB#\n", TableKind::table1),
            std::vector<std::string>{"t.txt:1: left side '-a.uk' is not domain-syntax (RFC 2156 §4.2): label '-a' starts or ends with '-'"});
  EXPECT_EQ(errors_of("a.uk#ADMD$X.C$GB#\nA.UK#ADMD$x.C$gb#\n", TableKind::table1),
            std::vector<std::string>{"t.txt:2: duplicate key 'A.UK' (first at t.txt:1)"});
  EXPECT_EQ(errors_of("a.uk#ADMD$X.C$GB#\n\nA.UK#ADMD$Y.C$GB#\n", TableKind::table1),
            std::vector<std::string>{"t.txt:3: conflicting entry for 'A.UK': 'ADMD$Y.C$GB' here, 'ADMD$X.C$GB' at t.txt:1"});
  EXPECT_EQ(errors_of("a.uk#S$x.ADMD$X.C$GB#\n", TableKind::table1),
            std::vector<std::string>{"t.txt:1: right side 'S$x.ADMD$X.C$GB': attribute S is not allowed in an MCGAM (only C, ADMD, PRMD, O, OU) (RFC 2156 Appendix F §5)"});
  EXPECT_EQ(errors_of("a.uk#ADMD$THIS IS WAY TOO LONG.C$GB#\n", TableKind::table1),
            std::vector<std::string>{"t.txt:1: right side 'ADMD$THIS IS WAY TOO LONG.C$GB': ADMD value 'THIS IS WAY TOO LONG' longer than 16 (RFC 2156 Appendix F §5)"});
  EXPECT_EQ(errors_of("ADMD$X.C$GB#a_b.uk#\n", TableKind::table2),
            std::vector<std::string>{"t.txt:1: right side 'a_b.uk' is not domain-syntax (RFC 2156 §4.2): label 'a_b' has '_'"});
  EXPECT_EQ(errors_of("ADMD$X.C$GB#uk#\n", TableKind::table2),
            std::vector<std::string>{"t.txt:1: right side 'uk' has one label and would not route to a gateway (RFC 2156 §4.3.5 step 3)"});
  EXPECT_EQ(errors_of("ADMD$X.C$GB#x.uk#\nADMD$x.C$gb#y.uk#\n", TableKind::table2),
            std::vector<std::string>{"t.txt:2: conflicting entry for 'ADMD$x.C$gb': 'y.uk' here, 'x.uk' at t.txt:1"});
  EXPECT_EQ(errors_of("ADMD$ X.C$GB#x.uk#\nADMD$X .C$GB#x.uk#\n", TableKind::table2),
            std::vector<std::string>{"t.txt:2: duplicate key 'ADMD$X .C$GB' (first at t.txt:1)"});
  EXPECT_EQ(errors_of("a.uk#S$x.O$y#\n", TableKind::gateway_or),
            std::vector<std::string>{"t.txt:1: right side 'S$x.O$y' is not a gateway O/R address: the attributes form no X.400 O/R address (mnemonic, numeric, postal or terminal) (X.402 §18.5) (Appendix F §7)"});
  // Several errors are all reported, in line order.
  EXPECT_EQ(errors_of("x\ny\n", TableKind::table2).size(), 2u);
}

TEST(Rfc2156, appF_loader_limits) {
  TableLimits l;
  l.max_line_length = 20;
  EXPECT_EQ(errors_of("abcdefghij.example.com#ADMD$X.C$GB#\n", TableKind::table1, l),
            std::vector<std::string>{"t.txt:1: line longer than 20 characters"});
  l = {};
  l.max_entries = 1;
  EXPECT_EQ(errors_of("a.uk#ADMD$X.C$GB#\nb.uk#ADMD$X.C$GB#\n", TableKind::table1, l),
            std::vector<std::string>{"t.txt:2: more than 1 entries"});
  auto missing = load_table_file("tests/vectors/addressing/no-such-table.txt", TableKind::table1, TableScope::local);
  ASSERT_TRUE(std::holds_alternative<std::vector<TableError>>(missing));
  EXPECT_EQ(std::get<std::vector<TableError>>(missing).front().text(),
            "tests/vectors/addressing/no-such-table.txt: cannot open the table file");
}

// Appendix F §7/§8: a key cannot be in a gateway table and its MCGAM table;
// two files of one kind and scope cannot disagree.
TEST(Rfc2156, appF_7_8_cross_table_rules) {
  auto build = [](std::vector<std::tuple<std::string, TableKind, std::string, TableScope>> files) {
    std::vector<MappingTable> tables;
    for (auto& [name, kind, text, scope] : files)
      tables.push_back(std::get<MappingTable>(MappingTable::parse(text, name, kind, scope)));
    auto r = MappingTables::build(std::move(tables));
    std::vector<std::string> out;
    if (auto* e = std::get_if<std::vector<TableError>>(&r))
      for (const auto& x : *e) out.push_back(x.text());
    return out;
  };
  EXPECT_EQ(build({{"t1", TableKind::table1, "a.uk#ADMD$X.C$GB#\n", TableScope::shared},
                   {"gw", TableKind::gateway_or, "b.uk#ADMD$X.C$GB.PRMD$p#\nA.UK#PRMD$p.ADMD$X.C$GB#\n", TableScope::shared}}),
            std::vector<std::string>{"gw:2: key also in the table1 table at t1:1 (RFC 2156 Appendix F §7: a domain cannot be in both)"});
  EXPECT_EQ(build({{"t2", TableKind::table2, "ADMD$X.C$GB#a.uk#\n", TableScope::shared},
                   {"gd", TableKind::gateway_domain, "ADMD$x.C$gb#b.uk#\n", TableScope::shared}}),
            std::vector<std::string>{"gd:1: key also in the table2 table at t2:1 (RFC 2156 Appendix F §8: an O/R address cannot be in both)"});
  EXPECT_EQ(build({{"s1", TableKind::table1, "a.uk#ADMD$X.C$GB#\n", TableScope::shared},
                   {"s2", TableKind::table1, "\na.uk#ADMD$Y.C$GB#\n", TableScope::shared}}),
            std::vector<std::string>{"s2:2: conflicting entry: 'ADMD$Y.C$GB' here, 'ADMD$X.C$GB' at s1:1"});
  // Local and shared scopes may hold the same key: that is the override.
  EXPECT_TRUE(build({{"s", TableKind::table1, "a.uk#ADMD$X.C$GB#\n", TableScope::shared},
                     {"l", TableKind::table1, "a.uk#ADMD$Y.C$GB#\n", TableScope::local}})
                  .empty());
}

// §4.2 related MCGAM sets and local tables overriding shared ones.
TEST(Rfc2156, s4_2_local_overrides_shared_related_set) {
  const std::string shared = "widget.com#O$Widget.ADMD$BTT.C$TC#\nlab.widget.com#O$Lab.ADMD$BTT.C$TC#\nother.com#ADMD$O.C$TC#\n";
  const std::string local = "widget.com#O$W2.ADMD$X.C$TC#\n";
  auto t = tables_from({{"shared", TableKind::table1, shared, TableScope::shared},
                        {"local", TableKind::table1, local, TableScope::local}});
  // The local entry replaces the shared one and its exception below it.
  EXPECT_EQ(hit_value(*t, TableKind::table1, "widget.com"), "O$W2.ADMD$X.C$TC @local:1");
  EXPECT_EQ(hit_value(*t, TableKind::table1, "x.lab.widget.com"), "O$W2.ADMD$X.C$TC @local:1");
  EXPECT_EQ(hit_value(*t, TableKind::table1, "other.com"), "ADMD$O.C$TC @shared:3");
  // Entry mode: only the same key is overridden.
  TableSetOptions entry;
  entry.override_mode = OverrideMode::entry;
  auto e = tables_from({{"shared", TableKind::table1, shared, TableScope::shared},
                        {"local", TableKind::table1, local, TableScope::local}},
                       entry);
  EXPECT_EQ(hit_value(*e, TableKind::table1, "x.lab.widget.com"), "O$Lab.ADMD$BTT.C$TC @shared:2");
  EXPECT_EQ(hit_value(*e, TableKind::table1, "widget.com"), "O$W2.ADMD$X.C$TC @local:1");
  // Shared first: the shared set wins, a local exception below it is hidden.
  TableSetOptions shared_first;
  shared_first.precedence = {TableScope::shared, TableScope::local};
  auto s = tables_from({{"shared", TableKind::table1, shared, TableScope::shared},
                        {"local", TableKind::table1, local + "deep.lab.widget.com#ADMD$D.C$TC#\n", TableScope::local}},
                       shared_first);
  EXPECT_EQ(hit_value(*s, TableKind::table1, "widget.com"), "O$Widget.ADMD$BTT.C$TC @shared:1");
  EXPECT_EQ(hit_value(*s, TableKind::table1, "a.deep.lab.widget.com"), "O$Lab.ADMD$BTT.C$TC @shared:2");
  // A local exception below a shared entry is honoured when local comes first.
  auto l = tables_from({{"shared", TableKind::table1, shared, TableScope::shared},
                        {"local", TableKind::table1, "deep.lab.widget.com#ADMD$D.C$TC#\n", TableScope::local}});
  EXPECT_EQ(hit_value(*l, TableKind::table1, "a.deep.lab.widget.com"), "ADMD$D.C$TC @local:1");
  EXPECT_EQ(hit_value(*l, TableKind::table1, "a.lab.widget.com"), "O$Lab.ADMD$BTT.C$TC @shared:2");
}
