// tests/unit/imf/encode_test.cpp: RFC 2047 encoding (imf/encoded_word.hpp):
// plain ASCII kept, Q or B by size, every encoded word at most 75 octets and
// whole UTF-8 sequences only, lines of at most 76 octets with the field
// name, phrases per §5 (3), and decode(encode(text)) == text.
#include <gtest/gtest.h>

#include "base/utf8.hpp"
#include "imf/encoded_word.hpp"
#include "imf/header_writer.hpp"
#include "imf/message.hpp"

namespace mixer::imf {
namespace {

using namespace std::string_view_literals;

std::vector<std::string> words_of(std::string_view v) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < v.size()) {
    while (i < v.size() && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n')) ++i;
    const std::size_t b = i;
    while (i < v.size() && !(v[i] == ' ' || v[i] == '\t' || v[i] == '\r' || v[i] == '\n')) ++i;
    if (i > b) out.emplace_back(v.substr(b, i - b));
  }
  return out;
}

bool is_encoded_word(std::string_view w) { return w.size() >= 8 && w.substr(0, 2) == "=?" && w.substr(w.size() - 2) == "?="; }

// Every encoded word is at most 75 octets and decodes on its own to valid UTF-8.
void check_words(std::string_view value) {
  for (const std::string& w : words_of(value)) {
    if (!is_encoded_word(w)) continue;
    EXPECT_LE(w.size(), 75u) << w;
    auto d = decode_unstructured(w, Limits{});
    ASSERT_TRUE(d.ok());
    EXPECT_TRUE(d->exact()) << w;
    EXPECT_TRUE(d->has(decoded)) << w;
    EXPECT_TRUE(base::valid_utf8(d->text)) << w;
  }
}

// Writes Subject-like field `name` with text, checks the lines, reads it back.
// check_width: every line within 76/78 (false where a plain word is longer than that).
void round_trip_unstructured(std::string_view name, std::string_view utf8, bool check_width = true) {
  SCOPED_TRACE(std::string(name) + ": " + std::string(utf8));
  std::string out;
  auto e = write_unstructured(out, name, utf8);
  ASSERT_FALSE(e) << e->text();
  auto m = parse_message(out, Limits{});
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->fields.size(), 1u);
  const Field& f = m->fields[0];
  EXPECT_EQ(f.name, name);
  const bool encoded = f.value.find("=?") != std::string_view::npos;
  std::size_t from = 0;
  while (from < out.size()) {
    const std::size_t eol = out.find("\r\n", from);
    const std::size_t len = eol - from;
    if (check_width && name.size() + 2 + 20 <= 76) {
      EXPECT_LE(len, encoded ? 76u : 78u) << out.substr(from, len);
    }
    EXPECT_LE(len, 998u);
    from = eol + 2;
  }
  const std::string value = unfold(f.value);
  check_words(value);
  auto d = decode_unstructured(value, Limits{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->text, utf8);
  EXPECT_TRUE(d->exact());
}

void round_trip_phrase(std::string_view utf8, std::size_t column = 4) {
  SCOPED_TRACE(std::string(utf8));
  auto p = encode_phrase(utf8, column);
  ASSERT_TRUE(p.ok()) << p.error().text();
  check_words(*p);
  auto d = decode_phrase(*p, Limits{});
  ASSERT_TRUE(d.ok()) << d.error().text() << " in " << *p;
  EXPECT_EQ(d->text, utf8) << *p;
  EXPECT_TRUE(d->exact());
  for (unsigned char c : *p) EXPECT_LT(c, 128) << *p;
}

TEST(ImfEncode, ascii_text_stays_plain) {
  auto v = encode_unstructured("Saying Hello", 9);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "Saying Hello");
  std::string out;
  ASSERT_FALSE(write_unstructured(out, "Subject", "Saying Hello"));
  EXPECT_EQ(out, "Subject: Saying Hello\r\n");
  // Words separated by several spaces or tabs keep them: they fold and unfold exactly.
  EXPECT_EQ(*encode_unstructured("a  b\tc", 9), "a  b\tc");
}

