// tests/unit/p1/ipms_test.cpp: the X.420 codec (p1/ipms) on the IPMs of the
// PP captures (values as in the captures' tshark decodes), round trips of
// IPMs and IPNs that use every field and body part, the P2 (1984) subset,
// and the limits with their field paths.
#include <gtest/gtest.h>

#include <functional>

#include "p1/ipms/ipms.hpp"
#include "tests/unit/p1/mts/ipms_values.hpp"
#include "tests/unit/p1/mts/round_trip.hpp"
#include "tests/unit/p1/mts/support.hpp"

namespace {

using namespace mixer::p1;
using namespace mixer::p1::ipms;
using mixer::p1::ber::Writer;

void expect_round_trip(const InformationObject& v) {
  mts::test::expect_round_trip_with(v, [](const Bytes& e) { return decode<InformationObject>(e); });
}

InformationObject content_of(const Bytes& apdu) {
  auto m = mts::test::must_decode<mts::MtsApdu>(apdu);
  auto c = decode<InformationObject>(std::get<mts::Message>(m).content);
  if (!c) throw std::runtime_error(c.error().what);
  return *c;
}

TEST(X420Captures, pp_ipm_matches_tshark) {
  // tshark (pp-p1-transfer-1988.tshark.txt): this-IPM, originator root, primary recipient bob,
  // subject: P1 test 10, importance normal, one ia5-text body part.
  InformationObject o = content_of(mts::test::pp_message_alpha());
  ASSERT_TRUE(std::holds_alternative<Ipm>(o));
  const Heading& h = std::get<Ipm>(o).heading;
  EXPECT_EQ(h.this_ipm.user_relative_identifier, "(q)13361 Mon Nov 23 10:40:15 2026(q)(a)alpha.test");
  EXPECT_FALSE(h.this_ipm.user);
  EXPECT_EQ(*h.originator->formal_name->address.personal_name.surname.printable, "root");
  ASSERT_EQ(h.primary_recipients.size(), 1u);
  EXPECT_EQ(*h.primary_recipients[0].recipient.formal_name->address.personal_name.surname.printable, "bob");
  EXPECT_EQ(*h.subject, "P1 test 10");
  EXPECT_EQ(*h.importance, 1);  // sent although it is the DEFAULT (P1-PRIMER §7.4)
  ASSERT_EQ(std::get<Ipm>(o).body.size(), 1u);
  const Ia5TextBodyPart* text = std::get<Ipm>(o).body[0].as<Ia5TextBodyPart>();
  ASSERT_TRUE(text);
  EXPECT_EQ(*text->repertoire, 5);
  EXPECT_EQ(text->text, "Hello Bob 10\r\n");
  EXPECT_FALSE(p2_1984_violation(o));
}

TEST(X420Captures, pp_beta_and_x410_ipms) {
  InformationObject b = content_of(mts::test::pp_message_beta());
  EXPECT_EQ(*std::get<Ipm>(b).heading.subject, "P1 beta->alpha");
  EXPECT_EQ(*std::get<Ipm>(b).heading.primary_recipients.at(0).recipient.formal_name->address.personal_name.surname.printable, "alice");
  InformationObject x = content_of(mts::test::pp_message_x410());
  EXPECT_TRUE(std::get<Ipm>(x).body.at(0).as<Ia5TextBodyPart>());
  for (const InformationObject& o : {content_of(mts::test::pp_message_alpha()), b, x}) expect_round_trip(o);
}

TEST(X420RoundTrip, ipm_with_every_heading_field_and_body_part) { expect_round_trip(ipms::test::full_ipm()); }
TEST(X420RoundTrip, receipt_notification) { expect_round_trip(ipms::test::receipt_ipn()); }
TEST(X420RoundTrip, non_receipt_notification_with_returned_ipm) { expect_round_trip(ipms::test::non_receipt_ipn()); }
TEST(X420RoundTrip, other_notification_type) { expect_round_trip(ipms::test::other_ipn()); }

TEST(X420RoundTrip, extended_body_parts_carry_their_oids) {
  InformationObject o = ipms::test::full_ipm();
  auto d = decode<InformationObject>(encode(o).value());
  ASSERT_TRUE(d);
  const auto& body = std::get<Ipm>(*d).body;
  auto find = [&]<class T>(std::type_identity<T>) -> const BodyPart& {
    for (const BodyPart& b : body)
      if (b.as<T>()) return b;
    throw std::runtime_error("body part type not found");
  };
  const BodyPart& general_text = find(std::type_identity<GeneralTextBodyPart>{});
  const BodyPart& file_transfer = find(std::type_identity<FileTransferBodyPart>{});
  const BodyPart& mime = find(std::type_identity<MimeBodyPart>{});
  EXPECT_EQ(data_oid(general_text), (Oid{2, 6, 1, 4, 11}));
  EXPECT_EQ(parameters_oid(general_text), (Oid{2, 6, 1, 11, 11}));
  EXPECT_EQ(data_oid(file_transfer), (Oid{2, 6, 1, 4, 12}));
  EXPECT_EQ(data_oid(find(std::type_identity<VoiceBodyPart>{})), (Oid{2, 6, 1, 4, 16}));
  EXPECT_EQ(data_oid(mime), (Oid{1, 3, 6, 1, 7, 1, 2, 1, 1}));  // RFC 2157 id-mime-bp-data
  EXPECT_EQ(mime.as<MimeBodyPart>()->parameters.content_type, "image/png");
  EXPECT_EQ(data_oid(find(std::type_identity<ForwardedContentBodyPart>{})), (Oid{2, 6, 1, 4, 17, 1, 3, 26, 0, 4406, 0, 4, 1}));
  EXPECT_EQ(std::get<IncompletePathname>(*file_transfer.as<FileTransferBodyPart>()->parameters.file_attributes->pathname)
                .pathname.at(0),
            "report.pdf");
  EXPECT_TRUE(body[1].as<Ia5TextBodyPart>());
  EXPECT_TRUE(body[1].extended_form);
  EXPECT_EQ(data_oid(body[1]), (Oid{2, 6, 1, 4, 0}));
  const MessageBodyPart* forwarded = body.back().as<MessageBodyPart>();
  ASSERT_TRUE(forwarded);
  EXPECT_TRUE(body.back().extended_form);
  EXPECT_EQ(forwarded->ipm->body.at(0).as<Ia5TextBodyPart>()->text, "forwarded text");
}

// X.420 IPMSForwardedReportBodyPartType: notification-body-part (id-ep-notification
// MessageParameters, id-et-notification IPN) and report-body-part (id-et-report
// ReportDeliveryArgument of X.411, no parameters).
TEST(X420RoundTrip, forwarded_report_body_part_types_notification_and_report) {
  InformationObject o = ipms::test::forwarded_notifications_and_report();
  expect_round_trip(o);
  auto d = decode<InformationObject>(encode(o).value());
  ASSERT_TRUE(d) << d.error().what;
  const auto& body = std::get<Ipm>(*d).body;
  ASSERT_EQ(body.size(), 3u);
  const NotificationBodyPart* rn = body[0].as<NotificationBodyPart>();
  ASSERT_TRUE(rn);
  EXPECT_EQ(data_oid(body[0]), (Oid{2, 6, 1, 4, 15}));
  EXPECT_EQ(parameters_oid(body[0]), (Oid{2, 6, 1, 11, 15}));
  EXPECT_TRUE(body[0].parameters_present);
  EXPECT_EQ(*rn->parameters.delivery_time, "261123110500Z");
  EXPECT_EQ(*std::get<ReceiptFields>(rn->ipn->fields).suppl_receipt_info, "read by bob");
  ASSERT_TRUE(body[1].as<NotificationBodyPart>());
  EXPECT_FALSE(body[1].parameters_present);
  const NonReceiptFields& nrn = std::get<NonReceiptFields>(body[1].as<NotificationBodyPart>()->ipn->fields);
  EXPECT_EQ(nrn.auto_forward_comment, "away");
  ASSERT_TRUE(nrn.returned_ipm);
  EXPECT_EQ((*nrn.returned_ipm)->body.at(0).as<Ia5TextBodyPart>()->text, "returned body");
  ASSERT_TRUE(body[2].as<ReportBodyPart>());
  EXPECT_EQ(data_oid(body[2]), (Oid{2, 6, 1, 4, 14}));
  EXPECT_FALSE(body[2].parameters_present);
  const mts::ReportDeliveryArgument& r = body[2].as<ReportBodyPart>()->report;
  EXPECT_EQ(r.subject_submission_identifier.local_identifier, "subject-msg-1");
  EXPECT_EQ(*r.content_identifier, "rpt-cid");
  ASSERT_EQ(r.per_recipient_fields.size(), 2u);
  EXPECT_EQ(std::get<mts::DeliveryReport>(r.per_recipient_fields[0].report_type).message_delivery_time, "261123110000Z");
  ASSERT_EQ(r.per_recipient_fields[1].report_type.index(), 1u);
  EXPECT_EQ(*std::get<mts::NonDeliveryReport>(r.per_recipient_fields[1].report_type).non_delivery_diagnostic_code, 0);
  EXPECT_EQ(*r.per_recipient_fields[1].supplementary_information, "no such user");
  EXPECT_EQ(*r.returned_content, (Bytes{0x04, 0x01, 0x00}));
  // The report body part's data, as written by hand from X.411 (DER): EXTERNAL { type-id
  // id-et-report, [0] { SET { [APPLICATION 4] ..., per-recipient-fields SEQUENCE {...}, ... } } }.
  Bytes e = encode(o).value();
  Bytes head = mts::test::unhex("0604" "5601040e" "a0");  // OID 2.6.1.4.14, then the [0] value
  EXPECT_NE(std::search(e.begin(), e.end(), head.begin(), head.end()), e.end());
  // The IPN inside the notification body part is the same SET the IPN codec writes alone.
  InformationObject alone = ipms::test::receipt_ipn();
  Bytes ipn = encode(std::get<Ipn>(alone)).value();
  ASSERT_GT(ipn.size(), 2u);
  EXPECT_EQ(ipn[0], 0x31);
  EXPECT_NE(std::search(e.begin(), e.end(), ipn.begin(), ipn.end()), e.end());
}

// The report body part (id-et-report) as assembled by hand from X.411 / X.690 DER, not by
// our encoder: [15] { EXTERNAL { 2.6.1.4.14, [0] ReportDeliveryArgument } }, the SET's
// components in DER order (per-recipient-fields SEQUENCE before [APPLICATION 4]).
TEST(X420Vectors, x411_report_delivery_argument_in_report_body_part_der) {
  Bytes der = mts::test::unhex(
      "af52" "2850" "06045601040e" "a048"
      "3146"                                   // ReportDeliveryArgument SET
      "302e" "312c"                            //   per-recipient-fields SEQUENCE OF SET
      "a017" "3015" "610413024742" "620613045445535" "4" "a505800362" "6f62"  // [0] C=GB A=TEST S=bob
      "a111" "a00f" "800d" "3236313132333131303030305a"  // [1] delivery [0] { [0] 261123110000Z }
      "6414" "630e" "610413024742" "6206130454455354" "16026964");  // subject-submission-identifier
  auto d = decode<BodyPart>(der);
  ASSERT_TRUE(d) << d.error().what;
  ASSERT_TRUE(d->as<ReportBodyPart>());
  EXPECT_FALSE(d->parameters_present);
  const mts::ReportDeliveryArgument& r = d->as<ReportBodyPart>()->report;
  EXPECT_EQ(r.subject_submission_identifier.local_identifier, "id");
  EXPECT_FALSE(r.content_identifier);
  EXPECT_FALSE(r.returned_content);
  ASSERT_EQ(r.per_recipient_fields.size(), 1u);
  EXPECT_EQ(*r.per_recipient_fields[0].actual_recipient_name.address.personal_name.surname.printable, "bob");
  ASSERT_EQ(r.per_recipient_fields[0].report_type.index(), 0u);
  EXPECT_EQ(std::get<mts::DeliveryReport>(r.per_recipient_fields[0].report_type).message_delivery_time, "261123110000Z");
  EXPECT_FALSE(std::get<mts::DeliveryReport>(r.per_recipient_fields[0].report_type).type_of_mts_user);
  EXPECT_EQ(encode(*d).value(), der);  // DER in, the same octets out
}

// X.420 IPMSHeadingExtensions body-part-signatures: SET OF SET { number, SIGNATURE{},
// [0] ExtendedCertificates } with the OpenSSL certificate kept octet for octet.
TEST(X420RoundTrip, heading_body_part_signatures) {
  InformationObject o = ipms::test::ipm_with_body_part_signatures();
  expect_round_trip(o);
  Bytes e = encode(o).value();
  auto d = decode<InformationObject>(e);
  ASSERT_TRUE(d) << d.error().what;
  const auto& s = *std::get<Ipm>(*d).heading.extensions.at(0).value_as<BodyPartSignatures>();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].body_part_number, 2);
  EXPECT_EQ(s[1].body_part_signature.encrypted.bytes, (Bytes{0x05, 0x06}));
  ASSERT_TRUE(s[0].originator_certificate_selector);  // [1] CertificateAssertion, typed
  EXPECT_EQ(*s[0].originator_certificate_selector->serial_number, mts::test::unhex("0b0c"));
  EXPECT_EQ(s[0].originator_certificate_selector->name_constraints->excluded_subtrees.size(), 7u);
  ASSERT_EQ(s[1].originator_certificates.size(), 2u);
  EXPECT_EQ(s[1].originator_certificates[0].index(), 0u);  // directory-entry
  EXPECT_EQ(std::get<mts::Certificates>(s[1].originator_certificates[1]).user_certificate.serial_number,
            mts::test::unhex("1f2e3d4c5b6a79880102030405060708"));
  // The OpenSSL certificate's octets appear unchanged inside [1] IMPLICIT Certificates.
  Bytes der = mts::test::vector_file("mts/x509-ec-certificate.hex");
  EXPECT_NE(std::search(e.begin(), e.end(), der.begin(), der.end()), e.end());
  // The first signature as X.509 SIGNATURE{}: SET { INTEGER 1, SEQUENCE { AlgorithmIdentifier, BIT STRING },
  // [1] CertificateAssertion }.
  Bytes first = mts::test::unhex("020101" "3013" "300a" "06082a8648ce3d040302" "0305" "0001020304" "a1");
  EXPECT_NE(std::search(e.begin(), e.end(), first.begin(), first.end()), e.end());
}

