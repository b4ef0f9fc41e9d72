// tests/unit/imf/message_test.cpp: RFC 5322 header fields and body
// (imf/message.hpp): the Appendix A messages, folding, the obsolete forms,
// lines that are not fields, 8-bit octets, every limit, 10,000 fields and
// a 1 MB field.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "imf/message.hpp"
#include "tests/unit/imf/helpers.hpp"

namespace mixer::imf {
namespace {

using test::data;
using test::expect_partition;

Message parse_ok(std::string_view in, const Limits& l = Limits{}) {
  auto r = parse_message(in, l);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().text());
  if (!r.ok()) return {};
  expect_partition(*r, in);
  return std::move(*r);
}

std::vector<std::string> names(const Message& m) {
  std::vector<std::string> out;
  for (const Field& f : m.fields) out.emplace_back(f.name);
  return out;
}

TEST(ImfMessage, rfc5322_a_1_1_simple_message) {
  const std::string in = data("rfc5322-a1.1-1.eml");
  Message m = parse_ok(in);
  EXPECT_EQ(names(m), (std::vector<std::string>{"From", "To", "Subject", "Date", "Message-ID"}));
  EXPECT_EQ(m.fields[0].value, "John Doe <jdoe@machine.example>");
  EXPECT_EQ(m.fields[2].value, "Saying Hello");
  EXPECT_EQ(m.fields[4].raw, "Message-ID: <1234@local.machine.example>\r\n");
  EXPECT_EQ(m.fields[3].line, 4u);
  EXPECT_TRUE(m.separator);
  EXPECT_EQ(m.body, "This is a message just to say hello.\r\nSo, \"Hello\".\r\n");
  EXPECT_EQ(m.body_line, 7u);
  EXPECT_EQ(m.flags, 0);
}

TEST(ImfMessage, rfc5322_appendix_a_every_example_parses) {
  const char* files[] = {"rfc5322-a1.1-1.eml", "rfc5322-a1.1-2.eml", "rfc5322-a1.2-1.eml", "rfc5322-a1.3-1.eml",
                         "rfc5322-a2-1.eml",   "rfc5322-a2-2.eml",   "rfc5322-a2-3.eml",   "rfc5322-a3-1.eml",
                         "rfc5322-a3-2.eml",   "rfc5322-a4-1.eml",   "rfc5322-a5-1.eml",   "rfc5322-a6.1-1.eml",
                         "rfc5322-a6.2-1.eml", "rfc5322-a6.3-1.eml"};
  for (const char* f : files) {
    SCOPED_TRACE(f);
    const std::string in = data(f);
    Message m = parse_ok(in);
    EXPECT_TRUE(m.separator);
    EXPECT_GE(m.fields.size(), 4u);
    for (const Field& fld : m.fields) EXPECT_TRUE(fld.is_field()) << fld.raw;
  }
}

TEST(ImfMessage, rfc5322_2_2_3_unfolding_removes_crlf_before_wsp) {
  EXPECT_EQ(unfold("This\r\n is a test"), "This is a test");
  const std::string in = "Subject: This\r\n is a test\r\n\r\n";
  Message m = parse_ok(in);
  ASSERT_EQ(m.fields.size(), 1u);
  EXPECT_EQ(m.fields[0].value, "This\r\n is a test");
  EXPECT_EQ(unfold(m.fields[0].value), "This is a test");
  // A CRLF not followed by WSP is not a fold and stays.
  EXPECT_EQ(unfold("a\r\nb"), "a\r\nb");
  EXPECT_EQ(unfold("a\r\n\tb\r\n  c"), "a\tb  c");
}

TEST(ImfMessage, rfc5322_a_4_folded_trace_field) {
  const std::string in = data("rfc5322-a4-1.eml");
  Message m = parse_ok(in);
  ASSERT_GE(m.fields.size(), 2u);
  EXPECT_EQ(m.fields[0].name, "Received");
  EXPECT_EQ(unfold(m.fields[0].value),
            "from x.y.test   by example.net   via TCP   with ESMTP   id ABC12345   for <mary@example.net>;  21 Nov "
            "1997 10:05:43 -0600");
  EXPECT_EQ(m.fields[1].line, 7u);
}

TEST(ImfMessage, rfc5322_4_5_wsp_before_colon) {
  const std::string in = data("rfc5322-a6.3-1.eml");
  Message m = parse_ok(in);
  EXPECT_EQ(names(m), (std::vector<std::string>{"From", "To", "Subject", "Date", "Message-ID"}));
  for (const Field& f : m.fields) EXPECT_TRUE(f.has(wsp_before_colon)) << f.raw;
  EXPECT_EQ(m.fields[2].value, "Saying Hello");
}

TEST(ImfMessage, rfc5322_4_2_blank_continuation_line) {
  const std::string in = data("rfc5322-a6.3-1.eml");
  Message m = parse_ok(in);
  const Field* to = m.find("to");
  ASSERT_NE(to, nullptr);
  EXPECT_TRUE(to->has(blank_continuation));
  EXPECT_EQ(unfold(to->value), "Mary Smith            <mary@example.net>");
  EXPECT_FALSE(m.find("From")->has(blank_continuation));
}

TEST(ImfMessage, rfc5322_3_6_8_not_a_field_kept_flagged) {
  const std::string in = "Subject: x\r\nnot a field\r\n continued\r\nFoo Bar: y\r\n: empty name\r\nTo: z\r\n\r\nbody";
  Message m = parse_ok(in);
  ASSERT_EQ(m.fields.size(), 5u);
  EXPECT_TRUE(m.fields[0].is_field());
  EXPECT_FALSE(m.fields[1].is_field());
  EXPECT_EQ(m.fields[1].name, "");
  EXPECT_EQ(m.fields[1].value, "not a field\r\n continued");
  EXPECT_EQ(m.fields[1].line, 2u);
  EXPECT_FALSE(m.fields[2].is_field());
  EXPECT_EQ(m.fields[2].value, "Foo Bar: y");
  EXPECT_FALSE(m.fields[3].is_field());
  EXPECT_EQ(m.fields[4].name, "To");
  EXPECT_EQ(m.body, "body");
  EXPECT_TRUE(m.flags & not_a_field);
}

TEST(ImfMessage, rfc5322_3_6_8_name_outside_ftext_is_not_a_field) {
  const std::string in = "S\xc3\xbc" "bject: x\r\nX\x01: y\r\n\r\n";
  Message m = parse_ok(in);
  ASSERT_EQ(m.fields.size(), 2u);
  EXPECT_FALSE(m.fields[0].is_field());
  EXPECT_TRUE(m.fields[0].has(eight_bit));
  EXPECT_TRUE(m.fields[0].has(utf8));
  EXPECT_FALSE(m.fields[1].is_field());
}

TEST(ImfMessage, leading_continuation_kept_as_not_a_field) {
  const std::string in = " cont\r\n\tmore\r\nSubject: x\r\n\r\n";
  Message m = parse_ok(in);
  ASSERT_EQ(m.fields.size(), 2u);
  EXPECT_TRUE(m.fields[0].has(not_a_field));
  EXPECT_TRUE(m.fields[0].has(leading_continuation));
  EXPECT_EQ(m.fields[0].value, " cont\r\n\tmore");
  EXPECT_EQ(m.fields[1].value, "x");
}

TEST(ImfMessage, header_without_separator_runs_to_the_end) {
  const std::string in = "Subject: x\r\nTo: y\r\n";
  Message m = parse_ok(in);
  EXPECT_FALSE(m.separator);
  EXPECT_EQ(m.fields.size(), 2u);
  EXPECT_EQ(m.header, in);
  EXPECT_EQ(m.body, "");
  EXPECT_EQ(m.body_line, 0u);
}

TEST(ImfMessage, input_ending_without_crlf) {
  const std::string in = "Subject: x\r\nTo: y";
  Message m = parse_ok(in);
  ASSERT_EQ(m.fields.size(), 2u);
  EXPECT_TRUE(m.fields[1].has(no_final_crlf));
  EXPECT_FALSE(m.fields[0].has(no_final_crlf));
  EXPECT_EQ(m.fields[1].value, "y");
  EXPECT_EQ(m.fields[1].raw, "To: y");
}

TEST(ImfMessage, empty_header_and_empty_input) {
  Message m = parse_ok("\r\nbody\r\n");
  EXPECT_TRUE(m.separator);
  EXPECT_TRUE(m.fields.empty());
  EXPECT_EQ(m.body, "body\r\n");
  EXPECT_EQ(m.body_line, 2u);
  Message e = parse_ok("");
  EXPECT_FALSE(e.separator);
  EXPECT_TRUE(e.fields.empty());
}

TEST(ImfMessage, value_starts_after_leading_fws) {
  Message m = parse_ok("Subject:   x y \r\nA:\r\n b\r\nB:\r\nC: \r\n  \r\n\r\n");
  ASSERT_EQ(m.fields.size(), 4u);
  EXPECT_EQ(m.fields[0].value, "x y ");
  EXPECT_EQ(m.fields[1].value, "b");
  EXPECT_EQ(m.fields[2].value, "");
  EXPECT_EQ(m.fields[3].value, "");
  EXPECT_TRUE(m.fields[3].has(blank_continuation));
}

TEST(ImfMessage, rfc6532_3_2_utf8_recognised_other_8bit_flagged) {
  Message m = parse_ok("Subject: \xc3\xa9t\xc3\xa9\r\nX-Latin1: \xe9t\xe9\r\n\r\n");
  ASSERT_EQ(m.fields.size(), 2u);
  EXPECT_TRUE(m.fields[0].has(eight_bit));
  EXPECT_TRUE(m.fields[0].has(utf8));
  EXPECT_EQ(m.fields[0].value, "\xc3\xa9t\xc3\xa9");
  EXPECT_TRUE(m.fields[1].has(eight_bit));
  EXPECT_FALSE(m.fields[1].has(utf8));
  EXPECT_EQ(m.fields[1].value, "\xe9t\xe9");
}

TEST(ImfMessage, rfc5322_2_2_bare_cr_and_lf_kept_as_data) {
  Message m = parse_ok("Subject: a\rb\r\nX: a\nb\r\nY: c\r\n\r\n");
  ASSERT_EQ(m.fields.size(), 3u);
  EXPECT_EQ(m.fields[0].value, "a\rb");
  EXPECT_TRUE(m.fields[0].has(bare_cr_lf));
  EXPECT_EQ(m.fields[1].value, "a\nb");
  EXPECT_TRUE(m.fields[1].has(bare_cr_lf));
  EXPECT_FALSE(m.fields[2].has(bare_cr_lf));
  EXPECT_EQ(m.fields[2].line, 3u);
}

TEST(ImfMessage, find_is_case_insensitive_and_skips_non_fields) {
  Message m = parse_ok("subject: a\r\nSUBJECT: b\r\n\r\n");
  ASSERT_NE(m.find("Subject"), nullptr);
  EXPECT_EQ(m.find("Subject")->value, "a");
  EXPECT_EQ(m.find("To"), nullptr);
}

TEST(ImfMessage, rfc5322_2_1_1_line_of_998_plain_999_flagged) {
  const std::string v998(998 - 3, 'a'), v999(999 - 3, 'a');
  Message m = parse_ok("X: " + v998 + "\r\nY: " + v999 + "\r\n\r\n");
  ASSERT_EQ(m.fields.size(), 2u);
  EXPECT_FALSE(m.fields[0].has(long_line));
  EXPECT_TRUE(m.fields[1].has(long_line));
}

TEST(ImfMessage, limit_line_length) {
  Limits l;
  l.max_line_length = 100;
  const std::string ok = "X: " + std::string(97, 'a') + "\r\n\r\n";
  EXPECT_TRUE(parse_message(ok, l).ok());
  const std::string bad = "A: b\r\nX: " + std::string(98, 'a') + "\r\n\r\n";
  auto r = parse_message(bad, l);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::line_too_long);
  EXPECT_EQ(r.error().line, 2u);
  EXPECT_EQ(r.error().offset, 6u);
  // The same without any CRLF after it: still refused, without reading further than the limit.
  auto r2 = parse_message("X: " + std::string(5000, 'a'), l);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, Errc::line_too_long);
}