TEST(ImfEncode, rfc2047_4_q_or_b_by_size) {
  auto latin = encode_unstructured("Universit\xc3\xa4tsbibliothek", 9);
  ASSERT_TRUE(latin.ok());
  EXPECT_NE(latin->find("?Q?"), std::string::npos) << *latin;
  auto cjk = encode_unstructured("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe4\xbb\xb6\xe5\x90\x8d", 9);
  ASSERT_TRUE(cjk.ok());
  EXPECT_NE(cjk->find("?B?"), std::string::npos) << *cjk;
  // Only the words that need it are encoded.
  auto mixed = encode_unstructured("Re: caf\xc3\xa9 meeting", 9);
  ASSERT_TRUE(mixed.ok());
  EXPECT_EQ(*mixed, "Re: =?UTF-8?B?Y2Fmw6k=?= meeting");  // B: 8 octets against Q's 9
}

TEST(ImfEncode, rfc2047_2_words_at_the_75_octet_limit_keep_utf8_whole) {
  // Runs of 1- to 4-octet characters of every length up to a few lines:
  // every word fits in 75 octets and in the line, and no sequence is split.
  const std::string chars[] = {"a", "\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x98\x80", "\xc3\xa9x",
                               "\xe6\x97\xa5 "};
  for (const std::string& c : chars) {
    std::string t;
    for (int n = 1; n <= 60; ++n) {
      t += c;
      if (c == "a") {
        round_trip_unstructured("Subject", "\xc3\xa9" + t);
      } else {
        round_trip_unstructured("Subject", t);
        round_trip_unstructured("X-A-Much-Longer-Field-Name", t);
      }
    }
  }
}

TEST(ImfEncode, rfc2047_2_encoded_word_exactly_75_octets) {
  // 63 octets of Q text + 12 of "=?UTF-8?Q?" "?=" = 75: 21 "é" as "=C3=A9" are 126, so
  // use plain letters after one é: "=C3=A9" (6) + 57 letters = 63.
  const std::string t = "\xc3\xa9" + std::string(57, 'x');
  auto v = encode_unstructured(t, 1);  // the line has room for 75
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->size(), 75u) << *v;
  EXPECT_EQ(words_of(*v).size(), 1u);
  auto v2 = encode_unstructured(t + "x", 1);
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ(words_of(*v2).size(), 2u) << *v2;
  check_words(*v2);
}

TEST(ImfEncode, scripts_round_trip) {
  const char* texts[] = {
      "\xce\x9a\xce\xb1\xce\xbb\xce\xb7\xce\xbc\xce\xad\xcf\x81\xce\xb1 \xce\xba\xcf\x8c\xcf\x83\xce\xbc\xce\xb5",  // Greek
      "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82, \xd0\xbc\xd0\xb8\xd1\x80!",                          // Russian
      "\xe4\xbd\xa0\xe5\xa5\xbd\xef\xbc\x8c\xe4\xb8\x96\xe7\x95\x8c",                                        // Chinese
      "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7 \xd8\xa8\xd8\xa7\xd9\x84\xd8\xb9\xd8\xa7\xd9\x84\xd9\x85",    // Arabic
      "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d",                                    // Hebrew
      "\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87",                            // Devanagari
      "\xe0\xb8\xaa\xe0\xb8\xa7\xe0\xb8\xb1\xe0\xb8\xaa\xe0\xb8\x94\xe0\xb8\xb5",                            // Thai
      "Party \xf0\x9f\x8e\x89\xf0\x9f\x8e\x88 tonight \xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd",                       // emoji, a modifier
      "e\xcc\x81 combining",                                                                                 // combining mark
  };
  for (const char* t : texts) {
    round_trip_unstructured("Subject", t);
    std::string long_text;
    for (int i = 0; i < 12; ++i) long_text += std::string(t) + " ";
    long_text.pop_back();
    round_trip_unstructured("Subject", long_text);
    round_trip_phrase(t);
  }
}

TEST(ImfEncode, white_space_and_controls_encoded_to_read_back) {
  for (std::string_view t : {" leading"sv, "trailing "sv, "  both  "sv, " "sv, "\t"sv, "a\r\nb"sv, "bell\x07"sv,
                             "nul\x00x"sv, "del\x7f"sv, "mid  \t  space \xc3\xa9 x"sv}) {
    round_trip_unstructured("Subject", t);
  }
  auto v = encode_unstructured(" x", 9);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->substr(0, 2), "=?");
}