TEST(X420Limits, notification_body_part_data_must_be_an_ipn) {
  InformationObject o = ipms::test::forwarded_notifications_and_report();
  std::get<Ipm>(o).body.resize(1);
  Bytes e = encode(o).value();
  Bytes ipn = encode(*std::get<Ipm>(o).body[0].as<NotificationBodyPart>()->ipn).value();
  auto at = std::search(e.begin(), e.end(), ipn.begin(), ipn.end());
  ASSERT_NE(at, e.end());
  Bytes bad_ipn = ipn;
  bad_ipn[0] = 0x30;  // SEQUENCE instead of SET
  std::copy(bad_ipn.begin(), bad_ipn.end(), at);
  auto d = decode<InformationObject>(e);
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.body[0].extended.data.value"), std::string::npos) << d.error().what;
}

TEST(X420P2_1984, subset_check) {
  EXPECT_FALSE(p2_1984_violation(ipms::test::receipt_ipn()));
  auto v = p2_1984_violation(ipms::test::full_ipm());
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "heading.extensions [15] (1988)");
  InformationObject o = ipms::test::full_ipm();
  std::get<Ipm>(o).heading.extensions.clear();
  for (auto* l : {&std::get<Ipm>(o).heading.primary_recipients}) for (auto& r : *l) r.recipient_extensions.clear();
  EXPECT_EQ(*p2_1984_violation(o), "body[1]: extended body part [15] (1988)");
  EXPECT_EQ(*p2_1984_violation(ipms::test::other_ipn()), "other-notification-type-fields (1992)");
  // 1988 IPN extensions: the common notification-extensions, or the non-receipt fields' own.
  InformationObject nrn = ipms::test::non_receipt_ipn();
  EXPECT_EQ(*p2_1984_violation(nrn), "IPN extensions (1988)");
  std::get<Ipn>(nrn).common.notification_extensions.clear();
  EXPECT_EQ(*p2_1984_violation(nrn), "IPN extensions (1988)");
  std::get<NonReceiptFields>(std::get<Ipn>(nrn).fields).nrn_extensions.clear();
  EXPECT_FALSE(p2_1984_violation(nrn));
}

