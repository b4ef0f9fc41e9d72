// tests/unit/bodyparts/bodyparts_test.cpp: RFC 2157 through the seam, both
// directions: §6.1/§6.2/§6.7 text, §6.3 octet-stream, §6.6 multiparts
// nested and back, §3.1.2 MIME body part, §3.1.3 HARPOON (1984 hops and
// security multiparts), §3.2 x400-bp, the charsets carried encapsulated
// with the loss listed, conversion prohibited, and the limits.
#include <gtest/gtest.h>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/content_type.hpp"
#include "bodyparts/mime_adapter.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "p1/ipms/ipms.hpp"

namespace {

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;

MimeInput mime(std::string type, std::string_view body, std::vector<MimeField> more = {}) {
  MimeInput in{{{"MIME-Version", "1.0"}, {"Content-Type", std::move(type)}}, body};
  for (auto& f : more) in.fields.push_back(std::move(f));
  return in;
}

std::string field(const MimeEntity& e, std::string_view name) {
  for (const auto& f : e.fields)
    if (f.name == name) return f.value;
  return {};
}

// A MIME entity (as to_mime makes it) read back by to_x400.
mixer::base::Expected<ToX400> back(const MimeEntity& e, const ToX400Options& o = {}) {
  MimeInput in;
  for (const auto& f : e.fields) in.fields.push_back(f);
  in.body = e.octets();
  return to_x400(in, o);
}

std::string ber(const ipms::BodyPart& p) {
  auto b = ipms::encode(p);
  return b ? std::string(b->begin(), b->end()) : std::string("refused");
}

TEST(BodyParts, rfc2157_6_2_utf8_fitting_latin1_becomes_general_text_and_comes_back) {
  auto x = to_x400(mime("text/plain; charset=utf-8", "Caf\xC3\xA9\r\n"), {});
  ASSERT_TRUE(x);
  const auto* g = x->body.at(0).as<ipms::GeneralTextBodyPart>();
  ASSERT_TRUE(g);
  EXPECT_EQ(g->character_sets, (std::vector<std::int64_t>{6, 100}));
  EXPECT_TRUE(x->uses_1988);
  EXPECT_EQ(x->extended_eits.size(), 2u);  // 1.0.10021.7.1.0.6 and .100
  EXPECT_TRUE(x->losses.empty());
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "text/plain; charset=iso-8859-1");
  EXPECT_EQ(field(m->entity, "Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(decode_quoted_printable(m->entity.octets()).octets, "Caf\xE9\r\n");
}

TEST(BodyParts, rfc2157_6_2_utf8_outside_8859_needs_the_utf8_option_else_encapsulated) {
  const std::string text = "\xE2\x82\xAC and \xD0\x9F\r\n";  // € and П: no single 8859 part has both
  auto carried = to_x400(mime("text/plain; charset=utf-8", text), {});
  ASSERT_TRUE(carried);
  const auto* bp15 = carried->body.at(0).as<ipms::MimeBodyPart>();
  ASSERT_TRUE(bp15);
  EXPECT_EQ(bp15->parameters.content_type, "text/plain");
  EXPECT_EQ(std::string(bp15->data.begin(), bp15->data.end()), text);
  ToX400Options o;
  o.utf8_general_text = true;
  auto utf8 = to_x400(mime("text/plain; charset=utf-8", text), o);
  ASSERT_TRUE(utf8);
  ASSERT_TRUE(utf8->body.at(0).as<ipms::GeneralTextBodyPart>());
  EXPECT_EQ(utf8->body.at(0).as<ipms::GeneralTextBodyPart>()->character_sets, (std::vector<std::int64_t>{196}));
}

TEST(BodyParts, rfc2157_3_1_2_invalid_octets_and_unknown_charsets_carried_with_the_loss) {
  auto invalid = to_x400(mime("text/plain; charset=utf-8", "caf\xE9\r\n"), {});
  ASSERT_TRUE(invalid);
  ASSERT_TRUE(invalid->body.at(0).as<ipms::MimeBodyPart>());
  ASSERT_EQ(invalid->losses.size(), 1u);
  EXPECT_NE(invalid->losses[0].what.find("not utf-8"), std::string::npos);
  auto unknown = to_x400(mime("text/plain; charset=x-martian", "abc\xFF\r\n"), {});
  ASSERT_TRUE(unknown);
  const auto* b = unknown->body.at(0).as<ipms::MimeBodyPart>();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->parameters.content_parameters.at(0).second, "x-martian");
  EXPECT_EQ(unknown->losses.size(), 1u);
  // Back: the same part, charset label and octets (8-bit, so base64 or quoted-printable).
  auto m = to_mime(unknown->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "text/plain; charset=x-martian");
  EXPECT_EQ(decode_quoted_printable(m->entity.octets()).octets, "abc\xFF\r\n");
}

TEST(BodyParts, rfc2157_6_2_iso_2022_controls_in_8859_text_are_not_general_text) {
  // SO (0x0E) would shift G1 into GL for an ISO 2022 reader: the text would read differently.
  auto x = to_x400(mime("text/plain; charset=iso-8859-1", std::string_view("caf\xE9 \x0E ok\r\n", 12)), {});
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->body.at(0).as<ipms::MimeBodyPart>());
  EXPECT_EQ(x->losses.size(), 1u);
}

