// The p1 section: the peer table and the association parameters load as
// written, and each error class names FILE:LINE and the key exactly.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "conf/config.hpp"
#include "tests/unit/conf/config_fixture.hpp"

using namespace mixer::conf;
namespace fs = std::filesystem;

namespace {
const std::string kBase =
    "gateway:\n"                                   // 1
    "  mta_name: gw.example\n"                     // 2
    "  domain: gw.example\n"                       // 3
    "smtp:\n"                                      // 4
    "  listen: [ \"127.0.0.1:2525\" ]\n"           // 5
    "queue:\n"                                     // 6
    "  directory: var/queue\n"                     // 7
    "p1:\n"                                        // 8
    "  listen: [ \"127.0.0.1:10102\" ]\n";         // 9

struct P1Section : ScratchConfig {
  mixer::conf::LoadResult load(const std::string& more) { return load_text(kBase + more); }
  std::string at(int line) { return file.string() + ":" + std::to_string(line) + ": "; }
};
}  // namespace

TEST_F(P1Section, full_peer_table_loads) {
  std::ofstream(dir / "pw") << "from-file\n";
  auto r = load(
      "  selectors: { tsap: x400, ssap: \"hex:0001\" }\n"                                    // 10
      "  checkpoint_size: 0\n"                                                             // 11
      "  window_size: 5\n"                                                                 // 12
      "  timeouts: { bind: 5s, durable: 2s }\n"                                            // 13
      "  retry: { initial: 30s, max: 10m, lifetime: 2d }\n"                                // 14
      "  peers:\n"                                                                         // 15
      "    - name: guinevere\n"                                                            // 16
      "      password: secret\n"                                                           // 17
      "      our_password_file: pw\n"                                                      // 18
      "      password_form: octets\n"                                                      // 19
      "      addresses: [ 192.0.2.1, \"2001:db8::1\" ]\n"                                  // 20
      "      host: mta.example\n"                                                          // 21
      "      port: 10102\n"                                                                // 22
      "      mode: 1984\n"                                                                 // 23
      "      dialogue: two-way-alternate\n"                                                // 24
      "      selectors: { tsap: \"hex:7834303\" }\n");                                    // 25 (odd: error)
  EXPECT_EQ(only_error(r), at(25) + "key 'p1.peers[0].selectors.tsap': 'hex:7834303' is not hex:OCTETS (an even "
                                    "number of hex digits)");
  std::ofstream(file) << kBase
                      << "  selectors: { tsap: x400, ssap: \"hex:0001\" }\n  checkpoint_size: 0\n  window_size: 5\n"
                         "  retry: { initial: 30s, max: 10m, lifetime: 2d }\n  peers:\n    - name: guinevere\n"
                         "      password: secret\n      our_password_file: pw\n      password_form: octets\n"
                         "      addresses: [ 192.0.2.1 ]\n      host: mta.example\n      mode: 1984\n"
                         "      dialogue: two-way-alternate\n";
  auto ok = load_config(file);
  ASSERT_TRUE(ok.config) << (ok.errors.empty() ? "" : ok.errors[0].text());
  const auto& p = ok.config->p1;
  EXPECT_EQ(p.selectors.tsap, std::optional<std::string>("x400"));
  EXPECT_EQ(p.selectors.ssap, std::optional<std::string>(std::string("\0\1", 2)));
  EXPECT_EQ(p.checkpoint_size, 0u);
  EXPECT_EQ(p.window_size, 5u);
  EXPECT_EQ(p.retry_initial, std::chrono::seconds(30));
  EXPECT_EQ(p.lifetime, std::chrono::hours(48));
  ASSERT_EQ(p.peers.size(), 1u);
  const auto& g = p.peers[0];
  EXPECT_EQ(g.name, "guinevere");
  EXPECT_EQ(g.password, "secret");
  EXPECT_EQ(g.our_password, "from-file");
  EXPECT_TRUE(g.password_octets);
  EXPECT_EQ(g.addresses, std::vector<std::string>{"192.0.2.1"});
  EXPECT_EQ(g.host, "mta.example");
  EXPECT_EQ(g.port, 102);
  EXPECT_EQ(g.mode, 1984);
  EXPECT_TRUE(g.two_way_alternate);
  EXPECT_EQ(p.peer("guinevere"), &g);
  EXPECT_EQ(p.peer("percival"), nullptr);
}

