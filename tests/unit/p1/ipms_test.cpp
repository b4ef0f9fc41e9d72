// tests/unit/p1/ipms_test.cpp: the X.420 codec (p1/ipms) on the IPMs of the
// PP captures (values as in the captures' tshark decodes), round trips of
// IPMs and IPNs that use every field and body part, the P2 (1984) subset,
// and the limits with their field paths.
#include <gtest/gtest.h>

#include "p1/ipms/ipms.hpp"
#include "tests/unit/p1/mts/ipms_values.hpp"
#include "tests/unit/p1/mts/support.hpp"

namespace {

using namespace mixer::p1;
using namespace mixer::p1::ipms;
using mixer::p1::ber::Writer;

void expect_round_trip(const InformationObject& v) {
  Bytes e = encode(v);
  auto d = decode<InformationObject>(e);
  ASSERT_TRUE(d) << d.error().what;
  EXPECT_EQ(mts::print_tree(to_tree(*d)), mts::print_tree(to_tree(v)));
  EXPECT_TRUE(to_tree(*d) == to_tree(v));
  EXPECT_EQ(encode(*d), e);
  InformationObject back;
  auto err = from_tree(to_tree(v), back);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(encode(back), e);
}

InformationObject content_of(const Bytes& apdu) {
  auto m = mts::test::must_decode<mts::MtsApdu>(apdu);
  auto c = decode<InformationObject>(m.msg.content);
  if (!c) throw std::runtime_error(c.error().what);
  return *c;
}

TEST(X420Captures, pp_ipm_matches_tshark) {
  // tshark (pp-p1-transfer-1988.tshark.txt): this-IPM, originator root, primary recipient bob,
  // subject: P1 test 10, importance normal, one ia5-text body part.
  InformationObject o = content_of(mts::test::pp_message_alpha());
  ASSERT_EQ(o.which, 0);
  const Heading& h = o.ipm.heading;
  EXPECT_EQ(h.this_ipm.user_relative_identifier, "(q)13361 Mon Nov 23 10:40:15 2026(q)(a)alpha.test");
  EXPECT_FALSE(h.this_ipm.user);
  EXPECT_EQ(*h.originator->formal_name->address.personal_name.surname.printable, "root");
  ASSERT_EQ(h.primary_recipients.size(), 1u);
  EXPECT_EQ(*h.primary_recipients[0].recipient.formal_name->address.personal_name.surname.printable, "bob");
  EXPECT_EQ(*h.subject, "P1 test 10");
  EXPECT_EQ(*h.importance, 1);  // sent although it is the DEFAULT (P1-PRIMER §7.4)
  ASSERT_EQ(o.ipm.body.size(), 1u);
  EXPECT_EQ(o.ipm.body[0].kind, BodyPart::ia5_text);
  EXPECT_EQ(*o.ipm.body[0].repertoire, 5);
  EXPECT_EQ(o.ipm.body[0].text, "Hello Bob 10\r\n");
  EXPECT_FALSE(p2_1984_violation(o));
}

TEST(X420Captures, pp_beta_and_x410_ipms) {
  InformationObject b = content_of(mts::test::pp_message_beta());
  EXPECT_EQ(*b.ipm.heading.subject, "P1 beta->alpha");
  EXPECT_EQ(*b.ipm.heading.primary_recipients.at(0).recipient.formal_name->address.personal_name.surname.printable, "alice");
  InformationObject x = content_of(mts::test::pp_message_x410());
  EXPECT_EQ(x.ipm.body.at(0).kind, BodyPart::ia5_text);
  for (const InformationObject& o : {content_of(mts::test::pp_message_alpha()), b, x}) expect_round_trip(o);
}

TEST(X420RoundTrip, ipm_with_every_heading_field_and_body_part) { expect_round_trip(ipms::test::full_ipm()); }
TEST(X420RoundTrip, receipt_notification) { expect_round_trip(ipms::test::receipt_ipn()); }
TEST(X420RoundTrip, non_receipt_notification_with_returned_ipm) { expect_round_trip(ipms::test::non_receipt_ipn()); }
TEST(X420RoundTrip, other_notification_type) { expect_round_trip(ipms::test::other_ipn()); }

TEST(X420RoundTrip, extended_body_parts_carry_their_oids) {
  InformationObject o = ipms::test::full_ipm();
  auto d = decode<InformationObject>(encode(o));
  ASSERT_TRUE(d);
  const auto& body = d->ipm.body;
  auto find = [&](int kind) -> const BodyPart& {
    for (const BodyPart& b : body)
      if (b.kind == kind) return b;
    throw std::runtime_error("kind not found");
  };
  EXPECT_EQ(find(BodyPart::general_text).data_type, (Oid{2, 6, 1, 4, 11}));
  EXPECT_EQ(find(BodyPart::general_text).parameters_type, (Oid{2, 6, 1, 11, 11}));
  EXPECT_EQ(find(BodyPart::file_transfer).data_type, (Oid{2, 6, 1, 4, 12}));
  EXPECT_EQ(find(BodyPart::voice).data_type, (Oid{2, 6, 1, 4, 16}));
  EXPECT_EQ(find(BodyPart::mime).data_type, (Oid{1, 3, 6, 1, 7, 1, 2, 1, 1}));  // RFC 2157 id-mime-bp-data
  EXPECT_EQ(find(BodyPart::mime).mime_parameters.content_type, "image/png");
  EXPECT_EQ(find(BodyPart::forwarded_content).data_type, (Oid{2, 6, 1, 4, 17, 1, 3, 26, 0, 4406, 0, 4, 1}));
  EXPECT_EQ(find(BodyPart::file_transfer).file_transfer_parameters.file_attributes->pathname.at(0), "report.pdf");
  EXPECT_EQ(body[1].kind, BodyPart::ia5_text);
  EXPECT_TRUE(body[1].extended_form);
  EXPECT_EQ(body[1].data_type, (Oid{2, 6, 1, 4, 0}));
  EXPECT_EQ(body.back().kind, BodyPart::message);
  EXPECT_TRUE(body.back().extended_form);
  EXPECT_EQ(body.back().forwarded.at(0).body.at(0).text, "forwarded text");
}

TEST(X420P2_1984, subset_check) {
  EXPECT_FALSE(p2_1984_violation(ipms::test::receipt_ipn()));
  auto v = p2_1984_violation(ipms::test::full_ipm());
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "heading.extensions [15] (1988)");
  InformationObject o = ipms::test::full_ipm();
  o.ipm.heading.extensions.clear();
  for (auto* l : {&o.ipm.heading.primary_recipients}) for (auto& r : *l) r.recipient_extensions.clear();
  EXPECT_EQ(*p2_1984_violation(o), "body[1]: extended body part [15] (1988)");
  EXPECT_EQ(*p2_1984_violation(ipms::test::other_ipn()), "other-notification-type-fields (1992)");
}

