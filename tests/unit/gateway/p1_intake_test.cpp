// The P1 intake's check of what an association hands over: an MTS-APDU
// (X.419 §A: MTS-APDU ::= CHOICE { message [0], probe [2], report [1] })
// that is one whole, well-formed BER value.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gateway/intake.hpp"
#include "gateway/p1_intake.hpp"
#include "gateway/queue/index.hpp"

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

// queue.min_free_space: a transaction is refused while the queue's file system has less
// free space than that plus the message (the free space is sampled at most once a second
// only while there is plenty beyond what is needed: near the limit every check asks).
TEST(QueueFull, min_free_space_refuses_every_time_near_the_limit) {
  conf::QueueConfig qc;
  qc.directory = ".";
  queue::QueueIndex index;
  qc.min_free_bytes = 0;
  EXPECT_FALSE(gateway::queue_full(qc, index, 1000));  // samples the free space: plenty
  qc.min_free_bytes = std::uint64_t(1) << 62;          // more than any disk: the sample must not hide it
  for (int i = 0; i < 3; ++i) {
    auto full = gateway::queue_full(qc, index, 1000);
    ASSERT_TRUE(full);
    EXPECT_EQ(*full, "the queue file system is full");
  }
  qc.min_free_bytes = 0;
  EXPECT_FALSE(gateway::queue_full(qc, index, 1000));
}
