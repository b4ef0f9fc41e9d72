// tests/unit/base/t61_test.cpp: T.61 <-> UTF-8 (base/t61), checked
// against glibc's T.61-8BIT iconv converter over every single octet and every
// diacritic + character pair, and round trips of the whole repertoire.
#include <gtest/gtest.h>
#include <iconv.h>

#include <string>

#include "base/t61.hpp"

namespace {

using namespace mixer::base;

// glibc's T.61-8BIT -> UTF-8, nullopt where it refuses the input.
std::optional<std::string> glibc_t61(const std::string& in) {
  iconv_t cd = iconv_open("UTF-8", "T.61-8BIT");
  if (cd == reinterpret_cast<iconv_t>(-1)) return std::nullopt;
  std::string out(in.size() * 4 + 8, '\0');
  char* ip = const_cast<char*>(in.data());
  std::size_t il = in.size();
  char* op = out.data();
  std::size_t ol = out.size();
  std::size_t r = iconv(cd, &ip, &il, &op, &ol);
  if (r != static_cast<std::size_t>(-1)) r = iconv(cd, nullptr, nullptr, &op, &ol);  // flush a pending diacritic
  iconv_close(cd);
  if (r == static_cast<std::size_t>(-1) || il != 0) return std::nullopt;
  out.resize(out.size() - ol);
  return out;
}

TEST(T61, glibc_is_there) { ASSERT_TRUE(glibc_t61("A")) << "glibc's T.61-8BIT gconv module is missing"; }

TEST(T61, every_octet_agrees_with_glibc) {
  // Where we differ on purpose: ASCII positions T.61 leaves unused (real peers
  // send them), and 0xE2, which glibc reads as U+00D0 (eth) where T.61 and
  // ISO 6937 have U+0110 (D with stroke).
  const std::string lenient = "#$\\^`{}~";
  for (int b = 0x20; b < 0x100; ++b) {
    std::string in(1, static_cast<char>(b));
    auto ours = t61_to_utf8(in);
    if (b == 0x7f || (b >= 0x80 && b < 0xa0)) {
      EXPECT_FALSE(ours) << b;
      continue;
    }
    if (lenient.find(static_cast<char>(b)) != std::string::npos) {
      EXPECT_EQ(ours, in) << b;
      EXPECT_FALSE(glibc_t61(in)) << b;
      continue;
    }
    if (b == 0xe2) {
      EXPECT_EQ(ours, "\xc4\x90");
      continue;
    }
    EXPECT_EQ(ours, glibc_t61(in)) << std::hex << b;
  }
}

TEST(T61, every_diacritic_pair_agrees_with_glibc) {
  int accepted = 0;
  for (int d = 0xc1; d <= 0xcf; ++d)
    for (int b = 0x20; b < 0x100; ++b) {
      std::string in{static_cast<char>(d), static_cast<char>(b)};
      auto ours = t61_to_utf8(in);
      EXPECT_EQ(ours, glibc_t61(in)) << std::hex << d << " " << b;
      if (ours) {
        ++accepted;
        EXPECT_EQ(utf8_to_t61(*ours), in) << std::hex << d << " " << b;  // one way to write each
      }
    }
  EXPECT_EQ(accepted, 165);
}

TEST(T61, text_round_trips_and_refusals) {
  EXPECT_EQ(t61_to_utf8("Every field \xc8" "e"), "Every field \xc3\xab");
  EXPECT_EQ(utf8_to_t61("M\xc3\xbcller \xc5\x81\xc3\xb3" "d\xc5\xba"), "M\xc8uller \xe8\xc2od\xc2z");
  EXPECT_EQ(utf8_to_t61("\xc4\x90"), "\xe2");  // capital D with stroke
  EXPECT_FALSE(utf8_to_t61("\xc3\x90"));       // capital eth: T.61 has none
  EXPECT_EQ(t61_as_utf8_exactly("page two \xc8u"), "page two \xc3\xbc");
  // 0xA4 is T.61's dollar; UTF-8 "$" is written as ASCII: no exact text form.
  EXPECT_EQ(t61_to_utf8("\xa4"), "$");
  EXPECT_FALSE(t61_as_utf8_exactly("\xa4"));
  EXPECT_FALSE(t61_to_utf8("\xc2"));          // diacritic at the end
  EXPECT_FALSE(t61_to_utf8("\xc2" "1"));      // no acute 1
  EXPECT_FALSE(t61_to_utf8("\x1b(B"));        // escape sequences are not text
  EXPECT_FALSE(t61_to_utf8("a\x80"));
  EXPECT_FALSE(utf8_to_t61("\xe2\x82\xac"));  // euro sign: not in T.61
  EXPECT_FALSE(utf8_to_t61("\xc3"));          // truncated UTF-8
  EXPECT_FALSE(utf8_to_t61("\xed\xa0\x80"));  // a surrogate
  EXPECT_FALSE(utf8_to_t61("\xc0\xaf"));      // overlong
  EXPECT_FALSE(utf8_to_t61(std::string(1, '\0')));  // NUL (an unused table position once matched it)
  EXPECT_FALSE(utf8_to_t61("\x1b"));
  EXPECT_EQ(t61_to_utf8("a\r\nb"), "a\r\nb");
  EXPECT_EQ(t61_to_utf8(""), "");
}

}  // namespace
