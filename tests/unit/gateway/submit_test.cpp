// The submit stage (issue 14): one conversion per distinct output, the
// forms and recipient records both listeners queue, and the per-recipient
// failures (X.411 reason and diagnostic) for P1.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "addressing/std_or.hpp"
#include "tests/unit/gateway/submit_fixture.hpp"
#include "gateway/submit.hpp"
#include "mapping/extensions.hpp"
#include "p1/ipms/ipms.hpp"
#include "p1/mts/mts.hpp"

using namespace mixer;
namespace fs = std::filesystem;
namespace mts = p1::mts;

using namespace mixer::test_submit;

TEST_F(SubmitTest, smtp_one_form_per_route_and_peer_mode) {
  auto rt = runtime(config({"x400.example", "army.example"}));
  gateway::SmtpSubmit in;
  in.mail_from = "jane@client.example";
  in.recipients = {p1_recipient("a@x400.example", "", "new-mta"), p1_recipient("b@army.example", "", "old-mta"),
                   p1_recipient("c@x400.example", "", "new-mta")};
  for (std::size_t i = 0; i < 3; ++i) in.recipients[i].index = i;
  in.peer_modes = {1988, 1984, 1988};
  auto s = gateway::submit_smtp(*rt, in, kMessage, "1K1Q6GV13DY", clock);
  ASSERT_TRUE(s) << s.error().text();
  ASSERT_EQ(s->forms.size(), 2u);
  EXPECT_TRUE(s->failures.empty());
  // a and c share the 1988 form; b has the 1984 one (RFC 2156 Appendix B).
  EXPECT_EQ(s->recipients[0].form, s->recipients[2].form);
  EXPECT_NE(s->recipients[0].form, s->recipients[1].form);
  const auto& f1988 = s->forms[s->recipients[0].form - 1].record;
  const auto& f1984 = s->forms[s->recipients[1].form - 1].record;
  EXPECT_EQ(f1988.mode, 1988);
  EXPECT_EQ(f1984.mode, 1984);
  EXPECT_EQ(f1988.mts_id, "[/PRMD=GW/ADMD= /C=XX/;1K1Q6GV13DY]");
  EXPECT_EQ(f1988.message_id, "<m1@client.example>");
  // Each form is an MTS-APDU whose recipients are that form's only.
  for (const auto& form : s->forms) {
    auto apdu = mts::decode_mts_apdu(
        p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(form.octets.data()), form.octets.size()));
    ASSERT_TRUE(apdu);
    const auto& m = std::get<mts::Message>(*apdu);
    EXPECT_EQ(m.envelope.per_recipient_fields.size(), form.record.mode == 1988 ? 2u : 1u);
    EXPECT_EQ(m.envelope.content_type.is_ipm(), true);
  }
}

// RFC 2156 §5.1.8.3: a DSN (MAIL FROM:<>) to an X.400 originator goes as a Report
// MTS-APDU; a multipart/report that does not read as a DSN goes as a message.
TEST_F(SubmitTest, rfc2156_5_1_8_3_dsn_to_an_x400_originator_is_sent_as_a_report) {
  auto rt = runtime(config({"x400.example"}));
  const std::string dsn =
      "From: MAILER-DAEMON@mx.example.org\r\nTo: a@x400.example\r\nSubject: Undelivered\r\n"
      "Message-ID: <dsn-9@mx.example.org>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nNo.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"
      "Reporting-MTA: dns; mx.example.org\r\nOriginal-Envelope-Id: X400-MTS-Identifier: [/PRMD=GW/ADMD= /C=XX/;orig-1]\r\n\r\n"
      "Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n--b--\r\n";
  gateway::SmtpSubmit in;
  in.recipients = {p1_recipient("a@x400.example", "", "new-mta")};
  in.peer_modes = {1988};
  auto s = gateway::submit_smtp(*rt, in, dsn, "1K1Q6GV13DZ", clock);
  ASSERT_TRUE(s) << s.error().text();
  ASSERT_EQ(s->forms.size(), 1u);
  auto apdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(s->forms[0].octets.data()),
                                                     s->forms[0].octets.size()));
  ASSERT_TRUE(apdu);
  const auto* report = std::get_if<mts::Report>(&*apdu);
  ASSERT_TRUE(report);
  EXPECT_EQ(report->content.subject_identifier.local_identifier, "orig-1");
  ASSERT_EQ(report->content.per_recipient_fields.size(), 1u);
  EXPECT_EQ(std::get<mts::NonDeliveryReport>(report->content.per_recipient_fields[0].last_trace_information.report_type)
                .non_delivery_diagnostic_code,
            0);
  // Not a DSN that reads (no Reporting-MTA): an ordinary message, never dropped.
  std::string broken = dsn;
  broken.replace(broken.find("Reporting-MTA"), 9, "Reported-By");
  auto m = gateway::submit_smtp(*rt, in, broken, "1K1Q6GV13E0", clock);
  ASSERT_TRUE(m) << m.error().text();
  auto mapdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(m->forms[0].octets.data()),
                                                      m->forms[0].octets.size()));
  ASSERT_TRUE(mapdu);
  EXPECT_TRUE(std::holds_alternative<mts::Message>(*mapdu));
}

TEST_F(SubmitTest, smtp_refusal_of_the_whole_message_is_returned) {
  auto c = config({"x400.example"});
  c.mapping.limits.max_header_size = 64;
  auto rt = runtime(c);
  gateway::SmtpSubmit in;
  in.recipients = {p1_recipient("a@x400.example", "", "new-mta")};
  in.peer_modes = {1988};
  auto s = gateway::submit_smtp(*rt, in, kMessage, "1K1Q6GV13DY", clock);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().enhanced_status, "5.3.4");
}