TEST(ImfEncode, text_that_looks_encoded_is_encoded) {
  round_trip_unstructured("Subject", "=?UTF-8?Q?not_really?=");
  round_trip_unstructured("Subject", "a =?x?= b");
  auto v = encode_unstructured("see =?UTF-8?Q?x?= here", 9);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->substr(0, 4), "see ");
  EXPECT_EQ(v->find("=?UTF-8?Q?x?="), std::string::npos) << *v;
}

TEST(ImfEncode, long_words) {
  round_trip_unstructured("Subject", std::string(200, 'u'), false);  // plain: a line of its own, over 78
  round_trip_unstructured("Subject", "x " + std::string(2000, 'u'));  // over 998: encoded to fold
  round_trip_unstructured("Subject", std::string(3000, 'v'));
  round_trip_unstructured(std::string(70, 'N'), "\xc3\xa9t\xc3\xa9 " + std::string(50, 'w'));
}

TEST(ImfEncode, refuses_invalid_utf8) {
  auto r = encode_unstructured("caf\xe9", 9);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::invalid_utf8);
  EXPECT_FALSE(encode_phrase("\xc3", 0).ok());
  std::string out;
  EXPECT_TRUE(write_unstructured(out, "Subject", "\xff"));
  EXPECT_TRUE(out.empty());
}

TEST(ImfEncode, rfc2047_5_3_phrase_forms) {
  EXPECT_EQ(*encode_phrase("John Smith", 0), "John Smith");
  EXPECT_EQ(*encode_phrase("Joe Q. Public", 0), "Joe \"Q.\" Public");
  EXPECT_EQ(*encode_phrase("Giant; \"Big\" Box", 0), "\"Giant; \\\"Big\\\"\" Box");
  EXPECT_EQ(*encode_phrase("Hans M\xc3\xbcller", 0), "Hans =?UTF-8?Q?M=C3=BCller?=");
  EXPECT_EQ(*encode_phrase(" spaced  out ", 0), "\" spaced  out \"");
  EXPECT_EQ(*encode_phrase("", 0), "");
  for (std::string_view t : {"John Smith", "Joe Q. Public", "Giant; \"Big\" Box", "Hans M\xc3\xbcller",
                             " spaced  out ", "J\xc3\xb6rg M\xc3\xbcller-L\xc3\xbc" "denscheidt", "a \"b\" c",
                             "back\\slash", "=?UTF-8?Q?x?=", "Tab\there", "O'Brien, Pat", "\xc3\xa9 . \xc3\xa9"}) {
    round_trip_phrase(t);
  }
}

TEST(ImfEncode, rfc2047_5_3_phrase_q_uses_the_restricted_alphabet) {
  const std::string t = "Universit\xc3\xa4tsbibliothekarinnenverband_(a) \"q\"";
  auto p = encode_phrase(t, 0);
  ASSERT_TRUE(p.ok());
  for (const std::string& w : words_of(*p)) {
    if (!is_encoded_word(w) || w.find("?Q?") == std::string::npos) continue;
    const std::string text = w.substr(10, w.size() - 12);
    for (char c : text) {
      const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view("!*+-/=_").find(c) != std::string_view::npos;
      EXPECT_TRUE(ok) << w;
    }
  }
  EXPECT_NE(p->find("?Q?"), std::string::npos) << *p;
  round_trip_phrase(t);
}

TEST(ImfEncode, phrase_sized_for_its_column) {
  std::string t;
  for (int i = 0; i < 10; ++i) t += "\xc3\xa9\xc3\xa8\xc3\xaa\xc3\xab ";
  t.pop_back();
  auto p = encode_phrase(t, 4);  // after "To: "
  ASSERT_TRUE(p.ok());
  std::string out;
  ASSERT_FALSE(write_field(out, "To", *p + " <a@example.com>", 76));
  std::size_t from = 0;
  while (from < out.size()) {
    const std::size_t eol = out.find("\r\n", from);
    EXPECT_LE(eol - from, 76u) << out;
    from = eol + 2;
  }
  round_trip_phrase(t, 4);
}

}  // namespace
}  // namespace mixer::imf
