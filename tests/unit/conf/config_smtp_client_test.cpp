// The outbound SMTP keys (smtp.routes, smtp.resolver, smtp.mx_port,
// smtp.helo_name, smtp.out): a full set loads as written, defaults apply,
// and each error class names FILE:LINE and the key exactly.
#include <gtest/gtest.h>

#include <fstream>

#include "conf/config.hpp"
#include "tests/unit/conf/config_fixture.hpp"

using namespace mixer::conf;

namespace {
const std::string kBase =
    "gateway:\n"                                   // 1
    "  mta_name: gw.example\n"                     // 2
    "  domain: gw.example\n"                       // 3
    "queue:\n"                                     // 4
    "  directory: var/queue\n"                     // 5
    "smtp:\n"                                      // 6
    "  listen: [ \"127.0.0.1:2525\" ]\n";          // 7

struct SmtpOut : ScratchConfig {
  LoadResult load(const std::string& more) { return load_text(kBase + more); }
  std::string at(int line) { return file.string() + ":" + std::to_string(line) + ": "; }
};
}  // namespace

TEST_F(SmtpOut, defaults) {
  auto r = load("");
  ASSERT_TRUE(r.config) << r.errors.at(0).text();
  const auto& s = r.config->smtp;
  EXPECT_TRUE(s.routes.empty());
  EXPECT_FALSE(s.resolver);
  EXPECT_EQ(s.mx_port, 25);
  EXPECT_EQ(s.helo_name, "gw.example");  // smtp.hostname, itself gateway.domain
  EXPECT_EQ(s.out.connect_timeout, std::chrono::seconds(30));
  EXPECT_FALSE(s.out.reply_timeout_max);
  EXPECT_FALSE(s.out.verify_probes);  // RFC 2156 Appendix A §1 is an option: off unless asked
  EXPECT_EQ(s.out.max_connections, 100u);
  EXPECT_EQ(s.out.max_per_destination, 10u);
  EXPECT_TRUE(s.out.ca_file.empty());
}

TEST_F(SmtpOut, full_set_loads) {
  std::ofstream(dir / "ca.pem") << "-----BEGIN CERTIFICATE-----\n";
  auto r = load(
      "  helo_name: out.gw.example\n"                                                           // 8
      "  resolver: \"127.0.0.1:5353\"\n"                                                        // 9
      "  mx_port: 2525\n"                                                                       // 10
      "  out: { connect_timeout: 2s, reply_timeout_max: 10s, resolver_timeout: 3s, max_connections: 4,\n"
      "         max_per_destination: 2, max_mx_hosts: 5, max_addresses_per_host: 2,\n"
      "         max_dns_answer_size: 8K, ca_file: ca.pem, verify_probes: true }\n"
      "  routes:\n"                                                                             // 14
      "    - { domain: \"*\", via: mx }\n"                                                      // 15
      "    - { domain: .Example.ORG, via: [ \"relay.example.org:587\", \"[::1]:2526\", 192.0.2.1 ], tls: required }\n"
      "    - { domain: secure.test, via: mx, tls: required, verify: chain, port: 2600 }\n"
      "    - { domain: clear.test, via: mx, tls: none }\n");
  ASSERT_TRUE(r.config) << r.errors.at(0).text();
  const auto& s = r.config->smtp;
  EXPECT_EQ(s.helo_name, "out.gw.example");
  ASSERT_TRUE(s.resolver);
  EXPECT_EQ(s.resolver->text(), "127.0.0.1:5353");
  EXPECT_EQ(s.mx_port, 2525);
  EXPECT_EQ(s.out.connect_timeout, std::chrono::seconds(2));
  EXPECT_EQ(s.out.reply_timeout_max, std::optional<std::chrono::milliseconds>(std::chrono::seconds(10)));
  EXPECT_EQ(s.out.resolver_timeout, std::chrono::seconds(3));
  EXPECT_EQ(s.out.max_connections, 4u);
  EXPECT_EQ(s.out.max_per_destination, 2u);
  EXPECT_EQ(s.out.max_mx_hosts, 5u);
  EXPECT_EQ(s.out.max_addresses_per_host, 2u);
  EXPECT_EQ(s.out.max_dns_answer_size, 8192u);
  EXPECT_EQ(s.out.ca_file, dir / "ca.pem");
  EXPECT_TRUE(s.out.verify_probes);
  ASSERT_EQ(s.routes.size(), 4u);
  EXPECT_EQ(s.routes[0].domain, "*");
  EXPECT_TRUE(s.routes[0].via.empty());
  EXPECT_EQ(s.routes[0].tls, SmtpRouteTls::opportunistic);
  EXPECT_EQ(s.routes[0].verify, SmtpRouteVerify::none);
  EXPECT_EQ(s.routes[1].domain, ".example.org");
  ASSERT_EQ(s.routes[1].via.size(), 3u);
  EXPECT_EQ(s.routes[1].via[0].text(), "relay.example.org:587");
  EXPECT_EQ(s.routes[1].via[1].text(), "[::1]:2526");
  EXPECT_EQ(s.routes[1].via[2].text(), "192.0.2.1:25");
  EXPECT_EQ(s.routes[1].tls, SmtpRouteTls::required);
  EXPECT_EQ(s.routes[1].verify, SmtpRouteVerify::name);  // the default with tls: required
  EXPECT_EQ(s.routes[1].line, 16);
  EXPECT_EQ(s.routes[2].verify, SmtpRouteVerify::chain);
  EXPECT_EQ(s.routes[2].port, std::optional<std::uint16_t>(2600));
  EXPECT_EQ(s.routes[3].tls, SmtpRouteTls::none);
}

