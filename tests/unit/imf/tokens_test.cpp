// tests/unit/imf/tokens_test.cpp: the structured-field tokenizers
// (imf/tokens.hpp): CFWS and comments, the lexer, msg-id lists with the
// obsolete forms, Keywords phrase lists, "1#" lists, and their limits.
#include <gtest/gtest.h>

#include "imf/encoded_word.hpp"
#include "imf/tokens.hpp"

namespace mixer::imf {
namespace {

std::vector<MsgIdItem> ids(std::string_view s) {
  auto r = parse_msg_id_list(s, Limits{});
  EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().text());
  return r.ok() ? *r : std::vector<MsgIdItem>{};
}

TEST(ImfTokens, rfc5322_3_2_2_cfws_nested_comments_and_quoted_pairs) {
  std::size_t i = 0;
  const std::string s = " (a (nested \\) paren) b)\r\n\t(c) x";
  ASSERT_FALSE(skip_cfws(s, i, Limits{}));
  EXPECT_EQ(s.substr(i), "x");
  i = 0;
  auto e = skip_cfws("(open (inner)", i, Limits{});
  ASSERT_TRUE(e);
  EXPECT_EQ(e->code, Errc::syntax);
  Limits l;
  l.max_comment_depth = 3;
  i = 0;
  EXPECT_FALSE(skip_cfws("(((x)))", i, l));
  i = 0;
  auto deep = skip_cfws("((((x))))", i, l);
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->code, Errc::comment_too_deep);
  // A nesting far past the limit is refused without recursion.
  i = 0;
  EXPECT_TRUE(skip_cfws(std::string(100000, '('), i, Limits{}));
}

TEST(ImfTokens, rfc5322_3_2_4_unquote) {
  EXPECT_EQ(unquote("\"Giant; \\\"Big\\\" Box\""), "Giant; \"Big\" Box");
  EXPECT_EQ(unquote("\"a\r\n b\""), "a b");
  EXPECT_EQ(unquote("\"\""), "");
  auto end = quoted_string_end("\"a\\\"b\" rest", 0);
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(*end, 6u);
  EXPECT_FALSE(quoted_string_end("\"open", 0).ok());
}

TEST(ImfTokens, lexer_rfc5322_a_5_from_field) {
  const std::string s = "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>";
  Lexer lx(s, Limits{}, true);
  std::vector<std::string> got;
  while (true) {
    auto t = lx.next();
    ASSERT_TRUE(t.ok());
    if (t->kind == Token::Kind::end) break;
    got.emplace_back(t->text);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"Pete", "<", "pete", "@", "silly.test", ">"}));
  Lexer lit("[1.2.3.4] \"q s\" ;", Limits{});
  EXPECT_EQ(lit.next()->kind, Token::Kind::domain_literal);
  EXPECT_EQ(lit.next()->kind, Token::Kind::quoted_string);
  auto semi = lit.next();
  EXPECT_EQ(semi->kind, Token::Kind::special);
  EXPECT_EQ(semi->text, ";");
  EXPECT_EQ(lit.next()->kind, Token::Kind::end);
  Lexer bad("[open", Limits{});
  EXPECT_FALSE(bad.next().ok());
}

TEST(ImfTokens, rfc5322_a_2_references) {
  const auto r = ids("<1234@local.machine.example> <3456@example.net>");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].kind, MsgIdItem::Kind::msg_id);
  EXPECT_EQ(r[0].id, "<1234@local.machine.example>");
  EXPECT_EQ(r[1].raw, "<3456@example.net>");
  const auto folded = ids("\r\n <a@b>\r\n\t(comment)<c@[10.0.0.1]>");
  ASSERT_EQ(folded.size(), 2u);
  EXPECT_EQ(folded[1].kind, MsgIdItem::Kind::msg_id);
  EXPECT_EQ(folded[1].id, "<c@[10.0.0.1]>");
}

TEST(ImfTokens, rfc5322_4_5_4_obsolete_msg_ids_and_phrases) {
  // A.6.3: CFWS inside the msg-id.
  const auto a = ids("<1234   @   local(blah)  .machine .example>");
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].kind, MsgIdItem::Kind::obs_msg_id);
  EXPECT_EQ(a[0].id, "<1234@local.machine.example>");
  const auto q = ids("<\"quoted local\"@example.com>");
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q[0].kind, MsgIdItem::Kind::obs_msg_id);
  EXPECT_EQ(q[0].id, "<\"quoted local\"@example.com>");
  // Phrases between the msg-ids (In-Reply-To as old mailers wrote it).
  const auto p = ids("Your message of \"Mon, 3 Dec 2026 10:00:00 +0000\" <a@b> (c) and, also: <d@e>");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].kind, MsgIdItem::Kind::phrase);
  EXPECT_EQ(p[0].raw, "Your message of \"Mon, 3 Dec 2026 10:00:00 +0000\"");
  EXPECT_TRUE(p[0].id.empty());
  EXPECT_EQ(p[1].id, "<a@b>");
  EXPECT_EQ(p[2].kind, MsgIdItem::Kind::phrase);
  EXPECT_EQ(p[2].raw, "and, also:");
  EXPECT_EQ(p[3].id, "<d@e>");
}

