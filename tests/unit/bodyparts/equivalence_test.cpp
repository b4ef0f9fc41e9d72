// tests/unit/bodyparts/equivalence_test.cpp: the rows of RFC 2157's §5.3 and
// §5.4 equivalence tables not covered by the chapter 6 tests: g3-facsimile
// <-> image/g3fax (the conversion of RFC 1494 §6.2, §7.5), voice (§5.4 "No
// Mapping Defined": application/x400-bp) and audio/basic (§5.3 "no mapping
// defined": the MIME body part, HARPOON to a 1984 next hop); and RFC 2045
// §6.4 for a composite type coming back from the MIME body part.
#include <gtest/gtest.h>

#include "bodyparts/bodyparts.hpp"
#include "bodyparts/g3fax.hpp"
#include "bodyparts/transfer_encoding.hpp"
#include "p1/ipms/ipms.hpp"

namespace {

using namespace mixer::bodyparts;
namespace ipms = mixer::p1::ipms;
using mixer::p1::ber::BitString;

const std::string kSixEols("\x00\x10\x01\x00\x10\x01\x00\x10\x01", 9);

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

ipms::BodyPart part(auto t) {
  ipms::BodyPart p;
  p.type = std::move(t);
  return p;
}

TEST(Rfc2157_5_4, rfc2157_5_4_g3_facsimile_is_image_g3fax_pages_ended_by_six_eols_and_comes_back) {
  ipms::G3FacsimileBodyPart g3;
  g3.number_of_pages = 2;
  g3.non_basic_parameters = BitString::from_flags((1u << 8) | (1u << 9));  // two-dimensional, fine-resolution
  g3.pages.push_back(BitString{{0xA5, 0x5B}, 0});
  g3.pages.push_back(BitString{{0xC3, 0x00, 0x10}, 4});  // 8 bits, then one EOL (000000000001)
  auto m = to_mime({part(g3)}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "image/g3fax; encoding=2-dimensional; resolution=Fine; pages=2");
  EXPECT_EQ(field(m->entity, "Content-Transfer-Encoding"), "base64");  // RFC 1494 §6.2.2
  // RFC 1494 §7.5: the trailing EOL removed, each page padded and followed by six EOLs.
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, "\xA5\x5B" + kSixEols + "\xC3" + kSixEols);
  EXPECT_TRUE(m->losses.empty());
  auto x = back(m->entity);
  ASSERT_TRUE(x);
  ASSERT_EQ(x->body.size(), 1u);
  ipms::G3FacsimileBodyPart expected = g3;
  expected.pages[1] = BitString{{0xC3}, 0};
  EXPECT_EQ(ber(x->body[0]), ber(part(expected)));
  EXPECT_TRUE(x->built_in_eits.test(3));
  EXPECT_FALSE(x->uses_1988);
  EXPECT_TRUE(x->losses.empty());
}

TEST(Rfc2157_5_3, rfc2157_5_3_image_g3fax_parameters_dcs_and_what_has_no_place) {
  const std::string fax = std::string("\x12\x34", 2) + kSixEols + std::string("\xC3\x00\x10", 3) + kSixEols;
  auto x = to_x400(mime("image/g3fax; page-length=b4; page-width=A3; DCS=\"AAAAAg==\"; resolution=Medium; name=f.g3",
                        base64_lines(fax), {{"Content-Transfer-Encoding", "base64"}}),
                   {});
  ASSERT_TRUE(x);
  const auto* g3 = x->body.at(0).as<ipms::G3FacsimileBodyPart>();
  ASSERT_TRUE(g3);
  ASSERT_TRUE(g3->non_basic_parameters);
  EXPECT_EQ(g3->non_basic_parameters->as_flags(), (1u << 21) | (1u << 22) | (1u << 30));  // b4-length, a3-width,
                                                                                         // DCS: uncompressed
  EXPECT_FALSE(g3->number_of_pages);
  ASSERT_EQ(g3->pages.size(), 2u);
  EXPECT_EQ(g3->pages[0], (BitString{{0x12, 0x34}, 2}));  // the padding: the last octet's trailing zeros
  EXPECT_EQ(g3->pages[1], (BitString{{0xC3}, 0}));  // its padding, then its trailing EOL removed
  ASSERT_EQ(x->losses.size(), 2u);  // resolution=Medium, name=
  EXPECT_NE(x->losses[0].what.find("resolution=Medium"), std::string::npos);
  EXPECT_NE(x->losses[1].what.find("name=f.g3"), std::string::npos);
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "image/g3fax; page-length=B4; page-width=A3; encoding=Uncompressed");
  // A bit no parameter names (t6-coding, 25) goes as DCS, the whole string in base64.
  ipms::G3FacsimileBodyPart t6;
  t6.non_basic_parameters = BitString::from_flags((1u << 9) | (1u << 25));
  auto d = to_mime({part(t6)}, {});
  ASSERT_TRUE(d);
  EXPECT_EQ(field(d->entity, "Content-Type"), "image/g3fax; resolution=Fine; DCS=\"AEAAQA==\"");
  auto dx = back(d->entity);
  ASSERT_TRUE(dx);
  EXPECT_EQ(ber(dx->body.at(0)), ber(part(t6)));
}

