// The DATA phase: RFC 5321 §4.1.1.4 end of data, §4.5.2 transparency,
// §2.3.8 line endings (the SMTP smuggling defence).
#include <gtest/gtest.h>

#include <string>

#include "smtp/proto/data_reader.hpp"

using namespace mixer::smtp::proto;
using Defect = DataReader::Defect;

namespace {
struct StringSink : ContentSink {
  void append(std::string_view b) override { out.append(b); }
  std::string out;
};

struct Outcome {
  std::string content;
  Defect defect;
  std::size_t consumed;
  bool done;
};

// Feeds `input` in pieces of `chunk` octets (0 = all at once).
Outcome run(std::string_view input, std::size_t chunk = 0, std::uint64_t max = 1 << 20) {
  DataReader r(max);
  StringSink sink;
  std::size_t used = 0;
  while (used < input.size() && !r.done()) {
    std::size_t n = chunk ? std::min(chunk, input.size() - used) : input.size() - used;
    std::size_t took = r.feed(input.substr(used, n), sink);
    used += took;
    if (took < n) break;
  }
  return {sink.out, r.defect(), used, r.done()};
}
}  // namespace

TEST(Rfc5321, s4_1_1_4_end_of_data_and_what_follows) {
  auto o = run("Subject: x\r\n\r\nbody\r\n.\r\nQUIT\r\n");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.content, "Subject: x\r\n\r\nbody\r\n");
  EXPECT_EQ(o.consumed, 23u);  // QUIT stays for the command reader
  EXPECT_EQ(o.defect, Defect::none);
}

TEST(Rfc5321, s4_1_1_4_empty_message) {
  auto o = run(".\r\n");
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.content, "");
}

TEST(Rfc5321, s4_5_2_leading_dots_are_unstuffed) {
  auto o = run("..hidden\r\n...\r\n.x\r\n.\r\n");
  EXPECT_EQ(o.content, ".hidden\r\n..\r\nx\r\n");
}

TEST(Rfc5321, s2_3_8_smuggling_lf_dot_lf_is_not_an_end) {
  // <LF>.<LF> is what vulnerable servers take as the end; we read on to the
  // real CRLF.CRLF and refuse the whole message.
  std::string attack = "Subject: x\r\n\r\nhi\n.\nMAIL FROM:<evil@x>\r\nRCPT TO:<v@y>\r\nDATA\r\nforged\r\n.\r\nNOOP\r\n";
  auto o = run(attack);
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.defect, Defect::bare_lf);
  EXPECT_EQ(attack.substr(o.consumed), "NOOP\r\n");
}

TEST(Rfc5321, s2_3_8_smuggling_cr_variants) {
  auto a = run("hi\r\n.\rMAIL FROM:<e@x>\r\n.\r\n");
  EXPECT_TRUE(a.done);
  EXPECT_EQ(a.defect, Defect::bare_cr);
  auto b = run("hi\r.\r\n.\r\n");
  EXPECT_EQ(b.defect, Defect::bare_cr);
  auto c = run("hi\r\n.\n.\r\n");
  EXPECT_EQ(c.defect, Defect::bare_lf);
}

TEST(Rfc5321, s4_5_3_1_7_size_limit_reads_to_the_end) {
  std::string big = std::string(100, 'a') + "\r\n" + std::string(100, 'b') + "\r\n.\r\n";
  auto o = run(big, 0, 150);
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.defect, Defect::too_big);
  EXPECT_EQ(o.consumed, big.size());
}

TEST(Rfc5321, chunking_at_every_boundary_gives_the_same_result) {
  const std::string input = "A: b\r\n\r\n..x\r\nline\r\n\r\n.\r\n";
  const auto whole = run(input);
  for (std::size_t chunk = 1; chunk < input.size(); ++chunk) {
    auto o = run(input, chunk);
    EXPECT_EQ(o.content, whole.content) << "chunk " << chunk;
    EXPECT_EQ(o.consumed, whole.consumed) << "chunk " << chunk;
    EXPECT_EQ(o.defect, Defect::none) << "chunk " << chunk;
  }
  const std::string bad = "x\r\ny\rz\r\n.\r\n";
  for (std::size_t chunk = 1; chunk < bad.size(); ++chunk) EXPECT_EQ(run(bad, chunk).defect, Defect::bare_cr) << chunk;
}

TEST(Rfc5321, defect_line_number_is_reported) {
  DataReader r(1000);
  StringSink s;
  r.feed("a\r\nb\r\nc\nd\r\n.\r\n", s);
  EXPECT_EQ(r.defect_line(), 3u);
}