TEST(X420P2_1984, the_1984_body_part_types_decode) {
  // X.420 (1984) BodyPart (P2.py of PP's mpp84): tlx [1], voice [2] IMPLICIT SEQUENCE { SET, BIT STRING },
  // sfd [10] are not in 1988; their components are kept as encodings.
  InformationObject o;
  std::get<Ipm>(o).heading.this_ipm.user_relative_identifier = "1984";
  auto components = [](std::uint8_t k) { return std::vector<Bytes>{{0x31, 0x00}, {0x03, 0x02, 0x00, k}}; };
  for (BodyPartType t : {BodyPartType{Tlx1984BodyPart{components(1)}}, BodyPartType{Voice1984BodyPart{components(2)}},
                         BodyPartType{Sfd1984BodyPart{components(10)}}}) {
    BodyPart b;
    b.type = t;
    std::get<Ipm>(o).body.push_back(b);
  }
  Bytes e = encode(o).value();
  // voice [2] { SET {}, BIT STRING '02'H }: a2 06 31 00 03 02 00 02
  Bytes voice = mts::test::unhex("a20631000302" "0002");
  EXPECT_NE(std::search(e.begin(), e.end(), voice.begin(), voice.end()), e.end());
  auto d = decode<InformationObject>(e);
  ASSERT_TRUE(d) << d.error().what;
  ASSERT_TRUE(std::get<Ipm>(*d).body[1].as<Voice1984BodyPart>());
  EXPECT_EQ(std::get<Ipm>(*d).body[1].as<Voice1984BodyPart>()->components.size(), 2u);
  expect_round_trip(o);
  EXPECT_FALSE(p2_1984_violation(o));
}

