// Paths (RFC 5321 §4.1.2) and xtext (RFC 3461 §4).
#include <gtest/gtest.h>

#include "smtp/proto/syntax.hpp"

using namespace mixer::smtp::proto;

TEST(Rfc5321, s4_1_2_dot_string_path) {
  auto p = parse_path("<first.last@example.com> SIZE=1", false, false);
  ASSERT_EQ(p.error, PathError::none);
  EXPECT_EQ(p.mailbox.local, "first.last");
  EXPECT_EQ(p.mailbox.domain, "example.com");
  EXPECT_EQ(p.consumed, 24u);
}

TEST(Rfc5321, s4_1_2_quoted_string_local_part_may_hold_at_and_gt) {
  auto p = parse_path(R"(<"a@b>c"@example.com>)", false, false);
  ASSERT_EQ(p.error, PathError::none);
  EXPECT_EQ(p.mailbox.local, R"("a@b>c")");
  EXPECT_EQ(p.mailbox.domain, "example.com");
}

TEST(Rfc5321, s4_1_2_address_literals) {
  EXPECT_EQ(parse_path("<u@[192.0.2.1]>", false, false).error, PathError::none);
  EXPECT_EQ(parse_path("<u@[IPv6:2001:db8::1]>", false, false).error, PathError::none);
  EXPECT_EQ(parse_path("<u@[300.0.0.1]>", false, false).error, PathError::syntax);
}

TEST(Rfc5321, s4_1_2_bad_paths) {
  for (const char* bad : {"u@example.com", "<u@example.com", "<.u@example.com>", "<u..v@example.com>",
                          "<u@-example.com>", "<u@exa_mple.com>", "<u@>", "<@example.com>", "<u v@example.com>",
                          "<u@example..com>"})
    EXPECT_EQ(parse_path(bad, false, false).error, PathError::syntax) << bad;
}

TEST(Rfc5321, s4_1_1_3_null_path_only_where_allowed) {
  EXPECT_EQ(parse_path("<>", true, false).error, PathError::none);
  EXPECT_TRUE(parse_path("<>", true, false).mailbox.empty());
  EXPECT_EQ(parse_path("<>", false, false).error, PathError::syntax);
}

TEST(Rfc5321, appendix_c_source_route_is_accepted_and_dropped) {
  auto p = parse_path("<@relay1.example,@relay2.example:user@example.com>", false, false);
  ASSERT_EQ(p.error, PathError::none);
  EXPECT_EQ(p.mailbox.text(), "user@example.com");
}

TEST(Rfc5321, s4_5_3_1_length_limits) {
  std::string local(65, 'a');
  EXPECT_EQ(parse_path("<" + local + "@example.com>", false, false).error, PathError::too_long);
  std::string ok_local(64, 'a');
  EXPECT_EQ(parse_path("<" + ok_local + "@example.com>", false, false).error, PathError::none);
  std::string long_path = "<a@" + std::string(250, 'b') + ".com>";
  EXPECT_EQ(parse_path(long_path, false, false).error, PathError::too_long);
}

TEST(Rfc6531, s3_5_non_ascii_without_smtputf8) {
  EXPECT_EQ(parse_path("<j\xc3\xb6rg@example.com>", false, false).error, PathError::non_ascii);
}

TEST(Rfc3461, s4_xtext_decode_and_encode) {
  EXPECT_EQ(decode_xtext("a+2Bb+3Dc").value(), "a+b=c");
  EXPECT_FALSE(decode_xtext("a+2b").has_value());  // hex digits are upper case
  EXPECT_FALSE(decode_xtext("a=b").has_value());
  EXPECT_FALSE(decode_xtext("a b").has_value());
  EXPECT_FALSE(decode_xtext("a+2").has_value());
  EXPECT_EQ(encode_xtext("a+b=c d"), "a+2Bb+3Dc+20d");
  EXPECT_EQ(decode_xtext(encode_xtext(std::string("\x00\xff+=", 4))).value(), std::string("\x00\xff+=", 4));
}
