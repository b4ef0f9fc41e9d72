// tests/unit/bodyparts/seven_bit_test.cpp: the 8-bit to 7-bit downgrade for a
// next hop without 8BITMIME (RFC 6152 §3, RFC 2045 §6, RFC 2046 §5): each
// case checks the output is 7-bit lines, the leaves decode to the input's
// (tests/unit/bodyparts/mime_leaves.hpp), and the headers written.
#include <gtest/gtest.h>

#include "bodyparts/seven_bit.hpp"
#include "tests/unit/bodyparts/mime_leaves.hpp"

namespace {

using mixer::bodyparts::seven_bit_form;
using mixer::bodyparts::SevenBitLimits;
using namespace std::string_literals;

// The 7-bit form, checked: 7-bit transport, and the same leaves as the input.
std::string downgraded(const std::string& in) {
  auto out = seven_bit_form(in);
  EXPECT_TRUE(out.ok()) << (out.ok() ? "" : out.error().text());
  if (!out.ok()) return {};
  EXPECT_TRUE(mixer::test::is_seven_bit_transport(*out)) << *out;
  const auto before = mixer::test::mime_leaves(in), after = mixer::test::mime_leaves(*out);
  EXPECT_TRUE(before && after);
  if (before && after) {
    EXPECT_EQ(*before, *after) << *out;
  }
  return *out;
}

std::string header_of(const std::string& m) { return m.substr(0, m.find("\r\n\r\n") + 2); }

TEST(SevenBit, rfc6152_3_downgrade_text_8bit_to_quoted_printable) {
  const std::string in =
      "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
      "Content-Transfer-Encoding: 8bit\r\nSubject: x\r\n\r\nd\xE9j\xE0 vu\r\n" + std::string(1200, 'y') + "\r\n";
  const std::string out = downgraded(in);
  EXPECT_EQ(header_of(out),
            "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n"
            "Subject: x\r\nContent-Transfer-Encoding: quoted-printable\r\n");
  EXPECT_NE(out.find("\r\n\r\nd=E9j=E0 vu\r\n"), std::string::npos) << out;
}

TEST(SevenBit, rfc2045_6_8_downgrade_binary_to_base64) {
  std::string data;
  for (int i = 0; i < 600; ++i) data += static_cast<char>((i * 37) & 0xFF);
  const std::string in = "MIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
                         "Content-Transfer-Encoding: binary\r\n\r\n" + data;
  const std::string out = downgraded(in);
  EXPECT_NE(out.find("Content-Transfer-Encoding: base64\r\n\r\n"), std::string::npos);
  EXPECT_EQ(out.find("binary"), std::string::npos);
}

TEST(SevenBit, rfc2045_6_7_mostly_8bit_text_and_text_with_nul_go_to_base64) {
  const std::string in = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=KOI8-R\r\n"
                         "Content-Transfer-Encoding: 8bit\r\n\r\n\xF0\xD2\xC9\xD7\xC5\xD4\r\n";
  EXPECT_NE(downgraded(in).find("Content-Transfer-Encoding: base64"), std::string::npos);
  const std::string nul = "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\na\0b\xE9 and more text\r\n"s;
  EXPECT_NE(downgraded(nul).find("base64"), std::string::npos);
}

TEST(SevenBit, rfc2046_5_1_1_downgrade_multipart_with_mixed_parts) {
  const std::string in =
      "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b 1\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
      "pre\xE9mble\r\n"
      "--b 1\r\nContent-Type: text/plain\r\n\r\nplain ascii\r\n"
      "--b 1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\xC3\xA9t\xC3\xA9 is the summer season\r\n"
      "--b 1\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: binary\r\n\r\n\x89PNG\r\n\x1A\n\x00\x01"
      "\r\n--b 1--\r\nepilogue\r\n"s;
  const std::string out = downgraded(in);
  EXPECT_NE(out.find("Content-Transfer-Encoding: 7bit\r\n\r\n--b 1\r\n"), std::string::npos) << out;  // the 8-bit preamble left out
  EXPECT_NE(out.find("--b 1\r\nContent-Type: text/plain\r\n\r\nplain ascii\r\n--b 1\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=C3=A9t=C3=A9 is the summer season=\r\n\r\n--b 1\r\n"),  // its last CRLF is the delimiter's
            std::string::npos) << out;
  EXPECT_NE(out.find("image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("\r\n--b 1--\r\nepilogue\r\n")) << out;  // a 7-bit epilogue kept
}

TEST(SevenBit, rfc2046_5_2_1_nested_message_rfc822_is_walked_and_relabelled_7bit) {
  const std::string inner = "From: b@example.com\r\nSubject: inner\r\n\r\nna\xEFve\r\n";  // not MIME: RFC 1428
  const std::string in =
      "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=xx\r\n\r\n"
      "--xx\r\nContent-Type: text/plain\r\n\r\nsee below\r\n"
      "--xx\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + inner +
      "--xx--\r\n";
  const std::string out = downgraded(in);
  EXPECT_NE(out.find("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                     "From: b@example.com\r\nSubject: inner\r\nMIME-Version: 1.0\r\n"
                     "Content-Type: text/plain; charset=unknown-8bit\r\n"
                     "Content-Transfer-Encoding: quoted-printable\r\n\r\nna=EFve=\r\n\r\n--xx--"),
            std::string::npos) << out;
}

TEST(SevenBit, rfc2045_3_header_block_without_its_empty_line_gets_one_before_a_changed_body) {
  // The part's header ends at a line that is no field (RFC 2045 §3 reads the rest as its
  // body): the enclosed message's new fields must not join the part's header.
  const std::string in = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                         "Content-Type: message/rfc822\r\nnot a field line \xE9\r\n\r\nrest\r\n--b--\r\n";
  const std::string out = downgraded(in);
  EXPECT_NE(out.find("Content-Type: message/rfc822\r\n\r\nMIME-Version: 1.0\r\n"), std::string::npos) << out;
}

TEST(SevenBit, rfc2046_5_1_5_digest_parts_default_to_message_rfc822) {
  const std::string in = "MIME-Version: 1.0\r\nContent-Type: multipart/digest; boundary=d\r\n\r\n"
                         "--d\r\n\r\nSubject: one\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n"
                         "Content-Transfer-Encoding: 8bit\r\n\r\n\xE9t\xE9 chaud\r\n--d--\r\n";
  const std::string out = downgraded(in);
  EXPECT_NE(out.find("Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n=E9t=E9 chaud=\r\n\r\n--d--"),
            std::string::npos) << out;
}

TEST(SevenBit, rfc1428_3_non_mime_message_becomes_text_plain_unknown_8bit) {
  const std::string out = downgraded("From: a@example.com\r\nSubject: x\r\n\r\ncaf\xE9\r\n");
  EXPECT_EQ(out, "From: a@example.com\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=unknown-8bit\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                 "\r\ncaf=E9\r\n");
}

TEST(SevenBit, rfc6152_3_already_7bit_message_unchanged_byte_for_byte) {
  const std::string in =
      "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=q\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n--q\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
      "ascii only\r\n--q--\r\n";
  auto out = seven_bit_form(in);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, in);
  auto plain = seven_bit_form("Subject: s\r\n\r\nbody\r\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "Subject: s\r\n\r\nbody\r\n");
}

TEST(SevenBit, rfc3463_x_6_3_8bit_header_is_refused) {
  auto top = seven_bit_form("Subject: caf\xC3\xA9\r\n\r\nd\xC3\xA9j\xC3\xA0 vu\r\n");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.error().smtp_code, 554);
  EXPECT_EQ(top.error().enhanced_status, "5.6.3");
  EXPECT_NE(top.error().message.find("Subject"), std::string::npos) << top.error().message;
  // In a body part's header too, and an 8-bit header alone (a 7-bit body) as well.
  auto part = seven_bit_form("MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
                             "Content-Type: text/plain; name=\"\xE9.txt\"\r\n\r\n\xE9\r\n--b--\r\n");
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.error().enhanced_status, "5.6.3");
  EXPECT_FALSE(seven_bit_form("Subject: caf\xE9\r\n\r\nascii\r\n").ok());
}

TEST(SevenBit, rfc2045_6_4_unknown_encoding_or_unsplittable_multipart_with_8bit_refused) {
  auto unknown = seven_bit_form("MIME-Version: 1.0\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n\xE9\r\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("x-uuencode"), std::string::npos);
  auto no_boundary = seven_bit_form("MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n\xE9\r\n");
  ASSERT_FALSE(no_boundary.ok());
  EXPECT_EQ(no_boundary.error().enhanced_status, "5.6.3");
}

TEST(SevenBit, rfc2045_6_7_quoted_printable_body_with_raw_8bit_is_decoded_and_encoded_again) {
  const std::string in = "MIME-Version: 1.0\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n"
                         "\r\na=3Db \xE9\r\n";
  const std::string out = downgraded(in);
  EXPECT_NE(out.find("\r\n\r\na=3Db =E9\r\n"), std::string::npos) << out;
}

TEST(SevenBit, rfc2046_5_1_1_quoted_printable_never_makes_a_delimiter_line) {
  // A soft line break at column 75 would start a line with "--zz": base64 instead.
  const std::string text = std::string(74, 'a') + "\xE9--zz\r\n";
  const std::string in = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\n"
                         "Content-Type: text/plain\r\n\r\n" + text + "--zz--\r\n";
  const std::string out = downgraded(in);
  EXPECT_NE(out.find("base64"), std::string::npos) << out;
}

TEST(SevenBit, rfc6532_3_7_message_global_gets_an_encoding) {
  const std::string in = "MIME-Version: 1.0\r\nContent-Type: message/global\r\n\r\n"
                         "Subject: \xC3\xA9t\xC3\xA9\r\n\r\nbody\r\n";
  const std::string out = downgraded(in);
  EXPECT_NE(out.find("Content-Type: message/global\r\nContent-Transfer-Encoding: quoted-printable\r\n"),
            std::string::npos) << out;
}

TEST(SevenBit, limits_nesting_and_parts_are_refused_not_crashed) {
  std::string deep = "Subject: x\r\n\r\n\xE9\r\n";
  for (int i = 0; i < 40; ++i) deep = "MIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n" + deep;
  SevenBitLimits limits;
  limits.max_nesting = 16;
  auto r = seven_bit_form(deep, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().enhanced_status, "5.6.3");
  std::string many = "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=p\r\n\r\n";
  for (int i = 0; i < 20; ++i) many += "--p\r\n\r\n\xE9\r\n";
  many += "--p--\r\n";
  limits.body.max_parts = 10;
  auto m = seven_bit_form(many, limits);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().enhanced_status, "5.3.4");
  limits.body.max_parts = 1000;
  limits.body.max_part_size = 2;
  auto big = seven_bit_form("Subject: x\r\n\r\n\xE9\xE9\xE9\r\n", limits);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().smtp_code, 552);
}

}  // namespace