TEST(BodyParts, rfc2157_6_1_ascii_in_any_ascii_based_charset_is_ia5_not_copied_through_icu) {
  auto x = to_x400(mime("text/plain; charset=ISO-8859-1", "plain\r\n"), {});
  ASSERT_TRUE(x);
  ASSERT_TRUE(x->body.at(0).as<ipms::Ia5TextBodyPart>());
  EXPECT_TRUE(x->built_in_eits.test(2));
  EXPECT_FALSE(x->uses_1988);
}

TEST(BodyParts, rfc2157_6_7_teletex_pages_both_ways) {
  ipms::TeletexBodyPart t;
  t.pages = {"page one\r\n", "page two\r\n"};
  ipms::BodyPart p;
  p.type = t;
  auto m = to_mime({p}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "text/plain; charset=us-ascii");
  EXPECT_EQ(m->entity.octets(), "page one\r\n\fpage two\r\n");
  // T.61 c with cedilla (0xCB 0x63) is Latin-1 0xE7.
  t.pages = {"\xCB" "c\r\n"};
  p.type = t;
  m = to_mime({p}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "text/plain; charset=iso-8859-1");
  // charset=teletex: split at FF, the FF deleted.
  auto x = to_x400(mime("text/plain; charset=teletex", "one\ftwo\f"), {});
  ASSERT_TRUE(x);
  const auto* back = x->body.at(0).as<ipms::TeletexBodyPart>();
  ASSERT_TRUE(back);
  EXPECT_EQ(back->pages, (std::vector<std::string>{"one", "two"}));
  EXPECT_TRUE(x->built_in_eits.test(5));
}

TEST(BodyParts, rfc2157_6_7_x400_1984_next_hop_gets_teletex_or_harpoon) {
  ToX400Options o;
  o.extended_allowed = false;
  auto t = to_x400(mime("text/plain; charset=utf-8", "Caf\xC3\xA9\r\n"), o);
  ASSERT_TRUE(t);
  const auto* tt = t->body.at(0).as<ipms::TeletexBodyPart>();
  ASSERT_TRUE(tt);
  EXPECT_EQ(tt->pages.at(0), "Caf\xC2" "e\r\n");  // T.61: acute accent then e
  auto h = to_x400(mime("text/html; charset=us-ascii", "<p>x</p>\r\n"), o);
  ASSERT_TRUE(h);
  const auto* ia5 = h->body.at(0).as<ipms::Ia5TextBodyPart>();
  ASSERT_TRUE(ia5);
  EXPECT_EQ(ia5->text, "MIME-Version: 1.0\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n<p>x</p>\r\n");
  EXPECT_FALSE(h->uses_1988);
  // §2.2 (1): HARPOON undone on the way back.
  auto m = to_mime(h->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "text/html; charset=us-ascii");
  EXPECT_EQ(m->entity.octets(), "<p>x</p>\r\n");
}