TEST(X420P2_1984, content_type_2_message_carries_the_same_ipm) {
  // A 1984 peer sends content type 2 with a P2 IPM: the same InformationObject codec reads it.
  auto m = mts::test::must_decode<mts::MtsApdu>(mts::test::pp_message_alpha());
  std::get<mts::Message>(m).envelope.content_type = mts::ContentType::builtin(2);
  std::get<mts::Message>(m).envelope.extensions.clear();  // no 1988 extensions towards a 1984 MTA
  auto back = mts::test::must_decode<mts::MtsApdu>(mts::encode(m).value());
  EXPECT_TRUE(std::get<mts::Message>(back).envelope.content_type.is_ipm());
  auto c = decode<InformationObject>(std::get<mts::Message>(back).content);
  ASSERT_TRUE(c) << c.error().what;
  EXPECT_FALSE(p2_1984_violation(*c));
  EXPECT_EQ(*std::get<Ipm>(*c).heading.subject, "P1 test 10");
}

TEST(X420RoundTrip, unknown_components_of_extensible_sets_are_kept) {
  // Heading ::= SET { ..., ... } and BodyPartSignatures' SET: components a later
  // edition adds come back as they were, in tag order whatever order they came in.
  InformationObject o = ipms::test::full_ipm();
  std::get<Ipm>(o).heading.extension_additions = {{0x9e, 0x01, 'x'}, {0xbf, 0x1f, 0x02, 0x05, 0x00}};  // [30], [31] {NULL}
  expect_round_trip(o);
  Bytes e = encode(o).value();
  auto d = decode<InformationObject>(e);
  ASSERT_TRUE(d) << d.error().what;
  EXPECT_EQ(std::get<Ipm>(*d).heading.extension_additions, std::get<Ipm>(o).heading.extension_additions);
  EXPECT_NE(mts::print_tree(to_tree(*d)).find("extension-additions [2]"), std::string::npos);
}

