// tests/unit/imf/header_writer_test.cpp: the folding writer
// (imf/header_writer.hpp): 77/78/79 and 997/998/999 octet boundaries,
// unfold(write(x)) == x, what it refuses.
#include <gtest/gtest.h>

#include "imf/header_writer.hpp"
#include "imf/message.hpp"

namespace mixer::imf {
namespace {

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (true) {
    const std::size_t e = s.find("\r\n", from);
    if (e == std::string::npos) break;
    out.push_back(s.substr(from, e - from));
    from = e + 2;
  }
  EXPECT_EQ(from, s.size()) << "output ends with CRLF";
  return out;
}

std::string write(std::string_view name, std::string_view value, std::size_t width = kFoldWidth) {
  std::string out;
  auto e = write_field(out, name, value, width);
  EXPECT_FALSE(e) << e->text();
  return out;
}

// The value read back by the parser, unfolded.
std::string read_back(const std::string& field) {
  auto m = parse_message(field, Limits{});
  EXPECT_TRUE(m.ok());
  if (!m.ok() || m->fields.size() != 1) return "<not one field>";
  return unfold(m->fields[0].value);
}

TEST(ImfHeaderWriter, short_field_one_line) {
  EXPECT_EQ(write("Subject", "Hello"), "Subject: Hello\r\n");
  EXPECT_EQ(write("Subject", ""), "Subject:\r\n");
}

TEST(ImfHeaderWriter, rfc5322_2_1_1_lines_of_77_78_79_octets) {
  // "Subject: " is 9 octets; a first word of 20 and a second word filling the line.
  const std::string first(20, 'a');
  for (std::size_t total : {77u, 78u, 79u}) {
    SCOPED_TRACE(total);
    const std::string second(total - 9 - 20 - 1, 'b');
    const std::string v = first + " " + second;
    const std::string out = write("Subject", v);
    const auto ls = lines_of(out);
    if (total <= 78) {
      ASSERT_EQ(ls.size(), 1u);
      EXPECT_EQ(ls[0].size(), total);
    } else {
      ASSERT_EQ(ls.size(), 2u);
      EXPECT_EQ(ls[0], "Subject: " + first);
      EXPECT_EQ(ls[1], " " + second);
    }
    EXPECT_EQ(read_back(out), v);
  }
}

TEST(ImfHeaderWriter, rfc5322_2_1_1_words_of_997_998_999_octets) {
  // A continuation line is " " + word: 997 fits in 998, 998 does not.
  for (std::size_t n : {996u, 997u, 998u}) {
    SCOPED_TRACE(n);
    const std::string v = "a " + std::string(n, 'w');
    std::string out;
    auto e = write_field(out, "X", v);
    if (n <= 997) {
      ASSERT_FALSE(e);
      const auto ls = lines_of(out);
      ASSERT_EQ(ls.size(), 2u);
      EXPECT_EQ(ls[1].size(), n + 1);
      EXPECT_EQ(read_back(out), v);
    } else {
      ASSERT_TRUE(e);
      EXPECT_EQ(e->code, Errc::not_representable);
      EXPECT_TRUE(out.empty());
    }
  }
  // The first line: "X: " + word, 998 in all at most.
  for (std::size_t n : {994u, 995u, 996u}) {
    SCOPED_TRACE(n);
    std::string out;
    auto e = write_field(out, "X", std::string(n, 'w'));
    EXPECT_EQ(!e, n + 3 <= 998);
  }
}

TEST(ImfHeaderWriter, rfc5322_2_2_3_unfold_of_write_is_the_value) {
  const std::string values[] = {
      "a",
      "two  spaces and\ttab",
      "trailing white space   ",
      "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z",
      std::string(200, 'x') + " " + std::string(50, 'y') + "  " + std::string(90, 'z') + "\t\t" + "end",
      "<a@example.com>, <b@example.com>, <c@example.com>, <d@example.com>, <e@example.com>, <f@example.com>",
      "caf\xc3\xa9 r\xc3\xa9sum\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
  };
  for (const std::string& v : values) {
    SCOPED_TRACE(v);
    const std::string out = write("X-Test", v);
    EXPECT_EQ(read_back(out), v);
    for (const std::string& l : lines_of(out)) {
      EXPECT_LE(l.size(), 998u);
      EXPECT_FALSE(l.find_first_not_of(" \t") == std::string::npos) << "a line of white space only";
    }
  }
}

TEST(ImfHeaderWriter, folds_keep_lines_within_the_width_when_words_allow) {
  std::string v;
  for (int i = 0; i < 200; ++i) v += (i ? " " : "") + std::string(1 + i % 13, 'a' + i % 26);
  for (std::size_t width : {76u, 78u}) {
    const std::string out = write("Comments", v, width);
    for (const std::string& l : lines_of(out)) EXPECT_LE(l.size(), width);
    EXPECT_EQ(read_back(out), v);
  }
}

TEST(ImfHeaderWriter, refuses_what_would_not_read_back) {
  std::string out = "kept";
  auto e1 = write_field(out, "X", "a\r\nb");
  ASSERT_TRUE(e1);
  EXPECT_EQ(e1->code, Errc::not_representable);
  auto e2 = write_field(out, "X", "a\nb");
  ASSERT_TRUE(e2);
  auto e3 = write_field(out, "X", " leading");
  ASSERT_TRUE(e3);
  auto e4 = write_field(out, "Bad Name", "x");
  ASSERT_TRUE(e4);
  auto e5 = write_field(out, "", "x");
  ASSERT_TRUE(e5);
  auto e6 = write_field(out, "X:", "x");
  ASSERT_TRUE(e6);
  EXPECT_EQ(out, "kept");
}

}  // namespace
}  // namespace mixer::imf
