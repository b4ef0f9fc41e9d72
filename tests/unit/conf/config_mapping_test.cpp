// The mapping section: every key loads as written, defaults hold when it is
// absent, and each error class names FILE:LINE and the key exactly.
#include <gtest/gtest.h>

#include "conf/config.hpp"
#include "tests/unit/conf/config_fixture.hpp"

using namespace mixer::conf;

namespace {
const std::string kBase =
    "gateway:\n"                             // 1
    "  mta_name: gw.example\n"               // 2
    "  domain: gw.example\n"                 // 3
    "smtp:\n"                                // 4
    "  listen: [ \"127.0.0.1:2525\" ]\n"     // 5
    "queue:\n"                               // 6
    "  directory: var/queue\n";              // 7

struct MappingSection : ScratchConfig {
  LoadResult load(const std::string& more) { return load_text(kBase + more); }
  std::string at(int line) { return file.string() + ":" + std::to_string(line) + ": "; }
  void expect_error_starts(const LoadResult& r, const std::string& prefix) {
    const std::string e = only_error(r);
    EXPECT_EQ(e.substr(0, prefix.size()), prefix) << e;
    EXPECT_GT(e.size(), prefix.size() + 4) << "no sentence after the key: " << e;
  }
};
}  // namespace

TEST_F(MappingSection, defaults_when_absent) {
  auto r = load("");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  const auto& m = r.config->mapping;
  EXPECT_EQ(m.limits.max_header_fields, 10000u);
  EXPECT_EQ(m.to_x400.mts_identifier, "generated");
  EXPECT_EQ(m.to_x400.empty_bcc, "empty");
  EXPECT_TRUE(m.to_x400.appendix_c);
  EXPECT_FALSE(m.to_x400.restore_mts_identifier);
  EXPECT_EQ(m.to_x400.max_conversions, 5u);
  EXPECT_TRUE(m.to_rfc822.auto_submitted);
  EXPECT_EQ(m.to_rfc822.ipn_format, "mdn");  // RFC 8098 MDNs unless the §5.3.5 text form is asked for
}