TEST(X420Limits, subject_too_long_names_the_path) {
  InformationObject o = ipms::test::full_ipm();
  std::get<Ipm>(o).heading.subject = std::string(200, 's');
  auto d = decode<InformationObject>(encode(o).value());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.heading.subject: TeletexString of 200 characters, outside SIZE "
                                "(0..128) (ub-subject-field)"),
            std::string::npos)
      << d.error().what;
}

TEST(X420Limits, submission_envelope_in_forwarded_content_names_the_path) {
  // X.411 MessageSubmissionEnvelope: per-recipient-fields SIZE (1..ub-recipients).
  InformationObject o = ipms::test::full_ipm();
  std::size_t i = 0;
  while (!std::get<Ipm>(o).body.at(i).as<ForwardedContentBodyPart>()) ++i;
  std::get<Ipm>(o).body[i].as<ForwardedContentBodyPart>()->parameters.submission_proof->message_submission_envelope.per_recipient_fields.clear();
  auto d = decode<InformationObject>(encode(o).value());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.body[" + std::to_string(i) +
                                "].extended.parameters.value.submission-proof.message-submission-envelope."
                                "per-recipient-fields: "),
            std::string::npos)
      << d.error().what;
}

TEST(X420Limits, bad_strings_in_body_and_recipient) {
  InformationObject o = ipms::test::full_ipm();
  std::get<Ipm>(o).body[0].as<Ia5TextBodyPart>()->text = "caf\xc3\xa9";  // not IA5
  auto d = decode<InformationObject>(encode(o).value());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.body[0].basic.ia5-text.data: character 195 is not allowed in a "
                                "IA5String"),
            std::string::npos)
      << d.error().what;
  InformationObject p = ipms::test::full_ipm();
  std::get<Ipm>(p).heading.primary_recipients[1].recipient.telephone_number = "+44 (0) 20 #1";
  auto e = decode<InformationObject>(encode(p).value());
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
    m.type = MessageBodyPart{{}, inner};
    Ipm outer;
    outer.heading.this_ipm.user_relative_identifier = "x";
    outer.body = {m};
    inner = outer;
  }
  InformationObject o;
  std::get<Ipm>(o) = inner;
  auto d = decode<InformationObject>(encode(o).value());
  ASSERT_FALSE(d);
  EXPECT_EQ(d.code(), ber::Errc::too_deep);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.body[0].basic.message.data.body[0]"), std::string::npos)
      << d.error().what;
}

// What a body part type cannot be written as is refused by the encoder, with the path: the
// [15] parameters of a type that has none (report), and the 1984 types as [15].
TEST(X420Encode, refuses_forms_a_body_part_type_does_not_have) {
  BodyPart report;
  report.type = ReportBodyPart{};
  ASSERT_TRUE(report.parameters_present);  // the default, for the types that have parameters
  auto e = encode(report);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what, "BodyPart.extended: this body part type has no parameters (parameters_present)");
  report.parameters_present = false;
  EXPECT_TRUE(encode(report));
  BodyPart tlx;
  tlx.type = Tlx1984BodyPart{{mts::test::unhex("3100")}};
  EXPECT_TRUE(encode(tlx));
  tlx.extended_form = true;
  tlx.parameters_present = false;
  e = encode(tlx);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what, "BodyPart.extended.data: the 1984 body part types have no extended form");
  // Inside an IPM: the path names the body part.
  InformationObject o = ipms::test::forwarded_notifications_and_report();
  std::get<Ipm>(o).body[2].parameters_present = true;
  e = encode(o);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what, "InformationObject.ipm.body[2].extended: this body part type has no parameters (parameters_present)");
}

