// tests/unit/mapping/appendix_b_engine_test.cpp: RFC 2156 Appendix B's null
// attributes through the whole mapping engine, Internet -> X.400. They are
// "not legal in 1988, except for ADMD": for an X.400(1988) next hop the
// originator and the heading's addresses with one are treated as RFC 822
// addresses (the RFC-822 DDA at the gateway), and a recipient with one is
// refused (at this gateway's O/R address it would come back here); for an
// X.400(1984) next hop they are carried as they are ("some systems generate
// them and rely on them").
#include <gtest/gtest.h>

#include "tests/unit/mapping/roundtrip_support.hpp"

namespace {

using namespace mixer::mapping;
using namespace mixer::mapping::test;

const std::string kFrom = "/S=Smith/O=/PRMD=P/ADMD=A/C=XX/@gateway.example";
const std::string kTo = "/S=Jones/O=Org/PRMD=P/ADMD=A/C=/@gateway.example";

SmtpEnvelope envelope() {
  SmtpEnvelope e;
  e.mail_from = kFrom;
  e.recipients.push_back(SmtpRecipient{"/S=Brown/O=Org/PRMD=P/ADMD=A/C=XX/@gateway.example", {}, std::nullopt});
  e.recipients.push_back(SmtpRecipient{"/S=Grey/O=/PRMD=P/ADMD=A/C=XX/@gateway.example", {}, std::nullopt});
  return e;
}

std::string message() {
  return "From: Smith <" + kFrom + ">\r\nTo: Jones <" + kTo +
         ">\r\nSubject: null attributes\r\nMessage-ID: <nulls@example.org>\r\n"
         "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\n\r\nbody\r\n";
}

const Json& envelope_of(const X400Out& x) { return x.json.at("value").at("message").at("envelope"); }
const Json& heading_of(const X400Out& x) { return x.json.at("content").at("value").at("ipm").at("heading"); }

TEST(Rfc2156AppendixB, rfc2156_appendix_b_null_attributes_to_a_1988_peer_are_encapsulated_or_refused) {
  const Gateway g = load_gateway("tests/vectors/bodyparts/mixer.yaml", "2026-12-03T10:00:05Z");
  ASSERT_TRUE(g.error.empty()) << g.error;
  auto x = internet_to_x400(g, envelope(), message(), "q1");  // 1988 by default
  ASSERT_TRUE(x.ok) << x.refusal;
  ASSERT_EQ(x.refused.size(), 1u);
  EXPECT_NE(x.refused.front().find("Grey"), std::string::npos) << x.refused.front();
  EXPECT_EQ(envelope_of(x).at("per-recipient-fields").size(), 1u);
  const std::string originator = envelope_of(x).at("originator-name").dump();
  EXPECT_NE(originator.find("RFC-822"), std::string::npos) << originator;
  const std::string heading = heading_of(x).dump();
  EXPECT_NE(heading.find("/S=Smith/O=/PRMD=P/ADMD=A/C=XX/"), std::string::npos) << heading;  // in the DDA
  EXPECT_NE(heading.find("/S=Jones/O=Org/PRMD=P/ADMD=A/C=/"), std::string::npos) << heading;
  // Back to the Internet: the same addresses (the DDA is §4.3.5 Mapping A).
  auto back = x400_to_internet(g, x.ber);
  ASSERT_TRUE(back.ok) << back.refusal;
  EXPECT_NE(back.content.find(kFrom), std::string::npos) << back.content;
  EXPECT_NE(back.content.find(kTo), std::string::npos) << back.content;
}

TEST(Rfc2156AppendixB, rfc2156_appendix_b_null_attributes_to_a_1984_peer_are_carried) {
  const Gateway g = load_gateway("tests/vectors/bodyparts/mixer.yaml", "2026-12-03T10:00:05Z");
  ASSERT_TRUE(g.error.empty()) << g.error;
  ToX400Options o;
  o.peer_mode = 1984;
  auto x = internet_to_x400(g, envelope(), message(), "q1", o);
  ASSERT_TRUE(x.ok) << x.refusal;
  EXPECT_TRUE(x.refused.empty());
  EXPECT_EQ(envelope_of(x).at("per-recipient-fields").size(), 2u);
  const std::string originator = envelope_of(x).at("originator-name").dump();
  EXPECT_EQ(originator.find("RFC-822"), std::string::npos) << originator;
}

}  // namespace
