// Command line splitting (RFC 5321 §2.3.8, §4.5.3.1.4).
#include <gtest/gtest.h>

#include "smtp/proto/lines.hpp"

using namespace mixer::smtp::proto;
using Kind = CommandLineReader::Kind;

TEST(Rfc5321, s2_3_8_lines_end_in_crlf) {
  CommandLineReader r(512);
  std::string_view in = "NOOP\r\nQUIT\r\nRS";
  auto a = r.next(in);
  EXPECT_EQ(a.kind, Kind::line);
  EXPECT_EQ(a.line, "NOOP");
  in.remove_prefix(a.consumed);
  auto b = r.next(in);
  EXPECT_EQ(b.line, "QUIT");
  in.remove_prefix(b.consumed);
  auto c = r.next(in);
  EXPECT_EQ(c.kind, Kind::need_more);
  EXPECT_EQ(c.consumed, 0u);
}

TEST(Rfc5321, s2_3_8_bare_lf_is_reported) {
  CommandLineReader r(512);
  auto a = r.next("NOOP\nQUIT\r\n");
  EXPECT_EQ(a.kind, Kind::bare_lf);
  EXPECT_EQ(a.consumed, 5u);
}

TEST(Rfc5321, s4_5_3_1_4_too_long_lines_are_skipped_to_their_end) {
  CommandLineReader r(512);
  std::string big(2000, 'x');
  auto a = r.next(big);
  EXPECT_EQ(a.kind, Kind::need_more);
  EXPECT_EQ(a.consumed, big.size());  // discarded, not buffered
  auto b = r.next("yyy\r\nNOOP\r\n");
  EXPECT_EQ(b.kind, Kind::too_long);
  EXPECT_EQ(b.consumed, 5u);
  auto c = r.next("NOOP\r\n");
  EXPECT_EQ(c.kind, Kind::line);
}
