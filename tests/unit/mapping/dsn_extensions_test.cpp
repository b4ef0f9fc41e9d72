// tests/unit/mapping/dsn_extensions_test.cpp: RFC 2156 §5.1.8.2's
// dsn-header-list and dsn-field-list extensions, written by dsn_to_x400
// (§5.1.8.3) and read back by report_to_internet (§5.1.8.5: a DSN that
// passed through X.400 is unwrapped, not wrapped twice).
#include <gtest/gtest.h>

#include <algorithm>

#include "mapping/delivery_status.hpp"
#include "mapping/engine.hpp"
#include "mapping/extensions.hpp"
#include "mapping/report_part.hpp"
#include "p1/mts/mts.hpp"
#include "tests/unit/mapping/report_fixture.hpp"

namespace {

using namespace mixer;
using namespace mixer::mapping;
namespace mts = p1::mts;

struct Fixture : test_support::ReportFixture {
  Fixture() : ReportFixture(std::chrono::sys_days{std::chrono::year{2026} / 12 / 3}) {}
};

using test_support::kDsnOriginator;
using test_support::to_originator;

const std::string kPerMessage =
    "Reporting-MTA: dns; mx.example.org\r\n"
    "Original-Envelope-Id: QQ314159\r\n"
    "Received-From-MTA: dns; relay.example.net\r\n"
    "Arrival-Date: Thu, 3 Dec 2026 09:59:00 +0000\r\n"
    "X-Postfix-Queue-ID: 4Zq1\r\n";
const std::string kFailed =
    "Final-Recipient: rfc822; nobody@example.org\r\n"
    "Action: failed\r\n"
    "Status: 5.1.1\r\n"
    "Remote-MTA: dns; mx2.example.org\r\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address\r\n"
    "  rejected: User unknown\r\n"
    "Last-Attempt-Date: Thu, 3 Dec 2026 09:59:30 +0000\r\n"
    "X-Extension: one\r\n";
const std::string kDelivered =
    "Final-Recipient: rfc822; ok@example.org\r\n"
    "Action: delivered\r\n"
    "Status: 2.0.0\r\n"
    "Remote-MTA: dns; mx3.example.org\r\n";

std::string dsn(const std::string& per_message, const std::string& recipients) {
  return "Received: from mx.example.org by gateway.example; Thu, 3 Dec 2026 10:00:01 +0000\r\n"
         "Return-Path: <>\r\n"
         "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
         "To: " + std::string(kDsnOriginator) + "\r\n"
         "Subject: Undelivered Mail Returned\r\n to Sender\r\n"
         "Date: Thu, 3 Dec 2026 10:00:00 +0000\r\n"
         "Message-ID: <dsn-1@mx.example.org>\r\n"
         "Auto-Submitted: auto-replied\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n"
         "--b1\r\nContent-Type: text/plain\r\n\r\nThe mail system could not deliver your message.\r\n"
         "--b1\r\nContent-Type: message/delivery-status\r\n\r\n" + per_message + "\r\n" + recipients +
         "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\n\r\n--b1--\r\n";
}


std::vector<std::string> list_of(const mts::Extensions& x, const p1::ber::Oid& type) {
  const auto* e = ext::find_private(x, type);
  if (!e) return {};
  std::string error;
  auto l = ext::field_list(*e, error);
  EXPECT_TRUE(l) << error;
  return l.value_or(std::vector<std::string>{});
}

bool has(const std::vector<std::string>& l, std::string_view s) { return std::find(l.begin(), l.end(), s) != l.end(); }

bool any_starts(const std::vector<std::string>& l, std::string_view prefix) {
  return std::any_of(l.begin(), l.end(), [&](const std::string& s) { return s.starts_with(prefix); });
}

// The report dsn_to_x400 makes of `text`, through its BER encoding and back (as a peer gets it).
mts::Report report_of(const std::string& text, Fixture& f, const ToX400Options& options = {}) {
  auto x = dsn_to_x400(to_originator(), text, f.ctx, options);
  EXPECT_TRUE(x) << x.error().text();
  EXPECT_TRUE(x->report);
  auto ber = mts::encode_mts_apdu(mts::MtsApdu(*x->report));
  EXPECT_TRUE(ber) << ber.error().what;
  auto back = mts::decode_mts_apdu(*ber);
  EXPECT_TRUE(back) << back.error().what;
  return std::get<mts::Report>(*back);
}

std::string line_of(std::string_view text, std::string_view name) {
  const std::string key = "\r\n" + std::string(name) + ": ";
  auto at = text.find(key);
  if (at == std::string_view::npos) return {};
  at += 2;
  return std::string(text.substr(at, text.find("\r\n", at) - at));
}

std::size_t count(std::string_view text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(DsnExtensions, rfc2156_5_1_8_2_object_identifiers_are_mixer_core_3_and_4) {
  // Appendix D: mixer-core = {iso(1) org(3) dod(6) internet(1) mail(7) mixer(1) core(3)}.
  EXPECT_EQ(ext::dsn_header_list, (p1::ber::Oid{1, 3, 6, 1, 7, 1, 3, 3}));
  EXPECT_EQ(ext::dsn_field_list, (p1::ber::Oid{1, 3, 6, 1, 7, 1, 3, 4}));
  // RFC822FieldList ::= SEQUENCE OF IA5String: 30 LL 16 LL ...
  auto e = ext::make_field_list(ext::dsn_field_list, {"A: b"});
  const auto* v = e.value_as<mts::EncodedValue>();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->encoding, (p1::ber::Bytes{0x30, 0x06, 0x16, 0x04, 'A', ':', ' ', 'b'}));
}

TEST(DsnExtensions, rfc2156_5_1_8_3_dsn_header_list_holds_every_non_trace_field_unfolded) {
  Fixture f;
  auto r = report_of(dsn(kPerMessage, kFailed), f);
  auto header = list_of(r.content.extensions, ext::dsn_header_list);
  EXPECT_TRUE(has(header, "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>"));
  EXPECT_TRUE(has(header, "Subject: Undelivered Mail Returned to Sender"));  // §5.1.2: unfolded
  EXPECT_TRUE(has(header, "Message-ID: <dsn-1@mx.example.org>"));
  EXPECT_TRUE(has(header, "Auto-Submitted: auto-replied"));
  EXPECT_TRUE(any_starts(header, "Content-Type: multipart/report"));
  EXPECT_FALSE(any_starts(header, "Received:"));  // trace: mapped to trace-information
  EXPECT_FALSE(any_starts(header, "Return-Path:"));
  EXPECT_FALSE(ext::find_private(r.envelope.extensions, ext::dsn_header_list));
}

TEST(DsnExtensions, rfc2156_5_1_8_3_per_report_dsn_field_list_holds_the_per_message_fields) {
  Fixture f;
  auto r = report_of(dsn(kPerMessage, kFailed), f);
  auto fields = list_of(r.content.extensions, ext::dsn_field_list);
  EXPECT_EQ(fields, (std::vector<std::string>{"Reporting-MTA: dns; mx.example.org", "Original-Envelope-Id: QQ314159",
                                              "Received-From-MTA: dns; relay.example.net",
                                              "Arrival-Date: Thu, 3 Dec 2026 09:59:00 +0000",
                                              "X-Postfix-Queue-ID: 4Zq1"}));
}

TEST(DsnExtensions, rfc2156_5_1_8_3_per_recipient_dsn_field_list_holds_the_unmapped_recipient_fields) {
  Fixture f;
  auto r = report_of(dsn(kPerMessage, kFailed + "\r\n" + kDelivered), f);
  ASSERT_EQ(r.content.per_recipient_fields.size(), 2u);
  auto failed = list_of(r.content.per_recipient_fields[0].extensions, ext::dsn_field_list);
  EXPECT_EQ(failed, (std::vector<std::string>{
                        "Status: 5.1.1", "Remote-MTA: dns; mx2.example.org",
                        "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.org>: Recipient address  rejected: User unknown",
                        "Last-Attempt-Date: Thu, 3 Dec 2026 09:59:30 +0000", "X-Extension: one"}));
  auto delivered = list_of(r.content.per_recipient_fields[1].extensions, ext::dsn_field_list);
  EXPECT_EQ(delivered, (std::vector<std::string>{"Status: 2.0.0", "Remote-MTA: dns; mx3.example.org"}));
}

TEST(DsnExtensions, rfc2156_5_1_8_2_not_sent_to_a_1984_peer) {
  Fixture f;
  ToX400Options o;
  o.peer_mode = 1984;
  auto x = dsn_to_x400(to_originator(), dsn(kPerMessage, kFailed), f.ctx, o);
  ASSERT_TRUE(x) << x.error().text();
  ASSERT_TRUE(x->report);
  EXPECT_FALSE(ext::find_private(x->report->content.extensions, ext::dsn_header_list));
  EXPECT_FALSE(ext::find_private(x->report->content.extensions, ext::dsn_field_list));
  EXPECT_FALSE(ext::find_private(x->report->content.per_recipient_fields[0].extensions, ext::dsn_field_list));
  EXPECT_TRUE(std::any_of(x->losses.begin(), x->losses.end(),
                          [](const Loss& l) { return l.what.find("1984") != std::string::npos; }));
  // and to a 1988 peer there is no such loss
  auto y = dsn_to_x400(to_originator(), dsn(kPerMessage, kFailed), f.ctx);
  ASSERT_TRUE(y);
  EXPECT_FALSE(std::any_of(y->losses.begin(), y->losses.end(),
                           [](const Loss& l) { return l.what.find("dsn-header-list") != std::string::npos; }));
}

TEST(DsnExtensions, rfc2156_5_1_8_2_fields_are_ia5_and_long_ones_cut_with_a_loss) {
  Fixture f;
  // 4090 octets of value in folded lines of 80: within the DSN reader's 4096, over it with "X-Long: ".
  std::string long_value(77, 'x');
  std::size_t unfolded = 77;
  while (unfolded < 4090) {
    const std::size_t n = std::min<std::size_t>(77, 4090 - unfolded - 1);
    long_value += "\r\n " + std::string(n, 'x');
    unfolded += n + 1;
  }
  auto x = dsn_to_x400(to_originator(),
                       dsn(kPerMessage, kFailed + "X-Long: " + long_value + "\r\n"), f.ctx);
  ASSERT_TRUE(x) << x.error().text();
  ASSERT_TRUE(x->report);
  auto fields = list_of(x->report->content.per_recipient_fields[0].extensions, ext::dsn_field_list);
  ASSERT_FALSE(fields.empty());
  EXPECT_EQ(fields.back().size(), 4096u);
  EXPECT_TRUE(fields.back().starts_with("X-Long: xxx"));
  EXPECT_TRUE(std::any_of(x->losses.begin(), x->losses.end(),
                          [](const Loss& l) { return l.what.find("X-Long") != std::string::npos; }));
  // 8-bit text: an RFC 1428 encoded word, every octet IA5
  auto y = dsn_to_x400(to_originator(), dsn(kPerMessage, kFailed + "X-Note: caf\xE9\r\n"), f.ctx);
  ASSERT_TRUE(y) << y.error().text();
  auto eight = list_of(y->report->content.per_recipient_fields[0].extensions, ext::dsn_field_list);
  ASSERT_FALSE(eight.empty());
  for (char c : eight.back()) EXPECT_LT(static_cast<unsigned char>(c), 128u);
  EXPECT_NE(eight.back().find("=?unknown-8bit?"), std::string::npos) << eight.back();
}

TEST(DsnExtensions, rfc2156_5_1_8_5_round_trip_gives_back_the_dsn_fields) {
  Fixture f;
  auto report = report_of(dsn(kPerMessage, kFailed + "\r\n" + kDelivered), f);
  auto internet = report_to_internet(report, f.ctx);
  ASSERT_TRUE(internet) << internet.error().text();
  const std::string& out = internet->content;
  std::string why;
  auto part = report_part(out, "delivery-status", "message/delivery-status", why);
  ASSERT_TRUE(part) << why;
  DeliveryStatusError error;
  auto back = parse_delivery_status(*part, {}, error);
  ASSERT_TRUE(back) << error.message;
  EXPECT_EQ(back->per_message.original_envelope_id, "QQ314159");
  EXPECT_EQ(back->per_message.reporting_mta.type, "dns");
  EXPECT_EQ(back->per_message.reporting_mta.value, "mx.example.org");
  ASSERT_TRUE(back->per_message.received_from_mta);
  EXPECT_EQ(back->per_message.received_from_mta->value, "relay.example.net");
  EXPECT_EQ(back->per_message.arrival_date, "Thu, 3 Dec 2026 09:59:00 +0000");
  EXPECT_FALSE(back->per_message.dsn_gateway);  // restored, not generated: the DSN had none
  ASSERT_EQ(back->recipients.size(), 2u);
  const auto& nobody = back->recipients[0];
  EXPECT_EQ(nobody.action, DsnAction::failed);
  EXPECT_EQ(nobody.status, "5.1.1");
  ASSERT_TRUE(nobody.remote_mta);
  EXPECT_EQ(nobody.remote_mta->value, "mx2.example.org");
  ASSERT_TRUE(nobody.diagnostic_code);
  EXPECT_EQ(nobody.diagnostic_code->type, "smtp");
  EXPECT_EQ(nobody.diagnostic_code->value, "550 5.1.1 <nobody@example.org>: Recipient address  rejected: User unknown");
  EXPECT_EQ(nobody.last_attempt_date, "Thu, 3 Dec 2026 09:59:30 +0000");
  EXPECT_EQ(count(*part, "Diagnostic-Code:"), 1u);  // not the x400 one as well
  EXPECT_EQ(count(*part, "X-Extension: one"), 1u);
  const auto& ok = back->recipients[1];
  EXPECT_EQ(ok.action, DsnAction::delivered);
  EXPECT_EQ(ok.status, "2.0.0");
  ASSERT_TRUE(ok.remote_mta);
  EXPECT_EQ(ok.remote_mta->value, "mx3.example.org");
  // §5.1.8.5: the header comes back; the MIME fields are the new DSN's own.
  EXPECT_EQ(line_of(out, "From"), "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>");
  EXPECT_EQ(line_of(out, "Subject"), "Subject: Delivery-Report (success and failures)");  // §5.3.8.1's
  EXPECT_TRUE(std::any_of(internet->losses.begin(), internet->losses.end(),
                          [](const Loss& l) { return l.what.find("Subject is replaced") != std::string::npos; }));
  EXPECT_EQ(line_of(out, "Message-ID"), "Message-ID: <dsn-1@mx.example.org>");
  EXPECT_EQ(line_of(out, "Auto-Submitted"), "Auto-Submitted: auto-replied");
  EXPECT_EQ(count(out.substr(0, out.find("\r\n\r\n")), "\r\nFrom:"), 1u);
  EXPECT_EQ(count(out.substr(0, out.find("\r\n\r\n")), "Content-Type:"), 1u);
  EXPECT_NE(out.substr(0, out.find("\r\n\r\n")).find("boundary=\"mixer-dsn-"), std::string::npos);
  // §5.1.8.5 unwrapped, not wrapped twice: the DSN's own text part, and what it returned as the
  // returned content (not the whole DSN again).
  EXPECT_NE(out.find("\r\n\r\nThe mail system could not deliver your message.\r\n"), std::string::npos);
  EXPECT_EQ(out.find("This report relates to your message"), std::string::npos);
  EXPECT_NE(out.find("Content-Type: text/rfc822-headers\r\n\r\nSubject: hello\r\n"), std::string::npos);
  EXPECT_EQ(count(out, "Reporting-MTA:"), 1u);
}

TEST(DsnExtensions, rfc2156_5_1_8_5_without_the_extensions_the_fields_are_generated) {
  Fixture f;
  ToX400Options o;
  o.peer_mode = 1984;
  auto x = dsn_to_x400(to_originator(), dsn(kPerMessage, kFailed), f.ctx, o);
  ASSERT_TRUE(x && x->report);
  auto internet = report_to_internet(*x->report, f.ctx);
  ASSERT_TRUE(internet) << internet.error().text();
  std::string why;
  auto part = report_part(internet->content, "delivery-status", "message/delivery-status", why);
  ASSERT_TRUE(part) << why;
  // §5.3.8.1's own: a DSN-Gateway, an x400 diagnostic; no Remote-MTA (it is in the returned DSN only).
  EXPECT_NE(part->find("DSN-Gateway: dns; mixer.gateway.example"), std::string::npos);
  EXPECT_NE(part->find("Diagnostic-Code: x400;"), std::string::npos);
  EXPECT_EQ(part->find("Remote-MTA:"), std::string::npos);
  EXPECT_NE(line_of(internet->content, "From").find("postmaster@"), std::string::npos);
}

TEST(DsnExtensions, rfc2156_5_1_8_5_malformed_or_contradicting_lists_are_losses) {
  Fixture f;
  auto report = report_of(dsn(kPerMessage, kFailed), f);
  // A per-report list that is not a SEQUENCE OF IA5String: a loss, the fields generated.
  for (auto& e : report.content.extensions)
    if (ext::private_type(e) == ext::dsn_field_list) e.value = mts::EncodedValue{{0x30, 0x03, 0x02, 0x01, 0x05}};
  // A per-recipient Status that contradicts the non-delivery, and an Action field: the report's own.
  auto& recipient = report.content.per_recipient_fields[0];
  recipient.extensions.clear();
  recipient.extensions.push_back(ext::make_field_list(ext::dsn_field_list, {"Status: 2.0.0", "Action: delivered", "Remote-MTA: dns; m"}));
  auto internet = report_to_internet(report, f.ctx);
  ASSERT_TRUE(internet) << internet.error().text();
  auto lost = [&](std::string_view what) {
    return std::any_of(internet->losses.begin(), internet->losses.end(),
                       [&](const Loss& l) { return l.what.find(what) != std::string::npos; });
  };
  EXPECT_TRUE(lost("dsn-field-list extension not read"));
  EXPECT_TRUE(lost("Status that does not fit"));
  EXPECT_TRUE(lost("Action field"));
  std::string why;
  auto part = report_part(internet->content, "delivery-status", "message/delivery-status", why);
  ASSERT_TRUE(part) << why;
  const std::string out(*part);
  EXPECT_NE(out.find("DSN-Gateway: dns; mixer.gateway.example"), std::string::npos);  // generated
  EXPECT_NE(out.find("Status: 5.1.1"), std::string::npos);  // §5.3.8.2 of 1/0
  EXPECT_EQ(count(out, "Action:"), 1u);
  EXPECT_NE(out.find("Remote-MTA: dns; m\r\n"), std::string::npos);
  EXPECT_EQ(internet->content.find("X400-Discarded-DR-Extensions"), std::string::npos);  // read, not discarded
}

// What a peer's lists may hold that RFC 3464 and RFC 5322 do not allow where it would go
// comes back once, in its place, or not at all (with a loss).
TEST(DsnExtensions, rfc2156_5_1_8_5_misplaced_and_repeated_fields_are_left_out) {
  Fixture f;
  auto report = report_of(dsn(kPerMessage, kFailed), f);
  for (auto& e : report.content.extensions) {
    if (ext::private_type(e) == ext::dsn_field_list)
      e = ext::make_field_list(ext::dsn_field_list, {"Reporting-MTA: dns; a", "Reporting-MTA: dns; b",
                                                     "Final-Recipient: rfc822; x@y", "X-Kept: 1"});
    if (ext::private_type(e) == ext::dsn_header_list)
      e = ext::make_field_list(ext::dsn_header_list, {"From: a@b", "From: c@d", "Subject: s", "Content-Type: text/html",
                                                      "Received: from x by y; Thu, 3 Dec 2026 10:00:00 +0000"});
  }
  auto& recipient = report.content.per_recipient_fields[0];
  recipient.extensions.clear();
  recipient.extensions.push_back(ext::make_field_list(
      ext::dsn_field_list, {"Remote-MTA: dns; m1", "Remote-MTA: dns; m2", "Arrival-Date: x", "Bad Name: v", "X-Ctl: a\tb"}));
  auto internet = report_to_internet(report, f.ctx);
  ASSERT_TRUE(internet) << internet.error().text();
  const std::string& out = internet->content;
  const std::string header = out.substr(0, out.find("\r\n\r\n") + 2);
  EXPECT_EQ(count(header, "\r\nFrom:"), 1u);
  EXPECT_NE(header.find("\r\nFrom: a@b\r\n"), std::string::npos);
  EXPECT_EQ(count(header, "Subject: s\r\n"), 0u);
  EXPECT_EQ(count(header, "\r\nSubject: Delivery-Report (failure)"), 1u);
  EXPECT_EQ(count(header, "Content-Type:"), 1u);
  EXPECT_EQ(count(header, "Received: from x"), 0u);
  std::string why;
  auto part = report_part(out, "delivery-status", "message/delivery-status", why);
  ASSERT_TRUE(part) << why;
  DeliveryStatusError error;
  auto back = parse_delivery_status(*part, {}, error);
  ASSERT_TRUE(back) << error.message << "\n" << *part;
  EXPECT_EQ(back->per_message.reporting_mta.value, "a");
  EXPECT_EQ(count(*part, "Reporting-MTA:"), 1u);
  EXPECT_EQ(count(*part, "Final-Recipient:"), 1u);  // the report's own, in the recipient's block
  EXPECT_NE(part->find("X-Kept: 1"), std::string::npos);
  ASSERT_EQ(back->recipients.size(), 1u);
  EXPECT_EQ(back->recipients[0].remote_mta->value, "m1");
  EXPECT_EQ(count(*part, "Remote-MTA:"), 1u);
  EXPECT_EQ(count(*part, "Arrival-Date:"), 0u);  // a per-message field in a recipient's list
  EXPECT_EQ(count(*part, "Bad Name"), 0u);
  EXPECT_NE(part->find("X-Ctl: a b"), std::string::npos);  // a control as a space
  EXPECT_GE(std::count_if(internet->losses.begin(), internet->losses.end(),
                          [](const Loss& l) { return l.what.find("left out") != std::string::npos; }),
            4);
}

// The reader of a peer's RFC822FieldList keeps to its type and limits.
TEST(DsnExtensions, rfc2156_5_1_8_2_field_list_reader_refuses_what_is_not_a_list_of_ia5) {
  auto value = [](p1::ber::Bytes b) {
    mts::Extension e;
    e.type = mts::PrivateExtension{ext::dsn_field_list};
    e.value = mts::EncodedValue{std::move(b)};
    return e;
  };
  std::string error;
  EXPECT_TRUE(ext::field_list(value({0x30, 0x03, 0x16, 0x01, 'a'}), error));
  EXPECT_FALSE(ext::field_list(value({0x30, 0x03, 0x16, 0x01, 0x80}), error));  // not IA5
  EXPECT_FALSE(ext::field_list(value({0x31, 0x03, 0x16, 0x01, 'a'}), error));   // a SET
  EXPECT_FALSE(ext::field_list(value({0x30, 0x03, 0x16, 0x01, 'a', 0x00}), error));  // trailing octets
  EXPECT_FALSE(ext::field_list(value({0x30, 0x05, 0x16, 0x01, 'a'}), error));   // truncated
  EXPECT_FALSE(ext::field_list(mts::Extension{}, error));                       // no value
  EXPECT_FALSE(ext::field_list(value({0x30, 0x06, 0x16, 0x01, 'a', 0x16, 0x01, 'b'}), error, 1));  // over the limit
  EXPECT_NE(error.find("more than 1"), std::string::npos) << error;
}
