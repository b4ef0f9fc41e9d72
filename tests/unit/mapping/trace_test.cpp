// tests/unit/mapping/trace_test.cpp: X400-Received (RFC 2156 §5.3.7) both
// ways, from the RFC's own examples, and the merge of trace with internal
// trace.
#include <gtest/gtest.h>

#include "addressing/std_or.hpp"
#include "mapping/trace.hpp"

namespace {

using namespace mixer;
using namespace mixer::mapping;

imf::Limits limits;

TEST(Trace, rfc2156_5_3_7_simple_example_parses) {
  auto e = parse_x400_trace("by /PRMD=UK.AC/ADMD=Gold 400/C=GB/ ; Relayed ;\r\n        Tue, 20 Jun 89 19:25:11 +0100",
                            limits);
  ASSERT_TRUE(e);
  EXPECT_FALSE(e->mta);
  EXPECT_EQ(*e->domain.prmd.printable, "UK.AC");
  EXPECT_EQ(*e->domain.admd.printable, "Gold 400");
  EXPECT_EQ(e->routing_action, 0);
  EXPECT_EQ(e->arrival.year, 1989);
  EXPECT_EQ(e->arrival.offset, 60);
}

TEST(Trace, rfc2156_5_3_7_complex_example_parses_and_formats_back) {
  auto e = parse_x400_trace(
      "by mta \"UK.AC.UCL.CS\" in\r\n       /PRMD=UK.AC/ADMD=Gold 400/C=GB/ ;\r\n       deferred until  Tue, 20 Jun 89 "
      "14:24:22 +0100 ;\r\n        converted (undefined, g3fax) ; attempted MD /ADMD=Foo/C=GB/ ;\r\n        Relayed, "
      "Expanded, Redirected ; Tue, 20 Jun 89 19:25:11 +0100",
      limits);
  ASSERT_TRUE(e);
  EXPECT_EQ(*e->mta, "UK.AC.UCL.CS");
  ASSERT_TRUE(e->deferred_until);
  EXPECT_EQ(e->deferred_until->hour, 14);
  ASSERT_TRUE(e->converted);
  EXPECT_TRUE(e->converted->built_in.test(0));
  EXPECT_TRUE(e->converted->built_in.test(3));
  ASSERT_TRUE(e->attempted);
  EXPECT_EQ(*std::get<addressing::GlobalDomainIdentifier>(*e->attempted).admd.printable, "Foo");
  EXPECT_TRUE(e->expanded);
  EXPECT_TRUE(e->redirected);
  auto text = format_x400_trace(*e);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text,
            "by mta \"UK.AC.UCL.CS\" in /PRMD=UK.AC/ADMD=Gold 400/C=GB/ ; deferred until Tue, 20 Jun 1989 14:24:22 "
            "+0100 ; converted (Undefined, G3-Fax) ; attempted MD /ADMD=Foo/C=GB/ ; Relayed, Expanded, Redirected ; "
            "Tue, 20 Jun 1989 19:25:11 +0100");
  EXPECT_EQ(parse_x400_trace(*text, limits), e);
}

TEST(Trace, rfc2156_5_3_7_mta_is_a_word) {
  TraceEntry e;
  e.domain.country = addressing::Text::of("GB");
  e.domain.admd = addressing::Text::of("Gold 400");
  e.mta = "mta-one";  // an atom: not quoted
  e.arrival = imf::DateTime{1991, 5, 30, 18, 23, 26, 60, true};
  EXPECT_EQ(*format_x400_trace(e), "by mta mta-one in /ADMD=Gold 400/C=GB/ ; Relayed ; Thu, 30 May 1991 18:23:26 +0100");
  e.mta = "a \"quoted\" one";
  auto text = format_x400_trace(e);
  ASSERT_TRUE(text);
  EXPECT_EQ(parse_x400_trace(*text, limits)->mta, e.mta);
  e.attempted = std::string("mta.two");
  text = format_x400_trace(e);
  EXPECT_NE(text->find("attempted MTA \"mta.two\""), std::string::npos);
  EXPECT_EQ(parse_x400_trace(*text, limits), e);
}