TEST_F(SubmitTest, rfc2156_4_3_5_p1_recipient_for_the_internet_gets_an_rfc822_form) {
  auto a = runtime(config({"x400.example"}));
  auto m = transferred(*a, "a@x400.example");
  auto b = runtime(config({}, "b-mta"));  // for B, x400.example is on the Internet
  auto s = gateway::submit_p1(*b, m, clock);
  ASSERT_EQ(s.forms.size(), 1u);
  EXPECT_TRUE(s.failures.empty());
  const auto& form = s.forms[0];
  EXPECT_EQ(form.record.kind, queue::FormRecord::Kind::rfc822);
  EXPECT_EQ(form.record.sender, "jane@client.example");
  EXPECT_EQ(form.record.body, "7BIT");
  EXPECT_NE(form.octets.find("Subject: hello\r\n"), std::string::npos);
  ASSERT_EQ(s.recipients.size(), 1u);
  const auto& r = s.recipients[0];
  EXPECT_EQ(r.channel, queue::Channel::smtp);
  EXPECT_EQ(r.address, "a@x400.example");
  EXPECT_EQ(r.domain, "x400.example");
  EXPECT_EQ(r.form, 1u);
  EXPECT_EQ(r.source, 0);
  EXPECT_EQ(r.notify, "SUCCESS,FAILURE");
}

TEST_F(SubmitTest, x411_p1_recipient_without_route_fails_unrecognised_or_name) {
  auto a = runtime(config({"x400.example"}));
  auto m = transferred(*a, "a@x400.example");
  // B would send it back to X.400, and has no p1.routes.
  auto s = gateway::submit_p1(*runtime(config({"x400.example"}, "b-mta")), m, clock);
  EXPECT_TRUE(s.forms.empty());
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_EQ(s.failures[0].status, queue::RecipientStatus::failed);
  EXPECT_EQ(s.failures[0].dsn, "5.1.1");
  EXPECT_NE(s.failures[0].diagnostic.find("[X.411 reason 1, diagnostic 0]"), std::string::npos) << s.failures[0].diagnostic;
}

TEST_F(SubmitTest, x411_relay_adds_our_trace_and_keeps_responsibility_for_the_route) {
  auto c = relaying({"new-mta"});
  auto rt = runtime(c);
  auto m = transferred(*runtime(config({"x400.example"})), "a@x400.example");
  const std::size_t trace_before = m.envelope.trace_information.size();
  for (auto& t : m.envelope.trace_information)  // it comes from another domain
    t.global_domain_identifier.prmd = addressing::Text::of("ELSEWHERE");
  auto s = gateway::submit_p1(*rt, m, clock);
  ASSERT_TRUE(s.failures.empty()) << s.failures[0].diagnostic;
  ASSERT_EQ(s.forms.size(), 1u);
  EXPECT_EQ(s.forms[0].record.kind, queue::FormRecord::Kind::p1);
  EXPECT_EQ(s.recipients[0].peer, "new-mta");
  auto apdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(s.forms[0].octets.data()),
                                                     s.forms[0].octets.size()));
  ASSERT_TRUE(apdu);
  const auto& relayed = std::get<mts::Message>(*apdu);
  EXPECT_EQ(relayed.envelope.trace_information.size(), trace_before + 1);
  EXPECT_EQ(*relayed.envelope.trace_information.back().global_domain_identifier.prmd.printable, "GW");
  const auto* e = mapping::ext::find(relayed.envelope.extensions, mts::ext::internal_trace_information);
  ASSERT_TRUE(e);
  EXPECT_EQ(mapping::ext::internal_trace(*e)->back().mta_name, "b-mta");
  EXPECT_TRUE(relayed.envelope.per_recipient_fields[0].per_recipient_indicators.test(mts::pri::responsibility));

  // X.411 loop detection: when it comes back with our MTA name in its internal trace.
  auto again = gateway::submit_p1(*rt, relayed, clock);
  // (A message already in our domain gets no second trace element: X.411 §12.2.1.1.1.4 is per domain.)
  ASSERT_EQ(again.failures.size(), 1u);
  EXPECT_EQ(again.failures[0].dsn, "5.4.6");
  EXPECT_NE(again.failures[0].diagnostic.find("diagnostic 3]"), std::string::npos);
}

// X.411 §12.2.1.1.1.4 at domain level: back from another domain with no internal trace
// (through an X.400(1984) MTA, X.419 Annex B): its trace shows it was here, left and
// came back. Not a loop when it was redirected or DL-expanded on the way, or when it
// only entered our domain (first elsewhere, then here).
TEST_F(SubmitTest, x411_12_2_1_1_1_4_loop_through_another_domain_without_internal_trace) {
  auto c = relaying({"new-mta"});
  auto rt = runtime(c);
  auto m = transferred(*runtime(config({"x400.example"})), "a@x400.example");
  m.envelope.extensions.clear();  // a 1984 MTA keeps no extensions, so no internal trace
  ASSERT_FALSE(m.envelope.trace_information.empty());
  ASSERT_EQ(*m.envelope.trace_information.back().global_domain_identifier.prmd.printable, "GW");  // ours
  auto elsewhere = m.envelope.trace_information.back();
  elsewhere.global_domain_identifier.prmd = addressing::Text::of("ELSEWHERE");
  m.envelope.trace_information.push_back(elsewhere);
  auto looped = gateway::submit_p1(*rt, m, clock);
  ASSERT_EQ(looped.failures.size(), 1u);
  EXPECT_EQ(looped.failures[0].dsn, "5.4.6");
  EXPECT_NE(looped.failures[0].diagnostic.find("left this domain"), std::string::npos) << looped.failures[0].diagnostic;
  EXPECT_NE(looped.failures[0].diagnostic.find("diagnostic 3]"), std::string::npos);
  // Redirected in the other domain: not a loop, relayed.
  auto redirected = m;
  redirected.envelope.trace_information.back().domain_supplied_information.additional_actions.other_actions =
      p1::ber::BitString::from_flags(1u << 0);
  auto s = gateway::submit_p1(*rt, redirected, clock);
  EXPECT_TRUE(s.failures.empty()) << s.failures[0].diagnostic;
  EXPECT_EQ(s.forms.size(), 1u);
  // Elsewhere first, then ours: it has only entered our domain.
  auto entering = m;
  std::swap(entering.envelope.trace_information.front(), entering.envelope.trace_information.back());
  s = gateway::submit_p1(*rt, entering, clock);
  EXPECT_TRUE(s.failures.empty()) << s.failures[0].diagnostic;
}

