// tests/unit/addressing/rfc822_mailbox_test.cpp: RFC 5322 §3.4 address
// lists with comments (the free-form names of RFC 2156 §4.7.1 step 2 are
// built from them, so each comment must be read exactly once).
#include <gtest/gtest.h>

#include "addressing/rfc822_mailbox.hpp"

namespace {

using mixer::addressing::parse_address_list;
using Comments = std::vector<std::string>;

TEST(Rfc822Mailbox, rfc5322_3_4_comment_inside_a_display_name_is_read_once) {
  auto list = parse_address_list("Jane (the boss) Doe <jane@example.org>");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  const auto& m = list->front().mailboxes.at(0);
  EXPECT_EQ(m.phrase, "Jane Doe");
  EXPECT_EQ(m.comments, Comments{"(the boss)"});
}

TEST(Rfc822Mailbox, rfc5322_3_4_leading_and_trailing_comments_in_order) {
  auto list = parse_address_list("(first) Jane <jane@example.org> (last), (x) bob@example.org (y)");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ(list->at(0).mailboxes.at(0).comments, (Comments{"(first)", "(last)"}));
  EXPECT_EQ(list->at(1).mailboxes.at(0).comments, (Comments{"(x)", "(y)"}));
}

TEST(Rfc822Mailbox, rfc5322_3_4_comment_in_a_group_phrase_belongs_to_the_group) {
  auto list = parse_address_list("(a) Team (the b) : jane@example.org, bob@example.org;");
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  const auto& g = list->front();
  EXPECT_TRUE(g.group);
  EXPECT_EQ(g.group_phrase, "Team");
  EXPECT_EQ(g.comments, (Comments{"(a)", "(the b)"}));
  ASSERT_EQ(g.mailboxes.size(), 2u);
  EXPECT_TRUE(g.mailboxes[0].comments.empty());
}

}  // namespace
