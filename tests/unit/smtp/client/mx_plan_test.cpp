// smtp/client/mx_plan: DNS answers (as c-ares decodes them) to the ordered
// host list, with made-up answers: RFC 5321 §5.1 order and implicit MX, RFC
// 7505 null MX, NXDOMAIN and DNS trouble, our own name in the list, limits.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "smtp/client/mx_plan.hpp"

using namespace mixer::smtp::client;

namespace {

std::vector<std::string> names(const MxPlan& p) {
  std::vector<std::string> out;
  for (const auto& h : p.hosts) out.push_back(h.host);
  return out;
}

HostAnswer v4(std::vector<std::string> addrs) {
  HostAnswer a;
  a.a = addrs.empty() ? DnsStatus::nodata : DnsStatus::ok;
  a.v4 = std::move(addrs);
  return a;
}

struct MxPlanTest : ::testing::Test {
  ResolverLimits limits;
  std::mt19937 random{42};
};

}  // namespace

TEST_F(MxPlanTest, sorted_by_preference) {
  auto p = plan_mx("Example.ORG", DnsStatus::ok, {{"c.example.org.", 30}, {"A.example.org", 10}, {"b.example.org", 20}},
                   limits, "gw.test", random);
  ASSERT_FALSE(p.error);
  EXPECT_FALSE(p.implicit);
  EXPECT_EQ(names(p), (std::vector<std::string>{"a.example.org", "b.example.org", "c.example.org"}));
  EXPECT_EQ(p.hosts[0].preference, 10);
}

TEST_F(MxPlanTest, equal_preferences_in_random_order_but_always_before_worse_ones) {
  std::map<std::string, int> first;
  for (int i = 0; i < 200; ++i) {
    auto p = plan_mx("d.test", DnsStatus::ok, {{"x.d.test", 5}, {"a.d.test", 10}, {"b.d.test", 10}, {"c.d.test", 10}},
                     limits, "", random);
    ASSERT_EQ(p.hosts.size(), 4u);
    EXPECT_EQ(p.hosts[0].host, "x.d.test");
    std::set<std::string> tail{p.hosts[1].host, p.hosts[2].host, p.hosts[3].host};
    EXPECT_EQ(tail, (std::set<std::string>{"a.d.test", "b.d.test", "c.d.test"}));
    ++first[p.hosts[1].host];
  }
  // Each of the three equal hosts came first often (200 draws, ~67 each).
  for (const char* h : {"a.d.test", "b.d.test", "c.d.test"}) EXPECT_GT(first[h], 30) << h;
}

TEST_F(MxPlanTest, no_mx_records_is_the_implicit_mx) {
  for (auto status : {DnsStatus::nodata, DnsStatus::ok}) {
    auto p = plan_mx("plain.test", status, {}, limits, "", random);
    ASSERT_FALSE(p.error);
    EXPECT_TRUE(p.implicit);
    EXPECT_EQ(names(p), std::vector<std::string>{"plain.test"});
  }
}

TEST_F(MxPlanTest, null_mx_is_permanent_556_5_1_10) {
  auto p = plan_mx("nullmx.test", DnsStatus::ok, {{"", 0}}, limits, "", random);
  ASSERT_TRUE(p.error);
  EXPECT_TRUE(p.error->permanent);
  EXPECT_EQ(p.error->reply.code, 556);
  EXPECT_EQ(p.error->reply.enhanced, "5.1.10");
  EXPECT_EQ(p.error->reply.text(), "556 5.1.10 Recipient address has null MX");
  // A root name written with its dot is the same.
  auto q = plan_mx("nullmx.test", DnsStatus::ok, {{".", 0}}, limits, "", random);
  ASSERT_TRUE(q.error);
  EXPECT_EQ(q.error->reply.code, 556);
}

TEST_F(MxPlanTest, a_null_mx_among_real_ones_is_ignored) {
  auto p = plan_mx("mixed.test", DnsStatus::ok, {{"", 0}, {"mx.mixed.test", 10}}, limits, "", random);
  ASSERT_FALSE(p.error);
  EXPECT_EQ(names(p), std::vector<std::string>{"mx.mixed.test"});
}

TEST_F(MxPlanTest, nxdomain_is_permanent_5_1_2) {
  auto p = plan_mx("nx.test", DnsStatus::nxdomain, {}, limits, "", random);
  ASSERT_TRUE(p.error);
  EXPECT_TRUE(p.error->permanent);
  EXPECT_EQ(p.error->reply.code, 550);
  EXPECT_EQ(p.error->reply.enhanced, "5.1.2");
}

TEST_F(MxPlanTest, dns_trouble_is_transient_4_4_3) {
  for (auto status : {DnsStatus::servfail, DnsStatus::timeout, DnsStatus::bad_answer}) {
    auto p = plan_mx("d.test", status, {}, limits, "", random);
    ASSERT_TRUE(p.error);
    EXPECT_FALSE(p.error->permanent);
    EXPECT_EQ(p.error->reply.code, 451);
    EXPECT_EQ(p.error->reply.enhanced, "4.4.3");
  }
}