// IPMSExtension{}: the value alternative follows the OID both ways; a value of another type is
// refused by the encoder with the path, a NULL given is not a value left out.
TEST(X420Extensions, value_alternative_follows_the_oid) {
  InformationObject o = ipms::test::full_ipm();
  auto d = decode<InformationObject>(encode(o).value());
  ASSERT_TRUE(d) << d.error().what;
  const std::vector<IpmsExtension>& x = std::get<Ipm>(*d).heading.extensions;
  EXPECT_EQ(find_extension_value<AuthorizationTime>(x, oid::hex(5))->time, "20261123104015Z");
  EXPECT_EQ(*find_extension_value<std::int64_t>(x, oid::hex(2)), 1);
  EXPECT_EQ(find_extension_value<UniversalOrBmp>(x, oid::hex(11))->utf8, "REF-123");
  EXPECT_TRUE(find_extension_value<NullValue>(x, oid::hex(0)));  // incomplete-copy: NULL given
  EXPECT_FALSE(find_extension_value<Languages>(x, oid::hex(5)));
  EXPECT_FALSE(find_extension(x, oid::hex(13)));
  InformationObject n = ipms::test::non_receipt_ipn();
  auto nd = decode<InformationObject>(encode(n).value());
  ASSERT_TRUE(nd) << nd.error().what;
  const auto& nrn = std::get<NonReceiptFields>(std::get<Ipn>(*nd).fields).nrn_extensions;
  ASSERT_EQ(nrn.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<mts::AbsentValue>(nrn[0].value));  // a private one, value left out
  const InformationObject other_ipn = ipms::test::other_ipn();
  const auto& other = std::get<OtherNotificationTypeFields>(std::get<Ipn>(other_ipn).fields).extensions;
  EXPECT_EQ(other.at(0).value_as<mts::EncodedValue>()->encoding.at(0), 0x30);
  // The wrong alternative for the OID.
  std::get<Ipm>(o).heading.extensions.at(3).value = Languages{{"en"}};
  auto e = encode(o);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what,
            "InformationObject.ipm.heading.extensions[3].value: IPMS extension 2.6.1.5.5 takes an AuthorizationTime, not Languages");
  std::get<Ipm>(o).heading.extensions.at(3).value = mts::AbsentValue{};  // left out: allowed
  EXPECT_TRUE(encode(o));
  std::get<Ipm>(o).heading.primary_recipients.at(0).recipient_extensions.at(1).value = std::int64_t{3};
  e = encode(o);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().what, "InformationObject.ipm.heading.primary-recipients[0].recipient-extensions[1].value: IPMS extension "
                            "2.6.1.20.0 takes NULL, not an ENUMERATED or INTEGER");
}

TEST(X420Limits, extended_body_part_types_must_agree) {
  BodyPart b;
  b.type = GeneralTextBodyPart{{1}, "x"};
  Bytes e = encode(b).value();
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

namespace {

using ipms::test::full_ipm;

template <class T>
std::size_t body_index(const InformationObject& o) {
  for (std::size_t i = 0; i < std::get<Ipm>(o).body.size(); ++i)
    if (std::get<Ipm>(o).body[i].as<T>()) return i;
  throw std::runtime_error("body part type not found");
}

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The error of decoding `e` with the first `from` replaced by `to`.
std::string error_with(Bytes e, const Bytes& from, const Bytes& to) {
  auto it = std::search(e.begin(), e.end(), from.begin(), from.end());
  if (it == e.end()) return "pattern not found";
  std::copy(to.begin(), to.end(), it);
  auto d = decode<InformationObject>(e);
  return d ? std::string("decoded") : d.error().what;
}

// X.420 EncryptedParameters ::= SET { algorithm-identifier, originator-certificates OPTIONAL, ... }:
// components of a later edition are kept as their encodings and written back in DER order.
TEST(X420Vectors, encrypted_parameters_keep_unknown_components) {
  // [8] { SET { AlgorithmIdentifier 1.2.3.4, [5] 07, [6] 0001 }, BIT STRING ff }, DER.
  Bytes der = mts::test::unhex("a814" "310e" "300506032a0304" "850107" "86020001" "030200ff");
  auto d = decode<BodyPart>(der);
  ASSERT_TRUE(d) << d.error().what;
  ASSERT_TRUE(d->as<EncryptedBodyPart>());
  const EncryptedParameters& p = d->as<EncryptedBodyPart>()->parameters;
  EXPECT_EQ(p.algorithm_identifier.algorithm, (Oid{1, 2, 3, 4}));
  EXPECT_TRUE(p.originator_certificates.empty());
  EXPECT_EQ(p.extension_additions,
            (std::vector<Bytes>{mts::test::unhex("850107"), mts::test::unhex("86020001")}));
  EXPECT_EQ(encode(*d).value(), der);
  BodyPart back;
  auto err = from_tree(to_tree(*d), back);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(encode(back).value(), der);
  EXPECT_NE(mts::print_tree(to_tree(*d)).find("extension-additions [2]"), std::string::npos);
  // In any order on the way in (a SET), DER order on the way out.
  Bytes shuffled = mts::test::unhex("a814" "310e" "86020001" "850107" "300506032a0304" "030200ff");
  auto s = decode<BodyPart>(shuffled);
  ASSERT_TRUE(s) << s.error().what;
  EXPECT_EQ(encode(*s).value(), der);
  // Kept in the encoder's tag order (fuzz_p1_ipms_body_part: [5] before [APPLICATION 24] came back swapped).
  auto o = decode<BodyPart>(mts::test::unhex("a814" "310e" "300506032a0304" "850107" "58020001" "030200ff"));
  ASSERT_TRUE(o) << o.error().what;
  EXPECT_EQ(o->as<EncryptedBodyPart>()->parameters.extension_additions,
            (std::vector<Bytes>{mts::test::unhex("58020001"), mts::test::unhex("850107")}));
  auto o2 = decode<BodyPart>(encode(*o).value());
  ASSERT_TRUE(o2);
  EXPECT_TRUE(to_tree(*o2) == to_tree(*o));
  // A known component twice is still an error.
  Bytes twice = mts::test::unhex("a814" "310e" "300506032a0304" "300506032a0305" "030200ff");
  auto t = decode<BodyPart>(twice);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().what.find("BodyPart.basic.encrypted.parameters.algorithm-identifier: component given twice"),
            std::string::npos)
      << t.error().what;
}

// DeliveredContentType ::= CHOICE { built-in [0], extended OBJECT IDENTIFIER }: the RELATIVE-OID
// form of an MTS ContentType has no place in a forwarded message's delivery envelope, and the
// encoder says so, naming the field, instead of writing an envelope without its content type.
TEST(X420Encode, refuses_a_content_type_alternative_the_delivery_envelope_lacks) {
  InformationObject o = full_ipm();
  const std::size_t i = body_index<MessageBodyPart>(o);
  auto& envelope = std::get<Ipm>(o).body[i].as<MessageBodyPart>()->parameters.delivery_envelope;
  envelope->content_type = mts::ExtendedRelativeContentType{{0x01, 0x02}};
  auto e = encode(o);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ber::Errc::bad_value);
  EXPECT_EQ(e.error().what, "InformationObject.ipm.body[" + std::to_string(i) +
                                "].basic.message.parameters.delivery-envelope.content-type: "
                                "the value holds an alternative this CHOICE does not have");
  envelope->content_type = mts::ExtendedContentType{Oid{1, 2, 3}};
  EXPECT_TRUE(encode(o));
}

