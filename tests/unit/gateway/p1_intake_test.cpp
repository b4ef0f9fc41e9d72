// The P1 intake's check of what an association hands over: an MTS-APDU
// (X.419 §A: MTS-APDU ::= CHOICE { message [0], probe [2], report [1] })
// that is one whole, well-formed BER value.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gateway/p1_intake.hpp"

using namespace mixer;
using p1::ber::Bytes;

namespace {
Bytes vector_bytes() {  // the message of the pp-1988 capture (tests/vectors/p1/README.md)
  std::ifstream in("tests/vectors/p1/mts-apdu-pp-without-extensions.hex");
  std::stringstream s;
  s << in.rdbuf();
  Bytes out;
  std::string hex;
  for (char c : s.str())
    if (std::isxdigit(static_cast<unsigned char>(c))) hex.push_back(c);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}
}  // namespace

TEST(X419MtsApdu, message_report_probe_by_their_tags) {
  Bytes m = vector_bytes();
  ASSERT_GT(m.size(), 100u);
  EXPECT_EQ(*gateway::mts_apdu_kind(m, {}), "message");
  m[0] = 0xa1;
  EXPECT_EQ(*gateway::mts_apdu_kind(m, {}), "report");
  m[0] = 0xa2;
  EXPECT_EQ(*gateway::mts_apdu_kind(m, {}), "probe");
}

TEST(X419MtsApdu, refuses_other_tags_truncation_trailing_octets_and_depth) {
  Bytes m = vector_bytes();
  Bytes other = m;
  other[0] = 0xa3;  // [3]: no such MTS-APDU
  auto refused = gateway::mts_apdu_kind(other, {});
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("not an MTS-APDU"), std::string::npos) << refused.error().text();
  EXPECT_EQ(refused.error().x411_diagnostic, 14);  // protocol-violation
  EXPECT_EQ(refused.error().enhanced_status, "5.5.0");
  Bytes cut(m.begin(), m.end() - 5);
  EXPECT_FALSE(gateway::mts_apdu_kind(cut, {}));
  Bytes extra = m;
  extra.push_back(0x05), extra.push_back(0x00);  // a NULL after the APDU
  EXPECT_FALSE(gateway::mts_apdu_kind(extra, {}));
  Bytes deep;
  for (int i = 0; i < 200; ++i) deep.push_back(0xa0), deep.push_back(0x80);
  for (int i = 0; i < 200; ++i) deep.push_back(0x00), deep.push_back(0x00);
  EXPECT_FALSE(gateway::mts_apdu_kind(deep, {}));
  EXPECT_FALSE(gateway::mts_apdu_kind(Bytes{}, {}));
}