// A loop through an X.400(1984) MTA inside our own domain: nothing in the trace shows it;
// the transfer journal does (we relayed this recipient to the peer now sending it back).
TEST_F(SubmitTest, x411_12_2_1_1_1_4_recipient_relayed_to_the_peer_sending_it_back_loops) {
  auto c = relaying({"new-mta"});
  auto rt = runtime(c);
  auto m = transferred(*runtime(config({"x400.example"})), "a@x400.example");
  m.envelope.extensions.clear();  // no internal trace
  auto plain = gateway::submit_p1(*rt, m, clock);
  ASSERT_TRUE(plain.failures.empty()) << plain.failures[0].diagnostic;
  ASSERT_EQ(plain.recipients.size(), 1u);
  const std::string rcpt = plain.recipients[0].or_address;
  ASSERT_FALSE(rcpt.empty());
  std::vector<std::string> asked;
  gateway::Returned returned{"new-mta", [&](const std::string& r) {
                               asked.push_back(r);
                               return r == rcpt;
                             }};
  auto looped = gateway::submit_p1(*rt, m, clock, &returned);
  ASSERT_EQ(looped.failures.size(), 1u);
  EXPECT_EQ(looped.failures[0].dsn, "5.4.6");
  EXPECT_NE(looped.failures[0].diagnostic.find("relayed to new-mta, which sent it back"), std::string::npos)
      << looped.failures[0].diagnostic;
  EXPECT_NE(looped.failures[0].diagnostic.find("diagnostic 3]"), std::string::npos);  // loop-detected
  EXPECT_EQ(asked, std::vector<std::string>{rcpt});
  // Another recipient of the same message (a split copy): relayed.
  gateway::Returned other{"new-mta", [](const std::string&) { return false; }};
  auto s = gateway::submit_p1(*rt, m, clock, &other);
  EXPECT_TRUE(s.failures.empty()) << s.failures[0].diagnostic;
  // Redirected on the way: coming back is no loop.
  auto redirected = m;
  redirected.envelope.trace_information.back().domain_supplied_information.additional_actions.other_actions =
      p1::ber::BitString::from_flags(1u << 0);
  s = gateway::submit_p1(*rt, redirected, clock, &returned);
  EXPECT_TRUE(s.failures.empty()) << s.failures[0].diagnostic;
  EXPECT_EQ(s.forms.size(), 1u);
}

TEST_F(SubmitTest, p1_recipients_another_mta_is_responsible_for_are_left_alone) {
  auto a = runtime(config({"x400.example"}));
  auto m = transferred(*a, "a@x400.example");
  m.envelope.per_recipient_fields[0].per_recipient_indicators = p1::ber::BitString::from_flags(0);
  auto s = gateway::submit_p1(*runtime(config({}, "b-mta")), m, clock);
  EXPECT_TRUE(s.recipients.empty());
  EXPECT_TRUE(s.forms.empty());
}

