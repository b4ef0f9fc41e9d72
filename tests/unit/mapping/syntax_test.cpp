// tests/unit/mapping/syntax_test.cpp: RFC 2156 Appendix E values, from the
// RFC's own examples and both directions of each.
#include <gtest/gtest.h>

#include "mapping/syntax.hpp"

namespace {

using namespace mixer::mapping::syntax;

TEST(Syntax, rfc2156_3_3_7_object_identifier_examples) {
  const Oid ia5{2, 6, 1, 11, 0};
  EXPECT_EQ(parse_object_identifier("joint-iso-ccitt(2) mhs (6) ipms (1) ep (11) ia5-text (0)"), ia5);
  EXPECT_EQ(parse_object_identifier("(2) (6) (1)(11)(0)"), ia5);
  EXPECT_EQ(object_identifier(ia5), "joint-iso-itu-t(2) mhs(6) ipms(1) ep(11) (0)");
  EXPECT_EQ(parse_object_identifier(object_identifier(eit_mixer())), eit_mixer());
  EXPECT_EQ(object_identifier(eit_mixer()),
            "iso(1) identified-organization(3) dod(6) internet(1) mail(7) mixer(1) mixer-core(3) eit-mixer(5)");
  EXPECT_FALSE(parse_object_identifier("(7)"));         // one arc
  EXPECT_FALSE(parse_object_identifier("(3) (1)"));     // first arc beyond 2
  EXPECT_FALSE(parse_object_identifier("mhs 6"));
  EXPECT_FALSE(parse_object_identifier("(2) (99999999999)"));
}

TEST(Syntax, rfc2156_3_3_6_labelled_integers) {
  EXPECT_EQ(labelled_integer(2, "urgent"), "urgent (2)");
  EXPECT_EQ(labelled_integer(7), "(7)");
  EXPECT_EQ(parse_labelled_integer("P2-1984 (2)"), 2);
  EXPECT_EQ(parse_labelled_integer("(22)"), 22);
  EXPECT_FALSE(parse_labelled_integer("P2 1984 (2)"));  // a key-string has no space
  EXPECT_FALSE(parse_labelled_integer("x (y)"));
  EXPECT_EQ(labelled_integer_2(1, "unable-to-transfer"), "1 (unable-to-transfer)");
}

TEST(Syntax, rfc2156_5_3_3_1_encoded_info_both_ways) {
  EncodedInfo e;
  e.built_in.set(0);
  e.built_in.set(3);
  EXPECT_EQ(encoded_info(e), "Undefined, G3-Fax");
  // §5.3.7's example "converted (undefined, g3fax)" and §5.3.4.2's "ia5".
  EXPECT_EQ(parse_encoded_info("undefined, g3fax"), e);
  auto ia5 = parse_encoded_info("ia5");
  ASSERT_TRUE(ia5);
  EXPECT_TRUE(ia5->built_in.test(2));
  e.extended.push_back(eit_mixer());
  EXPECT_EQ(parse_encoded_info(encoded_info(e)), e);
  EXPECT_FALSE(parse_encoded_info(""));
  EXPECT_FALSE(parse_encoded_info("IA5-Text, braille"));
}

TEST(Syntax, rfc2156_5_3_6_mts_content_type) {
  EXPECT_EQ(mts_content_type(2), "P2-1984 (2)");
  EXPECT_EQ(mts_content_type(22), "P2-1988 (22)");
  EXPECT_EQ(mts_content_type(99), "(99)");
  EXPECT_EQ(parse_mts_content_type("P2")->built_in, 2);  // RFC 987
  EXPECT_EQ(parse_mts_content_type("P2-1988 (22)")->built_in, 22);
  const Oid ext{2, 6, 1, 10, 1};
  EXPECT_EQ(parse_mts_content_type(mts_content_type(ext))->extended, ext);
  EXPECT_FALSE(parse_mts_content_type("EDI"));
}

TEST(Syntax, keyword_values_both_ways) {
  for (std::int64_t v : {0, 1, 2}) EXPECT_EQ(parse_priority(priority(v)), v);
  for (std::int64_t v : {0, 1, 2}) EXPECT_EQ(parse_importance(importance(v)), v);
  for (std::int64_t v : {1, 2, 3}) EXPECT_EQ(parse_sensitivity(sensitivity(v)), v);
  for (std::int64_t v : {0, 1, 2, 3}) EXPECT_EQ(parse_autosubmitted(autosubmitted(v)), v);
  for (std::int64_t v : {0, 1, 2, 3, 4}) EXPECT_EQ(parse_redirection_reason(redirection_reason(v)), v);
  EXPECT_EQ(parse_priority(" URGENT "), 2);
  EXPECT_EQ(parse_sensitivity("company-confidential"), 3);
  EXPECT_FALSE(parse_importance("urgent"));
  EXPECT_EQ(parse_boolean("true"), true);
  EXPECT_EQ(parse_prohibition("Prohibited"), true);
  EXPECT_EQ(parse_prohibition("allowed"), false);
  EXPECT_FALSE(parse_prohibition("maybe"));
  EXPECT_EQ(sensitivity(2), "Private");
  EXPECT_EQ(discard_reason(1), "Obsoleted");
}

TEST(Syntax, printable_of_replaces_what_printable_string_lacks) {
  EXPECT_EQ(printable_of("Email Problems"), "Email Problems");
  EXPECT_EQ(printable_of("Re: a@b!"), "Re: a?b?");
  EXPECT_EQ(printable_of("Gr\xC3\xBC\xC3\x9F" "e"), "Gr??e");
  EXPECT_TRUE(is_printable("(2) A-z."));
  EXPECT_FALSE(is_printable("a_b"));
}

}  // namespace