TEST(X420P2_1984, the_1984_body_part_types_decode) {
  // X.420 (1984) BodyPart (P2.py of PP's mpp84): tlx [1], voice [2] IMPLICIT SEQUENCE { SET, BIT STRING },
  // sfd [10] are not in 1988; their components are kept as encodings.
  InformationObject o;
  o.ipm.heading.this_ipm.user_relative_identifier = "1984";
  for (int k : {BodyPart::tlx_1984, BodyPart::voice_1984, BodyPart::sfd_1984}) {
    BodyPart b;
    b.kind = k;
    b.elements = {{0x31, 0x00}, {0x03, 0x02, 0x00, static_cast<std::uint8_t>(k)}};
    o.ipm.body.push_back(b);
  }
  Bytes e = encode(o);
  // voice [2] { SET {}, BIT STRING '02'H }: a2 06 31 00 03 02 00 02
  Bytes voice = mts::test::unhex("a20631000302" "0002");
  EXPECT_NE(std::search(e.begin(), e.end(), voice.begin(), voice.end()), e.end());
  auto d = decode<InformationObject>(e);
  ASSERT_TRUE(d) << d.error().what;
  EXPECT_EQ(d->ipm.body[1].kind, BodyPart::voice_1984);
  EXPECT_EQ(d->ipm.body[1].elements.size(), 2u);
  expect_round_trip(o);
  EXPECT_FALSE(p2_1984_violation(o));
}