// X.411 §12.2: probes and reports for other X.400 MTAs are relayed by p1.routes too.
TEST_F(SubmitTest, x411_probe_and_report_relayed_by_p1_routes) {
  auto c = relaying({"new-mta"});
  auto rt = runtime(c);
  auto m = transferred(*runtime(config({"x400.example"})), "a@x400.example");

  mts::Probe probe;
  probe.probe_identifier = m.envelope.message_identifier;
  probe.originator_name = m.envelope.originator_name;
  probe.content_type = m.envelope.content_type;
  probe.trace_information = m.envelope.trace_information;
  probe.per_recipient_fields = m.envelope.per_recipient_fields;
  auto ps = gateway::submit_p1(*rt, probe, clock);
  ASSERT_TRUE(ps.failures.empty());
  ASSERT_EQ(ps.forms.size(), 1u);
  ASSERT_EQ(ps.recipients.size(), 1u);
  EXPECT_EQ(ps.recipients[0].peer, "new-mta");
  auto papdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(ps.forms[0].octets.data()),
                                                      ps.forms[0].octets.size()));
  ASSERT_TRUE(papdu);
  ASSERT_TRUE(std::holds_alternative<mts::Probe>(*papdu));
  EXPECT_TRUE(mapping::ext::find(std::get<mts::Probe>(*papdu).extensions, mts::ext::internal_trace_information));

  mts::Report report;
  report.envelope.report_identifier = m.envelope.message_identifier;
  report.envelope.report_identifier.local_identifier = "report-1";
  report.envelope.report_destination_name = m.envelope.per_recipient_fields[0].recipient_name;
  report.envelope.trace_information = m.envelope.trace_information;
  report.content.subject_identifier = m.envelope.message_identifier;
  mts::PerRecipientReportTransferFields f;
  f.actual_recipient_name = m.envelope.per_recipient_fields[0].recipient_name;
  f.per_recipient_indicators = p1::ber::BitString::from_flags(1);
  f.last_trace_information.arrival_time = m.envelope.trace_information.back().domain_supplied_information.arrival_time;
  f.last_trace_information.report_type = mts::NonDeliveryReport{1, 0};
  report.content.per_recipient_fields.push_back(f);
  auto rs = gateway::submit_p1(*rt, report, clock);
  ASSERT_TRUE(rs.failures.empty()) << rs.failures[0].diagnostic;
  ASSERT_EQ(rs.forms.size(), 1u);
  EXPECT_EQ(rs.forms[0].record.mts_id, "[/PRMD=GW/ADMD= /C=XX/;report-1]");
  EXPECT_EQ(rs.recipients[0].peer, "new-mta");
  // The same report coming back through us is a loop.
  auto rapdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(rs.forms[0].octets.data()),
                                                      rs.forms[0].octets.size()));
  ASSERT_TRUE(rapdu);
  auto looped = gateway::submit_p1(*rt, std::get<mts::Report>(*rapdu), clock);
  ASSERT_EQ(looped.failures.size(), 1u);
  EXPECT_EQ(looped.failures[0].dsn, "5.4.6");
  // A report for the Internet: its DSN (RFC 2156 §5.3.8) to the report destination over
  // SMTP, MAIL FROM:<>, never a report about it.
  auto internet = gateway::submit_p1(*runtime(config({}, "b-mta")), report, clock);
  ASSERT_TRUE(internet.failures.empty()) << internet.failures[0].diagnostic;
  ASSERT_EQ(internet.recipients.size(), 1u);
  const auto& to = internet.recipients[0];
  EXPECT_EQ(to.channel, queue::Channel::smtp);
  EXPECT_EQ(to.notify, "NEVER");
  EXPECT_NE(to.address.find('@'), std::string::npos);
  ASSERT_EQ(internet.forms.size(), 1u);
  EXPECT_EQ(to.form, 1u);
  EXPECT_EQ(internet.forms[0].record.kind, queue::FormRecord::Kind::rfc822);
  EXPECT_EQ(internet.forms[0].record.sender, "");
  EXPECT_NE(internet.forms[0].octets.find("report-type=delivery-status"), std::string::npos);
  EXPECT_NE(internet.forms[0].octets.find("Action: failed"), std::string::npos);
}

// RFC 2156 §5.3.9: a probe for an Internet recipient is answered from address
// mapping: recorded delivered, a delivery report owed; nothing is sent.
TEST_F(SubmitTest, rfc2156_5_3_9_probe_for_an_internet_recipient_is_answered) {
  auto m = transferred(*runtime(config({"x400.example"})), "u@x400.example");
  mts::Probe probe;
  probe.probe_identifier = m.envelope.message_identifier;
  probe.originator_name = m.envelope.originator_name;
  probe.content_type = m.envelope.content_type;
  probe.trace_information = m.envelope.trace_information;
  probe.per_recipient_fields = m.envelope.per_recipient_fields;
  auto ps = gateway::submit_p1(*runtime(config({}, "b-mta")), probe, clock);
  EXPECT_TRUE(ps.forms.empty());
  ASSERT_EQ(ps.recipients.size(), 1u);
  EXPECT_EQ(ps.recipients[0].address, "u@x400.example");
  EXPECT_EQ(ps.recipients[0].source, 0);
  EXPECT_TRUE(ps.recipients[0].delivery_report);
  ASSERT_EQ(ps.failures.size(), 1u);
  EXPECT_EQ(ps.failures[0].status, queue::RecipientStatus::delivered);
  EXPECT_NE(ps.failures[0].diagnostic.find("would be delivered to <u@x400.example>"), std::string::npos);
  // Appendix A §1, smtp.out.verify_probes: left on the SMTP channel for its VRFY, no answer yet.
  auto c = config({}, "b-mta");
  c.smtp.out.verify_probes = true;
  auto verified = gateway::submit_p1(*runtime(c), probe, clock);
  ASSERT_EQ(verified.recipients.size(), 1u);
  EXPECT_EQ(verified.recipients[0].channel, queue::Channel::smtp);
  EXPECT_EQ(verified.recipients[0].domain, "x400.example");
  EXPECT_EQ(verified.recipients[0].form, 0u);
  EXPECT_TRUE(verified.recipients[0].delivery_report);
  EXPECT_TRUE(verified.failures.empty());
}

// RFC 2156 Appendix A §3.2: NOTIFY carries the originator's request; a delivery
// report only the originating MTA asked for is owed by the gateway.
TEST_F(SubmitTest, rfc2156_appendix_a_3_2_mta_report_request_beyond_the_originator_s_is_owed) {
  auto m = transferred(*runtime(config({"x400.example"})), "u@x400.example");
  auto rt = runtime(config({}, "b-mta"));
  auto& bits = m.envelope.per_recipient_fields[0].per_recipient_indicators;
  using mts::pri::originating_mta_report, mts::pri::originator_report, mts::pri::responsibility;
  bits = p1::ber::BitString::from_flags((1u << responsibility) | (1u << originating_mta_report));
  bits.bytes.resize(1);
  bits.unused_bits = 0;
  auto s = gateway::submit_p1(*rt, m, clock);
  ASSERT_EQ(s.recipients.size(), 1u);
  EXPECT_EQ(s.recipients[0].notify, "NEVER");
  EXPECT_TRUE(s.recipients[0].delivery_report);
  bits.set(originator_report);  // the originator asked too: NOTIFY=SUCCESS, its DSN comes back
  s = gateway::submit_p1(*rt, m, clock);
  ASSERT_EQ(s.recipients.size(), 1u);
  EXPECT_EQ(s.recipients[0].notify, "SUCCESS,FAILURE");
  EXPECT_FALSE(s.recipients[0].delivery_report);
}