// X.420 IPMSSecurityExtensions: the original message token is [2] IMPLICIT Token (a SEQUENCE
// whose first component is token-type-identifier [0] id-tok-asymmetricToken).
TEST(X420RoundTrip, ipn_security_response_token_is_implicitly_tagged) {
  InformationObject o = ipms::test::non_receipt_ipn();
  Bytes e = encode(o).value();
  Bytes type = mts::test::unhex("800456030600");
  auto it = std::search(e.begin(), e.end(), type.begin(), type.end());
  ASSERT_NE(it, e.end());
  const std::size_t at = static_cast<std::size_t>(it - e.begin());
  ASSERT_GT(at, 3u);
  EXPECT_TRUE(e[at - 2] == 0xa2 || (e[at - 3] == 0xa2 && e[at - 2] == 0x81) || (e[at - 4] == 0xa2 && e[at - 3] == 0x82));
  auto d = decode<InformationObject>(e);
  ASSERT_TRUE(d) << d.error().what;
  const IpnSecurityResponse& r = *std::get<Ipn>(*d).common.notification_extensions.at(0).value_as<IpnSecurityResponse>();
  ASSERT_EQ(r.content_or_arguments.index(), 1u);  // original-security-arguments
  const OriginalSecurityArguments& a = std::get<OriginalSecurityArguments>(r.content_or_arguments);
  ASSERT_TRUE(a.original_message_token);
  EXPECT_EQ(a.original_message_token->type, (Oid{2, 6, 3, 6, 0}));
  EXPECT_EQ(a.original_content_integrity_check->encrypted.bytes, Bytes(8, 0x11));
  EXPECT_EQ(*r.security_diagnostic_code, 7);
}

