// RFC 2156 Appendix B's null attributes at the submit stage: "not legal in 1988,
// except for ADMD". Over SMTP, an originator with one bound for a 1988 peer is
// sent as an RFC 822 address (the RFC-822 DDA at the gateway); a P1 relay from a
// 1984 MTA to a 1988 one fails the recipients (unable-to-transfer,
// invalid-arguments) whose own or whose originator's O/R address has one, and
// relays them to a 1984 one as they are.
#include "tests/unit/gateway/submit_fixture.hpp"

#include "addressing/or_address.hpp"

using namespace mixer::test_submit;

namespace {

const mts::Message& message_of(const gateway::Submission& s, std::size_t form) {
  static thread_local std::optional<mts::MtsApdu> apdu;
  apdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(s.forms.at(form).octets.data()),
                                                s.forms.at(form).octets.size()))
             .value();
  return std::get<mts::Message>(*apdu);
}

}  // namespace

TEST_F(SubmitTest, rfc2156_appendix_b_smtp_originator_with_a_null_attribute_is_encapsulated_for_a_1988_peer) {
  auto rt = runtime(config({"x400.example"}));
  gateway::SmtpSubmit in;
  in.mail_from = "/S=Smith/O=/PRMD=P/ADMD=A/C=XX/@gw.example";
  in.recipients = {p1_recipient("a@x400.example", "", "new-mta"), p1_recipient("a@x400.example", "", "old-mta")};
  in.peer_modes = {1988, 1984};
  auto s = gateway::submit_smtp(*rt, in, kMessage, "1K1Q6GV13DY", clock);
  ASSERT_TRUE(s) << s.error().text();
  ASSERT_EQ(s->forms.size(), 2u);
  for (std::size_t f = 0; f < 2; ++f) {
    const auto mode = s->forms[f].record.mode;
    SCOPED_TRACE(mode);
    const auto& originator = message_of(*s, f).envelope.originator_name.address;
    EXPECT_TRUE(addressing::validate_x411(originator).ok());
    if (mode == 1988) {
      EXPECT_TRUE(addressing::validate_x411_for_1988(originator).ok());
      ASSERT_FALSE(originator.ddas.empty());
      EXPECT_EQ(originator.ddas.front().type, "RFC-822");
    } else {
      EXPECT_FALSE(addressing::validate_x411_for_1988(originator).ok());  // carried as it is
      EXPECT_TRUE(originator.ddas.empty());
    }
  }
}

TEST_F(SubmitTest, rfc2156_appendix_b_p1_relay_to_a_1988_peer_fails_null_attributes_and_carries_them_to_a_1984_one) {
  auto m = transferred(*runtime(config({"x400.example"})), "a@x400.example");
  for (auto& t : m.envelope.trace_information) t.global_domain_identifier.prmd = addressing::Text::of("ELSEWHERE");
  auto second = m.envelope.per_recipient_fields[0];
  second.originally_specified_recipient_number = 2;
  second.recipient_name.address.organization = addressing::Text::of("");  // a 1984 MTA's null O
  m.envelope.per_recipient_fields.push_back(second);

  auto to_1988 = gateway::submit_p1(*runtime(relaying({"new-mta"})), m, clock);
  ASSERT_EQ(to_1988.failures.size(), 1u);
  EXPECT_EQ(to_1988.recipients.at(to_1988.failures[0].rcpt).source, 1);  // the second recipient
  EXPECT_EQ(to_1988.failures[0].dsn, "5.1.3");
  EXPECT_NE(to_1988.failures[0].diagnostic.find("[X.411 reason 1, diagnostic 11]"), std::string::npos)
      << to_1988.failures[0].diagnostic;
  EXPECT_NE(to_1988.failures[0].diagnostic.find("not legal in X.400(1988)"), std::string::npos);
  ASSERT_EQ(to_1988.forms.size(), 1u);
  EXPECT_TRUE(addressing::validate_x411_for_1988(message_of(to_1988, 0).envelope.per_recipient_fields[0].recipient_name.address).ok());

  auto to_1984 = gateway::submit_p1(*runtime(relaying({"old-mta"})), m, clock);
  EXPECT_TRUE(to_1984.failures.empty()) << to_1984.failures[0].diagnostic;
  ASSERT_EQ(to_1984.forms.size(), 1u);
  EXPECT_EQ(message_of(to_1984, 0).envelope.per_recipient_fields.size(), 2u);

  // A null attribute in the originator's address: no recipient can go to the 1988 MTA.
  m.envelope.per_recipient_fields.pop_back();
  m.envelope.originator_name.address.prmd = addressing::Text::of("");
  auto originator = gateway::submit_p1(*runtime(relaying({"new-mta"})), m, clock);
  EXPECT_TRUE(originator.forms.empty());
  ASSERT_EQ(originator.failures.size(), 1u);
  EXPECT_NE(originator.failures[0].diagnostic.find("originator's O/R address is not legal"), std::string::npos)
      << originator.failures[0].diagnostic;
}