namespace {
// The correlation journal's lookup, as a map (what the daemon's journal answers).
struct Sent : gateway::CorrelationLookup {
  std::vector<queue::SentRecord> records;
  std::optional<queue::SentRecord> sent_to_x400(const std::string& mts_id) const override {
    for (const auto& r : records)
      if (r.direction == queue::SentRecord::Direction::to_x400 && r.mts_id == mts_id) return r;
    return std::nullopt;
  }
  std::optional<queue::SentRecord> sent_to_internet(const std::string& envid, const std::string& message_id) const override {
    for (const auto& r : records)
      if (r.direction == queue::SentRecord::Direction::to_internet &&
          ((!envid.empty() && r.envid == envid) || (!message_id.empty() && r.message_id == message_id)))
        return r;
    return std::nullopt;
  }
};
}  // namespace

// RFC 2156 §5.3.8.3 (MTS identifier correlation), RFC 3464 §2.2.1 and §2.3.1: the
// DSN made from an X.400 report about a message the gateway converted gives back the
// originator's ENVID and each recipient's ORCPT, as recorded when it was sent.
TEST_F(SubmitTest, rfc2156_5_3_8_3_report_correlated_gives_the_envid_and_orcpt_back) {
  auto rt = runtime(config({"x400.example"}));
  gateway::SmtpSubmit in;
  in.mail_from = "jane@client.example";
  in.envid = "env+2B77";  // xtext: "env+77"
  in.recipients = {p1_recipient("a@x400.example", "", "new-mta")};
  in.recipients[0].orcpt = "rfc822;Alias@x400.example";
  in.peer_modes = {1988};
  auto s = gateway::submit_smtp(*rt, in, kMessage, "1K1Q6GV13DY", clock);
  ASSERT_TRUE(s) << s.error().text();
  ASSERT_EQ(s->sent.size(), 1u);
  Sent sent;
  sent.records = s->sent;
  const auto& rec = sent.records[0];
  EXPECT_EQ(rec.direction, queue::SentRecord::Direction::to_x400);
  EXPECT_EQ(rec.mts_id, "[/PRMD=GW/ADMD= /C=XX/;1K1Q6GV13DY]");
  EXPECT_EQ(rec.envid, "env+77");
  ASSERT_EQ(rec.recipients.size(), 1u);
  EXPECT_EQ(rec.recipients[0].orcpt, "rfc822;Alias@x400.example");

  // The X.400 side's non-delivery report, without the content correlator.
  auto m = std::get<mts::Message>(*mts::decode_mts_apdu(p1::ber::ByteView(
      reinterpret_cast<const std::uint8_t*>(s->forms[0].octets.data()), s->forms[0].octets.size())));
  mts::Report report;
  report.envelope.report_identifier = m.envelope.message_identifier;
  report.envelope.report_identifier.local_identifier = "report-7";
  report.envelope.report_destination_name = m.envelope.originator_name;
  report.envelope.trace_information = m.envelope.trace_information;
  report.content.subject_identifier = m.envelope.message_identifier;
  mts::PerRecipientReportTransferFields f;
  f.originally_specified_recipient_number = m.envelope.per_recipient_fields[0].originally_specified_recipient_number;
  f.actual_recipient_name = m.envelope.per_recipient_fields[0].recipient_name;
  f.per_recipient_indicators = p1::ber::BitString::from_flags(1);
  f.last_trace_information.arrival_time = m.envelope.trace_information.back().domain_supplied_information.arrival_time;
  f.last_trace_information.report_type = mts::NonDeliveryReport{1, 0};
  report.content.per_recipient_fields.push_back(f);

  auto correlated = gateway::submit_p1(*rt, report, clock, &sent);
  ASSERT_TRUE(correlated.failures.empty()) << correlated.failures[0].diagnostic;
  ASSERT_EQ(correlated.forms.size(), 1u);
  const auto& dsn = correlated.forms[0].octets;
  EXPECT_NE(dsn.find("\r\nOriginal-Envelope-Id: env+77\r\n"), std::string::npos) << dsn;
  EXPECT_NE(dsn.find("\r\nOriginal-Recipient: rfc822;Alias@x400.example\r\n"), std::string::npos) << dsn;
  // Without the record: RFC 2156's own fields (the subject identifier, the mapped recipient).
  auto alone = gateway::submit_p1(*rt, report, clock);
  ASSERT_EQ(alone.forms.size(), 1u);
  EXPECT_EQ(alone.forms[0].octets.find("env+77"), std::string::npos);
  EXPECT_NE(alone.forms[0].octets.find("Original-Envelope-Id: [/PRMD=GW/ADMD= /C=XX/;1K1Q6GV13DY]"), std::string::npos);
  EXPECT_EQ(alone.forms[0].octets.find("Alias@"), std::string::npos);
}