TEST(Rfc2157_5_4, rfc2157_5_4_g3_page_holding_the_delimiter_is_x400_bp_and_trailing_zeros_a_loss) {
  ipms::G3FacsimileBodyPart g3;
  BitString page;
  page.bytes = {0xFF};
  page.bytes.insert(page.bytes.end(), kSixEols.begin(), kSixEols.end());
  page.bytes.push_back(0xFF);
  g3.pages.push_back(page);
  auto m = to_mime({part(g3)}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/x400-bp; bp-type=3");
  ASSERT_EQ(m->losses.size(), 1u);
  auto x = back(m->entity);
  ASSERT_TRUE(x);
  EXPECT_EQ(ber(x->body.at(0)), ber(part(g3)));
  // A page of eight bits ending in zeros: the padding hides its length.
  ipms::G3FacsimileBodyPart zeros;
  zeros.pages.push_back(BitString{{0x80}, 0});
  auto z = to_mime({part(zeros)}, {});
  ASSERT_TRUE(z);
  EXPECT_EQ(field(z->entity, "Content-Type"), "image/g3fax");
  ASSERT_EQ(z->losses.size(), 1u);
  EXPECT_NE(z->losses[0].what.find("trailing zero bits"), std::string::npos);
}

TEST(Rfc2157_5_3, rfc2157_5_3_g3fax_conversion_prohibited_is_encapsulated_and_1984_is_basic) {
  ToX400Options prohibited;
  prohibited.conversion_prohibited = true;
  const std::string fax = "\x01\x02" + kSixEols;
  auto x = to_x400(mime("image/g3fax", base64_lines(fax), {{"Content-Transfer-Encoding", "base64"}}), prohibited);
  ASSERT_TRUE(x);
  const auto* bp15 = x->body.at(0).as<ipms::MimeBodyPart>();
  ASSERT_TRUE(bp15);
  EXPECT_EQ(std::string(bp15->data.begin(), bp15->data.end()), fax);
  ToX400Options old;
  old.extended_allowed = false;
  auto y = to_x400(mime("image/g3fax", base64_lines(fax), {{"Content-Transfer-Encoding", "base64"}}), old);
  ASSERT_TRUE(y);
  ASSERT_TRUE(y->body.at(0).as<ipms::G3FacsimileBodyPart>());
  EXPECT_FALSE(y->body.at(0).extended());
  EXPECT_FALSE(y->uses_1988);
  ToMimeOptions mo;
  mo.conversion_prohibited = true;
  auto m = to_mime(y->body, mo);
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/x400-bp; bp-type=3");
}

TEST(Rfc2157_5_4, rfc2157_5_4_voice_has_no_mapping_defined_x400_bp_both_ways) {
  ipms::Voice1984BodyPart v;
  v.components = {{0x31, 0x00}, {0x03, 0x02, 0x00, 0xAA}};  // SET {}, BIT STRING
  auto m = to_mime({part(v)}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/x400-bp; bp-type=2");
  EXPECT_TRUE(m->losses.empty());
  auto x = back(m->entity);
  ASSERT_TRUE(x);
  EXPECT_EQ(ber(x->body.at(0)), ber(part(v)));
  EXPECT_TRUE(x->built_in_eits.test(7));  // X.411 voice
}

TEST(Rfc2157_5_3, rfc2157_5_3_audio_basic_has_no_mapping_defined_encapsulated_both_ways) {
  const std::string ulaw("\xFF\x7F\x00\x80\x10", 5);
  auto x = to_x400(mime("audio/basic", base64_lines(ulaw), {{"Content-Transfer-Encoding", "base64"}}), {});
  ASSERT_TRUE(x);
  const auto* bp15 = x->body.at(0).as<ipms::MimeBodyPart>();
  ASSERT_TRUE(bp15);
  EXPECT_EQ(bp15->parameters.content_type, "audio/basic");
  EXPECT_EQ(std::string(bp15->data.begin(), bp15->data.end()), ulaw);
  auto m = to_mime(x->body, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "audio/basic");
  EXPECT_EQ(decode_base64(m->entity.octets()).octets, ulaw);
  ToX400Options old;
  old.extended_allowed = false;  // §3.1.3: HARPOON
  auto h = to_x400(mime("audio/basic", base64_lines(ulaw), {{"Content-Transfer-Encoding", "base64"}}), old);
  ASSERT_TRUE(h);
  const auto* ia5 = h->body.at(0).as<ipms::Ia5TextBodyPart>();
  ASSERT_TRUE(ia5);
  EXPECT_TRUE(ia5->text.starts_with("MIME-Version: 1.0\r\nContent-Type: audio/basic\r\n"));
  auto hm = to_mime(h->body, {});
  ASSERT_TRUE(hm);
  EXPECT_EQ(field(hm->entity, "Content-Type"), "audio/basic");
  EXPECT_EQ(decode_base64(hm->entity.octets()).octets, ulaw);
}

TEST(Rfc2157_3_1_2, rfc2045_6_4_multipart_in_a_mime_body_part_that_is_not_7bit_lines_goes_in_x400_bp) {
  ipms::MimeBodyPart b;
  b.parameters.content_type = "multipart/signed";
  b.parameters.content_parameters.push_back({"boundary", "\"s\""});
  const std::string octets = "--s\nContent-Type: text/plain\n\nbare LF\n--s--\n";
  b.data.assign(octets.begin(), octets.end());
  auto m = to_mime({part(b)}, {});
  ASSERT_TRUE(m);
  EXPECT_EQ(field(m->entity, "Content-Type"), "application/x400-bp; bp-type=1.3.6.1.7.1.2.1.1");
  EXPECT_EQ(field(m->entity, "Content-Transfer-Encoding"), "base64");
  ASSERT_EQ(m->losses.size(), 1u);
  auto x = back(m->entity);
  ASSERT_TRUE(x);
  EXPECT_EQ(ber(x->body.at(0)), ber(part(b)));
  // 7bit lines stay the multipart they are, no encoding (RFC 2045 §6.4).
  const std::string crlf = "--s\r\nContent-Type: text/plain\r\n\r\nCRLF\r\n--s--\r\n";
  b.data.assign(crlf.begin(), crlf.end());
  auto ok = to_mime({part(b)}, {});
  ASSERT_TRUE(ok);
  EXPECT_EQ(field(ok->entity, "Content-Type"), "multipart/signed; boundary=\"s\"");
  EXPECT_EQ(field(ok->entity, "Content-Transfer-Encoding"), "");
}

// X.411 EncodedInformationTypes [1] G3FacsimileNonBasicParameters: the union of the non-basic
// parameters of every g3-facsimile converted (nested ones too), for the envelope; none without.
TEST(Rfc2157_5_3, rfc2157_5_3_g3fax_non_basic_parameters_for_the_envelope_eits) {
  const std::string fax = std::string("\x12\x34", 2) + kSixEols;
  const std::string b64 = base64_lines(fax);
  const std::string body = "--a\r\nContent-Type: image/g3fax; page-length=B4; encoding=2-dimensional\r\n"
                           "Content-Transfer-Encoding: base64\r\n\r\n" + b64 +
                           "--a\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                           "--b\r\nContent-Type: image/g3fax; resolution=Fine; page-width=A3\r\n"
                           "Content-Transfer-Encoding: base64\r\n\r\n" + b64 + "--b--\r\n--a--\r\n";
  auto x = to_x400(mime("multipart/mixed; boundary=a", body), {});
  ASSERT_TRUE(x);
  EXPECT_TRUE(x->built_in_eits.test(3));
  const auto nb = g3_non_basic_parameters(x->body);
  ASSERT_TRUE(nb);
  // two-dimensional 8, fine-resolution 9, b4-length 21, a3-width 22
  EXPECT_EQ(nb->as_flags(), (1u << 8) | (1u << 9) | (1u << 21) | (1u << 22));
  auto plain = to_x400(mime("image/g3fax", b64, {{"Content-Transfer-Encoding", "base64"}}), {});
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->built_in_eits.test(3));
  EXPECT_FALSE(g3_non_basic_parameters(plain->body));
}

}  // namespace
