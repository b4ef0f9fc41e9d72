// tests/unit/bodyparts/transfer_encoding_test.cpp: RFC 2045 transfer
// encodings both ways, and the one-pass text scan (at every position
// relative to its eight-octet steps).
#include <gtest/gtest.h>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/transfer_encoding.hpp"

namespace {

using namespace mixer::bodyparts;

TEST(TransferEncoding, rfc2045_6_7_quoted_printable_round_trip) {
  const std::string text = "caf\xE9 = ok \r\ntrailing space \r\n" + std::string(200, 'x') + "\r\n";
  const std::string qp = quoted_printable(text);
  EXPECT_EQ(decode_quoted_printable(qp).octets, text);
  EXPECT_TRUE(decode_quoted_printable(qp).clean);
  std::size_t line = 0;
  for (char c : qp) {
    if (c == '\n') line = 0;
    else EXPECT_LE(++line, 77u);  // 76 characters and the CR
  }
  EXPECT_NE(qp.find("space=20\r\n"), std::string::npos);  // white space at a line end is encoded (rule 3)
  EXPECT_FALSE(decode_quoted_printable("bad =G1").clean);
}

TEST(TransferEncoding, rfc2045_6_8_base64_round_trip) {
  std::string octets;
  for (int i = 0; i < 300; ++i) octets += static_cast<char>(i * 7);
  const std::string b64 = base64_lines(octets);
  EXPECT_EQ(decode_base64(b64).octets, octets);
  EXPECT_TRUE(decode_base64(b64).clean);
  EXPECT_EQ(b64.find('\n'), 77u);  // lines of 76
  EXPECT_FALSE(decode_base64("QUJD!").clean);
}

TEST(TransferEncoding, text_scan_finds_each_kind_at_every_offset) {
  for (std::size_t at = 0; at < 24; ++at) {
    std::string base(24, 'a');
    base += "\r\n";
    EXPECT_TRUE(is_7bit(base)) << at;
    for (char bad : {'\x80', '\0', '\n', '\r'}) {
      std::string t = base;
      t[at] = bad;
      const TextScan s = scan_text(t);
      EXPECT_FALSE(is_7bit(t)) << at << " " << int(bad);
      if (bad == '\x80') EXPECT_TRUE(s.eight_bit);
      if (bad == '\0') EXPECT_TRUE(s.nul);
      if (bad == '\n' || bad == '\r') EXPECT_TRUE(s.bare_cr_lf);
    }
  }
  EXPECT_FALSE(is_7bit(std::string(999, 'a') + "\r\n"));  // RFC 5322 §2.1.1: 998
  EXPECT_TRUE(is_7bit(std::string(998, 'a') + "\r\n"));
  EXPECT_FALSE(is_7bit("no line end"));
}

TEST(TransferEncoding, crlf_lines_mends_bare_line_ends_only) {
  EXPECT_EQ(crlf_lines("a\r\nb\r\n"), "a\r\nb\r\n");
  EXPECT_EQ(crlf_lines("a\nb\rc"), "a\r\nb\r\nc\r\n");
  EXPECT_EQ(crlf_lines(""), "");
}

TEST(BodyParts, rfc2157_6_1_ia5_text_both_ways) {
  std::vector<mixer::p1::ipms::BodyPart> body{ia5_text_part("Hello\r\n")};
  auto mime = to_mime(body, {});
  ASSERT_TRUE(mime);
  EXPECT_EQ(mime->entity.body, "Hello\r\n");
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=us-ascii"}}, "Hello\r\n"};
  auto x = to_x400(in, {});
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 1u);
  EXPECT_TRUE(x->built_in_eits.test(2));  // ia5-text
  MimeInput other{{{"MIME-Version", "1.0"}, {"Content-Type", "image/png"}}, "x"};
  auto refused = to_x400(other, {});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().enhanced_status, "5.6.3");
  MimeInput latin{{{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=iso-8859-1"}}, "caf\xE9\r\n"};
  EXPECT_FALSE(to_x400(latin, {}));
}

}  // namespace