TEST(X420P2_1984, content_type_2_message_carries_the_same_ipm) {
  // A 1984 peer sends content type 2 with a P2 IPM: the same InformationObject codec reads it.
  auto m = mts::test::must_decode<mts::MtsApdu>(mts::test::pp_message_alpha());
  m.msg.envelope.content_type = mts::ContentType::builtin(2);
  m.msg.envelope.extensions.clear();  // no 1988 extensions towards a 1984 MTA
  auto back = mts::test::must_decode<mts::MtsApdu>(mts::encode(m));
  EXPECT_TRUE(back.msg.envelope.content_type.is_ipm());
  auto c = decode<InformationObject>(back.msg.content);
  ASSERT_TRUE(c) << c.error().what;
  EXPECT_FALSE(p2_1984_violation(*c));
  EXPECT_EQ(*c->ipm.heading.subject, "P1 test 10");
}

TEST(X420Limits, subject_too_long_names_the_path) {
  InformationObject o = ipms::test::full_ipm();
  o.ipm.heading.subject = std::string(200, 's');
  auto d = decode<InformationObject>(encode(o));
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.heading.subject: TeletexString of 200 characters, outside SIZE "
                                "(0..128) (ub-subject-field)"),
            std::string::npos)
      << d.error().what;
}

TEST(X420Limits, bad_strings_in_body_and_recipient) {
  InformationObject o = ipms::test::full_ipm();
  o.ipm.body[0].text = "caf\xc3\xa9";  // not IA5
  auto d = decode<InformationObject>(encode(o));
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.body[0].basic.ia5-text.data: character 195 is not allowed in a "
                                "IA5String"),
            std::string::npos)
      << d.error().what;
  InformationObject p = ipms::test::full_ipm();
  p.ipm.heading.primary_recipients[1].recipient.telephone_number = "+44 (0) 20 #1";
  auto e = decode<InformationObject>(encode(p));
  ASSERT_FALSE(e);
  EXPECT_NE(e.error().what.find("heading.primary-recipients[1].recipient.telephone-number"), std::string::npos)
      << e.error().what;
}

TEST(X420Limits, nested_forwarded_messages_are_bounded) {
  // An IPM forwarding an IPM forwarding ... 60 deep: stopped by Limits::ber.max_depth.
  Ipm inner;
  inner.heading.this_ipm.user_relative_identifier = "x";
  for (int i = 0; i < 60; ++i) {
    BodyPart m;
    m.kind = BodyPart::message;
    m.forwarded = {inner};
    Ipm outer;
    outer.heading.this_ipm.user_relative_identifier = "x";
    outer.body = {m};
    inner = outer;
  }
  InformationObject o;
  o.ipm = inner;
  auto d = decode<InformationObject>(encode(o));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), ber::Errc::too_deep);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.body[0].basic.message.data.body[0]"), std::string::npos)
      << d.error().what;
}

TEST(X420Limits, extended_body_part_types_must_agree) {
  BodyPart b;
  b.kind = BodyPart::general_text;
  b.text = "x";
  b.character_sets = {1};
  Bytes e = encode(b);
  // Replace the data type id-et-general-text (06 04 56 01 04 0b) by id-et-voice (... 10).
  Bytes et = mts::test::unhex("06045601040b");
  auto it = std::search(e.begin(), e.end(), et.begin(), et.end());
  ASSERT_NE(it, e.end());
  it[5] = 0x10;
  auto d = decode<BodyPart>(e);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("BodyPart.extended.data: data type 2.6.1.4.16 does not match parameters type 2.6.1.11.11"),
            std::string::npos)
      << d.error().what;
}

}  // namespace