// RFC 2156 §5.1.8.3: a DSN whose Original-Envelope-Id is not an X.400 MTS identifier is
// matched by the Message-ID it returns to the message the gateway sent: the report has
// that message's subject identifier and its recipient's number and O/R name.
TEST_F(SubmitTest, rfc2156_5_1_8_3_dsn_correlated_by_the_returned_message_id) {
  auto rt = runtime(config({"x400.example"}));
  Sent sent;
  queue::SentRecord r;
  r.direction = queue::SentRecord::Direction::to_internet;
  r.queue_id = "1K1Q6GV13DY";
  r.mts_id = "[/PRMD=GW/ADMD= /C=XX/;orig-9]";
  r.message_id = "<x-9@gw.example>";
  r.recipients.push_back({3, "", "nobody@example.org", "/S=Nobody/O=Corp/PRMD=GW/ADMD= /C=XX/"});
  sent.records.push_back(r);
  const std::string dsn =
      "From: MAILER-DAEMON@mx.example.org\r\nTo: a@x400.example\r\nSubject: Undelivered\r\n"
      "Message-ID: <dsn-10@mx.example.org>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nNo.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"
      "Reporting-MTA: dns; mx.example.org\r\n\r\n"
      "Final-Recipient: rfc822; NOBODY@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
      "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: a@x400.example\r\nMessage-ID: <x-9@gw.example>\r\n"
      "Subject: hi\r\n--b--\r\n";
  gateway::SmtpSubmit in;
  in.recipients = {p1_recipient("a@x400.example", "", "new-mta")};
  in.peer_modes = {1988};
  auto report_of = [&](const gateway::CorrelationLookup* lookup) {
    auto s = gateway::submit_smtp(*rt, in, dsn, "1K1Q6GV13DZ", clock, lookup);
    EXPECT_TRUE(s) << s.error().text();
    auto apdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(s->forms.at(0).octets.data()),
                                                       s->forms.at(0).octets.size()));
    EXPECT_TRUE(apdu && std::holds_alternative<mts::Report>(*apdu));
    return std::get<mts::Report>(*apdu);
  };
  const auto correlated = report_of(&sent);
  EXPECT_EQ(correlated.content.subject_identifier.local_identifier, "orig-9");
  ASSERT_EQ(correlated.content.per_recipient_fields.size(), 1u);
  const auto& f = correlated.content.per_recipient_fields[0];
  EXPECT_EQ(f.originally_specified_recipient_number, 3);
  auto actual = addressing::format_std_or(f.actual_recipient_name.address);
  ASSERT_TRUE(actual);
  EXPECT_EQ(*actual, "/S=Nobody/O=Corp/PRMD=GW/ADMD= /C=XX/");
  // Not found: the gateway generates the subject identifier, numbers from 1.
  const auto alone = report_of(nullptr);
  EXPECT_NE(alone.content.subject_identifier.local_identifier, "orig-9");
  EXPECT_EQ(alone.content.per_recipient_fields.at(0).originally_specified_recipient_number, 1);
}

// RFC 2156 §5.1.8.3: a DSN reporting a failure and a delay to an X.400 originator goes
// as both a Report (the failure) and an IPM (the DSN, for the delayed recipient), each
// its own form, the originator a recipient of both.
TEST_F(SubmitTest, rfc2156_5_1_8_3_dsn_with_failed_and_delayed_gives_a_report_and_an_ipm) {
  auto rt = runtime(config({"x400.example"}));
  const std::string dsn =
      "From: MAILER-DAEMON@mx.example.org\r\nTo: a@x400.example\r\nSubject: Undelivered\r\n"
      "Message-ID: <dsn-11@mx.example.org>\r\nMIME-Version: 1.0\r\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nNo.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\n"
      "Reporting-MTA: dns; mx.example.org\r\nOriginal-Envelope-Id: X400-MTS-Identifier: [/PRMD=GW/ADMD= /C=XX/;orig-2]\r\n\r\n"
      "Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
      "Final-Recipient: rfc822; slow@example.org\r\nAction: delayed\r\nStatus: 4.4.1\r\n--b--\r\n";
  gateway::SmtpSubmit in;
  in.recipients = {p1_recipient("a@x400.example", "", "new-mta")};
  in.peer_modes = {1988};
  auto s = gateway::submit_smtp(*rt, in, dsn, "1K1Q6GV13E1", clock);
  ASSERT_TRUE(s) << s.error().text();
  ASSERT_EQ(s->forms.size(), 2u);
  ASSERT_EQ(s->recipients.size(), 2u);
  EXPECT_EQ(s->recipients[1].address, "a@x400.example");
  EXPECT_EQ(s->recipients[1].index, 1u);
  EXPECT_EQ(s->recipients[1].peer, "new-mta");
  std::vector<std::string> kinds;
  for (const auto& r : s->recipients) {
    const auto& octets = s->forms.at(r.form - 1).octets;
    auto apdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(octets.data()), octets.size()));
    ASSERT_TRUE(apdu);
    kinds.push_back(std::holds_alternative<mts::Report>(*apdu) ? "report" : "message");
    if (const auto* report = std::get_if<mts::Report>(&*apdu)) {
      EXPECT_EQ(report->content.per_recipient_fields.size(), 1u);  // the failure only
    }
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"report", "message"}));
}

// gateway.x400_postmaster: parsed as an O/R address when the runtime is built; a value
// that is not one is a config error naming the key.
TEST_F(SubmitTest, x400_postmaster_is_an_or_address_or_a_config_error) {
  auto c = config({"x400.example"});
  c.gateway.x400_postmaster = "/S=postmaster/PRMD=PM/ADMD= /C=XX/";
  auto rt = runtime(c);
  ASSERT_TRUE(rt && rt->x400_postmaster);
  EXPECT_EQ(*addressing::format_std_or(*rt->x400_postmaster), "/S=postmaster/PRMD=PM/ADMD= /C=XX/");
  c.gateway.x400_postmaster = "postmaster@example.org";
  auto bad = gateway::make_runtime(c);
  ASSERT_FALSE(bad.errors.empty());
  EXPECT_NE(bad.errors.front().find("gateway.x400_postmaster"), std::string::npos) << bad.errors.front();
}

