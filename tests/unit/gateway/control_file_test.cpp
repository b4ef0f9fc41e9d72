// The queue control file: encode/decode, appended records, torn writes.
#include <gtest/gtest.h>

#include "gateway/queue/format/control_file.hpp"
#include "gateway/queue/format/crc32c.hpp"
#include "gateway/queue/format/tokens.hpp"

using namespace mixer::queue;

namespace {
ControlFile sample() {
  ControlFile f;
  f.id = "1K0XZ0B50P1";
  f.arrival_us = 1795430400123456;
  f.origin = "smtp";
  f.client = "[127.0.0.1]:44638";
  f.helo = "client example";  // needs quoting
  f.protocol = "ESMTPS";
  f.tls = "TLSv1.3 with cipher TLS_AES_256_GCM_SHA384";
  f.size = 256;
  f.crc32c = 0x0badf00d;
  f.body = "8BITMIME";
  f.ret = "HDRS";
  f.envid = "QQ+2B1";
  f.sender = "a@b.example";
  RecipientRecord r;
  r.address = "user@x400.example";
  r.channel = "x400";
  r.notify = "SUCCESS,FAILURE";
  r.orcpt = "rfc822;user@x400.example";
  f.recipients.push_back(r);
  r.index = 1;
  r.address = "\"john \\\"q\\\" doe\"@x400.example";
  r.notify.clear();
  r.orcpt.clear();
  f.recipients.push_back(r);
  return f;
}
}  // namespace

TEST(ControlFile, encodes_as_readable_text) {
  auto text = encode_control(sample());
  EXPECT_EQ(text.rfind("mixer-queue 1\nid 1K0XZ0B50P1\n", 0), 0u);
  EXPECT_NE(text.find("\nhelo \"client example\"\n"), std::string::npos);
  EXPECT_NE(text.find("\nrcpt 0 to=user@x400.example channel=x400 notify=SUCCESS,FAILURE "
                      "orcpt=rfc822;user@x400.example\n"),
            std::string::npos);
  EXPECT_NE(text.find("\ncrc32c 0badf00d\n"), std::string::npos);
  EXPECT_EQ(text.substr(text.size() - 4), "end\n");
}

TEST(ControlFile, round_trip_with_records) {
  auto f = sample();
  std::string text = encode_control(f);
  Record hold{Record::Kind::hold, 100};
  Record st;
  st.kind = Record::Kind::status;
  st.time = 101;
  st.rcpt = 1;
  st.status = RecipientStatus::deferred;
  st.attempts = 2;
  st.next_attempt = 500;
  st.dsn = "4.4.1";
  st.diagnostic = "peer said \"busy\"\nand more";
  Record release{Record::Kind::release, 102};
  text += encode_record(hold) + encode_record(st) + encode_record(release);
  auto d = decode_control(text);
  ASSERT_EQ(d.status, DecodeResult::Status::complete) << d.error << " line " << d.line;
  EXPECT_EQ(encode_control(d.file), encode_control(f));
  EXPECT_FALSE(d.file.held);
  EXPECT_EQ(d.file.records.size(), 3u);
  const auto& r1 = d.file.recipients[1];
  EXPECT_EQ(r1.address, f.recipients[1].address);
  EXPECT_EQ(r1.status, RecipientStatus::deferred);
  EXPECT_EQ(r1.attempts, 2u);
  EXPECT_EQ(r1.diagnostic, "peer said \"busy\"\nand more");
}

TEST(ControlFile, missing_end_is_incomplete_never_valid) {
  auto text = encode_control(sample());
  for (std::size_t cut = 0; cut < text.size(); ++cut) {
    auto d = decode_control(std::string_view(text).substr(0, cut));
    EXPECT_NE(d.status, DecodeResult::Status::complete) << cut;
  }
}

TEST(ControlFile, torn_append_is_ignored) {
  auto text = encode_control(sample()) + encode_record({Record::Kind::hold, 7}) + "release 12";
  auto d = decode_control(text);
  ASSERT_EQ(d.status, DecodeResult::Status::complete);
  EXPECT_TRUE(d.file.held);
  EXPECT_EQ(d.file.records.size(), 1u);
}

TEST(ControlFile, invalid_content_is_reported_with_its_line) {
  auto d = decode_control("mixer-queue 1\nid X\nbogus 1\nend\n");
  EXPECT_EQ(d.status, DecodeResult::Status::invalid);
  EXPECT_EQ(d.line, 3);
  EXPECT_EQ(d.error, "unknown key 'bogus'");
  auto v = decode_control("mixer-queue 2\n");
  EXPECT_EQ(v.status, DecodeResult::Status::invalid);
  EXPECT_EQ(v.error, "control file version 2 is not supported (this is version 1)");
  auto s = decode_control(encode_control(sample()) + "status 9 deferred\n");
  EXPECT_EQ(s.status, DecodeResult::Status::invalid);
}

TEST(ControlFile, limits) {
  ControlLimits small;
  small.max_recipients = 1;
  EXPECT_EQ(decode_control(encode_control(sample()), small).status, DecodeResult::Status::invalid);
  small = {};
  small.max_bytes = 10;
  EXPECT_EQ(decode_control(encode_control(sample()), small).status, DecodeResult::Status::invalid);
}

TEST(ControlTokens, quoting_round_trip) {
  for (std::string v : {std::string("plain"), std::string(""), std::string("a b"), std::string("q\"\\"),
                        std::string("\x01\x7f\xff", 3)}) {
    auto toks = split_tokens("k=" + quote_token(v) + " next");
    ASSERT_TRUE(toks);
    ASSERT_EQ(toks->size(), 2u);
    EXPECT_EQ((*toks)[0], "k=" + v);
  }
  EXPECT_FALSE(split_tokens("\"unterminated"));
  EXPECT_FALSE(split_tokens("\"bad \\q escape\""));
}

TEST(Crc32c, rfc3720_b4_check_values) {
  EXPECT_EQ(crc32c(0, "123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(0, std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4: 32 bytes of zeroes
  EXPECT_EQ(crc32c(0, std::string(32, '\xff')), 0x62A8AB43u);  // 32 bytes of ones
  std::string text = "The quick brown fox jumps over the lazy dog, twice over.";
  EXPECT_EQ(crc32c(crc32c(0, text.substr(0, 13)), text.substr(13)), crc32c(0, text));
}
