// tests/unit/imf/encoded_word_test.cpp: RFC 2047 decoding
// (imf/encoded_word.hpp): the §8 examples, §6.2 joining, the RFC 2231
// language suffix, malformed words, unknown charsets and undecodable
// octets left as they are (and said so), raw 8-bit text, phrases.
#include <gtest/gtest.h>

#include "imf/encoded_word.hpp"
#include "imf/message.hpp"

namespace mixer::imf {
namespace {

DecodedText text(std::string_view s) {
  auto r = decode_unstructured(s, Limits{});
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : DecodedText{};
}

DecodedText phrase(std::string_view s) {
  auto r = decode_phrase(s, Limits{});
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().text());
  return r.ok() ? *r : DecodedText{};
}

DecodedText comment(std::string_view s) {
  auto r = decode_comment(s, Limits{});
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : DecodedText{};
}

TEST(ImfEncodedWord, rfc2047_8_example_phrases) {
  EXPECT_EQ(phrase("=?US-ASCII?Q?Keith_Moore?=").text, "Keith Moore");
  EXPECT_EQ(phrase("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=").text, "Keld J\xc3\xb8rn Simonsen");
  EXPECT_EQ(phrase("=?ISO-8859-1?Q?Andr=E9?= Pirard").text, "Andr\xc3\xa9 Pirard");
  EXPECT_EQ(phrase("=?ISO-8859-1?Q?Olle_J=E4rnefors?=").text, "Olle J\xc3\xa4rnefors");
  EXPECT_EQ(phrase("=?ISO-8859-1?Q?Patrik_F=E4ltstr=F6m?=").text, "Patrik F\xc3\xa4ltstr\xc3\xb6m");
  const DecodedText d = phrase("=?ISO-8859-1?Q?Andr=E9?= Pirard");
  EXPECT_TRUE(d.has(decoded));
  EXPECT_TRUE(d.exact());
}

TEST(ImfEncodedWord, rfc2047_8_example_subject_in_two_charsets) {
  const std::string folded =
      "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=";
  const DecodedText d = text(unfold(folded));
  EXPECT_EQ(d.text, "If you can read this you understand the example.");
  EXPECT_TRUE(d.exact());
  // The folded form gives the same: CRLF is white space between encoded words.
  EXPECT_EQ(text(folded).text, d.text);
}

TEST(ImfEncodedWord, rfc2047_8_example_comment_in_iso_8859_8) {
  const DecodedText d = comment("(=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)");
  EXPECT_EQ(d.text,
            "\xd7\x9d\xd7\x95\xd7\x9c\xd7\xa9 \xd7\x9f\xd7\x91 \xd7\x99\xd7\x9c\xd7\x98\xd7\xa4\xd7\xa0");
  EXPECT_TRUE(d.exact());
}

TEST(ImfEncodedWord, rfc2047_8_comment_examples_displayed_as) {
  EXPECT_EQ(comment("(=?ISO-8859-1?Q?a?=)").text, "a");
  EXPECT_EQ(comment("(=?ISO-8859-1?Q?a?= b)").text, "a b");
  EXPECT_EQ(comment("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)").text, "ab");
  EXPECT_EQ(comment("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)").text, "ab");
  EXPECT_EQ(comment("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)").text, "ab");
  EXPECT_EQ(comment("(=?ISO-8859-1?Q?a_b?=)").text, "a b");
  EXPECT_EQ(comment("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)").text, "a b");
  EXPECT_EQ(comment("(a \\) b)").text, "a ) b");
}

TEST(ImfEncodedWord, rfc2047_8_parenthesised_words_in_text_left_as_is) {
  // "if the same sequence were to occur in a '*text' field, the 'displayed as'
  // form would NOT be treated as encoded words"
  const DecodedText d = text("(=?ISO-8859-1?Q?a?=)");
  EXPECT_EQ(d.text, "(=?ISO-8859-1?Q?a?=)");
  EXPECT_FALSE(d.has(decoded));
  EXPECT_EQ(text("(=?ISO-8859-1?Q?a?= b)").text, "(=?ISO-8859-1?Q?a?= b)");
}

TEST(ImfEncodedWord, rfc2047_6_2_adjacent_words_joined) {
  EXPECT_EQ(text("=?UTF-8?Q?a?= =?UTF-8?Q?b?=").text, "ab");
  EXPECT_EQ(text("=?UTF-8?Q?a?=  \t =?UTF-8?B?Yg==?=").text, "ab");
  EXPECT_EQ(text("=?UTF-8?Q?a?= =?ISO-8859-1?Q?b?= =?UTF-8?Q?c?=").text, "abc");
}

TEST(ImfEncodedWord, rfc2047_6_2_space_between_word_and_text_kept) {
  EXPECT_EQ(text("Re: =?UTF-8?Q?caf=C3=A9?= now").text, "Re: caf\xc3\xa9 now");
  EXPECT_EQ(text("x  =?UTF-8?Q?y?=\tz").text, "x  y\tz");
  EXPECT_EQ(text("  lead and trail  ").text, "  lead and trail  ");
}

TEST(ImfEncodedWord, rfc2047_5_1_word_must_stand_alone) {
  const DecodedText d = text("a=?UTF-8?Q?b?= =?UTF-8?Q?c?=d");
  EXPECT_EQ(d.text, "a=?UTF-8?Q?b?= =?UTF-8?Q?c?=d");
  EXPECT_FALSE(d.has(decoded));
  EXPECT_TRUE(d.has(malformed));  // left as is, and said so
  // "=?" alone is text.
  const DecodedText q = text("what =? and ?= are");
  EXPECT_EQ(q.text, "what =? and ?= are");
  EXPECT_TRUE(q.exact());
}

TEST(ImfEncodedWord, rfc2047_2_character_split_across_words_joined) {
  // Each word should be self-contained (§5); real mail splits UTF-8 sequences,
  // so same-charset octets are joined before conversion.
  const DecodedText d = text("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=");
  EXPECT_EQ(d.text, "caf\xc3\xa9");
  EXPECT_TRUE(d.exact());
  EXPECT_EQ(text("=?utf-8?b?5pel?= =?UTF-8?B?5pys?=").text, "\xe6\x97\xa5\xe6\x9c\xac");
}

TEST(ImfEncodedWord, rfc2231_5_language_suffix_ignored) {
  EXPECT_EQ(text("=?US-ASCII*EN?Q?Keith_Moore?=").text, "Keith Moore");
  EXPECT_EQ(text("=?utf-8*de-DE?q?gr=C3=BC=C3=9Fe?=").text, "gr\xc3\xbc\xc3\x9f" "e");
  const DecodedText d = text("=?*EN?Q?x?=");
  EXPECT_TRUE(d.has(malformed));
  EXPECT_EQ(d.text, "=?*EN?Q?x?=");
}

TEST(ImfEncodedWord, rfc2047_4_2_q_lower_case_hex_and_underscore) {
  EXPECT_EQ(text("=?ISO-8859-1?q?=e9_=E9?=").text, "\xc3\xa9 \xc3\xa9");
}

TEST(ImfEncodedWord, malformed_words_left_as_they_are) {
  for (std::string_view w : {"=?UTF-8?Q?=ZZ?=", "=?UTF-8?Q?=4?=", "=?UTF-8?B?YWJj?x?=", "=?UTF-8?B?YWJ?=",
                             "=?UTF-8?B?Y===?=", "=?UTF-8?B?YW=j?=", "=?UTF-8?X?abc?=", "=?UTF(8?Q?a?=",
                             "=?UTF-8?Q?a?b?=", "=?UTF-8??a?=", "=??Q?a?="}) {
    SCOPED_TRACE(w);
    const DecodedText d = text("before " + std::string(w) + " after");
    EXPECT_EQ(d.text, "before " + std::string(w) + " after");
    EXPECT_TRUE(d.has(malformed));
    EXPECT_FALSE(d.exact());
  }
  // A malformed word between two good ones keeps its white space.
  EXPECT_EQ(text("=?UTF-8?Q?a?= =?UTF-8?Q?=Z?= =?UTF-8?Q?b?=").text, "a =?UTF-8?Q?=Z?= b");
}

TEST(ImfEncodedWord, unknown_charset_left_as_is_and_flagged) {
  const DecodedText d = text("Hi =?x-no-such-charset?Q?abc?= there");
  EXPECT_EQ(d.text, "Hi =?x-no-such-charset?Q?abc?= there");
  EXPECT_TRUE(d.has(unknown_charset));
  EXPECT_FALSE(d.exact());
  EXPECT_TRUE(text("=?unknown-8bit?Q?=E9?=").has(unknown_charset));
}

TEST(ImfEncodedWord, undecodable_octets_left_as_is_and_flagged) {
  const DecodedText d = text("=?UTF-8?Q?=FF?=");
  EXPECT_EQ(d.text, "=?UTF-8?Q?=FF?=");
  EXPECT_TRUE(d.has(undecodable));
  EXPECT_FALSE(d.exact());
  EXPECT_TRUE(text("=?us-ascii?Q?caf=E9?=").has(undecodable));
  EXPECT_TRUE(text("=?Shift_JIS?B?gQ==?=").has(undecodable));  // a lead byte alone
  // A piece that does not convert keeps the white space around it; its neighbours decode.
  const DecodedText m = text("=?ISO-8859-1?Q?a?= =?UTF-8?Q?=FF?= =?ISO-8859-1?Q?b?=");
  EXPECT_EQ(m.text, "a =?UTF-8?Q?=FF?= b");
  EXPECT_TRUE(m.has(decoded));
  EXPECT_TRUE(m.has(undecodable));
}

TEST(ImfEncodedWord, rfc6532_raw_utf8_is_text_other_8bit_flagged) {
  const DecodedText u = text("caf\xc3\xa9 =?UTF-8?Q?=C3=A9?=");
  EXPECT_EQ(u.text, "caf\xc3\xa9 \xc3\xa9");
  EXPECT_TRUE(u.has(raw_utf8));
  EXPECT_TRUE(u.exact());
  const DecodedText l = text("caf\xe9");
  EXPECT_EQ(l.text, "caf\xe9");
  EXPECT_TRUE(l.has(raw_8bit));
  EXPECT_FALSE(l.exact());
}

TEST(ImfEncodedWord, rfc2047_5_3_phrase_quoted_string_not_decoded) {
  const DecodedText d = phrase("\"=?UTF-8?Q?a?=\" =?UTF-8?Q?b?=");
  EXPECT_EQ(d.text, "=?UTF-8?Q?a?= b");
  EXPECT_EQ(phrase("\"Giant; \\\"Big\\\" Box\"").text, "Giant; \"Big\" Box");
}

TEST(ImfEncodedWord, rfc5322_3_2_2_phrase_words_single_spaced_comments_dropped) {
  EXPECT_EQ(phrase("Joe   Q.\r\n Public (a comment)").text, "Joe Q. Public");
  EXPECT_EQ(phrase("(lead) Pete").text, "Pete");
  EXPECT_EQ(phrase("=?UTF-8?Q?J=C3=B6rg?= (x) =?UTF-8?Q?_M=C3=BCller?=").text, "J\xc3\xb6rg M\xc3\xbcller");
  auto bad = decode_phrase("\"unterminated", Limits{});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::syntax);
  auto bad2 = decode_phrase("a (unterminated", Limits{});
  ASSERT_FALSE(bad2.ok());
}