TEST(BodyParts, rfc2157_6_3_octet_stream_bilaterally_defined_both_ways) {
  std::string bin("\x00\x01\xFF\r\nzz", 7);
  auto x = to_x400(mime("application/octet-stream; name=a.bin", base64_lines(bin),
                        {{"Content-Transfer-Encoding", "base64"}}),
                   {});
  ASSERT_TRUE(x);
  const auto* b = x->body.at(0).as<ipms::BilaterallyDefinedBodyPart>();
  ASSERT_TRUE(b);
  EXPECT_EQ(std::string(b->octets.begin(), b->octets.end()), bin);
  ASSERT_EQ(x->losses.size(), 1u);  // the name= has nowhere to go
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/octet-stream");
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, bin);
}

TEST(BodyParts, rfc2157_3_2_x400_bp_round_trip_of_a_videotex) {
  ipms::VideotexBodyPart v;
  v.syntax = 1;
  v.data = "\x1B\x41videotex";
  ipms::BodyPart p;
  p.type = v;
  auto m = to_mime({p}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/x400-bp; bp-type=6");
  auto x = back(m->entity);
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 1u);
  EXPECT_EQ(ber(x->body[0]), ber(p));
  EXPECT_TRUE(x->built_in_eits.test(6));  // X.411 videotex
  EXPECT_FALSE(x->built_in_eits.test(0));
}

TEST(BodyParts, rfc2157_3_2_extended_body_part_bp_type_is_its_oid) {
  ipms::VoiceBodyPart v;
  v.voice_encoding_type = mixer::p1::ber::Oid{1, 2, 3};
  v.data = {1, 2, 3};
  ipms::BodyPart p;
  p.type = v;
  auto m = to_mime({p}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/x400-bp; bp-type=2.6.1.4.16");  // id-et-voice
  auto x = back(m->entity);
  ASSERT_TRUE(x);
  EXPECT_EQ(ber(x->body.at(0)), ber(p));
}

TEST(BodyParts, rfc2157_3_1_2_mime_body_part_round_trip_keeps_fields_and_octets) {
  auto x = to_x400(mime("image/png; name=\"a b.png\"", base64_lines("\x89PNG"),
                        {{"Content-Transfer-Encoding", "base64"}, {"Content-Disposition", "inline"}}),
                   {});
  ASSERT_TRUE(x);
  const auto* b = x->body.at(0).as<ipms::MimeBodyPart>();
  ASSERT_TRUE(b);
  EXPECT_EQ(b->parameters.content_type, "image/png");
  EXPECT_EQ(b->parameters.content_parameters.at(0).second, "\"a b.png\"");  // quoting kept
  EXPECT_EQ(b->parameters.other_header_fields, (std::vector<std::string>{"Content-Disposition: inline"}));
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "image/png; name=\"a b.png\"");
  EXPECT_EQ(field(m->entity, "Content-Disposition"), "inline");
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, "\x89PNG");
}

// Found by fuzz_bodyparts_to_x400: an 8-bit Content-Description of 400 octets became one
// encoded word of 1,200 characters, a header line over 998 inside the multipart on the way
// back. Now encoded words of at most 75 (RFC 2047 §2), folded between (RFC 5322 §2.2.3).
TEST(BodyParts, rfc2047_2_long_8bit_field_of_a_mime_body_part_folds_in_encoded_words) {
  const std::string desc = "d\xE9j\xE0 " + std::string(400, '\xE4');
  const std::string body = "--b\r\nContent-Type: image/png\r\nContent-Description: " + desc +
                           "\r\n\r\nPNG\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b--\r\n";
  auto x = to_x400(mime("multipart/mixed; boundary=b", body), {});
  ASSERT_TRUE(x);
  const auto* b = x->body.at(0).as<ipms::MimeBodyPart>();
  ASSERT_TRUE(b);
  const std::string& carried = b->parameters.other_header_fields.at(0);
  EXPECT_EQ(carried.rfind("Content-Description: =?unknown-8bit?Q?d=E9j=E0_=E4", 0), 0u) << carried;
  EXPECT_NE(carried.find("?= =?unknown-8bit?Q?=E4"), std::string::npos) << carried;
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  std::size_t line = 0, longest = 0;
  for (char c : m->entity.octets()) {
    if (c == '\n') line = 0;
    else longest = std::max(longest, ++line);
  }
  EXPECT_LE(longest, 77u);  // 76 and the CR
  auto again = back(m->entity);
  ASSERT_TRUE(again);
  EXPECT_EQ(ber(again->body.at(0)), ber(x->body.at(0)));  // the folds unfold to the same value
}