TEST(X420RoundTrip, ftbp_checkmarks_and_encrypted_parameters_come_back_typed) {
  InformationObject o = full_ipm();
  auto d = decode<InformationObject>(encode(o).value());
  ASSERT_TRUE(d) << d.error().what;
  const FileTransferParameters& p = std::get<Ipm>(*d).body.at(body_index<FileTransferBodyPart>(o)).as<FileTransferBodyPart>()->parameters;
  ASSERT_EQ(p.related_stored_file->size(), 2u);
  const auto& older = std::get<PathnameAndVersion>((*p.related_stored_file)[0].file_identifier);
  EXPECT_EQ(std::get<CompletePathname>(older.pathname).pathname.at(1), "report-v1.pdf");
  EXPECT_EQ(std::get<CrossReference>((*p.related_stored_file)[1].file_identifier).message_reference->user_relative_identifier,
            "msg-7");
  EXPECT_EQ(std::get<std::string>(*(*p.related_stored_file)[1].relationship), "attachment of");  // descriptive
  EXPECT_EQ(*std::get<DocumentType>(*p.contents_type).parameter, mts::test::unhex("3003810140"));
  const FileAttributes& a = *p.file_attributes;
  EXPECT_EQ(std::get<std::string>(*a.storage_account), "acct-42");
  EXPECT_TRUE(std::holds_alternative<NoValueAvailable>(*a.identity[1]));
  EXPECT_EQ(std::get<std::int64_t>(*a.object_availability), 1);
  const auto& access = std::get<std::vector<AccessControlElement>>(*a.access_control);
  const AccessControlElement& ace = access.at(0);
  EXPECT_EQ(std::get<Bytes>(ace.passwords->passwords[7]), (Bytes{0xde, 0x1e}));            // octet-string
  EXPECT_EQ(std::get<std::string>(ace.passwords->link_password), "pw-link");              // graphic-string
  EXPECT_EQ(std::get<Oid>(ace.location->ap_title), (Oid{1, 3, 6, 1, 4, 1, 99999, 30}));  // ap-title-form2
  EXPECT_EQ(std::get<mts::RdnWire>(access.at(1).location->ae_qualifier).at(0).value, mts::test::unhex("13026165"));
  EXPECT_EQ(std::get<OctetAligned>(std::get<External>(*a.private_use).encoding).octets, (Bytes{0x70, 0x75}));
  EXPECT_EQ(a.attribute_extensions->at(0).extension_set_attributes.at(0).extension_attribute, mts::test::unhex("020105"));
  EXPECT_EQ(p.extensions->at(0).value_as<Languages>()->languages, (std::vector<std::string>{"de"}));
  const auto& members = *std::get<Ipm>(*d).heading.extensions.at(4).value_as<CirculationList>();
  ASSERT_EQ(members.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<SimpleCheckmark>(*members[0].checked));
  EXPECT_FALSE(members[1].checked);
  EXPECT_EQ(std::get<CirculationTime>(*members[2].checked).time, "20261123104500Z");
  EXPECT_EQ(std::get<CirculationSignature>(*members[3].checked).this_ipm.user_relative_identifier, "circulated-1");
  EXPECT_EQ(std::get<CirculationSignature>(*members[3].checked).signature.encrypted.bytes, (Bytes{0x51, 0x6e}));
  const EncryptedParameters& enc = std::get<Ipm>(*d).body.at(body_index<EncryptedBodyPart>(o)).as<EncryptedBodyPart>()->parameters;
  EXPECT_EQ(*enc.algorithm_identifier.parameters, (Bytes{0x04, 0x02, 0x0a, 0x0b}));
  ASSERT_EQ(enc.originator_certificates.size(), 2u);
  EXPECT_EQ(std::get<Ipm>(*d).heading.primary_recipients[0].recipient_extensions.at(2).value_as<RecipientSecurityRequest>()->requests,
            (BitString{{0xa0}, 4}));
}

TEST(X420Limits, new_fields_name_their_paths) {
  InformationObject o = full_ipm();
  // Over the bound: ExtendedCertificates is SIZE (1..ub-certificates).
  InformationObject many = o;
  auto& certs = std::get<Ipm>(many).body.at(body_index<EncryptedBodyPart>(o)).as<EncryptedBodyPart>()->parameters.originator_certificates;
  while (certs.size() <= 64) certs.push_back(certs[0]);
  auto d = decode<InformationObject>(encode(many).value());
  ASSERT_FALSE(d);
  EXPECT_NE(d.error().what.find("InformationObject.ipm.body[6].basic.encrypted.parameters.originator-certificates: "
                                "more than 64 elements (ub-certificates)"),
            std::string::npos)
      << d.error().what;
  Bytes e = encode(o).value();
  // RecipientSecurityRequest as an OCTET STRING instead of a BIT STRING.
  std::string w = error_with(e, mts::test::unhex("0604560112000302"), mts::test::unhex("0604560112000402"));
  EXPECT_NE(w.find("InformationObject.ipm.heading.primary-recipients[0].recipient-extensions[2].value: "), std::string::npos)
      << w;
  // A Password that is neither GraphicString nor OCTET STRING.
  std::string pw(error_with(e, cat(mts::test::unhex("1907"), Bytes{'p', 'w', '-', 'l', 'i', 'n', 'k'}),
                            cat(mts::test::unhex("1307"), Bytes{'p', 'w', '-', 'l', 'i', 'n', 'k'})));
  EXPECT_NE(pw.find(".extended.parameters.value.file-attributes.access-control.actual-values[0].passwords.link-password"),
            std::string::npos)
      << pw;
  EXPECT_NE(pw.find("no alternative of the CHOICE"), std::string::npos) << pw;
  // The signed Checkmark's timestamp as a UTCTime.
  std::string cm = error_with(e, cat(mts::test::unhex("180f"), Bytes{'2', '0', '2', '6', '1', '1', '2', '3', '1', '0', '5', '0'}),
                              cat(mts::test::unhex("170f"), Bytes{'2', '0', '2', '6', '1', '1', '2', '3', '1', '0', '5', '0'}));
  EXPECT_NE(cm.find("InformationObject.ipm.heading.extensions[4].value[3].checked.signed.toBeSigned.timestamp"),
            std::string::npos)
      << cm;
  // The tree is checked as well: Concurrency-Access has its eight keys.
  Node t = to_tree(o);
  std::function<bool(Node&)> drop = [&](Node& n) {
    if (n.name == "concurrency-access") {
      n.children.pop_back();
      return true;
    }
    for (Node& c : n.children)
      if (drop(c)) return true;
    return false;
  };
  ASSERT_TRUE(drop(t));
  InformationObject back;
  auto err = from_tree(t, back);
  ASSERT_TRUE(err);
  EXPECT_NE(err->find("concurrency-access.delete-Object: mandatory component absent"), std::string::npos) << *err;
}

}  // namespace
