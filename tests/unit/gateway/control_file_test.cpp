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
  FormRecord form;
  form.index = 1;
  form.kind = FormRecord::Kind::p1;
  form.mode = 1988;
  form.size = 2417;
  form.crc32c = 0x1f2e3d4c;
  form.mts_id = "[/PRMD=GW/ADMD= /C=XX/;1K0XZ0B50P1]";
  f.forms.push_back(form);
  RecipientRecord r;
  r.address = "user@x400.example";
  r.channel = Channel::p1;
  r.peer = "mta.example";
  r.fallback = {"mta2.example", "mta3.example"};
  r.form = 1;
  r.notify = "SUCCESS,FAILURE";
  r.orcpt = "rfc822;user@x400.example";
  f.recipients.push_back(r);
  r.index = 1;
  r.address = "\"john \\\"q\\\" doe\"@x400.example";
  r.notify.clear();
  r.orcpt.clear();
  f.recipients.push_back(r);
  r.index = 2;
  r.address = "jane@example.org";
  r.channel = Channel::smtp;
  r.peer.clear();
  r.fallback.clear();
  r.domain = "example.org";
  r.source = 3;
  r.delivery_report = true;
  f.recipients.push_back(r);
  return f;
}
}  // namespace

TEST(ControlFile, encodes_as_readable_text) {
  auto text = encode_control(sample());
  EXPECT_EQ(text.rfind("mixer-queue 1\nid 1K0XZ0B50P1\n", 0), 0u);
  EXPECT_NE(text.find("\nhelo \"client example\"\n"), std::string::npos);
  EXPECT_NE(text.find("\nform 1 kind=p1 mode=1988 size=2417 crc32c=1f2e3d4c mts-id=\"[/PRMD=GW/ADMD= /C=XX/;1K0XZ0B50P1]\"\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("\nrcpt 0 to=user@x400.example channel=p1 peer=mta.example fallback=mta2.example,mta3.example "
                      "form=1 notify=SUCCESS,FAILURE orcpt=rfc822;user@x400.example\n"),
            std::string::npos) << text;
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
  EXPECT_FALSE(r1.delivery_report);
  EXPECT_TRUE(d.file.recipients[2].delivery_report);  // dr=1 (RFC 2156 Appendix A §3.2)
  EXPECT_NE(text.find(" src=3 dr=1\n"), std::string::npos) << text;
}

