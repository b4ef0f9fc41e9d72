// The content writer (smtp/client/proto/data_writer.hpp): dot-stuffing and
// CRLF line ends (RFC 5321 §4.5.2, §2.3.8) wherever the chunk boundaries
// fall, checked against a plain octet-by-octet reference written here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smtp/client/proto/data_writer.hpp"

using namespace mixer::smtp::client;

namespace {

// The reference: whole content at once, one octet at a time.
std::string reference(std::string_view in) {
  std::string norm;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '\r') {
      norm += "\r\n";
      if (i + 1 < in.size() && in[i + 1] == '\n') ++i;
    } else if (in[i] == '\n') {
      norm += "\r\n";
    } else {
      norm += in[i];
    }
  }
  if (!norm.empty() && (norm.size() < 2 || norm.compare(norm.size() - 2, 2, "\r\n") != 0)) norm += "\r\n";
  std::string out;
  bool start = true;
  for (char c : norm) {
    if (start && c == '.') out += '.';
    out += c;
    start = c == '\n';
  }
  return out + ".\r\n";
}

std::string write_all(const std::vector<std::string_view>& chunks, std::size_t budget, std::size_t* pieces = nullptr) {
  DataWriter w(chunks);
  std::vector<std::string_view> out;
  std::string wire;
  std::size_t rounds = 0;
  while (true) {
    out.clear();
    bool more = w.produce(out, budget);
    for (auto v : out) wire += v;
    if (pieces) *pieces += out.size();
    if (!more) break;
    EXPECT_FALSE(out.empty()) << "a round that produced nothing";
    if (++rounds > 100000) {
      ADD_FAILURE() << "writer does not finish";
      break;
    }
  }
  EXPECT_TRUE(w.done());
  return wire;
}

const char* const kCases[] = {
    "",
    ".",
    "..",
    "\r\n",
    ".\r\n",
    "a\r\n.\r\n",
    "a\r\n.\r\nb",
    "\r\n.\r\n",
    "\n.\n",
    "\r.\r",
    ".a\r\n..b\r\n...\r\n",
    "line\r\n.hidden end\r\nmore\r\n",
    "bare\nlf\n.dot\n",
    "bare\rcr\r.dot\r",
    "mixed\r\r\n\n\r.\r\n.",
    "no end at all",
    "\r",
    "\n",
    ".\r",
    "x\r\n\r\n.\r\n\r\n",
};

}  // namespace

TEST(DataWriter, rfc5321_s4_5_2_single_chunk_matches_the_reference) {
  for (const char* c : kCases) {
    std::vector<std::string_view> chunks{c};
    EXPECT_EQ(write_all(chunks, 64), reference(c)) << "content: " << c;
  }
}

TEST(DataWriter, every_split_into_three_chunks_and_every_budget_gives_the_same_wire_form) {
  for (const char* c : kCases) {
    std::string_view s(c);
    const std::string want = reference(s);
    for (std::size_t a = 0; a <= s.size(); ++a)
      for (std::size_t b = a; b <= s.size(); ++b)
        for (std::size_t budget : {1, 2, 3, 64}) {
          std::vector<std::string_view> chunks{s.substr(0, a), s.substr(a, b - a), s.substr(b)};
          ASSERT_EQ(write_all(chunks, budget), want) << "content: " << c << " split " << a << "," << b << " budget "
                                                     << budget;
        }
  }
}

TEST(DataWriter, pieces_are_views_of_the_content_not_copies) {
  std::string content = "Subject: x\r\n\r\n" + std::string(10000, 'a') + "\r\n";
  std::vector<std::string_view> chunks{content};
  DataWriter w(chunks);
  std::vector<std::string_view> out;
  while (w.produce(out, 64)) {
  }
  ASSERT_EQ(out.size(), 2u);  // the whole content, then ".\r\n"
  EXPECT_EQ(out[0].data(), content.data());
  EXPECT_EQ(out[0].size(), content.size());
}

TEST(DataWriter, rfc1870_size_counts_line_end_fixes_not_stuffing) {
  std::vector<std::string_view> a{"a\r\n.b\r\n"};
  EXPECT_EQ(content_size(a), 7u);
  std::vector<std::string_view> b{"a\n", "b"};  // two CRs and an LF inserted
  EXPECT_EQ(content_size(b), 3u + 3u);
  std::vector<std::string_view> empty;
  EXPECT_EQ(content_size(empty), 0u);
  EXPECT_EQ(write_all(empty, 4), ".\r\n");
}

TEST(DataWriter, eight_bit_detection) {
  std::vector<std::string_view> a{"abc", "d\x7F"};
  EXPECT_FALSE(has_eight_bit(a));
  std::vector<std::string_view> b{"abc", "\xC3\xA9"};
  EXPECT_TRUE(has_eight_bit(b));
}
