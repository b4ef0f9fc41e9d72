// tests/unit/mapping/ipn_mdn_test.cpp: X.420 IP notifications <-> RFC 8098
// message disposition notifications through the engine (to_internet,
// to_x400): the MDN written for a receipt and each non-receipt (RFC 2156
// §5.3.5's text its human-readable part, RFC 3798 §8.1's fields), the
// §5.3.5 text form with mapping.to_rfc822.ipn_format text, the IPN made of
// each disposition, the MDN that does not read going as a message, and
// Disposition-Notification-To <-> notification-requests.
#include <gtest/gtest.h>

#include "addressing/message_id.hpp"
#include "addressing/std_or.hpp"
#include "mapping/disposition_notification.hpp"
#include "mapping/engine.hpp"
#include "p1/ipms/ipms.hpp"
#include "tests/unit/mapping/report_fixture.hpp"

namespace {

using namespace mixer;
using namespace mixer::mapping;
namespace mts = p1::mts;
namespace ipms = p1::ipms;

struct Fixture : test_support::ReportFixture {
  Fixture() : ReportFixture(std::chrono::sys_days{std::chrono::year{1998} / 1 / 1}) {}
};

const char* kille = "/C=GB/ADMD=GOLD 400/PRMD=UK.AC/O=ucl/OU=cs/S=Kille/I=S/";
const char* jane = "/C=XX/ADMD= /PRMD=MIXER/O=Gateway/DD.RFC-822=jane(a)example.org/";
// Kille's address as the gateway writes it (§4.3.5's std-or in the local part).
const char* kKilleRfc822 = "\"/I=S/S=Kille/OU=cs/O=ucl/PRMD=UK.AC/ADMD=GOLD 400/C=GB/\"@gateway.example";

mts::OrName name(const char* std_or) {
  mts::OrName n;
  n.address = *addressing::parse_or_address(std_or);
  return n;
}
ipms::OrDescriptor descriptor(const char* std_or) {
  ipms::OrDescriptor d;
  d.formal_name = name(std_or);
  return d;
}
mts::GlobalDomainIdentifier ucl() {
  mts::GlobalDomainIdentifier g;
  g.country = addressing::Text::of("GB");
  g.admd = addressing::Text::of("GOLD 400");
  g.prmd = addressing::Text::of("UK.AC");
  return g;
}

// The identifier of jane's IPM as §4.7.3 maps its Message-ID.
ipms::IpmIdentifier subject_ipm() {
  auto a = addressing::msg_id_to_ipm_identifier("<orig-1@example.org>");
  ipms::IpmIdentifier id;
  if (a->user) id.user = mts::OrName{*a->user, std::nullopt};
  id.user_relative_identifier = a->user_relative_identifier;
  return id;
}

ipms::Ipn ipn(ipms::IpnFields fields) {
  ipms::Ipn n;
  n.common.subject_ipm = subject_ipm();
  n.common.ipn_originator = descriptor(kille);
  n.fields = std::move(fields);
  return n;
}

// An IPN from Kille's UA to jane, transferred to the gateway.
mts::Message message(const ipms::InformationObject& object) {
  mts::Message m;
  m.envelope.message_identifier = {ucl(), "ipn-1"};
  m.envelope.originator_name = name(kille);
  m.envelope.content_type = mts::ContentType::builtin(22);
  mts::TraceInformationElement t;
  t.global_domain_identifier = ucl();
  t.domain_supplied_information.arrival_time = "971231235930Z";
  m.envelope.trace_information.push_back(t);
  mts::PerRecipientMessageTransferFields r;
  r.recipient_name = name(jane);
  r.originally_specified_recipient_number = 1;
  r.per_recipient_indicators.set(mts::pri::responsibility);
  m.envelope.per_recipient_fields.push_back(r);
  auto encoded = ipms::encode(object);
  EXPECT_TRUE(encoded) << encoded.error().what;
  m.content = *encoded;
  return m;
}

ipms::ReceiptFields receipt(std::optional<std::int64_t> mode) {
  ipms::ReceiptFields r;
  r.receipt_time = "971231235900Z";
  r.acknowledgment_mode = mode;
  r.suppl_receipt_info = "Read at the desk";
  return r;
}

bool has(const std::string& text, const std::string& what) {
  std::string unfolded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\r\n ") == 0) {
      i += 1;
      continue;
    }
    unfolded += text[i];
  }
  return unfolded.find(what) != std::string::npos;
}