TEST(ImfTokens, msg_id_invalid_forms_kept) {
  for (std::string_view s : {"<12345>", "<@b>", "<a@>", "<a b@c>x", "<a<b@c>"}) {
    const auto r = ids(s);
    ASSERT_GE(r.size(), 1u) << s;
    EXPECT_NE(r[0].kind, MsgIdItem::Kind::msg_id) << s;
    EXPECT_NE(r[0].kind, MsgIdItem::Kind::phrase) << s;
  }
  EXPECT_EQ(ids("<a b@c>")[0].kind, MsgIdItem::Kind::obs_msg_id);
  EXPECT_EQ(ids("<a..b@c>")[0].kind, MsgIdItem::Kind::obs_msg_id);
  EXPECT_EQ(ids("<12345>")[0].kind, MsgIdItem::Kind::invalid);
  EXPECT_TRUE(ids("").empty());
  auto open = parse_msg_id_list("<a@b> <c@d", Limits{});
  ASSERT_FALSE(open.ok());
  EXPECT_EQ(open.error().code, Errc::syntax);
  EXPECT_EQ(open.error().offset, 6u);
}

TEST(ImfTokens, msg_id_list_limits) {
  Limits l;
  l.max_items = 3;
  EXPECT_TRUE(parse_msg_id_list("<a@b> <c@d> <e@f>", l).ok());
  auto r = parse_msg_id_list("<a@b> <c@d> <e@f> <g@h>", l);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::too_many_items);
  auto p = parse_msg_id_list("<a@b> x <c@d> y", l);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().code, Errc::too_many_items);
  l.max_value_size = 5;
  EXPECT_EQ(parse_msg_id_list("<a@b.c>", l).error().code, Errc::value_too_long);
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "<" + std::to_string(i) + "@example.com> ";
  auto big = parse_msg_id_list(many, Limits{});
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->size(), 10000u);
}

TEST(ImfTokens, rfc5322_4_1_keywords_phrase_list) {
  auto r = parse_phrase_list(" foo, bar baz,, \"q, x\" , (only a comment), ,x@y, =?UTF-8?Q?caf=C3=A9?=,", Limits{});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 5u);
  EXPECT_EQ((*r)[0].raw, "foo");
  EXPECT_EQ((*r)[1].raw, "bar baz");
  EXPECT_EQ((*r)[2].raw, "\"q, x\"");
  EXPECT_TRUE((*r)[2].phrase);
  EXPECT_EQ((*r)[3].raw, "x@y");
  EXPECT_FALSE((*r)[3].phrase);
  EXPECT_TRUE((*r)[4].phrase);
  EXPECT_EQ(decode_phrase((*r)[4].raw, Limits{})->text, "caf\xc3\xa9");
  EXPECT_EQ(decode_phrase((*r)[2].raw, Limits{})->text, "q, x");
  Limits l;
  l.max_items = 2;
  EXPECT_EQ(parse_phrase_list("a, b, c", l).error().code, Errc::too_many_items);
}

TEST(ImfTokens, rfc2156_appendix_e_lists) {
  // encoded-info, 1#language, "mailbox ; date-time ;" and labelled integers with their "(n)".
  auto a = split_list("IA5-Text, G3-Fax, (2) (6) (1)(11)(0)", ',', Limits{});
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (std::vector<std::string_view>{"IA5-Text", "G3-Fax", "(2) (6) (1)(11)(0)"}));
  auto b = split_list("\"Smith, J\" <j@x.test> ; Fri, 21 Nov 1997 09:55:06 -0600 ;", ';', Limits{});
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (std::vector<std::string_view>{"\"Smith, J\" <j@x.test>", "Fri, 21 Nov 1997 09:55:06 -0600"}));
  auto c = split_list("en (English, UK), de", ',', Limits{});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->size(), 2u);
  auto d = split_list("<a,b@c>, [1,2]", ',', Limits{});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->size(), 2u);
  for (std::string_view bad : {"\"open, x", "(open, x", "<open, x", "[open, x"})
    EXPECT_EQ(split_list(bad, ',', Limits{}).error().code, Errc::syntax) << bad;
}

}  // namespace
}  // namespace mixer::imf