TEST_F(MxPlanTest, our_own_name_cuts_the_list) {
  auto p = plan_mx("d.test", DnsStatus::ok,
                   {{"better.d.test", 5}, {"GW.test", 10}, {"peer.d.test", 10}, {"worse.d.test", 20}}, limits, "gw.test",
                   random);
  ASSERT_FALSE(p.error);
  EXPECT_EQ(names(p), std::vector<std::string>{"better.d.test"});
  auto loop = plan_mx("d.test", DnsStatus::ok, {{"gw.test", 10}, {"backup.d.test", 20}}, limits, "gw.test", random);
  ASSERT_TRUE(loop.error);
  EXPECT_EQ(loop.error->reply.enhanced, "5.4.6");
}

TEST_F(MxPlanTest, limits_and_junk) {
  limits.max_mx_hosts = 3;
  std::vector<MxRecord> many;
  for (int i = 0; i < 50; ++i) many.push_back({"mx" + std::to_string(i) + ".d.test", 50 - i});
  many.push_back({"bad name.d.test", 0});          // not a host name: ignored
  many.push_back({"mx49.d.test", 99});             // twice: its best kept
  auto p = plan_mx("d.test", DnsStatus::ok, many, limits, "", random);
  ASSERT_FALSE(p.error);
  EXPECT_EQ(names(p), (std::vector<std::string>{"mx49.d.test", "mx48.d.test", "mx47.d.test"}));
  EXPECT_EQ(p.hosts[0].preference, 1);
  auto junk = plan_mx("d.test", DnsStatus::ok, {{"a b", 1}, {"c..d", 2}}, limits, "", random);
  ASSERT_TRUE(junk.error);
  EXPECT_FALSE(junk.error->permanent);
}

TEST_F(MxPlanTest, assemble_keeps_order_and_drops_hosts_without_address) {
  auto p = plan_mx("d.test", DnsStatus::ok, {{"one.d.test", 10}, {"two.d.test", 20}, {"three.d.test", 30}}, limits, "",
                   random);
  HostAnswer two;
  two.a = DnsStatus::ok;
  two.v4 = {"192.0.2.2", "192.0.2.2", "192.0.2.3"};
  two.aaaa = DnsStatus::ok;
  two.v6 = {"2001:db8::2"};
  limits.max_addresses_per_host = 3;
  auto r = assemble("d.test", p, {v4({}), two, v4({"192.0.2.30"})}, limits);
  ASSERT_FALSE(r.error);
  ASSERT_EQ(r.hosts.size(), 2u);
  EXPECT_EQ(r.hosts[0].name, "two.d.test");
  EXPECT_EQ(r.hosts[0].addresses, (std::vector<std::string>{"192.0.2.2", "192.0.2.3", "2001:db8::2"}));
  EXPECT_EQ(r.hosts[1].name, "three.d.test");
  EXPECT_EQ(r.text(), "two.d.test[192.0.2.2][192.0.2.3][2001:db8::2] (20), three.d.test[192.0.2.30] (30)");
}

TEST_F(MxPlanTest, assemble_failures) {
  // Implicit MX without addresses: the domain exists but takes no mail: permanent.
  auto implicit = plan_mx("noaddr.test", DnsStatus::nodata, {}, limits, "", random);
  auto r = assemble("noaddr.test", implicit, {v4({})}, limits);
  ASSERT_TRUE(r.error);
  EXPECT_TRUE(r.error->permanent);
  EXPECT_EQ(r.error->reply.enhanced, "5.1.2");
  // ... unless a lookup failed: transient.
  HostAnswer failing;
  failing.a = DnsStatus::timeout;
  r = assemble("noaddr.test", implicit, {failing}, limits);
  ASSERT_TRUE(r.error);
  EXPECT_FALSE(r.error->permanent);
  EXPECT_EQ(r.error->reply.enhanced, "4.4.3");
  // MX hosts none of which has an address: transient (the domain means to take mail).
  auto mx = plan_mx("d.test", DnsStatus::ok, {{"gone.d.test", 10}}, limits, "", random);
  HostAnswer gone;
  gone.a = gone.aaaa = DnsStatus::nxdomain;
  r = assemble("d.test", mx, {gone}, limits);
  ASSERT_TRUE(r.error);
  EXPECT_FALSE(r.error->permanent);
  EXPECT_NE(r.error->text.find("gone.d.test"), std::string::npos) << r.error->text;
  // The plan's own error passes through.
  auto nx = plan_mx("nx.test", DnsStatus::nxdomain, {}, limits, "", random);
  r = assemble("nx.test", nx, {}, limits);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->reply.code, 550);
}

TEST(DnsName, accepts_host_names_only) {
  EXPECT_TRUE(is_dns_name("mx1.example.org"));
  EXPECT_TRUE(is_dns_name("_dmarc.x-y.test"));
  EXPECT_FALSE(is_dns_name(""));
  EXPECT_FALSE(is_dns_name("a..b"));
  EXPECT_FALSE(is_dns_name(".a"));
  EXPECT_FALSE(is_dns_name("a b"));
  EXPECT_FALSE(is_dns_name("a\r\nb"));
  EXPECT_FALSE(is_dns_name(std::string(64, 'a') + ".test"));
}