TEST(Trace, bad_x400_received_values_are_refused) {
  for (const char* bad : {"", "by /C=GB/ ; Tue, 20 Jun 89 19:25:11 +0100",                        // no action list
                          "by /C=GB/ ; Relayed ; yesterday",                                      // no date
                          "via /C=GB/ ; Relayed ; Tue, 20 Jun 89 19:25:11 +0100",                 // not "by"
                          "by /C=GB/ ; Relayed, Rerouted ; Tue, 20 Jun 89 19:25:11 +0100",        // two routings
                          "by /C=GB/ ; Jumped ; Tue, 20 Jun 89 19:25:11 +0100",                   // no such action
                          "by /C=GB/ ; converted () ; Relayed ; Tue, 20 Jun 89 19:25:11 +0100",   // empty EITs
                          "by mta x /C=GB/ ; Relayed ; Tue, 20 Jun 89 19:25:11 +0100",            // no "in"
                          "by /C=GB/O=x/ ; Relayed ; Tue, 20 Jun 89 19:25:11 +0100"})             // not a global-id
    EXPECT_FALSE(parse_x400_trace(bad, limits)) << bad;
}

TEST(Trace, x411_times_both_ways) {
  auto t = time_of("261203095900+0100");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->year, 2026);
  EXPECT_EQ(t->offset, 60);
  EXPECT_EQ(utc_time_of(*t), "261203095900+0100");
  EXPECT_TRUE(time_of("20261203095900Z"));  // GeneralizedTime
  EXPECT_FALSE(time_of("261303095900Z"));   // month 13
  imf::DateTime far{2090, 1, 1, 0, 0, 0, 0, true};
  EXPECT_FALSE(utc_time_of(far));  // §3.3.5: UTCTime's years are 1980-2079
}

p1::mts::TraceInformationElement external(const char* prmd, const char* time) {
  p1::mts::TraceInformationElement e;
  e.global_domain_identifier.country = addressing::Text::of("GB");
  e.global_domain_identifier.admd = addressing::Text::of("Gold 400");
  e.global_domain_identifier.prmd = addressing::Text::of(prmd);
  e.domain_supplied_information.arrival_time = time;
  return e;
}

TEST(Trace, rfc2156_5_3_7_internal_element_shown_instead_of_its_external_one) {
  p1::mts::TraceInformation trace{external("A", "910530182000+0100"), external("B", "910530182326+0100")};
  p1::mts::InternalTraceInformation internal;
  for (const char* t : {"910530182326+0100", "910530182400+0100"}) {
    p1::mts::InternalTraceInformationElement i;
    i.global_domain_identifier = trace[1].global_domain_identifier;
    i.mta_name = std::string("mta-") + t[10];
    i.mta_supplied_information.arrival_time = t;
    internal.push_back(i);
  }
  std::size_t unreadable = 0;
  auto merged = merge_trace(trace, &internal, unreadable);
  ASSERT_EQ(merged.size(), 3u);  // A, then B shown by its first internal element, then the second
  EXPECT_FALSE(merged[0].mta);
  EXPECT_EQ(*merged[1].mta, "mta-2");
  EXPECT_EQ(*merged[2].mta, "mta-0");
  EXPECT_EQ(unreadable, 0u);
  trace.push_back(external("C", "not a time"));
  merged = merge_trace(trace, &internal, unreadable);
  EXPECT_EQ(unreadable, 1u);
}

TEST(Trace, appendix_d_mixer_conversions_counted) {
  TraceEntry e;
  std::vector<TraceEntry> list(3, e);
  list[1].converted = syntax::EncodedInfo{};
  list[1].converted->extended.push_back(syntax::eit_mixer());
  list[2].converted = syntax::EncodedInfo{};
  list[2].converted->built_in.set(2);
  EXPECT_EQ(mixer_conversions(list), 1u);
}

}  // namespace