TEST(ImfMessage, limit_field_size) {
  Limits l;
  l.max_field_size = 50;
  EXPECT_TRUE(parse_message("X: " + std::string(45, 'a') + "\r\n", l).ok());
  auto r = parse_message("X: " + std::string(20, 'a') + "\r\n " + std::string(30, 'b') + "\r\n\r\n", l);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::field_too_long);
  EXPECT_EQ(r.error().line, 1u);
}

TEST(ImfMessage, limit_header_size) {
  Limits l;
  l.max_header_size = 30;
  EXPECT_TRUE(parse_message("A: 1\r\nB: 2\r\n\r\n" + std::string(1000, 'x'), l).ok());
  auto r = parse_message("A: 1234567890\r\nB: 1234567890\r\nC: 1\r\n\r\n", l);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::header_too_large);
  EXPECT_EQ(r.error().line, 3u);
}

TEST(ImfMessage, limit_field_count) {
  Limits l;
  l.max_fields = 3;
  EXPECT_TRUE(parse_message("A: 1\r\nB: 2\r\nC: 3\r\n\r\n", l).ok());
  auto r = parse_message("A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n", l);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_many_fields);
  EXPECT_EQ(r.error().line, 4u);
  // Lines that are not fields count too.
  auto r2 = parse_message("A: 1\r\nB: 2\r\nC: 3\r\nnot a field\r\n\r\n", l);
  ASSERT_FALSE(r2.ok());
  EXPECT_EQ(r2.error().code, Errc::too_many_fields);
  EXPECT_FALSE(r2.error().text().empty());
}

