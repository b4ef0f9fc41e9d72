// tests/unit/mapping/text_test.cpp: human-readable strings across the
// gateway (RFC 2156 §3.3.4, §3.5) and the header builder.
#include <gtest/gtest.h>

#include "mapping/header_out.hpp"
#include "mapping/text.hpp"

namespace {

using namespace mixer::mapping;

TEST(Text, rfc2156_3_5_teletex_and_encoded_words_to_utf8) {
  EXPECT_EQ(internet_text_of_teletex("M\xC8uller").utf8, "M\xC3\xBCller");  // T.61 diaeresis + u
  // An encoded word a gateway left in the value is interpreted.
  EXPECT_EQ(internet_text_of_teletex("=?UTF-8?Q?J=C3=BCrgen?= Smith").utf8, "J\xC3\xBCrgen Smith");
  auto bad = internet_text_of_teletex("a\xC9");  // a diacritic at the end: not T.61
  EXPECT_FALSE(bad.exact);
  EXPECT_NE(bad.utf8.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(Text, rfc2156_3_3_4_header_text_in_t61_when_it_fits) {
  auto t = teletex_of_header_text("Hello =?ISO-8859-1?Q?W=F6rld?=", false, 128);
  EXPECT_EQ(t.t61, "Hello W\xC8orld");
  EXPECT_FALSE(t.ascii_form);
  // Cyrillic has no T.61 form: the encoded words stay, which loses nothing.
  auto c = teletex_of_header_text("=?UTF-8?B?0J/RgNC40LLQtdGC?=", false, 128);
  EXPECT_TRUE(c.ascii_form);
  EXPECT_EQ(c.t61, "=?UTF-8?B?0J/RgNC40LLQtdGC?=");
  // Raw UTF-8 (RFC 6532) that T.61 cannot hold becomes encoded words.
  auto r = teletex_of_header_text("\xD0\x9F\xD1\x80", false, 128);
  EXPECT_TRUE(r.ascii_form);
  EXPECT_EQ(r.t61, "=?UTF-8?Q?=D0=9F=D1=80?=");
}

TEST(Text, rfc1428_unknown_8bit_words) {
  EXPECT_EQ(ascii_of_8bit("caf\xE9 ok"), "=?unknown-8bit?Q?caf=E9?= ok");
  EXPECT_EQ(ascii_of_8bit("plain"), "plain");
}

TEST(Text, rfc2156_5_1_3_truncation_keeps_encoded_words_and_comments_whole) {
  EXPECT_EQ(cut_to("abcdef", 4), "abcd");
  EXPECT_EQ(cut_to("ab =?UTF-8?Q?xyz?=", 10), "ab");            // not inside an encoded word
  EXPECT_EQ(cut_to("Name (a comment here)", 12), "Name");       // not inside a comment
  EXPECT_EQ(cut_to("ab\xC8u", 3), "ab");                         // not between a diacritic and its letter
  EXPECT_EQ(cut_to("short", 64), "short");
}

TEST(HeaderOut, restored_fields_and_reservation) {
  HeaderOut h;
  h.reserve("X-Thing");
  EXPECT_TRUE(h.reserved("x-thing"));
  h.structured("From", "a@b.example");
  h.restored("X-Thing: one two");
  h.restored("Empty:");
  h.restored("no colon here");
  h.unstructured("Subject", "caf\xC3\xA9");
  EXPECT_TRUE(h.has("from"));
  EXPECT_TRUE(h.has("X-THING"));
  EXPECT_EQ(h.problems().size(), 1u);
  EXPECT_EQ(h.text(), "From: a@b.example\r\nX-Thing: one two\r\nEmpty:\r\nSubject: =?UTF-8?B?Y2Fmw6k=?=\r\n");
}

}  // namespace