// The message/disposition-notification part of an MDN, read back.
std::optional<DispositionNotification> report_of(const std::string& mdn) {
  const auto at = mdn.find("Content-Type: message/disposition-notification\r\n\r\n");
  if (at == std::string::npos) return std::nullopt;
  const auto start = at + 50;
  const auto end = mdn.find("\r\n--mixer-mdn-", start);
  DispositionNotificationError e;
  auto r = parse_disposition_notification(std::string_view(mdn).substr(start, end - start), {}, e);
  EXPECT_TRUE(r) << e.line << ": " << e.message;
  return r;
}

const std::string* ext(const DispositionNotification& d, const char* name) { return d.field(name); }

// ---- X.400 -> Internet

const std::string kMdnHeader =
    "From: Jane <jane@example.org>\r\n"
    "To: " + std::string(kKilleRfc822) + "\r\n"
    "Subject: Read: hello\r\n"
    "Date: Thu, 3 Dec 2026 10:00:00 +0000\r\n"
    "Message-ID: <mdn-1@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b1\"\r\n\r\n"
    "--b1\r\nContent-Type: text/plain\r\n\r\nYour message was displayed.\r\n"
    "--b1\r\nContent-Type: message/disposition-notification\r\n\r\n";

std::string mdn(const std::string& fields) {
  return kMdnHeader + fields + "\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\n\r\n--b1--\r\n";
}

SmtpEnvelope to_kille(std::string from = "") {
  SmtpEnvelope e;
  e.mail_from = std::move(from);
  e.recipients.push_back({kKilleRfc822, {}, std::nullopt});
  return e;
}

std::optional<ipms::Ipn> ipn_of(const X400Message& x) {
  auto o = ipms::decode<ipms::InformationObject>(x.message.content);
  EXPECT_TRUE(o) << o.error().what;
  if (!o) return std::nullopt;
  if (const auto* n = std::get_if<ipms::Ipn>(&*o)) return *n;
  return std::nullopt;
}