TEST(BodyParts, rfc2157_6_6_nested_multipart_is_a_forwarded_ipm_and_comes_back) {
  const std::string body =
      "--o\r\nContent-Type: text/plain\r\n\r\nfirst\r\n"
      "--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n"
      "--i\r\nContent-Type: text/plain\r\n\r\nplain\r\n"
      "--i\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n--i--\r\n"
      "--o--\r\n";
  auto x = to_x400(mime("multipart/mixed; boundary=o", body), {});
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 2u);  // the outermost multipart's parts are the body's
  EXPECT_TRUE(x->body[0].as<ipms::Ia5TextBodyPart>());
  const auto* fwd = x->body[1].as<ipms::MessageBodyPart>();
  ASSERT_TRUE(fwd);
  EXPECT_EQ(fwd->ipm->heading.subject, "Alternative Body Parts containing the same information");
  EXPECT_FALSE(fwd->ipm->heading.this_ipm.user_relative_identifier.empty());
  ASSERT_EQ(fwd->ipm->body.size(), 2u);
  EXPECT_TRUE(fwd->ipm->body[1].as<ipms::MimeBodyPart>());
  EXPECT_TRUE(x->heading_extensions.empty());  // outermost mixed: none needed
  // Back to MIME: multipart/mixed holding multipart/alternative.
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  const std::string out(m->entity.octets());
  EXPECT_NE(out.find("Content-Type: multipart/alternative; boundary=\"=_mixer_n1_\""), std::string::npos);
  EXPECT_NE(out.find("<p>html</p>"), std::string::npos);
  // And that MIME again to X.400 gives the same body parts.
  auto again = back(m->entity);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->body.size(), 2u);
  const auto* fwd2 = again->body[1].as<ipms::MessageBodyPart>();
  ASSERT_TRUE(fwd2);
  ASSERT_EQ(fwd2->ipm->body.size(), 2u);
  EXPECT_EQ(ber(fwd2->ipm->body[0]), ber(fwd->ipm->body[0]));
  EXPECT_EQ(ber(fwd2->ipm->body[1]), ber(fwd->ipm->body[1]));
}

TEST(BodyParts, rfc2157_6_6_outermost_alternative_asks_for_the_heading_extension) {
  auto x = to_x400(mime("multipart/alternative; boundary=b",
                        "--b\r\n\r\nplain\r\n--b\r\nContent-Type: text/html\r\n\r\n<p/>\r\n--b--\r\n"),
                   {});
  ASSERT_TRUE(x);
  EXPECT_EQ(x->body.size(), 2u);
  ASSERT_EQ(x->heading_extensions.size(), 1u);
  EXPECT_EQ(x->heading_extensions[0].type.to_string(), "1.3.6.1.7.1.1.3");
}

TEST(BodyParts, rfc2157_7_3_multipart_signed_in_harpoon_octets_untouched) {
  const std::string body =
      "--s\r\nContent-Type: text/plain\r\n\r\nsigned text\r\n"
      "--s\r\nContent-Type: application/pkcs7-signature\r\nContent-Transfer-Encoding: base64\r\n\r\nAAEC\r\n--s--\r\n";
  auto x = to_x400(mime("multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=s", body),
                   {});
  ASSERT_TRUE(x);
  const auto* ia5 = x->body.at(0).as<ipms::Ia5TextBodyPart>();
  ASSERT_TRUE(ia5);
  EXPECT_TRUE(ia5->text.starts_with("MIME-Version: 1.0\r\nContent-Type: multipart/signed;"));
  EXPECT_TRUE(ia5->text.ends_with("\r\n\r\n" + body));
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->entity.octets(), body);  // what the signature covers, as it was
  EXPECT_TRUE(field(m->entity, "Content-Type").starts_with("multipart/signed"));
}