TEST_F(MappingSection, every_key_loads) {
  auto r = load(
      "mapping:\n"
      "  limits: { max_header_size: 64K, max_header_fields: 500, max_field_length: 4K, max_nesting: 4, "
      "max_recipients: 100 }\n"
      "  to_x400: { mts_identifier: message-id, empty_bcc: free-form, appendix_c: false, "
      "restore_mts_identifier: true, internal_trace: false, max_conversions: 3 }\n"
      "  to_rfc822: { refuse_dl_expansion_prohibited: true, refuse_recipient_reassignment_prohibited: true, "
      "auto_submitted: false, appendix_c_fields: false, max_conversions: 7, ipn_format: text }\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  const auto& m = r.config->mapping;
  EXPECT_EQ(m.limits.max_header_size, 64u * 1024);
  EXPECT_EQ(m.limits.max_header_fields, 500u);
  EXPECT_EQ(m.limits.max_field_length, 4096u);
  EXPECT_EQ(m.limits.max_nesting, 4u);
  EXPECT_EQ(m.limits.max_recipients, 100u);
  EXPECT_EQ(m.to_x400.mts_identifier, "message-id");
  EXPECT_EQ(m.to_x400.empty_bcc, "free-form");
  EXPECT_FALSE(m.to_x400.appendix_c);
  EXPECT_TRUE(m.to_x400.restore_mts_identifier);
  EXPECT_FALSE(m.to_x400.internal_trace);
  EXPECT_EQ(m.to_x400.max_conversions, 3u);
  EXPECT_TRUE(m.to_rfc822.refuse_dl_expansion_prohibited);
  EXPECT_TRUE(m.to_rfc822.refuse_recipient_reassignment_prohibited);
  EXPECT_FALSE(m.to_rfc822.auto_submitted);
  EXPECT_FALSE(m.to_rfc822.appendix_c_fields);
  EXPECT_EQ(m.to_rfc822.max_conversions, 7u);
  EXPECT_EQ(m.to_rfc822.ipn_format, "text");
}

TEST_F(MappingSection, ipn_format_other_word_names_line_and_key) {
  auto r = load("mapping:\n  to_rfc822:\n    ipn_format: rfc3798\n");  // line 10
  expect_error_starts(r, at(10) + "key 'mapping.to_rfc822.ipn_format'");
}

TEST_F(MappingSection, bad_choice_names_line_and_key) {
  auto r = load("mapping:\n  to_x400:\n    mts_identifier: random\n");  // line 10
  expect_error_starts(r, at(10) + "key 'mapping.to_x400.mts_identifier'");
}

TEST_F(MappingSection, out_of_range_and_unknown_key) {
  auto r = load("mapping:\n  limits:\n    max_nesting: 0\n");  // line 10
  expect_error_starts(r, at(10) + "key 'mapping.limits.max_nesting'");
  r = load("mapping:\n  to_rfc822:\n    refuse_everything: true\n");
  expect_error_starts(r, at(10) + "key 'mapping.to_rfc822.refuse_everything'");
  r = load("mapping:\n  limits:\n    max_field_length: 100\n");
  expect_error_starts(r, at(10) + "key 'mapping.limits.max_field_length'");
}

TEST_F(MappingSection, body_parts_keys_load_and_default) {
  auto d = load("");
  ASSERT_TRUE(d.config);
  EXPECT_EQ(d.config->mapping.body_parts.octet_stream, "bilaterally-defined");
  EXPECT_EQ(d.config->mapping.body_parts.unknown_mime, "bp15");
  EXPECT_FALSE(d.config->mapping.body_parts.utf8_general_text);
  auto r = load(
      "mapping:\n"
      "  body_parts: { octet_stream: ftbp, unknown_mime: ftbp, utf8_general_text: true, max_parts: 50, "
      "max_part_header_size: 8K, max_part_size: 2M }\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  const auto& b = r.config->mapping.body_parts;
  EXPECT_EQ(b.octet_stream, "ftbp");
  EXPECT_EQ(b.unknown_mime, "ftbp");
  EXPECT_TRUE(b.utf8_general_text);
  EXPECT_EQ(b.max_parts, 50u);
  EXPECT_EQ(b.max_part_header_size, 8u * 1024);
  EXPECT_EQ(b.max_part_size, 2u << 20);
}

// RFC 2157 §3.1.4: mapping.body_parts.bp14_content_passing loads, defaults to false, is validated.
TEST_F(MappingSection, rfc2157_3_1_4_bp14_key) {
  auto d = load("");
  ASSERT_TRUE(d.config) << (d.errors.empty() ? "" : d.errors[0].text());
  EXPECT_FALSE(d.config->mapping.body_parts.bp14_content_passing);
  auto r = load("mapping:\n  body_parts:\n    bp14_content_passing: true\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  EXPECT_TRUE(r.config->mapping.body_parts.bp14_content_passing);
  auto bad = load("mapping:\n  body_parts:\n    bp14_content_passing: always\n");  // line 10
  expect_error_starts(bad, at(10) + "key 'mapping.body_parts.bp14_content_passing'");
}

// RFC 2157 §4: mapping.body_parts.user_control loads, defaults to false, is validated.
TEST_F(MappingSection, rfc2157_4_user_control_key) {
  auto d = load("");
  ASSERT_TRUE(d.config) << (d.errors.empty() ? "" : d.errors[0].text());
  EXPECT_FALSE(d.config->mapping.body_parts.user_control);
  auto r = load("mapping:\n  body_parts:\n    user_control: true\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  EXPECT_TRUE(r.config->mapping.body_parts.user_control);
  auto bad = load("mapping:\n  body_parts:\n    user_control: sometimes\n");  // line 10
  expect_error_starts(bad, at(10) + "key 'mapping.body_parts.user_control'");
}

// RFC 2157 §4.2: mapping.body_parts.wanted_mime_conversions_oid, empty by default, an OID or an error.
TEST_F(MappingSection, rfc2157_4_2_wanted_mime_conversions_oid_key) {
  auto d = load("");
  ASSERT_TRUE(d.config) << (d.errors.empty() ? "" : d.errors[0].text());
  EXPECT_TRUE(d.config->mapping.body_parts.wanted_mime_conversions_oid.empty());
  auto r = load("mapping:\n  body_parts:\n    wanted_mime_conversions_oid: 1.3.6.1.4.1.99999.7\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  EXPECT_EQ(r.config->mapping.body_parts.wanted_mime_conversions_oid, "1.3.6.1.4.1.99999.7");
  for (const char* bad : {"x.1", "1", "1..2", "3.1", "1.2."}) {
    auto b = load(std::string("mapping:\n  body_parts:\n    wanted_mime_conversions_oid: \"") + bad + "\"\n");  // line 10
    expect_error_starts(b, at(10) + "key 'mapping.body_parts.wanted_mime_conversions_oid'");
  }
}

TEST_F(MappingSection, body_parts_errors_name_line_and_key) {
  auto r = load("mapping:\n  body_parts:\n    unknown_mime: bp14\n");  // line 10
  expect_error_starts(r, at(10) + "key 'mapping.body_parts.unknown_mime'");
  r = load("mapping:\n  body_parts:\n    octet_stream: ftbp-unknown\n");
  expect_error_starts(r, at(10) + "key 'mapping.body_parts.octet_stream'");
  r = load("mapping:\n  body_parts:\n    max_parts: 0\n");
  expect_error_starts(r, at(10) + "key 'mapping.body_parts.max_parts'");
  r = load("mapping:\n  body_parts:\n    max_part_size: 10\n");
  expect_error_starts(r, at(10) + "key 'mapping.body_parts.max_part_size'");
  r = load("mapping:\n  body_parts:\n    harpoon: always\n");
  expect_error_starts(r, at(10) + "key 'mapping.body_parts.harpoon'");
}