TEST_F(P1Section, duplicate_peer_name) {
  auto r = load("  peers:\n    - { name: a, password: x, our_password: y }\n"
                "    - { name: a, password: x, our_password: y }\n");
  EXPECT_EQ(only_error(r), at(12) + "key 'p1.peers[1].name': peer 'a' is defined twice");
}

TEST_F(P1Section, missing_passwords) {
  auto r = load("  peers:\n    - { name: a, password: x }\n");
  EXPECT_EQ(only_error(r), at(11) + "key 'p1.peers[0].our_password': missing: what we present to the peer (\"\" for none)");
}

TEST_F(P1Section, password_and_password_file) {
  std::ofstream(dir / "pw") << "x\n";
  auto r = load("  peers:\n    - { name: a, password: x, password_file: pw, our_password: y }\n");
  EXPECT_EQ(only_error(r), at(11) + "key 'p1.peers[0].password_file': give password or password_file, not both");
}

TEST_F(P1Section, unreadable_password_file) {
  auto r = load("  peers:\n    - { name: a, password_file: nowhere, our_password: y }\n");
  EXPECT_EQ(only_error(r), at(11) + "key 'p1.peers[0].password_file': cannot read file '" + (dir / "nowhere").string() +
                               "': No such file or directory");
}

TEST_F(P1Section, bad_address_host_port_mode) {
  auto r = load("  peers:\n    - name: a\n      password: x\n      our_password: y\n"
                "      addresses: [ mta.example ]\n"   // 14
                "      host: \"bad host\"\n"            // 15
                "      port: 0\n"                       // 16
                "      mode: 1992\n");                  // 17
  ASSERT_EQ(r.errors.size(), 4u);
  EXPECT_EQ(r.errors[0].text(), at(14) + "key 'p1.peers[0].addresses[0]': 'mta.example' is not an IP address");
  EXPECT_EQ(r.errors[1].text(), at(15) + "key 'p1.peers[0].host': 'bad host' is not a host name or IP address");
  EXPECT_EQ(r.errors[2].text(), at(16) + "key 'p1.peers[0].port': 0 is out of range 1-65535");
  EXPECT_EQ(r.errors[3].text(), at(17) + "key 'p1.peers[0].mode': expected one of 1988, 1984, got '1992'");
}

TEST_F(P1Section, unknown_peer_key) {
  auto r = load("  peers:\n    - { name: a, password: x, our_password: y, pasword: z }\n");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_EQ(r.errors[0].text().rfind(at(11) + "key 'p1.peers[0].pasword': unknown key", 0), 0u) << r.errors[0].text();
}

TEST_F(P1Section, retry_max_below_initial) {
  auto r = load("  retry: { initial: 10m, max: 1m }\n");
  EXPECT_EQ(only_error(r), at(10) + "key 'p1.retry.max': must not be shorter than retry.initial");
}