// RFC 3461 §4.2 ("relayed": a report owed since delivery, dr=1 on the status record)
// and delay warnings given ("warned"), read back from the records.
TEST(ControlFile, relayed_report_and_delay_warning_records) {
  auto f = sample();
  Record st;
  st.kind = Record::Kind::status;
  st.time = 200;
  st.rcpt = 0;
  st.status = RecipientStatus::delivered;
  st.dsn = "2.0.0";
  st.delivery_report = true;
  Record warned{Record::Kind::warned, 150};
  Record later{Record::Kind::warned, 180};
  const std::string text = encode_control(f) + encode_record(warned) + encode_record(st) + encode_record(later);
  EXPECT_NE(text.find("\nwarned 150\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" dsn=2.0.0 dr=1\n"), std::string::npos) << text;
  auto d = decode_control(text);
  ASSERT_EQ(d.status, DecodeResult::Status::complete) << d.error << " line " << d.line;
  EXPECT_EQ(d.file.warned, 180);
  EXPECT_TRUE(d.file.recipients[0].delivery_report);
  EXPECT_EQ(d.file.recipients[0].status, RecipientStatus::delivered);
  EXPECT_FALSE(decode_control(encode_control(f) + "warned x\n").status == DecodeResult::Status::complete);
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

// The decoder's tokenizer (issue 14: no allocation per token): bare tokens are views of
// the line itself, quoted ones are unescaped into the scratch buffer, and every view stays
// valid however many quoted tokens follow (the scratch never grows past the line).
TEST(ControlTokens, views_point_into_the_line_or_the_scratch_and_stay_valid) {
  std::string line = "rcpt 0 to=a@b.example";
  std::vector<std::string> expected = {"rcpt", "0", "to=a@b.example"};
  for (int i = 0; i < 50; ++i) {
    const std::string v = "v" + std::to_string(i) + " \"q\" \x01";
    line += " k" + std::to_string(i) + "=" + quote_token(v);
    expected.push_back("k" + std::to_string(i) + "=" + v);
  }
  std::vector<std::string_view> views;
  std::string scratch;
  ASSERT_TRUE(split_token_views(line, views, scratch));
  ASSERT_EQ(views.size(), expected.size());
  for (std::size_t i = 0; i < views.size(); ++i) EXPECT_EQ(views[i], expected[i]) << i;
  EXPECT_EQ(views[0].data(), line.data());  // bare: not copied
  EXPECT_GE(views[3].data(), scratch.data());
  EXPECT_LE(views[3].data() + views[3].size(), scratch.data() + scratch.size());
  EXPECT_LE(scratch.size(), line.size());
  // Reused for the next line; bad escapes refused as split_tokens refuses them.
  EXPECT_FALSE(split_token_views("a \"bad \\q\"", views, scratch));
  EXPECT_FALSE(split_token_views("a \"open", views, scratch));
  EXPECT_FALSE(split_token_views("a=\"x\"y", views, scratch));
  ASSERT_TRUE(split_token_views("  one   two ", views, scratch));
  EXPECT_EQ(views, (std::vector<std::string_view>{"one", "two"}));
}

TEST(Crc32c, rfc3720_b4_check_values) {
  EXPECT_EQ(crc32c(0, "123456789"), 0xE3069283u);
  EXPECT_EQ(crc32c(0, std::string(32, '\0')), 0x8A9136AAu);  // RFC 3720 B.4: 32 bytes of zeroes
  EXPECT_EQ(crc32c(0, std::string(32, '\xff')), 0x62A8AB43u);  // 32 bytes of ones
  std::string text = "The quick brown fox jumps over the lazy dog, twice over.";
  EXPECT_EQ(crc32c(crc32c(0, text.substr(0, 13)), text.substr(13)), crc32c(0, text));
}

// P1 entries: one received from an MTA has no recipients yet (the X.411
// mapping assigns them); one for a peer has a p1 recipient with its peer.
TEST(ControlFile, p1_entries_round_trip) {
  ControlFile in;
  in.id = "1K0XZ0B50P2";
  in.arrival_us = 1;
  in.origin = "p1";
  in.client = "[192.0.2.1]";
  in.protocol = "P1";
  in.apdu = "report";
  in.peer = "percival";
  in.mts_id = "[/PRMD=ALPHA/ADMD=TEST/C=GB/;alpha.test 357]";  // RFC 2156 §5.3, quoted for its space
  const std::string text = encode_control(in);
  EXPECT_NE(text.find("\napdu report\npeer percival\nmts-id \"[/PRMD=ALPHA/ADMD=TEST/C=GB/;alpha.test 357]\"\nend\n"),
            std::string::npos) << text;
  auto d = decode_control(text);
  ASSERT_EQ(d.status, DecodeResult::Status::complete) << d.error;
  EXPECT_EQ(d.file.apdu, "report");
  EXPECT_EQ(d.file.peer, "percival");
  EXPECT_EQ(d.file.mts_id, in.mts_id);
  EXPECT_TRUE(d.file.recipients.empty());

  ControlFile out = in;
  out.origin = "submit";
  out.apdu = "message";
  out.peer.clear();
  RecipientRecord r;
  r.channel = Channel::p1;
  r.peer = "guinevere";
  out.recipients.push_back(r);
  const std::string t2 = encode_control(out);
  EXPECT_NE(t2.find("\nrcpt 0 channel=p1 peer=guinevere\n"), std::string::npos) << t2;
  auto d2 = decode_control(t2 + encode_record(Record{Record::Kind::status, 5, 0, RecipientStatus::deferred, 1, 65,
                                                     "4.4.1", "cannot connect"}));
  ASSERT_EQ(d2.status, DecodeResult::Status::complete) << d2.error;
  ASSERT_EQ(d2.file.recipients.size(), 1u);
  EXPECT_EQ(d2.file.recipients[0].peer, "guinevere");
  EXPECT_EQ(d2.file.recipients[0].status, RecipientStatus::deferred);
  EXPECT_EQ(d2.file.recipients[0].next_attempt, 65);
}

TEST(ControlFile, p1_entry_errors) {
  const std::string head = "mixer-queue 1\nid 1K0XZ0B50P2\narrival 1\norigin p1\nsize 0\ncrc32c 00000000\nsender \"\"\n";
  auto no_peer = decode_control(head + "apdu message\nrcpt 0 channel=p1\nend\n");
  EXPECT_EQ(no_peer.status, DecodeResult::Status::invalid);
  EXPECT_EQ(no_peer.error, "p1 recipient without peer=");
  EXPECT_EQ(no_peer.line, 9);
  auto kind = decode_control(head + "apdu letter\nend\n");
  EXPECT_EQ(kind.error, "unknown apdu kind 'letter'");
  auto none = decode_control(head + "end\n");  // neither recipients nor an APDU
  EXPECT_EQ(none.error, "control file without id or recipients");
  auto smtp_without_to = decode_control(head + "rcpt 0 channel=smtp domain=a.example\nend\n");
  EXPECT_EQ(smtp_without_to.error, "recipient without to=");
  auto old_channel = decode_control(head + "rcpt 0 to=a@b channel=x400\nend\n");
  EXPECT_EQ(old_channel.error, "unknown channel 'x400'");
  auto no_domain = decode_control(head + "rcpt 0 to=a@b channel=smtp\nend\n");
  EXPECT_EQ(no_domain.error, "smtp recipient without domain=");
}

TEST(ControlFile, forms_and_their_recipients) {
  const std::string head = "mixer-queue 1\nid 1K0XZ0B50P2\narrival 1\norigin p1\nsize 0\ncrc32c 00000000\nsender \"\"\napdu message\n";
  auto ok = decode_control(head + "form 1 kind=rfc822 size=10 crc32c=0000000a sender=\"\" body=8BITMIME msgid=<a@b>\n"
                                  "rcpt 0 to=u@example.org channel=smtp domain=example.org form=1 src=2\nend\n");
  ASSERT_EQ(ok.status, DecodeResult::Status::complete) << ok.error;
  ASSERT_EQ(ok.file.forms.size(), 1u);
  EXPECT_EQ(ok.file.forms[0].kind, FormRecord::Kind::rfc822);
  EXPECT_EQ(ok.file.forms[0].body, "8BITMIME");
  EXPECT_EQ(ok.file.forms[0].message_id, "<a@b>");
  EXPECT_EQ(ok.file.recipients[0].form, 1u);
  EXPECT_EQ(ok.file.recipients[0].source, 2);
  EXPECT_EQ(next_hop(ok.file.recipients[0]), "example.org");
  // Round trip of what was decoded.
  auto again = decode_control(encode_control(ok.file));
  ASSERT_EQ(again.status, DecodeResult::Status::complete) << again.error;
  EXPECT_EQ(again.file.forms[0].sender, "");
  EXPECT_EQ(encode_control(again.file), encode_control(ok.file));

  auto missing = decode_control(head + "rcpt 0 to=u@e channel=smtp domain=e form=1\nend\n");
  EXPECT_EQ(missing.error, "recipient names form 1 which does not exist");
  auto numbering = decode_control(head + "form 2 kind=p1 size=1 crc32c=00000001\nend\n");
  EXPECT_EQ(numbering.error, "form lines must be numbered 1, 2, 3, ...");
  auto incomplete = decode_control(head + "form 1 kind=p1 size=1\nend\n");
  EXPECT_EQ(incomplete.error, "form without kind=, size= or crc32c=");
  auto kind = decode_control(head + "form 1 kind=fax size=1 crc32c=00000001\nend\n");
  EXPECT_EQ(kind.error, "unknown form kind 'fax'");
  auto mode = decode_control(head + "form 1 kind=p1 mode=1992 size=1 crc32c=00000001\nend\n");
  EXPECT_EQ(mode.error, "bad form mode");
}