TEST(ImfMessage, ten_thousand_fields_in_linear_time) {
  std::string in;
  for (int i = 0; i < 10000; ++i) in += "X-Field-" + std::to_string(i) + ": value number " + std::to_string(i) + "\r\n";
  in += "\r\nbody";
  const auto t0 = std::chrono::steady_clock::now();
  Message m = parse_ok(in);
  const auto t1 = std::chrono::steady_clock::now();
  ASSERT_EQ(m.fields.size(), 10000u);
  EXPECT_EQ(m.fields[9999].name, "X-Field-9999");
  EXPECT_EQ(m.fields[9999].line, 10000u);
  EXPECT_EQ(m.body, "body");
  // About 300 KB: a linear parser takes well under a millisecond; allow for a loaded machine.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(t1 - t0).count(), 200);
  auto r = parse_message("X: 0\r\n" + in, Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_many_fields);
}

TEST(ImfMessage, one_megabyte_folded_field) {
  std::string value;
  while (value.size() < 1000000) value += (value.empty() ? "" : "\r\n ") + std::string(70, 'w');
  const std::string in = "X-Big: " + value + "\r\nSubject: after\r\n\r\nbody";
  Message m = parse_ok(in);
  ASSERT_EQ(m.fields.size(), 2u);
  EXPECT_EQ(m.fields[0].value.size(), value.size());
  EXPECT_EQ(unfold(m.fields[0].value).size(), value.size() - 2 * (value.size() / 73));
  EXPECT_EQ(m.fields[1].value, "after");
  EXPECT_FALSE(m.fields[0].has(long_line));
}

TEST(ImfMessage, one_megabyte_single_line_needs_a_higher_line_limit) {
  const std::string in = "X-Big: " + std::string(1000000, 'a') + "\r\n\r\n";
  auto r = parse_message(in, Limits{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::line_too_long);
  Limits l;
  l.max_line_length = 2u << 20;
  l.max_field_size = 2u << 20;
  Message m = parse_ok(in, l);
  ASSERT_EQ(m.fields.size(), 1u);
  EXPECT_TRUE(m.fields[0].has(long_line));
  EXPECT_EQ(m.fields[0].value.size(), 1000000u);
}

}  // namespace
}  // namespace mixer::imf