// Issue 14: p1.routes, O/R address prefixes -> peers tried in order.
TEST_F(P1Section, routes_load_and_errors_name_line_and_key) {
  const std::string peers =
      "  peers:\n"                                                                          // 10
      "    - { name: a, password: \"\", our_password: \"\", host: 127.0.0.1 }\n"              // 11
      "    - { name: b, password: \"\", our_password: \"\", host: 127.0.0.1 }\n"              // 12
      "    - { name: old, password: \"\", our_password: \"\", host: 127.0.0.1, mode: 1984 }\n"  // 13
      "    - { name: in, password: \"\", our_password: \"\" }\n";                             // 14
  auto ok = load(peers +
                 "  routes:\n"                                                          // 15
                 "    - { match: \"/C=GB/ADMD=BT/PRMD=Army/OU=HQ/OU=Ops/\", peers: [ a, b ] }\n"  // 16
                 "    - { match: \"*\", peers: [ old ] }\n");                              // 17
  ASSERT_TRUE(ok.config) << (ok.errors.empty() ? "" : ok.errors[0].text());
  ASSERT_EQ(ok.config->p1.routes.size(), 2u);
  const auto& r = ok.config->p1.routes[0];
  EXPECT_EQ(r.match.size(), 5u);
  EXPECT_EQ(r.match[2], (std::pair<std::string, std::string>("PRMD", "Army")));
  EXPECT_EQ(r.match[4], (std::pair<std::string, std::string>("OU", "Ops")));
  EXPECT_EQ(r.peers, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(ok.config->p1.routes[1].match.empty());

  auto check = [&](const std::string& route, const std::string& expected) {
    auto bad = load(peers + "  routes:\n" + route);
    ASSERT_EQ(bad.errors.size(), 1u) << route;
    EXPECT_EQ(bad.errors[0].text(), expected);
  };
  check("    - { match: \"/O=X/C=GB/\", peers: [ a ] }\n",
        at(16) + "key 'p1.routes[0].match': 'C' out of order: C, ADMD, PRMD, O, then OUs");
  check("    - { match: \"/C=GB/G=John/\", peers: [ a ] }\n",
        at(16) + "key 'p1.routes[0].match': 'G': a route matches on C, ADMD, PRMD, O and OU only");
  check("    - { match: \"C=GB\", peers: [ a ] }\n",
        at(16) + "key 'p1.routes[0].match': 'C=GB' is neither \"*\" nor an O/R address prefix like /C=GB/ADMD=BT/PRMD=Army/");
  check("    - { match: \"*\", peers: [ nobody ] }\n", at(16) + "key 'p1.routes[0].peers': no peer 'nobody' in p1.peers");
  check("    - { match: \"*\", peers: [ in ] }\n",
        at(16) + "key 'p1.routes[0].peers': peer 'in' has no host: it is inbound only");
  check("    - { match: \"*\", peers: [ a, old ] }\n",
        at(16) + "key 'p1.routes[0].peers': peers 'a' and 'old' have different modes: one route's peers take the same converted form");
}

// RFC 2157 §3.1 ("X.400(84) UA with BP14 handling capability"): p1.peers[].bp14, false by
// default, true only for a peer of mode 1984 (a 1988 peer takes [14] anyway).
TEST_F(P1Section, rfc2157_3_1_peer_bp14_for_1984_peers_only) {
  auto ok = load("  peers:\n"                                                                          // 10
                 "    - { name: old, password: \"\", our_password: \"\", host: 127.0.0.1, mode: 1984, bp14: true }\n"  // 11
                 "    - { name: new, password: \"\", our_password: \"\", host: 127.0.0.1 }\n");        // 12
  ASSERT_TRUE(ok.config) << (ok.errors.empty() ? "" : ok.errors[0].text());
  EXPECT_TRUE(ok.config->p1.peers[0].bp14);
  EXPECT_FALSE(ok.config->p1.peers[1].bp14);
  auto bad = load("  peers:\n"                                                                         // 10
                  "    - { name: new, password: \"\", our_password: \"\", host: 127.0.0.1, bp14: true }\n");  // 11
  EXPECT_EQ(only_error(bad), at(11) + "key 'p1.peers[0].bp14': applies to a peer of mode 1984 only (P2 1988 has [14])");
  auto typed = load("  peers:\n"                                                                       // 10
                    "    - { name: old, password: \"\", our_password: \"\", mode: 1984, bp14: maybe }\n");  // 11
  ASSERT_FALSE(typed.errors.empty());
  EXPECT_NE(typed.errors[0].text().find("p1.peers[0].bp14"), std::string::npos) << typed.errors[0].text();
}