// X.419 Annex B: a message relayed to a route whose first peer is X.400(1984) goes
// downgraded; a recipient it cannot carry is non-delivered here with its X.411 reason
// and diagnostic. The same message to a 1988 peer keeps its extensions.
TEST_F(SubmitTest, x419_annex_b_relay_to_1984_peer_downgrades_and_fails_what_cannot_go) {
  auto m = transferred(*runtime(config({"x400.example"})), "a@x400.example");
  for (auto& t : m.envelope.trace_information) t.global_domain_identifier.prmd = addressing::Text::of("ELSEWHERE");
  m.envelope.extensions.push_back(
      mts::Extension::standard(mts::ext::content_correlator, mts::ContentCorrelator{std::string("corr")}));
  auto second = m.envelope.per_recipient_fields[0];
  second.originally_specified_recipient_number = 2;
  auto critical = mts::Extension::standard(mts::ext::recipient_reassignment_prohibited, std::int64_t{1});
  critical.criticality = p1::ber::BitString::from_flags(0b010);  // for-transfer
  second.extensions.push_back(critical);
  m.envelope.per_recipient_fields.push_back(second);
  m.envelope.per_recipient_fields[0].recipient_name.address.common_name = addressing::Text::of("Alice");

  for (const std::string peer : {"old-mta", "new-mta"}) {
    SCOPED_TRACE(peer);
    auto c = relaying({peer});
    auto s = gateway::submit_p1(*runtime(c), m, clock);
    ASSERT_EQ(s.forms.size(), 1u);
    auto apdu = mts::decode_mts_apdu(p1::ber::ByteView(
        reinterpret_cast<const std::uint8_t*>(s.forms[0].octets.data()), s.forms[0].octets.size()));
    ASSERT_TRUE(apdu);
    const auto& relayed = std::get<mts::Message>(*apdu);
    if (peer == "new-mta") {
      EXPECT_TRUE(s.failures.empty());
      EXPECT_EQ(relayed.envelope.per_recipient_fields.size(), 2u);
      EXPECT_TRUE(mapping::ext::find(relayed.envelope.extensions, mts::ext::content_correlator));
      continue;
    }
    EXPECT_EQ(s.forms[0].record.mode, 1984);
    ASSERT_EQ(s.failures.size(), 1u);
    EXPECT_NE(s.failures[0].diagnostic.find("[X.411 reason 1, diagnostic 18]"), std::string::npos)
        << s.failures[0].diagnostic;
    ASSERT_EQ(s.recipients.size(), 2u);
    std::size_t failed_index = s.failures[0].rcpt, sent_index = 1 - failed_index;
    EXPECT_EQ(s.recipients[failed_index].source, 1);
    EXPECT_EQ(s.recipients[failed_index].form, 0u);
    EXPECT_EQ(s.recipients[sent_index].source, 0);
    EXPECT_EQ(s.recipients[sent_index].form, 1u);
    EXPECT_EQ(s.recipients[sent_index].peer, "old-mta");
    EXPECT_TRUE(relayed.envelope.extensions.empty());  // content correlator and our internal trace
    ASSERT_EQ(relayed.envelope.per_recipient_fields.size(), 1u);
    const auto& a = relayed.envelope.per_recipient_fields[0].recipient_name.address;
    EXPECT_FALSE(a.common_name.present());
    ASSERT_FALSE(a.ddas.empty());
    EXPECT_EQ(a.ddas.back().type, "Common");
    EXPECT_EQ(relayed.content, m.content);  // the content is not touched
    bool loss_noted = false;
    for (const auto& n : s.notes) loss_noted = loss_noted || n.find("content-correlator") != std::string::npos;
    EXPECT_TRUE(loss_noted);
  }
}

// X.419 Annex B: a probe whose content type has no 1984 form (an OBJECT IDENTIFIER)
// cannot go to the 1984 peer: every recipient fails, unable-to-downgrade (47), no form.
TEST_F(SubmitTest, x419_annex_b_probe_to_1984_peer_with_extended_content_type_fails) {
  auto c = relaying({"old-mta", "new-mta"});
  auto m = transferred(*runtime(config({"x400.example"})), "a@x400.example");
  mts::Probe probe;
  probe.probe_identifier = m.envelope.message_identifier;
  probe.originator_name = m.envelope.originator_name;
  probe.content_type = mts::ExtendedContentType{p1::ber::Oid{{1, 2, 840, 113549, 1, 7, 1}}};
  probe.trace_information = m.envelope.trace_information;
  for (auto& t : probe.trace_information) t.global_domain_identifier.prmd = addressing::Text::of("ELSEWHERE");
  probe.per_recipient_fields = m.envelope.per_recipient_fields;
  auto s = gateway::submit_p1(*runtime(c), probe, clock);
  EXPECT_TRUE(s.forms.empty());
  ASSERT_EQ(s.failures.size(), 1u);
  EXPECT_NE(s.failures[0].diagnostic.find("[X.411 reason 1, diagnostic 47]"), std::string::npos)
      << s.failures[0].diagnostic;
  ASSERT_EQ(s.recipients.size(), 1u);
  EXPECT_EQ(s.recipients[0].peer, "old-mta");

  probe.content_type = mts::ContentType::builtin(22);  // a built-in type goes
  auto ok = gateway::submit_p1(*runtime(c), probe, clock);
  EXPECT_TRUE(ok.failures.empty());
  ASSERT_EQ(ok.forms.size(), 1u);
  EXPECT_EQ(ok.recipients[0].fallback, std::vector<std::string>{"new-mta"});
}

