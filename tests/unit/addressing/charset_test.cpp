// tests/unit/addressing/charset_test.cpp: RFC 2156 §3.3 and §3.4 encodings,
// §4.2 domain-syntax. Expected values are the RFC's own examples.
#include <gtest/gtest.h>

#include "addressing/charset.hpp"

using namespace mixer::addressing;

// §3.4 example table, left <-> right (symmetrical rows).
TEST(Rfc2156, s3_4_ps_encoded_examples_both_ways) {
  const std::pair<const char*, const char*> rows[] = {
      {"'a demo.'", "'a demo.'"}, {"foo(a)bar", "foo@bar"}, {"(q)(u)(p)(q)", "\"_%\""},
      {"(a)", "@"},               {"(l)a(r)", "(a)"},       {"(126)", "~"},
      {"(l)", "("},
  };
  for (const auto& [ps, ascii] : rows) {
    EXPECT_EQ(ps_decode(ps), ascii) << ps;
    auto enc = ps_encode(ascii);
    ASSERT_TRUE(enc.ok());
    EXPECT_EQ(enc.value(), ps) << ascii;
  }
}

// §3.4 asymmetrical rows: "(A)" -> "@" and "(" -> "(".
TEST(Rfc2156, s3_4_ps_encoded_asymmetric_rows) {
  EXPECT_EQ(ps_decode("(A)"), "@");
  EXPECT_EQ(ps_decode("("), "(");
  EXPECT_FALSE(ps_decode_strict("(").ok());
  EXPECT_EQ(ps_decode_strict("(A)").value(), "@");
}

TEST(Rfc2156, s3_4_special_encodings_and_decimal) {
  EXPECT_EQ(ps_encode("a!b%c_d\"e").value(), "a(b)b(p)c(u)d(q)e");
  EXPECT_EQ(ps_encode("x#y$z&{}~").value(), "x(035)y(036)z(038)(123)(125)(126)");
  EXPECT_EQ(ps_encode(std::string("a\x01" "b", 3)).value(), "a(001)b");
  // Decimal values above 127 are not encodings and pass through (lenient).
  EXPECT_EQ(ps_decode("(200)"), "(200)");
  // Octets above 127 cannot be encoded.
  auto r = ps_encode("caf\xC3\xA9");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::not_representable);
}

// §3.3.4: the Yen character (hex A5) is {165}; "a{165}b".
TEST(Rfc2156, s3_3_4_teletex_string_examples) {
  EXPECT_EQ(teletex_to_text("\xA5"), "{165}");
  EXPECT_EQ(teletex_to_text("a\xA5" "b"), "a{165}b");
  EXPECT_EQ(teletex_from_text("a{165}b").value(), "a\xA5" "b");
  EXPECT_EQ(teletex_from_text("{165166}").value(), "\xA5\xA6");
  EXPECT_EQ(teletex_to_text("\xA5\xA6"), "{165166}");
  EXPECT_FALSE(teletex_from_text("{16}").ok());
  EXPECT_FALSE(teletex_from_text("{256}").ok());
  EXPECT_FALSE(teletex_from_text("{165").ok());
  EXPECT_FALSE(teletex_from_text("a@b").ok());
}

TEST(Rfc2156, s3_3_3_printable_and_s3_3_2_numeric_classes) {
  EXPECT_TRUE(is_printable_string("A-z 0'()+,-./:=?"));
  for (char c : std::string("@%!\"_;*$&{}[]<>~#|\\")) EXPECT_FALSE(is_ps_char(c)) << c;
  EXPECT_TRUE(is_numeric_string("12 34"));
  EXPECT_FALSE(is_numeric_string("12a"));
}

// §4.2 domain-syntax = alphanum [ *alphanumhyphen alphanum ].
TEST(Rfc2156, s4_2_domain_syntax) {
  EXPECT_TRUE(is_domain_syntax("R-D.Salford.AC.UK"));
  EXPECT_TRUE(is_domain_syntax("a"));
  EXPECT_FALSE(is_domain_syntax("-a.b"));
  EXPECT_FALSE(is_domain_syntax("a-.b"));
  EXPECT_FALSE(is_domain_syntax("a..b"));
  EXPECT_FALSE(is_domain_syntax("a_b.c"));
  EXPECT_FALSE(is_domain_syntax("a.b."));
  EXPECT_FALSE(is_domain_syntax("[1.2.3.4]"));
  EXPECT_EQ(squeeze_spaces("  a   b  "), "a b");
}
