// tests/unit/bodyparts/transfer_encoding_test.cpp: RFC 2045 transfer
// encodings both ways, the one-pass text scan (at every position relative
// to its sixteen-octet steps, and against an octet-by-octet reading), and
// the text/plain entities to_mime makes of IA5 text.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

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

// base64 octet by octet, as RFC 2045 §6.8 describes it, in lines of 76.
std::string reference_base64(std::string_view in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out, line;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    line += t[(v >> 18) & 63];
    line += t[(v >> 12) & 63];
    line += i + 1 < in.size() ? t[(v >> 6) & 63] : '=';
    line += i + 2 < in.size() ? t[v & 63] : '=';
    if (line.size() == 76) out += line + "\r\n", line.clear();
  }
  if (!line.empty()) out += line + "\r\n";
  return out;
}

TEST(TransferEncoding, rfc2045_6_8_base64_matches_the_reference_at_every_length) {
  std::uint32_t x = 99;
  std::string octets;
  for (std::size_t n = 0; n < 400; ++n) {
    const std::string b64 = base64_lines(octets);
    ASSERT_EQ(b64, reference_base64(octets)) << n;
    auto d = decode_base64(b64);
    ASSERT_EQ(d.octets, octets) << n;
    ASSERT_TRUE(d.clean) << n;
    // Decoding without line breaks, with LF only and with spaces gives the same octets.
    std::string flat, lf;
    for (char c : b64) {
      if (c != '\r' && c != '\n') flat += c;
      if (c != '\r') lf += c;
    }
    ASSERT_EQ(decode_base64(flat).octets, octets) << n;
    ASSERT_EQ(decode_base64(lf).octets, octets) << n;
    x = x * 1103515245 + 12345;
    octets += static_cast<char>(x >> 16);
  }
  EXPECT_FALSE(decode_base64("QUJDRA==QUJD").clean);  // data after padding
  EXPECT_FALSE(decode_base64("QUJDR").clean);         // a dangling sextet
  EXPECT_EQ(decode_base64("QU JD\r\nRA==").octets, "ABCD");
}

TEST(TransferEncoding, text_scan_finds_each_kind_at_every_offset) {
  for (std::size_t at = 0; at < 40; ++at) {
    std::string base(40, 'a');
    base += "\r\n";
    EXPECT_TRUE(is_7bit(base)) << at;
    for (char bad : {'\x80', '\0', '\n', '\r'}) {
      std::string t = base;
      t[at] = bad;
      const TextScan s = scan_text(t);
      EXPECT_FALSE(is_7bit(t)) << at << " " << int(bad);
      if (bad == '\x80') {
        EXPECT_TRUE(s.eight_bit);
      }
      if (bad == '\0') {
        EXPECT_TRUE(s.nul);
      }
      if (bad == '\n' || bad == '\r') {
        EXPECT_TRUE(s.bare_cr_lf);
      }
    }
  }
  EXPECT_FALSE(is_7bit(std::string(999, 'a') + "\r\n"));  // RFC 5322 §2.1.1: 998
  EXPECT_TRUE(is_7bit(std::string(998, 'a') + "\r\n"));
  EXPECT_FALSE(is_7bit("no line end"));
}

// scan_text octet by octet, as RFC 2045 §2.7 reads.
TextScan reference_scan(std::string_view t) {
  TextScan r;
  std::size_t line = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto c = static_cast<unsigned char>(t[i]);
    if (c == '\r' && i + 1 < t.size() && t[i + 1] == '\n') {
      r.max_line = std::max(r.max_line, line);
      line = 0;
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') r.bare_cr_lf = true;
    if (c == 0) r.nul = true;
    if (c > 127) r.eight_bit = true;
    ++line;
  }
  r.max_line = std::max(r.max_line, line);
  r.ends_with_crlf = t.size() >= 2 && t.substr(t.size() - 2) == "\r\n";
  return r;
}