TEST(BodyParts, rfc2157_conversion_prohibited_refuses_a_charset_change_not_an_encapsulation) {
  ToX400Options o;
  o.conversion_prohibited = true;
  auto r = to_x400(mime("text/plain; charset=utf-8", "Caf\xC3\xA9\r\n"), o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().enhanced_status, "5.6.2");
  EXPECT_TRUE(to_x400(mime("text/plain; charset=iso-8859-1", "Caf\xE9\r\n"), o));  // no character change
  EXPECT_TRUE(to_x400(mime("image/gif", "GIF"), o));                            // encapsulated as it is
}

TEST(BodyParts, limits_parts_and_nesting_refused_not_crashed) {
  std::string deep, close;
  for (int i = 0; i < 100000; ++i) {
    deep += "--b" + std::to_string(i) + "\r\nContent-Type: multipart/mixed; boundary=b" + std::to_string(i + 1) +
            "\r\n\r\n";
  }
  auto r = to_x400(mime("multipart/mixed; boundary=b0", deep), {});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().enhanced_status, "5.3.4");
  std::string many;
  for (int i = 0; i < 2000; ++i) many += "--b\r\n\r\nx\r\n";
  auto m = to_x400(mime("multipart/mixed; boundary=b", many + "--b--\r\n"), {});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().enhanced_status, "5.3.4");
}

TEST(BodyParts, rfc2046_broken_multiparts_best_effort_with_loss) {
  auto unclosed = to_x400(mime("multipart/mixed; boundary=b", "--b\r\n\r\none\r\n--b\r\n\r\ntwo"), {});
  ASSERT_TRUE(unclosed);
  EXPECT_EQ(unclosed->body.size(), 2u);
  EXPECT_EQ(unclosed->losses.size(), 1u);
  auto no_boundary = to_x400(mime("multipart/mixed; boundary=zz", "no delimiters here\r\n"), {});
  ASSERT_TRUE(no_boundary);
  EXPECT_TRUE(no_boundary->body.at(0).as<ipms::MimeBodyPart>());
  EXPECT_EQ(no_boundary->losses.size(), 1u);
  auto bad_cte = to_x400(mime("application/pdf", "abc", {{"Content-Transfer-Encoding", "x-uuencode"}}), {});
  ASSERT_TRUE(bad_cte);
  EXPECT_EQ(bad_cte->losses.size(), 1u);
}

// Found by fuzz_bodyparts_*: each keeps a round trip exact or a loss listed.
TEST(BodyParts, rfc2045_6_7_quoted_printable_of_text_without_a_last_line_break) {
  const std::string qp = quoted_printable("caf\xE9");
  EXPECT_EQ(qp, "caf=E9=\r\n");  // a soft line break: nothing added to the text
  EXPECT_EQ(decode_quoted_printable(qp).octets, "caf\xE9");
}

TEST(BodyParts, rfc2157_3_1_2_parameter_quoting_normalised_only_when_malformed) {
  auto x = to_x400(mime("image/png; a=\"q \\\"x\"; b=; c=\"open", "x"), {});
  ASSERT_TRUE(x);
  const auto* b = x->body.at(0).as<ipms::MimeBodyPart>();
  ASSERT_TRUE(b);
  ASSERT_EQ(b->parameters.content_parameters.size(), 3u);
  EXPECT_EQ(b->parameters.content_parameters[0].second, "\"q \\\"x\"");  // as written
  EXPECT_EQ(b->parameters.content_parameters[1].second, "\"\"");           // empty: quoted
  EXPECT_EQ(b->parameters.content_parameters[2].second, "open");           // unterminated: mended
}

TEST(BodyParts, rfc2157_3_1_2_mime_body_part_values_mime_cannot_carry_are_mended_with_a_loss) {
  ipms::MimeBodyPart m;
  m.parameters.content_type = "text/plain";
  m.parameters.other_header_fields = {std::string("X-A: a\0b\rc", 10), "bad name: v", "Content-Type: text/html"};
  m.data = {'h', 'i'};
  ipms::BodyPart p;
  p.type = m;
  auto out = to_mime({p}, {});
  ASSERT_TRUE(out);
  EXPECT_EQ(field(out->entity, "X-A"), "a b c");
  EXPECT_EQ(field(out->entity, "Content-Type"), "text/plain");  // the field list's one is redundant (§3.1.2 (3))
  EXPECT_EQ(out->losses.size(), 1u);
}

