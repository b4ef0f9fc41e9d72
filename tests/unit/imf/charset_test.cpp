// tests/unit/imf/charset_test.cpp: charset conversion to UTF-8
// (imf/charset.hpp): built-in UTF-8 / US-ASCII / ISO-8859-1, ICU for the
// rest, strict on undecodable input, unknown names refused.
#include <gtest/gtest.h>

#include <thread>

#include "imf/charset.hpp"

namespace mixer::imf {
namespace {

std::string conv(std::string_view cs, std::string_view octets, Conversion want = Conversion::ok) {
  std::string out = "=";
  EXPECT_EQ(to_utf8(cs, octets, out), want) << cs;
  if (want != Conversion::ok) {
    EXPECT_EQ(out, "=");
  }
  return out.substr(1);
}

TEST(ImfCharset, builtin_charsets) {
  EXPECT_EQ(conv("UTF-8", "caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(conv("utf8", "x"), "x");
  conv("utf-8", "\xc3", Conversion::undecodable);
  conv("utf-8", "\xed\xa0\x80", Conversion::undecodable);  // a surrogate
  EXPECT_EQ(conv("US-ASCII", "plain"), "plain");
  conv("us-ascii", "caf\xe9", Conversion::undecodable);
  EXPECT_EQ(conv("ISO-8859-1", "caf\xe9\x80"), "caf\xc3\xa9\xc2\x80");
}

TEST(ImfCharset, icu_charsets_and_aliases) {
  EXPECT_EQ(conv("latin2", "\xb1"), "\xc4\x85");
  EXPECT_EQ(conv("windows-1251", "\xcf"), "\xd0\x9f");
  EXPECT_EQ(conv("ISO-8859-15", "\xa4"), "\xe2\x82\xac");
  EXPECT_EQ(conv("UTF-16BE", std::string("\x00\x41\xd8\x3d\xde\x00", 6)), "A\xf0\x9f\x98\x80");
  conv("UTF-16BE", std::string("\xd8\x3d", 2), Conversion::undecodable);  // a lone surrogate
  conv("ISO-8859-3", "\xa5", Conversion::undecodable);                    // unassigned
  EXPECT_EQ(conv("ISO-2022-JP", "\x1b$BF|K\\8l\x1b(B"), "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
  conv("Shift_JIS", "\x93", Conversion::undecodable);  // truncated
  EXPECT_EQ(conv("KOI8-R", ""), "");
}

TEST(ImfCharset, unknown_names_refused) {
  for (std::string_view n : {"x-no-such", "", "utf-8,swaplfnl", "utf 8", "unknown-8bit",
                             "a-name-that-is-far-too-long-to-be-any-charset-name-that-exists-anywhere-x"}) {
    conv(n, "abc", Conversion::unknown_charset);
    EXPECT_FALSE(known_charset(n)) << n;
  }
  EXPECT_TRUE(known_charset("ISO-8859-2"));
  EXPECT_TRUE(known_charset("utf-8"));
}

TEST(ImfCharset, converters_per_thread) {
  // More charsets than the per-thread cache holds, from two threads at once.
  const char* names[] = {"ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6",
                         "ISO-8859-7", "ISO-8859-8", "ISO-8859-9", "KOI8-R",     "windows-1250"};
  auto work = [&](int* failures) {
    for (int round = 0; round < 50; ++round)
      for (const char* n : names) {
        std::string out;
        if (to_utf8(n, "abc", out) != Conversion::ok || out != "abc") ++*failures;
      }
  };
  int f1 = 0, f2 = 0;
  std::thread a(work, &f1), b(work, &f2);
  a.join();
  b.join();
  EXPECT_EQ(f1 + f2, 0);
}

}  // namespace
}  // namespace mixer::imf