TEST(TransferEncoding, text_scan_agrees_with_an_octet_by_octet_reading) {
  const char alphabet[] = {'a', ' ', '\r', '\n', '\0', '\x80', '\xFF', 'z'};
  std::uint32_t seed = 12345;
  for (int round = 0; round < 2000; ++round) {
    std::string t;
    const std::size_t n = round % 97;
    for (std::size_t i = 0; i < n; ++i) {
      seed = seed * 1103515245u + 12345u;
      // Mostly letters, so that runs of sixteen and more come up.
      const unsigned pick = (seed >> 16) % 64;
      t += pick < 8 ? alphabet[pick] : static_cast<char>('a' + pick % 26);
    }
    const TextScan a = scan_text(t), b = reference_scan(t);
    EXPECT_EQ(a.eight_bit, b.eight_bit) << round;
    EXPECT_EQ(a.nul, b.nul) << round;
    EXPECT_EQ(a.bare_cr_lf, b.bare_cr_lf) << round;
    EXPECT_EQ(a.ends_with_crlf, b.ends_with_crlf) << round;
    EXPECT_EQ(a.max_line, b.max_line) << round;
  }
  // A NUL after the first 8-bit octet (which the scan stops looking for) is still found.
  const TextScan s = scan_text(std::string(20, '\x80') + std::string(20, 'a') + '\0' + "\r\n");
  EXPECT_TRUE(s.eight_bit);
  EXPECT_TRUE(s.nul);
}

TEST(BodyParts, ia5_text_already_7bit_lines_is_not_copied) {
  std::vector<mixer::p1::ipms::BodyPart> body{ia5_text_part("Hello\r\nthere\r\n")};
  auto mime = to_mime(body, {});
  ASSERT_TRUE(mime);
  const auto& text = body.front().as<mixer::p1::ipms::Ia5TextBodyPart>()->text;
  EXPECT_EQ(mime->entity.octets().data(), text.data());
  EXPECT_EQ(mime->entity.octets(), text);
  // Bare line ends are mended into a copy; 8-bit text goes quoted-printable.
  std::vector<mixer::p1::ipms::BodyPart> bare{ia5_text_part("a\nb")};
  auto mended = to_mime(bare, {});
  ASSERT_TRUE(mended);
  EXPECT_EQ(mended->entity.octets(), "a\r\nb\r\n");
  EXPECT_EQ(mended->entity.fields.size(), 2u);
  std::vector<mixer::p1::ipms::BodyPart> eight{ia5_text_part("caf\xE9\n")};
  auto qp = to_mime(eight, {});
  ASSERT_TRUE(qp);
  EXPECT_EQ(qp->entity.octets(), "caf=E9\r\n");
  ASSERT_EQ(qp->entity.fields.size(), 3u);
  EXPECT_EQ(qp->entity.fields[2].value, "quoted-printable");
}

TEST(BodyParts, several_ia5_parts_are_multipart_mixed_with_a_boundary_in_none) {
  std::vector<mixer::p1::ipms::BodyPart> body{ia5_text_part("one\r\n"), ia5_text_part("--=_mixer_1\r\n"),
                                              ia5_text_part("caf\xE9")};
  auto mime = to_mime(body, {});
  ASSERT_TRUE(mime);
  EXPECT_EQ(mime->entity.fields.back().value, "multipart/mixed; boundary=\"=_mixer_1_\"");
  EXPECT_EQ(mime->entity.octets(),
            "--=_mixer_1_\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\none\r\n\r\n"
            "--=_mixer_1_\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n--=_mixer_1\r\n\r\n"
            "--=_mixer_1_\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: "
            "quoted-printable\r\n\r\ncaf=E9=\r\n\r\n"  // no final line break in the text: a soft one
            "--=_mixer_1_--\r\n");  // each part keeps its last CRLF: the one before a delimiter is its own
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
  EXPECT_EQ(mime->entity.octets(), "Hello\r\n");
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=us-ascii"}}, "Hello\r\n"};
  auto x = to_x400(in, {});
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 1u);
  EXPECT_TRUE(x->built_in_eits.test(2));  // ia5-text
  // A type with no equivalence is carried in the MIME body part (§3.1.2), not refused.
  MimeInput other{{{"MIME-Version", "1.0"}, {"Content-Type", "image/png"}}, "x"};
  auto carried = to_x400(other, {});
  ASSERT_TRUE(carried);
  ASSERT_EQ(carried->body.size(), 1u);
  EXPECT_TRUE(carried->body.front().as<mixer::p1::ipms::MimeBodyPart>());
  MimeInput latin{{{"MIME-Version", "1.0"}, {"Content-Type", "text/plain; charset=iso-8859-1"}}, "caf\xE9\r\n"};
  auto general = to_x400(latin, {});
  ASSERT_TRUE(general);
  EXPECT_TRUE(general->body.front().as<mixer::p1::ipms::GeneralTextBodyPart>());
}

}  // namespace
