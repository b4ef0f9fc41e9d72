// tests/unit/bodyparts/mime_adapter_test.cpp: the MIME parser seam (RFC 2045
// §3 header blocks, RFC 2046 §5.1.1 multipart bodies): fields unfolded,
// delimiters only at line starts and only when the rest of the line is
// padding, the CRLF before a delimiter its own, the limits; and the same
// leaves as mimetic (the reference) on well-formed nested input.
#include <gtest/gtest.h>

#include <string>

#include "bodyparts/mime_adapter.hpp"

namespace {

using namespace mixer::bodyparts::mime;

TEST(MimeAdapter, rfc2045_3_fields_unfolded_and_body_viewed) {
  const std::string in = "Content-Type: multipart/mixed;\r\n boundary=\"b\"\r\nX-A:v\r\n\r\nbody\r\n";
  auto e = parse_entity(in, {});
  ASSERT_TRUE(e);
  ASSERT_EQ(e->fields.size(), 2u);
  EXPECT_EQ(e->fields[0].name, "Content-Type");
  EXPECT_EQ(e->fields[0].value, "multipart/mixed; boundary=\"b\"");
  EXPECT_EQ(e->fields[1].value, "v");
  EXPECT_EQ(e->body, "body\r\n");
  EXPECT_EQ(e->body.data(), in.data() + in.find("body"));  // a view, not a copy
  EXPECT_TRUE(e->defects.empty());
  EXPECT_EQ(find(e->fields, "content-TYPE"), &e->fields[0]);
}

TEST(MimeAdapter, rfc2045_3_headers_without_body_and_lines_not_fields) {
  auto no_body = parse_entity("Content-Type: text/plain\r\n", {});
  ASSERT_TRUE(no_body);
  EXPECT_TRUE(no_body->body.empty());
  EXPECT_EQ(no_body->defects.size(), 1u);
  auto not_field = parse_entity("Content-Type: text/plain\r\nthis is text\r\n", {});
  ASSERT_TRUE(not_field);
  EXPECT_EQ(not_field->body, "this is text\r\n");
  EXPECT_EQ(not_field->defects.size(), 1u);
  auto lf = parse_entity("A: 1\nB: 2\n\nx\n", {});
  ASSERT_TRUE(lf);
  EXPECT_EQ(lf->fields.size(), 2u);
  EXPECT_EQ(lf->body, "x\n");
}

TEST(MimeAdapter, limits_header_size_and_field_count) {
  Limits l;
  l.max_header_size = 100;
  EXPECT_FALSE(parse_entity("X: " + std::string(200, 'a') + "\r\n\r\n", l));
  EXPECT_TRUE(parse_entity("X: " + std::string(50, 'a') + "\r\n\r\n", l));
  l.max_fields = 2;
  EXPECT_FALSE(parse_entity("A: 1\r\nB: 2\r\nC: 3\r\n\r\n", l));
}

TEST(MimeAdapter, rfc2046_5_1_1_parts_preamble_epilogue_padding) {
  const std::string body =
      "preamble\r\n--b  \r\nContent-Type: text/plain\r\n\r\none\r\n--bx\r\n--b\r\n\r\ntwo\r\n\r\n--b-- \r\nepilogue\r\n";
  Multipart m = split_multipart(body, "b", {});
  EXPECT_TRUE(m.opened);
  EXPECT_TRUE(m.closed);
  ASSERT_EQ(m.parts.size(), 2u);
  // "--bx" is not a delimiter of "b"; the CRLF before each delimiter is the delimiter's.
  EXPECT_EQ(m.parts[0], "Content-Type: text/plain\r\n\r\none\r\n--bx");
  EXPECT_EQ(m.parts[1], "\r\ntwo\r\n");
}

TEST(MimeAdapter, rfc2046_5_1_1_delimiter_only_at_a_line_start) {
  Multipart m = split_multipart("--b\r\n\r\nsee --b in text\r\n--b--\r\n", "b", {});
  ASSERT_EQ(m.parts.size(), 1u);
  EXPECT_EQ(m.parts[0], "\r\nsee --b in text");
}

TEST(MimeAdapter, unterminated_missing_boundary_and_too_many) {
  Multipart open = split_multipart("--b\r\n\r\nrest", "b", {});
  EXPECT_TRUE(open.opened);
  EXPECT_FALSE(open.closed);
  ASSERT_EQ(open.parts.size(), 1u);
  EXPECT_EQ(open.parts[0], "\r\nrest");
  Multipart none = split_multipart("no delimiter\r\n", "b", {});
  EXPECT_FALSE(none.opened);
  EXPECT_TRUE(none.parts.empty());
  EXPECT_FALSE(split_multipart("--\r\n", "", {}).opened);
  Limits l;
  l.max_parts = 3;
  std::string many;
  for (int i = 0; i < 5; ++i) many += "--b\r\n\r\nx\r\n";
  Multipart m = split_multipart(many + "--b--\r\n", "b", l);
  EXPECT_TRUE(m.too_many);
  EXPECT_EQ(m.parts.size(), 3u);
}

TEST(MimeAdapter, same_leaves_as_mimetic_on_nested_multipart) {
  const std::string msg =
      "Content-Type: multipart/mixed; boundary=\"o\"\r\n\r\n"
      "--o\r\nContent-Type: text/plain\r\n\r\nfirst\r\nline\r\n"
      "--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n"
      "--i\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
      "--i\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--i--\r\n"
      "--o--\r\n";
  const auto reference = mimetic_leaves(msg);
  // Ours, walked the same way.
  std::vector<std::string> ours;
  auto top = parse_entity(msg, {});
  ASSERT_TRUE(top);
  for (auto part : split_multipart(top->body, "o", {}).parts) {
    auto e = parse_entity(part, {});
    ASSERT_TRUE(e);
    if (find(e->fields, "Content-Type")->value.starts_with("multipart/")) {
      for (auto inner : split_multipart(e->body, "i", {}).parts) ours.emplace_back(parse_entity(inner, {})->body);
    } else {
      ours.emplace_back(e->body);
    }
  }
  ASSERT_EQ(reference.size(), ours.size());
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(reference[i].body, ours[i]) << i;
}

TEST(MimeAdapter, deep_nesting_is_one_level_per_call) {
  // 100,000 nested multiparts (mimetic overflows its stack on these): one level is one call.
  std::string deep;
  for (int i = 0; i < 100000; ++i)
    deep += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" + std::to_string(i) + "\r\n";
  auto e = parse_entity(deep, {});
  ASSERT_TRUE(e);
  Multipart m = split_multipart(e->body, "b0", {});
  ASSERT_EQ(m.parts.size(), 1u);  // "--b1..." lines are not delimiters of "b0"
  EXPECT_TRUE(m.parts[0].starts_with("Content-Type: multipart/mixed; boundary=b1\r\n"));
}

}  // namespace