TEST(BodyParts, rfc2157_6_6_a_body_of_one_nested_multipart_keeps_its_outer_multipart) {
  auto x = to_x400(mime("multipart/mixed; boundary=o",
                        "--o\r\nContent-Type: multipart/alternative; boundary=i\r\n\r\n"
                        "--i\r\n\r\na\r\n--i\r\n\r\nb\r\n--i--\r\n--o--\r\n"),
                   {});
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 1u);
  ASSERT_TRUE(x->body[0].as<ipms::MessageBodyPart>());
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_TRUE(field(m->entity, "Content-Type").starts_with("multipart/mixed"));
  auto again = back(m->entity);
  ASSERT_TRUE(again);
  ASSERT_EQ(again->body.size(), 1u);
  EXPECT_EQ(ber(again->body[0]), ber(x->body[0]));
}

TEST(BodyParts, rfc2046_a_multipart_of_no_parts_is_one_empty_text) {
  auto x = to_x400(mime("multipart/mixed; boundary=b", "--b--\r\n"), {});
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 1u);
  ASSERT_TRUE(x->body[0].as<ipms::Ia5TextBodyPart>());
  EXPECT_TRUE(x->body[0].as<ipms::Ia5TextBodyPart>()->text.empty());
}

TEST(BodyParts, rfc2157_2_2_harpoon_with_a_field_mime_cannot_carry_is_plain_text) {
  auto m = to_mime({ia5_text_part("MIME-Version: 1.0\r\nContent-Type: text/html\rX\r\n\r\nbody\r\n")}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "text/plain; charset=us-ascii");
}

TEST(BodyParts, rfc2157_6_4_octet_stream_as_ftbp_unknown_attachment_both_ways) {
  ToX400Options o;
  o.octet_stream = OctetStream::ftbp_unknown;  // the §8 configuration choice
  std::string bin("\x00\x01\xFF\r\n", 5);
  auto x = to_x400(mime("application/octet-stream", base64_lines(bin),
                        {{"Content-Transfer-Encoding", "base64"},
                         {"Content-Disposition", "attachment; filename=\"dodo.doc\""},
                         {"Content-Description", "a file"}}),
                   o);
  ASSERT_TRUE(x);
  const auto* f = x->body.at(0).as<ipms::FileTransferBodyPart>();
  ASSERT_TRUE(f);
  EXPECT_TRUE(x->losses.empty());
  const auto& env = *f->parameters.environment;
  EXPECT_EQ(std::get<mixer::p1::ber::Oid>(*env.application_reference).to_string(), "2.16.840.1.113694.2.2.1.1");
  EXPECT_EQ(env.user_visible_string, (std::vector<std::string>{"a file"}));
  EXPECT_EQ(std::get<ipms::IncompletePathname>(*f->parameters.file_attributes->pathname).pathname,
            (std::vector<std::string>{"dodo.doc"}));
  EXPECT_EQ(std::get<std::int64_t>(*f->parameters.file_attributes->object_size), 5);
  EXPECT_TRUE(x->uses_1988);
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/octet-stream");
  EXPECT_EQ(field(m->entity, "Content-Disposition"), "attachment; filename=dodo.doc; size=5");  // §2.3.2 size
  EXPECT_EQ(field(m->entity, "Content-Description"), "a file");
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, bin);
  // §6.4: without a Content-Disposition filename, the Content-Type name.
  auto named = to_x400(mime("application/octet-stream; name=n.bin", "x"), o);
  ASSERT_TRUE(named);
  EXPECT_EQ(std::get<ipms::IncompletePathname>(
                *named->body.at(0).as<ipms::FileTransferBodyPart>()->parameters.file_attributes->pathname)
                .pathname.at(0),
            "n.bin");
}