bool noted(const std::vector<Loss>& losses, const std::string& what) {
  for (const auto& l : losses)
    if (l.what.find(what) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(IpnToMdn, rfc2156_5_3_5_receipt_notification_becomes_mdn_displayed) {
  Fixture f;
  auto r = to_internet(message(ipms::InformationObject{ipn(receipt(1))}), f.ctx);
  ASSERT_TRUE(r) << r.error().text();
  const auto& c = r->content;
  EXPECT_EQ(r->envelope.mail_from, "");  // RFC 3798 §3: MAIL FROM:<>
  ASSERT_EQ(r->envelope.recipients.size(), 1u);
  EXPECT_EQ(r->envelope.recipients[0].address, "jane@example.org");
  EXPECT_TRUE(has(c, "\r\nContent-Type: multipart/report; report-type=disposition-notification;")) << c;
  EXPECT_TRUE(has(c, "\r\nSubject: X.400 Inter-Personal Notification\r\n"));
  EXPECT_TRUE(has(c, "\r\nReferences: <orig-1@example.org>\r\n"));
  EXPECT_FALSE(has(c, "Disposition-Notification-To"));  // RFC 3798 §3: an MDN never asks for one
  // The §5.3.5 text is the human-readable part.
  EXPECT_TRUE(has(c, "Content-Type: text/plain; charset=us-ascii\r\n\r\nYour message to: ")) << c;
  EXPECT_TRUE(has(c, "This notification was generated Automatically\r\n"));
  auto d = report_of(c);
  ASSERT_TRUE(d) << c;
  EXPECT_EQ(disposition_text(d->disposition), "automatic-action/MDN-sent-automatically; displayed");
  EXPECT_EQ(d->final_recipient.type, "rfc822");  // no MCGAM for ucl in the fixture: §4.3.5's std-or local part
  EXPECT_NE(d->final_recipient.value.find("S=Kille"), std::string::npos) << d->final_recipient.value;
  EXPECT_EQ(d->original_message_id.value_or(""), "<orig-1@example.org>");
  EXPECT_EQ(d->mdn_gateway->value, "mixer.gateway.example");  // RFC 3798 §8.1 MUST
  EXPECT_NE(d->reporting_ua.value_or("").find("mixer.gateway.example"), std::string::npos);
  ASSERT_TRUE(ext(*d, "X400-Receipt-Time"));
  EXPECT_EQ(*ext(*d, "X400-Receipt-Time"), "Wed, 31 Dec 1997 23:59:00 +0000");
  EXPECT_EQ(*ext(*d, "X400-Acknowledgment-Mode"), "automatic (1)");
  EXPECT_EQ(*ext(*d, "X400-Supplementary-Receipt-Info"), "Read at the desk");
  EXPECT_EQ(ext(*d, "X400-Non-Receipt-Reason"), nullptr);
}

TEST(IpnToMdn, rfc2156_5_3_5_manual_receipt_is_manual_action_sent_manually) {
  Fixture f;
  auto r = to_internet(message(ipms::InformationObject{ipn(receipt(std::nullopt))}), f.ctx);  // DEFAULT manual
  ASSERT_TRUE(r) << r.error().text();
  auto d = report_of(r->content);
  ASSERT_TRUE(d);
  EXPECT_EQ(disposition_text(d->disposition), "manual-action/MDN-sent-manually; displayed");
  EXPECT_EQ(*ext(*d, "X400-Acknowledgment-Mode"), "manual (0)");
}

TEST(IpnToMdn, rfc2156_5_3_5_non_receipt_discarded_becomes_mdn_deleted_with_the_returned_ipm) {
  Fixture f;
  ipms::NonReceiptFields nr;
  nr.non_receipt_reason = 0;
  nr.discard_reason = 0;  // ipm-expired
  ipms::Ipm returned;
  returned.heading.this_ipm = subject_ipm();
  returned.heading.originator = descriptor(jane);
  returned.heading.subject = "hello";
  returned.body.push_back(ipms::BodyPart{ipms::Ia5TextBodyPart{{}, "Hello there\r\n"}});
  nr.returned_ipm = mts::Box<ipms::Ipm>(returned);
  auto n = ipn(nr);
  mts::EncodedInformationTypes eits;
  eits.built_in.set(2);  // ia5-text
  n.common.conversion_eits = eits;
  auto r = to_internet(message(ipms::InformationObject{n}), f.ctx);
  ASSERT_TRUE(r) << r.error().text();
  const auto& c = r->content;
  EXPECT_TRUE(has(c, "\r\nSubject: X.400 Inter-Personal Notification (failure)\r\n"));
  EXPECT_TRUE(has(c, "was discarded for the following reason: Expired\r\n"));
  EXPECT_TRUE(has(c, "The Original Message follows:\r\n"));
  EXPECT_TRUE(has(c, "Content-Type: message/rfc822\r\n\r\n")) << c;
  EXPECT_TRUE(has(c, "Hello there")) << c;
  auto d = report_of(c);
  ASSERT_TRUE(d);
  EXPECT_EQ(disposition_text(d->disposition), "automatic-action/MDN-sent-automatically; deleted");
  EXPECT_EQ(*ext(*d, "X400-Non-Receipt-Reason"), "ipm-discarded (0)");
  EXPECT_EQ(*ext(*d, "X400-Discard-Reason"), "ipm-expired (0)");
  ASSERT_TRUE(ext(*d, "X400-Conversion-EITs"));
  EXPECT_NE(ext(*d, "X400-Conversion-EITs")->find("IA5-Text"), std::string::npos) << *ext(*d, "X400-Conversion-EITs");
}

TEST(IpnToMdn, rfc2156_5_3_5_auto_forwarded_becomes_mdn_dispatched) {
  Fixture f;
  ipms::NonReceiptFields nr;
  nr.non_receipt_reason = 1;
  nr.auto_forward_comment = "Sent on to a random destination";
  auto n = ipn(nr);
  n.common.ipm_intended_recipient = descriptor("/C=GB/ADMD=GOLD 400/PRMD=UK.AC/O=ucl/OU=cs/S=Other/");
  auto r = to_internet(message(ipms::InformationObject{n}), f.ctx);
  ASSERT_TRUE(r) << r.error().text();
  auto d = report_of(r->content);
  ASSERT_TRUE(d);
  EXPECT_EQ(disposition_text(d->disposition), "automatic-action/MDN-sent-automatically; dispatched");
  EXPECT_EQ(*ext(*d, "X400-Auto-Forward-Comment"), "Sent on to a random destination");
  ASSERT_TRUE(d->original_recipient);  // the intended recipient (RFC 3798 §8.1)
  EXPECT_NE(d->original_recipient->value.find("S=Other"), std::string::npos);
  EXPECT_TRUE(has(r->content, "The Original Message is not available\r\n"));
}

TEST(IpnToMdn, rfc2156_5_3_5_text_form_kept_with_ipn_format_text) {
  Fixture f;
  f.policy.to_rfc822.ipn_format = "text";
  auto r = to_internet(message(ipms::InformationObject{ipn(receipt(1))}), f.ctx);
  ASSERT_TRUE(r) << r.error().text();
  EXPECT_TRUE(has(r->content, "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nYour message to: ")) << r->content;
  EXPECT_FALSE(has(r->content, "multipart/report"));
  EXPECT_NE(r->envelope.mail_from, "");  // an ordinary message's originator
}

// ---- Internet -> X.400

TEST(MdnToIpn, rfc8098_3_2_6_displayed_becomes_receipt_ipn) {
  Fixture f;
  auto x = to_x400(to_kille(), mdn("Reporting-UA: pc.example.org; Foomail\r\n"
                                   "Final-Recipient: rfc822; jane@example.org\r\n"
                                   "Original-Message-ID: <orig-1@example.org>\r\n"
                                   "Disposition: manual-action/MDN-sent-automatically; displayed\r\n"),
                   f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  auto n = ipn_of(*x);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->common.subject_ipm.user_relative_identifier, subject_ipm().user_relative_identifier);
  ASSERT_TRUE(n->common.ipn_originator && n->common.ipn_originator->formal_name);
  EXPECT_EQ(n->common.ipn_originator->formal_name->address, name(jane).address);
  const auto* r = std::get_if<ipms::ReceiptFields>(&n->fields);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->receipt_time, "261203100000+0000");        // the MDN's Date:
  EXPECT_EQ(r->acknowledgment_mode.value_or(0), 1);   // MDN-sent-automatically
  EXPECT_EQ(std::get<mts::BuiltInContentType>(x->message.envelope.content_type).value, 2);  // no 1988 element (§5.1.3)
}

TEST(MdnToIpn, rfc8098_3_2_6_deleted_becomes_non_receipt_ipm_discarded) {
  Fixture f;
  auto x = to_x400(to_kille(), mdn("Final-Recipient: rfc822; jane@example.org\r\n"
                                   "Original-Message-ID: <orig-1@example.org>\r\n"
                                   "Disposition: manual-action/MDN-sent-manually; deleted\r\n"),
                   f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  auto n = ipn_of(*x);
  ASSERT_TRUE(n);
  const auto* nr = std::get_if<ipms::NonReceiptFields>(&n->fields);
  ASSERT_TRUE(nr);
  EXPECT_EQ(nr->non_receipt_reason, 0);
  EXPECT_EQ(nr->discard_reason.value_or(-1), 3);  // the user deleted it: ipm-deleted
  auto automatic = to_x400(to_kille(), mdn("Final-Recipient: rfc822; jane@example.org\r\n"
                                           "Original-Message-ID: <orig-1@example.org>\r\n"
                                           "Disposition: automatic-action/MDN-sent-automatically; dispatched\r\n"
                                           "X400-Auto-Forward-Comment: away\r\n"),
                           f.ctx);
  ASSERT_TRUE(automatic);
  auto m = ipn_of(*automatic);
  ASSERT_TRUE(m);
  const auto* fw = std::get_if<ipms::NonReceiptFields>(&m->fields);
  ASSERT_TRUE(fw);
  EXPECT_EQ(fw->non_receipt_reason, 1);
  EXPECT_EQ(fw->auto_forward_comment.value_or(""), "away");
}

TEST(MdnToIpn, rfc8098_3_2_6_processed_and_unreadable_mdns_are_ordinary_messages_with_a_note) {
  Fixture f;
  const char* cases[] = {
      "Final-Recipient: rfc822; jane@example.org\r\nOriginal-Message-ID: <orig-1@example.org>\r\n"
      "Disposition: automatic-action/MDN-sent-automatically; processed\r\n",
      "Final-Recipient: rfc822; jane@example.org\r\nDisposition: sideways\r\n",
      "Final-Recipient: rfc822; jane@example.org\r\nDisposition: automatic-action/MDN-sent-automatically; displayed\r\n",  // no id
  };
  const char* why[] = {"processed", "Disposition", "Original-Message-ID"};
  for (int i = 0; i < 3; ++i) {
    auto x = to_x400(to_kille(), mdn(cases[i]), f.ctx);
    ASSERT_TRUE(x) << x.error().text();
    auto o = ipms::decode<ipms::InformationObject>(x->message.content);
    ASSERT_TRUE(o);
    EXPECT_TRUE(std::holds_alternative<ipms::Ipm>(*o)) << i;  // never dropped: the message itself
    EXPECT_TRUE(noted(x->losses, "not an RFC 8098 MDN")) << i;
    EXPECT_TRUE(noted(x->losses, why[i])) << i;
  }
}

TEST(MdnToIpn, rfc8098_round_trip_ipn_mdn_ipn_keeps_the_receipt) {
  Fixture f;
  auto n = ipn(receipt(1));
  auto r = to_internet(message(ipms::InformationObject{n}), f.ctx);
  ASSERT_TRUE(r) << r.error().text();
  // The MDN back into X.400 (to the X.400 originator it names as From's correspondent).
  SmtpEnvelope back;
  back.recipients.push_back({kKilleRfc822, {}, std::nullopt});
  auto x = to_x400(back, r->content, f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  auto m = ipn_of(*x);
  ASSERT_TRUE(m) << r->content;
  EXPECT_EQ(m->common.subject_ipm.user_relative_identifier, n.common.subject_ipm.user_relative_identifier);
  const auto* rf = std::get_if<ipms::ReceiptFields>(&m->fields);
  ASSERT_TRUE(rf);
  EXPECT_EQ(rf->receipt_time, "971231235900+0000");  // X400-Receipt-Time (UTCTime, +0000)
  EXPECT_EQ(rf->acknowledgment_mode.value_or(0), 1);
  EXPECT_EQ(rf->suppl_receipt_info.value_or(""), "Read at the desk");
  ASSERT_TRUE(m->common.ipn_originator && m->common.ipn_originator->formal_name);
  EXPECT_EQ(m->common.ipn_originator->formal_name->address, n.common.ipn_originator->formal_name->address);
}

// ---- Disposition-Notification-To <-> notification-requests

TEST(NotificationRequests, rfc8098_2_1_disposition_notification_to_sets_rn_and_nrn) {
  Fixture f;
  SmtpEnvelope e = to_kille("jane@example.org");
  auto x = to_x400(e,
                   "From: jane@example.org\r\nTo: " + std::string(kKilleRfc822) +
                       "\r\nSubject: hi\r\nMessage-ID: <orig-1@example.org>\r\n"
                       "Disposition-Notification-To: Jane <jane@example.org>\r\n\r\nhello\r\n",
                   f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  auto o = ipms::decode<ipms::InformationObject>(x->message.content);
  ASSERT_TRUE(o);
  const auto& ipm = std::get<ipms::Ipm>(*o);
  ASSERT_EQ(ipm.heading.primary_recipients.size(), 1u);
  const auto& nr = ipm.heading.primary_recipients[0].notification_requests;
  ASSERT_TRUE(nr);
  EXPECT_TRUE(nr->test(0));  // rn
  EXPECT_TRUE(nr->test(1));  // nrn
  EXPECT_FALSE(nr->test(2));
  EXPECT_FALSE(noted(x->losses, "another address"));
  // Another address than the originator cannot be honoured, and says so.
  auto y = to_x400(e,
                   "From: jane@example.org\r\nTo: " + std::string(kKilleRfc822) +
                       "\r\nDisposition-Notification-To: boss@example.org\r\n\r\nhello\r\n",
                   f.ctx);
  ASSERT_TRUE(y);
  EXPECT_TRUE(noted(y->losses, "another address"));
  // Without the field: none requested.
  auto z = to_x400(e, "From: jane@example.org\r\nTo: " + std::string(kKilleRfc822) + "\r\n\r\nhello\r\n", f.ctx);
  ASSERT_TRUE(z);
  auto oz = ipms::decode<ipms::InformationObject>(z->message.content);
  ASSERT_TRUE(oz);
  EXPECT_FALSE(std::get<ipms::Ipm>(*oz).heading.primary_recipients[0].notification_requests);
}

TEST(NotificationRequests, rfc8098_2_1_rn_request_becomes_disposition_notification_to) {
  Fixture f;
  ipms::Ipm ipm;
  ipm.heading.this_ipm = subject_ipm();
  ipm.heading.originator = descriptor(kille);
  ipms::RecipientSpecifier to;
  to.recipient = descriptor(jane);
  to.notification_requests = p1::ber::BitString::from_flags(0b01);  // rn
  ipm.heading.primary_recipients.push_back(to);
  ipm.body.push_back(ipms::BodyPart{ipms::Ia5TextBodyPart{{}, "hello\r\n"}});
  auto r = to_internet(message(ipms::InformationObject{ipm}), f.ctx);
  ASSERT_TRUE(r) << r.error().text();
  EXPECT_TRUE(has(r->content, "\r\nDisposition-Notification-To: " + std::string(kKilleRfc822) + "\r\n")) << r->content;
  // nrn alone: an MDN cannot ask for that, no field and a note.
  ipm.heading.primary_recipients[0].notification_requests = p1::ber::BitString::from_flags(0b10);
  auto s = to_internet(message(ipms::InformationObject{ipm}), f.ctx);
  ASSERT_TRUE(s);
  EXPECT_FALSE(has(s->content, "Disposition-Notification-To"));
  EXPECT_TRUE(noted(s->losses, "non-receipt notification alone"));
  // A request by another recipient (not delivered here) is not this recipient's.
  ipm.heading.primary_recipients[0].notification_requests.reset();
  ipms::RecipientSpecifier other;
  other.recipient = descriptor("/C=GB/ADMD=GOLD 400/PRMD=UK.AC/O=ucl/OU=cs/S=Other/");
  other.notification_requests = p1::ber::BitString::from_flags(0b01);
  ipm.heading.copy_recipients.push_back(other);
  auto t = to_internet(message(ipms::InformationObject{ipm}), f.ctx);
  ASSERT_TRUE(t);
  EXPECT_FALSE(has(t->content, "Disposition-Notification-To"));
}

// ---- RFC 2156 §5.3.5's text form coming back into X.400

TEST(IpnTextToIpn, rfc2156_5_3_5_text_form_reads_back_as_the_ipn_it_was) {
  Fixture f;
  f.policy.to_rfc822.ipn_format = "text";
  ipms::NonReceiptFields forwarded;
  forwarded.non_receipt_reason = 1;
  forwarded.auto_forward_comment = "Sent on to a random destination";
  ipms::NonReceiptFields obsoleted;
  obsoleted.non_receipt_reason = 0;
  obsoleted.discard_reason = 1;
  for (const ipms::IpnFields& fields : std::vector<ipms::IpnFields>{receipt(1), receipt(std::nullopt), forwarded, obsoleted}) {
    auto n = ipn(fields);
    mts::EncodedInformationTypes eits;
    eits.built_in.set(2);
    n.common.conversion_eits = eits;
    auto text = to_internet(message(ipms::InformationObject{n}), f.ctx);
    ASSERT_TRUE(text) << text.error().text();
    ASSERT_FALSE(has(text->content, "multipart/report"));
    auto x = to_x400(to_kille("jane@example.org"), text->content, f.ctx);
    ASSERT_TRUE(x) << x.error().text();
    auto m = ipn_of(*x);
    ASSERT_TRUE(m) << text->content;
    EXPECT_EQ(m->common.subject_ipm.user_relative_identifier, n.common.subject_ipm.user_relative_identifier);
    ASSERT_TRUE(m->common.ipn_originator && m->common.ipn_originator->formal_name);
    EXPECT_EQ(m->common.ipn_originator->formal_name->address, n.common.ipn_originator->formal_name->address);
    EXPECT_FALSE(m->common.ipm_intended_recipient);
    ASSERT_TRUE(m->common.conversion_eits);
    EXPECT_TRUE(m->common.conversion_eits->built_in.test(2));
    EXPECT_EQ(m->fields.index(), n.fields.index());
    if (const auto* r = std::get_if<ipms::ReceiptFields>(&m->fields)) {
      const auto& want = std::get<ipms::ReceiptFields>(n.fields);
      EXPECT_EQ(r->receipt_time, "971231235900+0000");
      EXPECT_EQ(r->acknowledgment_mode.value_or(0), want.acknowledgment_mode.value_or(0));
      EXPECT_EQ(r->suppl_receipt_info, want.suppl_receipt_info);
    } else {
      const auto& got = std::get<ipms::NonReceiptFields>(m->fields);
      const auto& want = std::get<ipms::NonReceiptFields>(n.fields);
      EXPECT_EQ(got.non_receipt_reason, want.non_receipt_reason);
      EXPECT_EQ(got.discard_reason, want.discard_reason);
      EXPECT_EQ(got.auto_forward_comment, want.auto_forward_comment);
    }
  }
}

TEST(IpnTextToIpn, rfc2156_5_3_5_message_type_without_the_text_is_an_ordinary_message) {
  Fixture f;
  auto x = to_x400(to_kille("jane@example.org"),
                   "From: jane@example.org\r\nTo: " + std::string(kKilleRfc822) +
                       "\r\nReferences: <orig-1@example.org>\r\nMessage-Type: InterPersonal Notification\r\n\r\nHello.\r\n",
                   f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  auto o = ipms::decode<ipms::InformationObject>(x->message.content);
  ASSERT_TRUE(o);
  EXPECT_TRUE(std::holds_alternative<ipms::Ipm>(*o));
  EXPECT_TRUE(noted(x->losses, "Your message to:"));
}

TEST(IpnToMdn, rfc2156_5_3_5_without_ipn_originator_from_is_the_mts_originator) {
  Fixture f;
  for (const char* format : {"mdn", "text"}) {
    f.policy.to_rfc822.ipn_format = format;
    auto n = ipn(receipt(1));
    n.common.ipn_originator.reset();
    auto r = to_internet(message(ipms::InformationObject{n}), f.ctx);
    ASSERT_TRUE(r) << r.error().text();
    // RFC 5322 §3.6: a From: always; the IPN's MTS originator when the IPN names none.
    EXPECT_TRUE(has(r->content, "\r\nFrom: " + std::string(kKilleRfc822) + "\r\n")) << format << "\n" << r->content;
    // An MDN needs a Final-Recipient: without ipn-originator or ipm-intended-recipient, the text form.
    EXPECT_FALSE(has(r->content, "multipart/report")) << format;
  }
}
