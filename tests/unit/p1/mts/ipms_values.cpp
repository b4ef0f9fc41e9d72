// tests/unit/p1/mts/ipms_values.cpp: see ipms_values.hpp.
#include "tests/unit/p1/mts/ipms_values.hpp"

#include "p1/ber/writer.hpp"
#include "p1/mts/mts.hpp"
#include "tests/unit/p1/mts/values.hpp"

namespace mixer::p1::ipms::test {

namespace {
mts::EncodedInformationTypes ia5_text_eits() {
  mts::EncodedInformationTypes e;
  e.built_in = BitString::from_flags(1u << mts::eit::ia5_text);
  return e;
}
}  // namespace

using mts::test::P;
using mts::test::simple_name;

OrDescriptor descriptor(const char* surname, bool full) {
  OrDescriptor d;
  d.formal_name = simple_name(surname, "BETA");
  if (full) {
    d.free_form_name = std::string("Free Form ") + surname;
    d.telephone_number = "+44 20 7946 0000";
  }
  return d;
}

namespace {
IpmIdentifier ipm_id(const char* local, bool with_user = true) {
  IpmIdentifier i;
  if (with_user) i.user = simple_name("root");
  i.user_relative_identifier = local;
  return i;
}

IpmsExtension ext(Oid type, IpmsExtensionValue value) {
  IpmsExtension e;
  e.type = std::move(type);
  e.value = std::move(value);
  return e;
}

UniversalOrBmp U(const char* s, bool bmp = false) {
  UniversalOrBmp u;
  u.utf8 = s;
  u.which = bmp ? 0 : 1;
  return u;
}

RecipientSpecifier recipient(const char* surname, int variant) {
  RecipientSpecifier r;
  r.recipient = descriptor(surname, variant == 0);
  if (variant == 0) {
    r.notification_requests = BitString::from_flags(0b111);
    r.reply_requested = true;
    IpmsExtension prec = ext(oid::rex(1), std::int64_t{5});
    // content-non-repudiation, ipn-non-repudiation
    IpmsExtension security_request = ext(oid::sec(0), RecipientSecurityRequest{BitString{{0xa0}, 4}});
    r.recipient_extensions = {prec, ext(oid::rex(0), NullValue{}), security_request};
  }
  return r;
}
}  // namespace

Heading full_heading() {
  Heading h;
  h.this_ipm = ipm_id("(q)1 Mon Nov 23 10:40:15 2026(q)(a)alpha.test");
  h.originator = descriptor("root", true);
  h.authorizing_users = {descriptor("boss"), descriptor("deputy")};
  h.primary_recipients = {recipient("bob", 0), recipient("carol", 1)};
  h.copy_recipients = {recipient("dave", 1)};
  h.blind_copy_recipients = std::vector<ipms::RecipientSpecifier>{recipient("eve", 1)};
  h.replied_to_ipm = ipm_id("replied-1");
  h.obsoleted_ipms = {ipm_id("old-1"), ipm_id("old-2", false)};
  h.related_ipms = {ipm_id("related-1")};
  h.subject = "Every field \xc8" "e";  // T.61: non-spacing diaeresis + e
  h.expiry_time = "261130000000Z";
  h.reply_time = "261125120000Z";
  h.reply_recipients = {descriptor("replies")};
  h.importance = 2;
  h.sensitivity = 3;
  h.auto_forwarded = true;
  IpmsExtension languages = ext(oid::hex(1), Languages{{"en", "fr-CA"}});
  IpmsExtension auto_submitted = ext(oid::hex(2), std::int64_t{1});
  IpmsExtension auth_time = ext(oid::hex(5), AuthorizationTime{"20261123104015Z"});
  CirculationList members;
  {
    CirculationSignature signed_by;
    signed_by.algorithm_identifier.algorithm = Oid{1, 2, 840, 10045, 4, 3, 2};  // ecdsa-with-SHA256
    signed_by.this_ipm = ipm_id("circulated-1");
    signed_by.timestamp = "20261123105000Z";
    signed_by.signature.algorithm.algorithm = Oid{1, 2, 840, 10045, 4, 3, 2};
    signed_by.signature.encrypted.bytes = {0x51, 0x6e};
    members = {CirculationMember{recipient("first", 1), SimpleCheckmark{}},
               CirculationMember{recipient("second", 1), std::nullopt},
               CirculationMember{recipient("third", 1), CirculationTime{"20261123104500Z"}},
               CirculationMember{recipient("fourth", 1), signed_by}};
  }
  IpmsExtension circulation = ext(oid::hex(6), members);
  IpmsExtension codes = ext(oid::hex(7), DistributionCodes{DistributionCode{Oid{1, 2, 3}, U("ALPHA"), descriptor("dist")}});
  IpmsExtension subject = ext(oid::hex(8), U("Every field \xc3\xab \xe2\x82\xac"));
  IpmsExtension category = ext(oid::hex(9), InformationCategories{InformationCategory{Oid{1, 2, 4}, U("category", true)}});
  IpmsExtension handling = ext(oid::hex(10), ManualHandlingInstructions{U("handle with care"), U("keep dry")});
  IpmsExtension reference = ext(oid::hex(11), U("REF-123"));
  IpmsExtension policy = ext(oid::hex(12), Oid{1, 2, 826, 0, 1});
  IpmSecurityLabel label;
  label.content_security_label.security_classification = 3;
  label.heading_security_label = mts::SecurityLabel{};
  label.heading_security_label->privacy_mark = "HEADING";
  mts::SecurityLabel classified;
  classified.security_classification = 1;
  label.body_part_security_labels = {BodyPartUnlabelled{}, classified};
  IpmsExtension security = ext(oid::hex(4), label);
  IpmsExtension rfc822 = ext(oid::rfc_822_field_list, Rfc822FieldList{{"X-Mailer: mixer", "Comments: every field"}});
  IpmsExtension incomplete = ext(oid::hex(0), NullValue{});
  h.extensions = {incomplete, languages, auto_submitted, auth_time, circulation, codes, subject, category,
                  handling, reference, policy, security, rfc822};
  return h;
}

namespace {
// Every FileTransferParameters component the FTBP codec types beyond contents type, environment
// and compression: related stored files, all FTAM file attributes, IPMS extensions.
void file_transfer_extras(FileTransferParameters& p) {
  RelatedStoredFile older;  // pathname-and-version, replacement
  older.file_identifier = PathnameAndVersion{CompletePathname{{"archive", "report-v1.pdf"}}, "v1"};
  older.relationship = Relationship{std::int64_t{2}};  // explicit-relationship replacement
  RelatedStoredFile referenced;  // cross-reference with a message reference, descriptive relationship
  referenced.file_identifier = CrossReference{{0xca, 0xfe}, MessageReference{simple_name("root"), "msg-7"}, 3};
  referenced.relationship = Relationship{std::string("attachment of")};
  p.related_stored_file = std::vector<RelatedStoredFile>{older, referenced};
  FileAttributes fa;
  fa.pathname = IncompletePathname{{"report.pdf"}};
  fa.permitted_actions = BitString{{0x80}, 7};  // read
  fa.storage_account = FtamString{std::string("acct-42")};
  fa.date_and_time[0] = FtamDateAndTime{std::string("20261123104015Z")};  // creation
  fa.date_and_time[2] = FtamDateAndTime{NoValueAvailable{}};              // last read access
  fa.identity[0] = FtamString{std::string("creator")};
  fa.identity[1] = FtamString{NoValueAvailable{}};
  fa.identity[2] = FtamString{std::string("reader")};
  fa.identity[3] = FtamString{std::string("attribute-modifier")};
  fa.object_availability = FtamObjectAvailability{std::int64_t{1}};  // deferred-availability
  fa.object_size = FtamObjectSize{std::int64_t{5}};
  fa.future_object_size = FtamObjectSize{NoValueAvailable{}};
  AccessControlElement full;
  full.action_list = BitString{{0xc0}, 6};  // read, insert
  ConcurrencyAccess keys;
  for (BitString& k : keys.keys) k = BitString{{0x40}, 6};  // shared
  keys.keys[0] = BitString{{0x80}, 7};                       // read: not-required
  full.concurrency_access = keys;
  full.identity = "alice";
  AccessPasswords pw;
  const char* words[] = {"pw-read", "pw-insert", "pw-replace", "pw-extend", "pw-erase", "pw-read-attr", "pw-change-attr"};
  for (int i = 0; i < 7; ++i) pw.passwords[i] = std::string(words[i]);  // graphic-string
  pw.passwords[7] = Bytes{0xde, 0x1e};                                    // octet-string
  pw.pass_passwords = {std::string("pass-1"), Bytes{0x02}};
  pw.link_password = std::string("pw-link");
  full.passwords = pw;
  ApplicationEntityTitle by_oid;
  by_oid.ap_title = Oid{1, 3, 6, 1, 4, 1, 99999, 30};  // ap-title-form2
  by_oid.ae_qualifier = std::int64_t{7};                // aso-qualifier-form2
  full.location = by_oid;
  AccessControlElement named;
  named.action_list = BitString{{0x01}, 0};  // delete-object
  ApplicationEntityTitle by_name;
  by_name.ap_title = mts::NameWire{{mts::AttributeValueAssertionWire{Oid{2, 5, 4, 3}, Bytes{0x13, 0x03, 'm', 't', 'a'}}}};
  by_name.ae_qualifier = mts::RdnWire{mts::AttributeValueAssertionWire{Oid{2, 5, 4, 3}, Bytes{0x13, 0x02, 'a', 'e'}}};
  named.location = by_name;
  fa.access_control = FtamAccessControl{std::vector<AccessControlElement>{full, named}};
  fa.legal_qualifications = FtamString{std::string("(c) mixer")};
  External private_value;
  private_value.direct_reference = Oid{1, 3, 6, 1, 4, 1, 99999, 31};
  private_value.encoding = OctetAligned{{0x70, 0x75}};
  fa.private_use = PrivateUse{private_value};  // actual-values
  ExtensionAttribute attribute{Oid{1, 3, 6, 1, 4, 1, 99999, 33}, Bytes{0x02, 0x01, 0x05}};
  fa.attribute_extensions = std::vector<AttributeExtensionSet>{{Oid{1, 3, 6, 1, 4, 1, 99999, 32}, {attribute}}};
  p.file_attributes = fa;
  p.extensions = std::vector<IpmsExtension>{ext(oid::hex(1), Languages{{"de"}})};
}
}  // namespace

namespace {
BodyPart part(BodyPartType t) {
  BodyPart b;
  b.type = std::move(t);
  return b;
}
}  // namespace

std::vector<BodyPart> every_body_part() {
  std::vector<BodyPart> b;
  BodyPart ia5 = part(Ia5TextBodyPart{5, "Hello Bob\r\nSecond line\r\n"});
  b.push_back(ia5);
  BodyPart ia5x = ia5;  // the same as BP15
  ia5x.extended_form = true;
  b.push_back(ia5x);
  G3FacsimileBodyPart g3;
  g3.number_of_pages = 1;
  g3.non_basic_parameters = BitString::from_flags(1u << 9);  // fine-resolution
  g3.pages = {BitString{{0xde, 0xad}, 0}};
  b.push_back(part(g3));
  b.push_back(part(G4Class1BodyPart{{{0x04, 0x01, 0x00}}}));
  TeletexBodyPart ttx;
  ttx.number_of_pages = 2;
  ttx.telex_compatible = false;
  mts::TeletexNonBasicParameters nbp;
  nbp.graphic_character_sets = "\x1b\x28\x42";  // T.61 designation sequences, as octets
  nbp.page_formats = Bytes{0x01};
  nbp.private_use = Bytes{0xff, 0x00};
  ttx.non_basic_parameters = nbp;
  ttx.pages = {"page one", "page two \xc8u"};
  b.push_back(part(ttx));
  b.push_back(part(VideotexBodyPart{1, "videotex"}));
  EncryptedBodyPart enc;
  enc.parameters.algorithm_identifier.algorithm = Oid{2, 16, 840, 1, 101, 3, 4, 1, 2};  // aes128-CBC
  enc.parameters.algorithm_identifier.parameters = Bytes{0x04, 0x02, 0x0a, 0x0b};          // its IV
  {
    mts::ExtendedCertificate entry =
        mts::NameWire{{mts::AttributeValueAssertionWire{Oid{2, 5, 4, 3}, Bytes{0x13, 0x03, 'e', 'n', 'c'}}}};
    mts::ExtendedCertificate cert = mts::test::openssl_certificates();
    enc.parameters.originator_certificates = {entry, cert};
  }
  enc.data = BitString{{0x01, 0x02, 0x03}, 0};
  b.push_back(part(enc));
  b.push_back(part(MixedModeBodyPart{{{0x04, 0x02, 0x01, 0x02}}}));
  b.push_back(part(BilaterallyDefinedBodyPart{{0x00, 0xff, 0x10}}));
  b.push_back(part(NationallyDefinedBodyPart{{0x04, 0x01, 0x07}}));
  b.push_back(part(GeneralTextBodyPart{{1, 6, 100}, "general text ISO 8859-1 \xe9"}));
  b.push_back(part(VoiceBodyPart{12, Oid{1, 2, 3, 4}, "voice note", {1, 2, 3, 4, 5}}));
  FileTransferBodyPart ft;
  // [0] DOCUMENT-PARAMETER.&Type: its encoding
  ft.parameters.contents_type = DocumentType{Oid{1, 0, 8571, 5, 3}, Bytes{0x30, 0x03, 0x81, 0x01, 0x40}};
  EnvironmentParameter env;
  env.application_reference = GeneralIdentifier{Oid{1, 3, 6, 1, 4, 1, 99999, 20}};
  env.machine = GeneralIdentifier{std::vector<std::string>{"x86-64", "Debian"}};
  env.operating_system = Oid{1, 2, 3};
  env.user_visible_string = {"made by mixer"};
  ft.parameters.environment = env;
  ft.parameters.compression = CompressionParameter{Oid{1, 3, 6, 1, 4, 1, 99999, 21}, Bytes{0x05, 0x00}};
  file_transfer_extras(ft.parameters);
  External data;
  data.direct_reference = Oid{1, 0, 8571, 2, 4};  // FTAM-FADU? an octet-aligned file
  data.encoding = OctetAligned{{'%', 'P', 'D', 'F'}};
  ft.data = {data};
  b.push_back(part(ft));
  MimeBodyPart mime;
  mime.parameters.content_type = "image/png";
  mime.parameters.content_parameters = {{"name", "dot.png"}};
  mime.parameters.other_header_fields = {"Content-Description: a dot"};
  mime.data = {0x89, 'P', 'N', 'G'};
  b.push_back(part(mime));
  ForwardedContentBodyPart fwd;
  fwd.content_type_suffix = Oid(std::vector<std::uint32_t>{1, 3, 26, 0, 4406, 0, 4, 1});
  fwd.parameters.delivery_time = "261123104015Z";
  fwd.parameters.mts_identifier = mts::MtsIdentifier{mts::test::gdi(), "fwd.1"};
  SubmissionProof proof;
  proof.proof_of_submission.algorithm.algorithm = Oid{1, 2, 840, 10045, 4, 3, 2};
  proof.proof_of_submission.encrypted.bytes = {0x50, 0x52, 0x4f, 0x4f, 0x46};
  proof.originating_mta_certificate = mts::test::openssl_certificates();
  // X.411 MessageSubmissionEnvelope (P3), every field
  mts::MessageSubmissionEnvelope& pse = proof.message_submission_envelope;
  pse.originator_name = simple_name("root");
  pse.original_encoded_information_types = ia5_text_eits();
  pse.content_type = mts::ContentType::builtin(22);
  pse.content_identifier = "fwd content";
  pse.priority = 2;
  pse.per_message_indicators = BitString::from_flags(1u << mts::pmi::content_return_request);
  pse.deferred_delivery_time = "261123120000Z";
  pse.extensions.push_back(mts::Extension::standard(mts::ext::latest_delivery_time, mts::LatestDeliveryTime{"261124000000Z"}));
  mts::PerRecipientMessageSubmissionFields psr;
  psr.recipient_name = simple_name("bob", "BETA");
  psr.originator_report_request = BitString::from_flags(1u << 4);  // non-delivery-report
  psr.explicit_conversion = 8;                                      // ia5-text-to-g3-facsimile
  psr.extensions.push_back(mts::Extension::standard(mts::ext::proof_of_delivery_request, std::int64_t{1}));
  pse.per_recipient_fields.push_back(psr);
  fwd.parameters.submission_proof = proof;
  fwd.content = {0x31, 0x00};
  b.push_back(part(fwd));
  b.push_back(part(OtherExtendedBodyPart{Oid{1, 3, 6, 1, 4, 1, 99999, 1}, {0x05, 0x00}, Oid{1, 3, 6, 1, 4, 1, 99999, 2},
                                         {0x04, 0x03, 'x', 'y', 'z'}}));
  return b;
}

InformationObject full_ipm() {
  Ipm m;
  m.heading = full_heading();
  m.body = every_body_part();
  // A forwarded message with its delivery envelope.
  MessageBodyPart forwarded;
  forwarded.parameters.delivery_time = "261123104016Z";
  OtherMessageDeliveryFields env;
  env.content_type = mts::ContentType::builtin(22);
  env.originator_name = simple_name("forwarder");
  env.original_encoded_information_types = ia5_text_eits();
  env.priority = 1;
  env.delivery_flags = BitString::from_flags(2);
  env.other_recipient_names = {simple_name("other", "BETA")};
  env.this_recipient_name = simple_name("this", "BETA");
  env.originally_intended_recipient_name = simple_name("intended", "BETA");
  env.message_submission_time = "261123104000Z";
  env.content_identifier = "fwd-cid";
  forwarded.parameters.delivery_envelope = env;
  Ipm& inner = *forwarded.ipm;
  inner.heading.this_ipm.user_relative_identifier = "inner-1";
  inner.heading.subject = "inner subject";
  inner.body = {part(Ia5TextBodyPart{std::nullopt, "forwarded text"})};
  BodyPart msg = part(forwarded);
  m.body.push_back(msg);
  BodyPart msgx = msg;
  msgx.extended_form = true;
  m.body.push_back(msgx);
  return m;
}

InformationObject receipt_ipn() {
  Ipn n;
  n.common.subject_ipm.user = simple_name("root");
  n.common.subject_ipm.user_relative_identifier = "subject-1";
  n.common.ipn_originator = descriptor("bob", true);
  n.common.ipm_intended_recipient = descriptor("robert");
  n.common.conversion_eits = ia5_text_eits();
  ReceiptFields r;
  r.receipt_time = "261123110000Z";
  r.acknowledgment_mode = 1;
  r.suppl_receipt_info = "read by bob";
  n.fields = r;
  return n;
}

namespace {
// id-sec-security-common-fields: the original security arguments (the X.411 test checks and
// token), or the original content.
IpmsExtension ipn_security_response(bool arguments) {
  IpnSecurityResponse r;
  if (!arguments) {
    r.content_or_arguments = Bytes{0x31, 0x00};
    r.security_diagnostic_code = 32;  // security-policy-violation
    return ext(oid::sec(1), r);
  }
  OriginalSecurityArguments a;
  for (const mts::Extension& e : mts::test::security_extensions()) {
    if (e.is(mts::ext::content_integrity_check)) a.original_content_integrity_check = *e.value_as<mts::Signature>();
    if (e.is(mts::ext::message_origin_authentication_check))
      a.original_message_origin_authentication_check = *e.value_as<mts::Signature>();
    if (e.is(mts::ext::message_token)) a.original_message_token = *e.value_as<mts::Token>();
  }
  r.content_or_arguments = a;
  r.security_diagnostic_code = 7;  // unable-to-sign-notification
  return ext(oid::sec(1), r);
}
}  // namespace

InformationObject non_receipt_ipn() {
  Ipn n = std::get<Ipn>(receipt_ipn());
  NonReceiptFields f;
  f.non_receipt_reason = 0;
  f.discard_reason = 0;
  f.auto_forward_comment = "away";
  n.common.notification_extensions = {ipn_security_response(true)};
  Ipm returned;
  returned.heading.this_ipm.user_relative_identifier = "subject-1";
  returned.heading.subject = "returned";
  returned.body = {part(Ia5TextBodyPart{std::nullopt, "returned body"})};
  f.returned_ipm = returned;
  IpmsExtension x;
  x.type = Oid{1, 3, 6, 1, 4, 1, 99999, 3};  // its value left out
  f.nrn_extensions = {x};
  n.fields = f;
  return n;
}

InformationObject other_ipn() {
  Ipn n = std::get<Ipn>(receipt_ipn());
  IpmsExtension absence;
  absence.type = Oid{2, 6, 1, 19, 0};  // id-on-absence-advice
  absence.value = mts::EncodedValue{{0x30, 0x0f, 0x17, 0x0d, '2', '6', '1', '1', '3', '0', '0', '0', '0', '0', '0', '0', 'Z'}};
  n.fields = OtherNotificationTypeFields{{absence}};
  n.common.notification_extensions = {ipn_security_response(false)};
  return n;
}

InformationObject forwarded_notifications_and_report() {
  InformationObject o;
  std::get<Ipm>(o).heading.this_ipm = ipm_id("forwards-notifications");
  std::get<Ipm>(o).heading.subject = "notifications";
  NotificationBodyPart receipt;
  receipt.parameters.delivery_time = "261123110500Z";
  receipt.ipn = std::get<Ipn>(receipt_ipn());
  BodyPart rn = part(receipt);
  BodyPart nrn = part(NotificationBodyPart{{}, std::get<Ipn>(non_receipt_ipn())});
  nrn.parameters_present = false;
  ReportBodyPart forwarded_report;
  mts::ReportDeliveryArgument& r = forwarded_report.report;
  r.subject_submission_identifier.global_domain_identifier = mts::test::gdi();
  r.subject_submission_identifier.local_identifier = "subject-msg-1";
  r.content_identifier = "rpt-cid";
  r.content_type = mts::ContentType::builtin(22);
  r.original_encoded_information_types = ia5_text_eits();
  mts::PerRecipientReportDeliveryFields delivered;
  delivered.actual_recipient_name = simple_name("bob");
  delivered.report_type = mts::DeliveryReport{"261123110000Z", 0};
  mts::PerRecipientReportDeliveryFields failed;
  failed.actual_recipient_name = simple_name("carol");
  failed.report_type = mts::NonDeliveryReport{1, 0};  // unable-to-transfer, unrecognised-OR-name
  failed.originally_intended_recipient_name = simple_name("caroline");
  failed.supplementary_information = "no such user";
  r.per_recipient_fields = {delivered, failed};
  r.returned_content = Bytes{0x04, 0x01, 0x00};
  BodyPart report = part(forwarded_report);
  report.parameters_present = false;
  std::get<Ipm>(o).body = {rn, nrn, report};
  return o;
}

InformationObject ipm_with_body_part_signatures() {
  InformationObject o;
  std::get<Ipm>(o).heading.this_ipm = ipm_id("signed-1");
  std::get<Ipm>(o).heading.subject = "signed";
  std::get<Ipm>(o).body = {part(Ia5TextBodyPart{std::nullopt, "signed text"}), part(Ia5TextBodyPart{std::nullopt, "second"})};
  const Oid ecdsa_sha256{1, 2, 840, 10045, 4, 3, 2};
  BodyPartSignature first;
  first.body_part_number = 1;
  first.body_part_signature.algorithm.algorithm = ecdsa_sha256;
  first.body_part_signature.encrypted.bytes = {0x01, 0x02, 0x03, 0x04};
  first.originator_certificate_selector = mts::test::full_certificate_assertion();
  BodyPartSignature second = first;
  second.body_part_number = 2;
  second.body_part_signature.encrypted.bytes = {0x05, 0x06};
  mts::ExtendedCertificate entry =
      mts::NameWire{{mts::AttributeValueAssertionWire{Oid{2, 5, 4, 6}, Bytes{0x13, 0x02, 'G', 'B'}}}};
  mts::ExtendedCertificate cert = mts::test::openssl_certificates();
  second.originator_certificates = {entry, cert};
  IpmsExtension e = ext(oid::hex(3), BodyPartSignatures{first, second});
  std::get<Ipm>(o).heading.extensions = {e};
  return o;
}

InformationObject ipm_of_size(std::size_t size) {
  InformationObject o;
  std::get<Ipm>(o).heading = full_heading();
  Ia5TextBodyPart t;
  t.repertoire = 5;
  std::string line = "The quick brown fox jumps over the lazy dog. 0123456789\r\n";
  while (t.text.size() + 2000 < size) t.text += line;
  std::get<Ipm>(o).body = {part(t)};
  return o;
}

}  // namespace mixer::p1::ipms::test