TEST(BodyParts, rfc2157_3_3_x_ftbp_oid_both_ways_and_x400_bp_when_it_cannot_be) {
  auto x = to_x400(mime("application/x-ftbp.1.2.3.4", "data"), {});
  ASSERT_TRUE(x);
  const auto* f = x->body.at(0).as<ipms::FileTransferBodyPart>();
  ASSERT_TRUE(f);
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/x-ftbp.1.2.3.4");
  EXPECT_EQ(field(m->entity, "Content-Disposition"), "attachment; size=4");
  // §3.3: compression present: no MIME form but x400-bp.
  ipms::FileTransferBodyPart c = *f;
  c.parameters.compression = ipms::CompressionParameter{mixer::p1::ber::Oid{1, 2, 3}, {0x05, 0x00}};
  ipms::BodyPart p;
  p.type = c;
  auto enc = to_mime({p}, {});
  ASSERT_TRUE(enc);
  EXPECT_TRUE(field(enc->entity, "Content-Type").starts_with("application/x400-bp; bp-type="));
}

TEST(BodyParts, rfc2045_5_1_content_type_ending_inside_a_comment_quoted_pair) {
  // Found by fuzz_bodyparts_to_x400: a backslash at the very end of a comment read past the value.
  auto x = to_x400(mime("(multipart/m\\", "x\r\n"), {});
  ASSERT_TRUE(x);
  EXPECT_EQ(x->losses.size(), 1u);  // read as text/plain
}

TEST(BodyParts, rfc2045_5_1_a_parameter_without_a_value_is_a_loss_not_dropped_silently) {
  // Found by fuzz_bodyparts_to_x400: "; mic" then an unterminated comment left the parameter out
  // with no loss, so the MIME body part came back as another conversion (HARPOON).
  EXPECT_FALSE(parse_content_type("multipart/signed; protocol=\"a/b\"; mic (x").complete);
  EXPECT_TRUE(parse_content_type("multipart/signed; protocol=\"a/b\" (x").complete);
  // The whole case (a header HARPOON cannot carry, so the MIME body part) is the seed
  // tests/fuzz/corpus/fuzz_bodyparts_to_x400/regress-param-without-value.
}

TEST(BodyParts, rfc2157_6_6_deep_multiparts_below_eight_forwarded_ipms_carried_whole) {
  // Found by fuzz_bodyparts_to_x400: 15 nested ForwardedIPMessages passed the BER decoders' depth
  // bound (48). Below eight, the multipart is carried whole in the MIME body part.
  std::string deep;
  for (int i = 0; i < 12; ++i)
    deep += "--n" + std::to_string(i) + "\r\nContent-Type: multipart/mixed; boundary=n" + std::to_string(i + 1) +
            "\r\n\r\n";
  deep += "--n12\r\n\r\ndeep\r\n--n12--\r\n";
  for (int i = 11; i >= 0; --i) deep += "--n" + std::to_string(i) + "--\r\n";
  auto x = to_x400(mime("multipart/mixed; boundary=n0", deep), {});
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->losses.empty());
  const ipms::BodyPart* p = &x->body.at(0);
  int forwarded = 0;
  while (const auto* m = p->as<ipms::MessageBodyPart>()) {
    ++forwarded;
    p = &m->ipm->body.at(0);
  }
  EXPECT_EQ(forwarded, 8);
  EXPECT_TRUE(p->as<ipms::MimeBodyPart>());
  auto b = ipms::encode(x->body.at(0));
  ASSERT_TRUE(b);
  EXPECT_TRUE(ipms::decode<ipms::BodyPart>(mixer::p1::ber::ByteView(b->data(), b->size())));
}

TEST(BodyParts, rfc2157_6_1_seven_bit_crlf_ia5_text_is_borrowed_not_copied) {
  std::string text;
  while (text.size() < 10240) text += std::string(76, 'x') + "\r\n";
  std::vector<ipms::BodyPart> body{ia5_text_part(text)};
  auto m = to_mime(body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(m->entity.octets().data(), body[0].as<ipms::Ia5TextBodyPart>()->text.data());  // the same octets
  EXPECT_TRUE(m->entity.body.empty());
}

}  // namespace
