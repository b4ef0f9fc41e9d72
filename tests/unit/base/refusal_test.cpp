// tests/unit/base/refusal_test.cpp: the refusal type's texts.
#include <gtest/gtest.h>

#include "base/refusal.hpp"

namespace {

using namespace mixer::base;

TEST(Refusal, TextNamesTheRule) {
  Refusal r = make_refusal(554, "5.6.1", reason::conversion_not_performed, diagnostic::conversion_with_loss_prohibited,
                           "RFC 2156 \xC2\xA7" "5.1.5", "conversion with loss is prohibited");
  EXPECT_EQ(r.text(), "conversion with loss is prohibited (RFC 2156 \xC2\xA7" "5.1.5)");
  EXPECT_EQ(r.smtp_text(), "conversion with loss is prohibited (RFC 2156 section 5.1.5)");
  EXPECT_FALSE(r.transient());
}

TEST(Refusal, SmtpTextIsAscii) {
  Refusal r;
  r.message = "caf\xC3\xA9\r\nX";
  EXPECT_EQ(r.smtp_text(), "caf????X");
}

TEST(Expected, ValueOrRefusal) {
  Expected<int> good = 3;
  Expected<int> bad = make_refusal(550, "5.1.1", reason::unable_to_transfer, diagnostic::unrecognised_or_name, "",
                                   "no such address");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().smtp_code, 550);
  EXPECT_EQ(bad.error().x411_diagnostic, diagnostic::unrecognised_or_name);
}

}  // namespace