TEST(ImfEncodedWord, icu_charsets) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {"=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"},
      {"=?Shift_JIS?B?k/qWe4zq?=", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e"},
      {"=?KOI8-R?B?8NLJ18XU?=", "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82"},
      {"=?GB2312?B?1tDOxA==?=", "\xe4\xb8\xad\xe6\x96\x87"},
      {"=?Big5?B?pKSk5Q==?=", "\xe4\xb8\xad\xe6\x96\x87"},
      {"=?EUC-KR?B?x9Gxub7u?=", "\xed\x95\x9c\xea\xb5\xad\xec\x96\xb4"},
      {"=?windows-1252?Q?=80=82?=", "\xe2\x82\xac\xe2\x80\x9a"},
      {"=?ISO-8859-7?B?xevr5+3p6tw=?=", "\xce\x95\xce\xbb\xce\xbb\xce\xb7\xce\xbd\xce\xb9\xce\xba\xce\xac"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    const DecodedText d = text(c.in);
    EXPECT_EQ(d.text, c.out);
    EXPECT_TRUE(d.exact());
  }
}

TEST(ImfEncodedWord, limits) {
  Limits l;
  l.max_value_size = 10;
  auto r = decode_unstructured("12345678901", l);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::value_too_long);
  EXPECT_FALSE(decode_phrase("12345678901", l).ok());
  EXPECT_FALSE(decode_comment("(123456789)", l).ok());
  l.max_comment_depth = 2;
  l.max_value_size = 100;
  auto deep = decode_phrase("a (((b))) c", l);
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().code, Errc::comment_too_deep);
}

}  // namespace
}  // namespace mixer::imf