TEST_F(SmtpOut, bad_route_values) {
  auto r = load(
      "  routes:\n"                                                    // 8
      "    - { domain: \"exa mple.org\", via: mx }\n"                  // 9
      "    - { domain: a.test, via: smart }\n"                         // 10
      "    - { domain: b.test, via: [ \"relay.test:0\" ] }\n"          // 11
      "    - { domain: c.test, via: mx, tls: sometimes }\n"            // 12
      "    - { domain: d.test, via: mx, verify: name }\n"              // 13
      "    - { domain: e.test, via: [ relay.test ], port: 2525 }\n"    // 14
      "    - { domain: a.test, via: mx }\n"                            // 15
      "    - { via: mx }\n"                                            // 16
      "    - { domain: f.test, via: [ \"::1:25\" ] }\n"                // 17
      "    - { domain: g.test, via: mx, colour: blue }\n");            // 18
  ASSERT_FALSE(r.config);
  ASSERT_EQ(r.errors.size(), 10u);
  EXPECT_EQ(r.errors[0].text(), at(9) + "key 'smtp.routes[0].domain': 'exa mple.org' is not a domain name, .domain "
                                         "(its subdomains) or *");
  EXPECT_EQ(r.errors[1].text(), at(10) + "key 'smtp.routes[1].via': expected mx or a list of smart hosts [ \"host:port\", ... ]");
  EXPECT_EQ(r.errors[2].text(), at(11) + "key 'smtp.routes[2].via[0]': 'relay.test:0': port 0 is out of range 1-65535");
  EXPECT_EQ(r.errors[3].text(), at(12) + "key 'smtp.routes[3].tls': expected one of opportunistic, required, none, got 'sometimes'");
  EXPECT_EQ(r.errors[4].text(), at(13) + "key 'smtp.routes[4].verify': certificate verification needs tls: required "
                                         "(opportunistic TLS falls back to clear text, so verifying would protect nothing)");
  EXPECT_EQ(r.errors[5].text(), at(14) + "key 'smtp.routes[5].port': port applies to MX targets; give smart hosts as \"host:port\"");
  EXPECT_EQ(r.errors[6].text(), at(15) + "key 'smtp.routes[6].domain': a route for 'a.test' is already defined");
  EXPECT_EQ(r.errors[7].text(), at(16) + "key 'smtp.routes[7].domain': required key is missing");
  EXPECT_EQ(r.errors[8].text(), at(17) + "key 'smtp.routes[8].via[0]': '::1:25': write an IPv6 address as [ADDRESS]:PORT");
  EXPECT_EQ(r.errors[9].text().rfind(at(18) + "key 'smtp.routes[9].colour': unknown key", 0), 0u) << r.errors[9].text();
}

TEST_F(SmtpOut, bad_resolver_port_name_and_limits) {
  auto r = load(
      "  resolver: \"dns.example:53\"\n"                  // 8
      "  mx_port: 70000\n"                                // 9
      "  helo_name: \"bad name\"\n"                       // 10
      "  out:\n"                                          // 11
      "    max_connections: 2\n"                          // 12
      "    max_per_destination: 3\n"                      // 13
      "    connect_timeout: soon\n"                       // 14
      "    ca_file: nowhere.pem\n");                      // 15
  ASSERT_FALSE(r.config);
  ASSERT_EQ(r.errors.size(), 6u);
  EXPECT_EQ(r.errors[0].text(), at(8) + "key 'smtp.resolver': 'dns.example:53': the DNS server must be an IP address");
  EXPECT_EQ(r.errors[1].text(), at(9) + "key 'smtp.mx_port': 70000 is out of range 1-65535");
  EXPECT_EQ(r.errors[2].text(), at(10) + "key 'smtp.helo_name': 'bad name' is not a host name");
  EXPECT_EQ(r.errors[3].text(), at(13) + "key 'smtp.out.max_per_destination': larger than smtp.out.max_connections");
  EXPECT_EQ(r.errors[4].text(), at(14) + "key 'smtp.out.connect_timeout': expected a duration such as 500ms, 30s, 5m or 1h, got 'soon'");
  EXPECT_EQ(r.errors[5].text().rfind(at(15) + "key 'smtp.out.ca_file': cannot read file", 0), 0u) << r.errors[5].text();
}