// X.419 Annex B for a relayed report: 1988-only fields left out; one with a critical
// extension is not relayed (recorded failed: unsupported-critical-function).
TEST_F(SubmitTest, x419_annex_b_report_to_1984_peer_downgraded_or_not_relayed) {
  auto c = relaying({"old-mta"});
  auto rt = runtime(c);
  auto m = transferred(*runtime(config({"x400.example"})), "a@x400.example");
  mts::Report report;
  report.envelope.report_identifier = m.envelope.message_identifier;
  report.envelope.report_identifier.local_identifier = "report-1";
  report.envelope.report_destination_name = m.envelope.per_recipient_fields[0].recipient_name;
  report.envelope.trace_information = m.envelope.trace_information;
  for (auto& t : report.envelope.trace_information) t.global_domain_identifier.prmd = addressing::Text::of("ELSEWHERE");
  report.content.subject_identifier = m.envelope.message_identifier;
  report.content.content_type = mts::ContentType::builtin(22);
  mts::PerRecipientReportTransferFields f;
  f.actual_recipient_name = m.envelope.per_recipient_fields[0].recipient_name;
  f.per_recipient_indicators = p1::ber::BitString::from_flags(1);
  f.last_trace_information.arrival_time = m.envelope.trace_information.back().domain_supplied_information.arrival_time;
  f.last_trace_information.report_type = mts::NonDeliveryReport{1, 47};
  report.content.per_recipient_fields.push_back(f);
  auto rs = gateway::submit_p1(*rt, report, clock);
  ASSERT_TRUE(rs.failures.empty()) << rs.failures[0].diagnostic;
  ASSERT_EQ(rs.forms.size(), 1u);
  EXPECT_EQ(rs.forms[0].record.mode, 1984);
  auto rapdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(rs.forms[0].octets.data()),
                                                      rs.forms[0].octets.size()));
  ASSERT_TRUE(rapdu);
  const auto& relayed = std::get<mts::Report>(*rapdu);
  EXPECT_TRUE(relayed.envelope.extensions.empty());
  EXPECT_FALSE(relayed.content.content_type);
  const auto& nd = std::get<mts::NonDeliveryReport>(relayed.content.per_recipient_fields[0].last_trace_information.report_type);
  EXPECT_FALSE(nd.non_delivery_diagnostic_code);  // 47 is not a 1984 diagnostic

  auto critical = mts::Extension::standard(mts::ext::content_correlator, mts::ContentCorrelator{std::string("c")});
  critical.criticality = p1::ber::BitString::from_flags(0b010);
  report.content.extensions.push_back(critical);
  auto refused = gateway::submit_p1(*rt, report, clock);
  EXPECT_TRUE(refused.forms.empty());
  ASSERT_EQ(refused.failures.size(), 1u);
  EXPECT_NE(refused.failures[0].diagnostic.find("diagnostic 18]"), std::string::npos) << refused.failures[0].diagnostic;
}

// RFC 2157 §3.1 (p1.peers[].bp14): a 1984 peer with BP14 handling capability gets a form of
// its own, where application/octet-stream is bilaterally-defined [14] (not HARPOON IA5).
TEST_F(SubmitTest, rfc2157_3_1_bp14_1984_peer_gets_its_own_form_with_bp14) {
  auto rt = runtime(config({"x400.example", "army.example"}));
  const std::string octets =
      "From: Jane <jane@client.example>\r\nTo: b@army.example\r\nSubject: data\r\nMessage-ID: <m2@client.example>\r\n"
      "Date: Thu, 03 Dec 2026 12:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: application/octet-stream\r\n"
      "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQF\r\n";
  gateway::SmtpSubmit in;
  in.mail_from = "jane@client.example";
  in.recipients = {p1_recipient("b@army.example", "", "old-mta"), p1_recipient("c@army.example", "", "old-mta")};
  for (std::size_t i = 0; i < 2; ++i) in.recipients[i].index = i;
  in.peer_modes = {1984, 1984};
  in.peer_bp14 = {true, false};
  auto s = gateway::submit_smtp(*rt, in, octets, "1K1Q6GV13DZ", clock);
  ASSERT_TRUE(s) << s.error().text();
  ASSERT_EQ(s->forms.size(), 2u);
  EXPECT_NE(s->recipients[0].form, s->recipients[1].form);
  auto first_body_part = [&](std::size_t recipient) {
    const auto& form = s->forms[s->recipients[recipient].form - 1];
    EXPECT_EQ(form.record.mode, 1984);
    auto apdu = mts::decode_mts_apdu(
        p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(form.octets.data()), form.octets.size()));
    EXPECT_TRUE(apdu);
    const auto& content = std::get<mts::Message>(*apdu).content;
    auto object = p1::ipms::decode<p1::ipms::InformationObject>(content);
    EXPECT_TRUE(object);
    return std::get<p1::ipms::Ipm>(*object).body.at(0);
  };
  EXPECT_NE(first_body_part(0).as<p1::ipms::BilaterallyDefinedBodyPart>(), nullptr);
  EXPECT_NE(first_body_part(1).as<p1::ipms::Ia5TextBodyPart>(), nullptr);  // HARPOON (RFC 2157 §3.1.3)
}
