// tests/unit/mapping/user_control_engine_test.cpp: RFC 2157 §4 and §3.1
// through the whole mapping engine: §4.1's "from" rule of a multipart
// reaching into a nested message/rfc822, §4.2's heading extension not listed
// in Discarded-X400-IPMS-Extensions when the gateway acts on it (and listed
// when it does not), and BP14 to an X.400(1984) peer with the bp14 switch.
// The gateways are the body part vectors' configurations.
#include <gtest/gtest.h>

#include "tests/unit/mapping/roundtrip_support.hpp"

namespace {

using namespace mixer::mapping;
using namespace mixer::mapping::test;



const std::string vectors = "tests/vectors/bodyparts/";

const Json& body(const Json& apdu) { return apdu.at("content").at("value").at("ipm").at("body"); }

TEST(Rfc2157_4_1, rfc2157_4_1_a_multiparts_from_rule_reaches_into_a_nested_message_rfc822) {
  const std::string dir = vectors + "to_x400/rfc2157-4.1-from-rule-reaches-nested-message-rfc822/";
  const Gateway g = load_gateway(dir + "mixer.yaml", "1998-01-01T00:00:00Z");
  ASSERT_TRUE(g.error.empty()) << g.error;
  auto x = internet_to_x400(g, vector_envelope(), read_crlf(dir + "input.eml"), "q1");
  ASSERT_TRUE(x.ok) << x.refusal;
  const Json& inner = body(x.json).at(1).at("basic").at("message").at("data").at("body");
  ASSERT_EQ(inner.size(), 2u) << body(x.json).dump(1);
  EXPECT_TRUE(inner[1].at("basic").contains("bilaterally-defined")) << inner[1].dump();
  // Without user control the same part is the gateway's own mapping (the MIME body part).
  const Gateway plain = load_gateway(vectors + "mixer.yaml", "1998-01-01T00:00:00Z");
  auto y = internet_to_x400(plain, vector_envelope(), read_crlf(dir + "input.eml"), "q1");
  ASSERT_TRUE(y.ok) << y.refusal;
  const std::string plain_part = body(y.json).at(1).at("basic").at("message").at("data").at("body").at(1).dump();
  EXPECT_EQ(plain_part.find("bilaterally-defined"), std::string::npos) << plain_part;
}

TEST(Rfc2157_4_2, rfc2157_4_2_an_honoured_extension_is_not_listed_as_discarded) {
  const std::string dir = vectors + "to_rfc822/rfc2157-4.2-wanted-mime-conversions-bp14-as-application-pdf/";
  const Json in = Json::parse(read_crlf(dir + "input.json"));
  std::vector<std::uint8_t> ber;
  std::string error;
  ASSERT_TRUE(ber_of(in, ber, error)) << error;
  const Gateway g = load_gateway(dir + "mixer.yaml", "1998-01-01T00:00:00Z");
  ASSERT_TRUE(g.error.empty()) << g.error;
  auto m = x400_to_internet(g, ber);
  ASSERT_TRUE(m.ok) << m.refusal;
  const auto p = parse(m.content);
  EXPECT_TRUE(p.named("Discarded-X400-IPMS-Extensions").empty()) << m.content;
  ASSERT_EQ(p.named("Content-Type").size(), 1u);
  EXPECT_EQ(p.named("Content-Type").front(), "application/pdf");
  // Not acted on (user control off): the extension is discarded and listed (RFC 2156 §5.3.4).
  const Gateway plain = load_gateway(vectors + "mixer.yaml", "1998-01-01T00:00:00Z");
  auto n = x400_to_internet(plain, ber);
  ASSERT_TRUE(n.ok) << n.refusal;
  const auto listed = parse(n.content).named("Discarded-X400-IPMS-Extensions");
  ASSERT_EQ(listed.size(), 1u) << n.content;
  EXPECT_NE(listed.front().find("(99999) (7)"), std::string::npos) << listed.front();
}

TEST(Rfc2157_3_1, rfc2157_3_1_bp14_to_a_1984_peer_with_bp14_handling_capability) {
  const Gateway g = load_gateway(vectors + "mixer.yaml", "1998-01-01T00:00:00Z");
  ASSERT_TRUE(g.error.empty()) << g.error;
  const std::string in = read_crlf(vectors + "to_x400/rfc2157-3.1-1984-bp14-peer-octet-stream/input.eml");
  ToX400Options o;
  o.peer_mode = 1984;
  auto harpoon = internet_to_x400(g, vector_envelope(), in, "q1", o);
  ASSERT_TRUE(harpoon.ok) << harpoon.refusal;
  EXPECT_TRUE(body(harpoon.json).at(0).at("basic").contains("ia5-text")) << body(harpoon.json).dump();
  o.bp14_1984 = true;
  auto bp14 = internet_to_x400(g, vector_envelope(), in, "q1", o);
  ASSERT_TRUE(bp14.ok) << bp14.refusal;
  EXPECT_TRUE(body(bp14.json).at(0).at("basic").contains("bilaterally-defined")) << body(bp14.json).dump();
  EXPECT_EQ(bp14.json.at("value").at("message").at("envelope").at("content-type").at("built-in"), 2);  // P2 (1984) still
}

}  // namespace
