// tests/unit/bodyparts/general_text_test.cpp: RFC 2157 §6.2 GeneralText:
// the escape sequences written before ISO 8859 text, the ISO 2022 reader
// (escapes removed, one set labelled as that charset, several as UTF-8,
// unknown sets labelled x-iso-... as they are), and ICU's strictness.
#include <gtest/gtest.h>

#include "bodyparts/charsets.hpp"
#include "bodyparts/general_text.hpp"

namespace {

using namespace mixer::bodyparts;

TEST(GeneralText, rfc2157_6_2_latin1_escapes_as_written_in_the_rfc) {
  auto g = general_text_8859(*charsets::iso8859_by_label("ISO-8859-1"), "caf\xE9\r\n");
  EXPECT_EQ(g.character_sets, (std::vector<std::int64_t>{6, 100}));
  EXPECT_EQ(g.text, std::string("\x1B\x28\x42\x1B\x2D\x41\x1B\x21\x41\x1B\x7E") + "caf\xE9\r\n");
  MimeText m = read_general_text(g);
  EXPECT_TRUE(m.decoded);
  EXPECT_EQ(m.charset, "iso-8859-1");
  EXPECT_EQ(m.octets, "caf\xE9\r\n");
}

TEST(GeneralText, rfc2157_6_2_registry_rows_and_aliases) {
  EXPECT_EQ(charsets::iso8859_by_label("latin1")->ir, 100);
  EXPECT_EQ(charsets::iso8859_by_label("iso-8859-5")->ir, 144);
  EXPECT_EQ(charsets::iso8859_by_label("ISO_8859-7")->ir, 126);
  EXPECT_EQ(charsets::iso8859_by_label("iso-8859-15")->final, 'b');
  EXPECT_EQ(charsets::iso8859_by_label("utf-8"), nullptr);
  EXPECT_EQ(charsets::iso8859_by_label("no-such-charset"), nullptr);
}

TEST(GeneralText, rfc2157_6_2_cyrillic_round_trip_through_icu) {
  const std::string utf8 = "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82\r\n";  // Привет
  auto octets = charsets::from_utf8(utf8, "ISO-8859-5");
  ASSERT_TRUE(octets);
  auto g = general_text_8859(*charsets::iso8859_by_ir(144), *octets);
  MimeText m = read_general_text(g);
  EXPECT_EQ(m.charset, "iso-8859-5");
  EXPECT_EQ(charsets::to_utf8(m.octets, m.charset).text, utf8);
}

TEST(GeneralText, rfc2157_6_2_two_sets_become_utf8) {
  mixer::p1::ipms::GeneralTextBodyPart g;
  g.character_sets = {6, 100, 144};
  // é in Latin-1 (G1 = ISO-IR 100), then G1 = ISO-IR 144 and Cyrillic П (0xBF).
  g.text = std::string("\x1B\x2D\x41\x1B\x7E") + "\xE9 " + "\x1B\x2D\x4C" + "\xBF";
  MimeText m = read_general_text(g);
  EXPECT_TRUE(m.decoded);
  EXPECT_EQ(m.charset, "utf-8");
  EXPECT_EQ(m.octets, "\xC3\xA9 \xD0\x9F");
}

TEST(GeneralText, rfc2157_6_2_unknown_set_labelled_x_iso_as_it_is) {
  mixer::p1::ipms::GeneralTextBodyPart g;
  g.character_sets = {87, 6, 42, 14};
  g.text = "\x1B$B\x30\x21\x1B(B";  // JIS X 0208 (a 94^2 set): not converted
  MimeText m = read_general_text(g);
  EXPECT_FALSE(m.decoded);
  EXPECT_EQ(m.charset, "x-iso-6-14-42-87");
  EXPECT_EQ(m.octets, g.text);
}

TEST(GeneralText, utf8_iso_ir_196) {
  auto g = general_text_utf8("\xE2\x82\xAC 5\r\n");
  EXPECT_EQ(g.character_sets, (std::vector<std::int64_t>{196}));
  MimeText m = read_general_text(g);
  EXPECT_EQ(m.charset, "utf-8");
  EXPECT_EQ(m.octets, "\xE2\x82\xAC 5\r\n");
}

TEST(GeneralText, plain_ascii_without_escapes_is_us_ascii) {
  mixer::p1::ipms::GeneralTextBodyPart g;
  g.character_sets = {6};
  g.text = "plain\r\n";
  MimeText m = read_general_text(g);
  EXPECT_EQ(m.charset, "us-ascii");
  EXPECT_EQ(m.octets, "plain\r\n");
}

TEST(Charsets, icu_is_strict_both_ways) {
  EXPECT_EQ(charsets::to_utf8("caf\xC3", "utf-8").status, charsets::Status::invalid_octets);
  EXPECT_EQ(charsets::to_utf8("x", "x-no-such").status, charsets::Status::unknown_charset);
  EXPECT_EQ(charsets::to_utf8("caf\xE9", "us-ascii").status, charsets::Status::invalid_octets);
  EXPECT_FALSE(charsets::from_utf8("\xE2\x82\xAC", "ISO-8859-1"));  // € is not in Latin-1
  EXPECT_EQ(*charsets::from_utf8("\xE2\x82\xAC", "ISO-8859-15"), "\xA4");
  EXPECT_EQ(charsets::to_utf8("\xA1", "ISO-8859-3").status, charsets::Status::ok);
  EXPECT_EQ(charsets::to_utf8("\xA5", "ISO-8859-3").status, charsets::Status::invalid_octets);  // unassigned
}

}  // namespace
