// smtp/client/routes: the longest matching route wins; "*" via MX without
// any route; the per-destination key.
#include <gtest/gtest.h>

#include "smtp/client/routes.hpp"

using namespace mixer::smtp::client;

namespace {
Route route(std::string domain, std::vector<HostPort> via = {}, TlsPolicy tls = TlsPolicy::opportunistic) {
  Route r;
  r.domain = std::move(domain);
  r.smart_hosts = std::move(via);
  r.tls = tls;
  return r;
}
}  // namespace

TEST(Routes, without_routes_everything_goes_via_mx) {
  RouteTable t;
  auto r = t.match("example.org");
  EXPECT_TRUE(r.via_mx());
  EXPECT_EQ(r.domain, "*");
  EXPECT_EQ(r.tls, TlsPolicy::opportunistic);
  EXPECT_EQ(r.verify, Verify::none);
}

TEST(Routes, longest_match_wins) {
  RouteTable t({route("*", {{"smart.isp.test", 587}}), route(".example.org", {{"relay.example.org", 25}}),
                route("mail.example.org", {}, TlsPolicy::required), route("EXAMPLE.org", {{"10.0.0.1", 2525}})});
  EXPECT_EQ(t.match("other.test").smart_hosts.at(0).host, "smart.isp.test");
  EXPECT_EQ(t.match("a.b.example.org").smart_hosts.at(0).host, "relay.example.org");
  EXPECT_EQ(t.match("example.org").smart_hosts.at(0).host, "10.0.0.1");  // ".example.org" is not example.org
  EXPECT_EQ(t.match("Example.Org.").smart_hosts.at(0).port, 2525);       // case and final dot ignored
  auto mail = t.match("mail.example.org");
  EXPECT_TRUE(mail.via_mx());
  EXPECT_EQ(mail.tls, TlsPolicy::required);
  EXPECT_EQ(t.match("xexample.org").smart_hosts.at(0).host, "smart.isp.test");  // a suffix, not a subdomain
}

TEST(Routes, an_exact_name_beats_a_subdomain_pattern_of_the_same_length) {
  RouteTable t({route(".b.test", {{"sub", 1}}), route("a.b.test", {{"exact", 2}})});
  EXPECT_EQ(t.match("a.b.test").smart_hosts.at(0).host, "exact");
  EXPECT_EQ(t.match("c.b.test").smart_hosts.at(0).host, "sub");
  EXPECT_TRUE(t.match("b.test").via_mx());  // no "*": the default
}

TEST(Routes, destination_key) {
  EXPECT_EQ(destination_key(route("*"), "Example.ORG"), "example.org");
  EXPECT_EQ(destination_key(route("*", {{"a.test", 25}, {"::1", 2525}}), "x.test"), "[a.test:25 [::1]:2525]");
}
