// Config loading: the shipped default works, and every error class names
// FILE:LINE and the key exactly (check-config's contract).
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "conf/config.hpp"
#include "tests/unit/conf/config_fixture.hpp"

using namespace mixer::conf;
namespace fs = std::filesystem;

namespace {
// A minimal valid config; tests replace one line to make one error.
const char* kBase =
    "gateway:\n"                                   // 1
    "  mta_name: gw.example\n"                     // 2
    "  domain: gw.example\n"                       // 3
    "smtp:\n"                                      // 4
    "  listen: [ \"127.0.0.1:2525\" ]\n"           // 5
    "  max_recipients: 100\n"                      // 6
    "queue:\n"                                     // 7
    "  directory: var/queue\n";                    // 8

struct ConfigFile : ScratchConfig {
  LoadResult load(const std::string& text) { return load_text(text); }
  std::string replace(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  }
};
}  // namespace

TEST(ConfigDefault, shipped_config_loads_with_no_edits) {
  auto r = load_config("conf/mixer.yaml");
  for (const auto& e : r.errors) ADD_FAILURE() << e.text();
  ASSERT_TRUE(r.config);
  const auto& c = *r.config;
  EXPECT_EQ(c.smtp.listen.at(0).text(), "127.0.0.1:2525");
  EXPECT_EQ(c.p1.listen.at(0).text(), "127.0.0.1:10102");
  EXPECT_EQ(c.queue.directory, fs::absolute("var/queue").lexically_normal());
  EXPECT_EQ(c.smtp.hostname, "mixer.localhost");
  EXPECT_FALSE(c.smtp.tls.has_value());
}

TEST_F(ConfigFile, minimal_config_gets_defaults) {
  auto r = load(kBase);
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  EXPECT_EQ(r.config->queue.directory, dir / "var/queue");
  EXPECT_EQ(r.config->control.socket, dir / "var/run/mixer.sock");
  EXPECT_EQ(r.config->smtp.max_message_size, 10u << 20);
}

// p1.timeouts.linger: how long an outbound association with nothing to send stays bound
// for the next message (default 2s; 0: release at once).
TEST_F(ConfigFile, p1_linger_default_and_zero) {
  auto r = load(kBase);
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->p1.linger_timeout, std::chrono::seconds(2));
  auto z = load(std::string(kBase) + "p1:\n  timeouts: { linger: 0s }\n");
  ASSERT_TRUE(z.config) << (z.errors.empty() ? "" : z.errors[0].text());
  EXPECT_EQ(z.config->p1.linger_timeout.count(), 0);
  auto m = load(std::string(kBase) + "p1:\n  timeouts: { linger: 500ms }\n");
  ASSERT_TRUE(m.config) << (m.errors.empty() ? "" : m.errors[0].text());
  EXPECT_EQ(m.config->p1.linger_timeout, std::chrono::milliseconds(500));
}

TEST_F(ConfigFile, unknown_key) {
  auto r = load(std::string(kBase) + "  bogus: 1\n");
  EXPECT_EQ(only_error(r), file.string() + ":9: key 'queue.bogus': unknown key (known here: directory, "
                                           "max_messages, max_size, min_free_space, sync, sync_workers, postmaster_maildir, "
                                           "lifetime, "
                                           "delay_warning, snapshot_interval, retry, smtp)");
}

TEST_F(ConfigFile, queue_manager_keys) {
  auto r = load(std::string(kBase) +
                "  lifetime: 2d\n  delay_warning: 0s\n  retry: { initial: 30s, max: 10m }\n"
                "  smtp: { max_connections: 40, max_per_destination: 8 }\n  snapshot_interval: 0s\n");
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  const auto& q = r.config->queue;
  EXPECT_EQ(q.lifetime, std::chrono::hours(48));
  EXPECT_EQ(q.delay_warning, std::chrono::milliseconds(0));
  EXPECT_EQ(q.retry_initial, std::chrono::seconds(30));
  EXPECT_EQ(q.retry_max, std::chrono::minutes(10));
  EXPECT_EQ(q.smtp_max_connections, 40u);
  EXPECT_EQ(q.smtp_max_per_destination, 8u);
  EXPECT_EQ(q.snapshot_interval, std::chrono::milliseconds(0));  // only at a clean shutdown
  auto defaults = load(kBase);
  ASSERT_TRUE(defaults.config);
  EXPECT_EQ(defaults.config->queue.snapshot_interval, std::chrono::seconds(60));
  EXPECT_EQ(defaults.config->queue.lifetime, std::chrono::hours(24 * 5));
  EXPECT_EQ(defaults.config->queue.delay_warning, std::chrono::hours(4));
  EXPECT_EQ(only_error(load(std::string(kBase) + "  retry: { initial: 10m, max: 1m }\n")),
            file.string() + ":9: key 'queue.retry.max': must not be shorter than retry.initial");
  EXPECT_EQ(only_error(load(std::string(kBase) + "  smtp: { max_connections: 2, max_per_destination: 3 }\n")),
            file.string() + ":9: key 'queue.smtp.max_per_destination': must not be more than max_connections");
  EXPECT_EQ(only_error(load(std::string(kBase) + "  lifetime: soon\n")),
            file.string() + ":9: key 'queue.lifetime': expected a duration such as 500ms, 30s, 5m or 1h, got 'soon'");
}

TEST_F(ConfigFile, unknown_section) {
  auto r = load(std::string(kBase) + "smtpd:\n  listen: x\n");
  EXPECT_EQ(only_error(r), file.string() + ":9: key 'smtpd': unknown key (known here: threads, gateway, smtp, p1, "
                                           "routing, addressing, mapping, queue, control, log)");
}

TEST_F(ConfigFile, wrong_type) {
  auto r = load(replace(kBase, "max_recipients: 100", "max_recipients: many"));
  EXPECT_EQ(only_error(r), file.string() + ":6: key 'smtp.max_recipients': expected a whole number, got 'many'");
  auto r2 = load(replace(kBase, "max_recipients: 100", "max_recipients: [1, 2]"));
  EXPECT_EQ(only_error(r2), file.string() + ":6: key 'smtp.max_recipients': expected a single value, got a list");
}

TEST_F(ConfigFile, out_of_range) {
  auto r = load(replace(kBase, "max_recipients: 100", "max_recipients: 0"));
  EXPECT_EQ(only_error(r), file.string() + ":6: key 'smtp.max_recipients': 0 is out of range 1-100000");
}

TEST_F(ConfigFile, bad_port) {
  auto r = load(replace(kBase, "127.0.0.1:2525", "127.0.0.1:99999"));
  EXPECT_EQ(only_error(r), file.string() + ":5: key 'smtp.listen[0]': port 99999 is out of range 1-65535");
}

TEST_F(ConfigFile, missing_file) {
  auto t = load(replace(kBase, "  max_recipients: 100\n",
                        "  max_recipients: 100\n  tls:\n    certificate: /nonexistent/cert.pem\n"
                        "    private_key: /nonexistent/key.pem\n"));
  ASSERT_EQ(t.errors.size(), 2u);
  EXPECT_EQ(t.errors[0].text(), file.string() + ":8: key 'smtp.tls.certificate': cannot read file "
                                                "'/nonexistent/cert.pem': No such file or directory");
  EXPECT_EQ(t.errors[1].text(), file.string() + ":9: key 'smtp.tls.private_key': cannot read file "
                                                "'/nonexistent/key.pem': No such file or directory");
}

TEST_F(ConfigFile, missing_required_key) {
  auto r = load(replace(kBase, "  domain: gw.example\n", ""));
  EXPECT_EQ(only_error(r), file.string() + ":2: key 'gateway.domain': required key is missing");
}

TEST_F(ConfigFile, duplicate_key) {
  auto r = load(std::string(kBase) + "  directory: other\n");
  EXPECT_EQ(only_error(r), file.string() + ":9: key 'queue.directory': duplicate key");
}

TEST_F(ConfigFile, bad_choice_and_duration) {
  auto r = load(std::string(kBase) + "  sync: sometimes\nlog:\n  level: loud\n");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].text(), file.string() + ":9: key 'queue.sync': expected one of syncfs, fsync, got 'sometimes'");
  EXPECT_EQ(r.errors[1].text(),
            file.string() + ":11: key 'log.level': expected one of debug, info, warning, error, got 'loud'");
  auto d = load(replace(kBase, "  max_recipients: 100\n", "  timeouts: { idle: forever }\n"));
  EXPECT_EQ(only_error(d), file.string() + ":6: key 'smtp.timeouts.idle': expected a duration such as 500ms, "
                                           "30s, 5m or 1h, got 'forever'");
}

TEST_F(ConfigFile, bad_domains) {
  auto r = load(replace(kBase, "  domain: gw.example\n", "  domain: gw_example\n"));
  EXPECT_EQ(only_error(r), file.string() + ":3: key 'gateway.domain': 'gw_example' is not a domain name");
  auto x = load(std::string(kBase) + "routing:\n  x400_domains: [ok.example, \"bad domain\"]\n");
  EXPECT_EQ(only_error(x), file.string() + ":10: key 'routing.x400_domains[1]': 'bad domain' is not a domain "
                                           "name (or .domain for its subdomains)");
}

TEST_F(ConfigFile, yaml_syntax_error) {
  auto r = load("gateway:\n  mta_name: [unclosed\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, file.string());
  EXPECT_GT(r.errors[0].line, 0);
  EXPECT_NE(r.errors[0].message.find("YAML syntax error"), std::string::npos);
}

TEST_F(ConfigFile, listen_clash_between_smtp_and_p1) {
  auto r = load(std::string(kBase) + "p1:\n  listen: [ \"127.0.0.1:2525\" ]\n");
  EXPECT_EQ(only_error(r), file.string() + ":10: key 'p1.listen': 127.0.0.1:2525 is also an SMTP listen address");
}

TEST_F(ConfigFile, unreadable_config_file) {
  auto r = load_config(dir / "nope.yaml");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].text(), (dir / "nope.yaml").string() + ": cannot read config: No such file or directory");
}

// gateway.postmaster: the From: of the gateway's DSNs (RFC 2156 §5.3.8.1), an addr-spec.
TEST_F(ConfigFile, rfc2156_5_3_8_1_postmaster_defaults_to_the_gateway_domain) {
  auto r = load(kBase);
  ASSERT_TRUE(r.config);
  EXPECT_EQ(r.config->gateway.postmaster, "postmaster@gw.example");
  r = load(replace(kBase, "  domain: gw.example\n", "  domain: gw.example\n  postmaster: mail-admin@gw.example\n"));
  ASSERT_TRUE(r.config) << (r.errors.empty() ? "" : r.errors[0].text());
  EXPECT_EQ(r.config->gateway.postmaster, "mail-admin@gw.example");
}

TEST_F(ConfigFile, rfc2156_5_3_8_1_postmaster_not_an_addr_spec) {
  for (const char* bad : {"postmaster", "a b@gw.example", "a@", "@gw.example", "a..b@gw.example", "a@gw..example"}) {
    auto r = load(replace(kBase, "  domain: gw.example\n",
                          std::string("  domain: gw.example\n  postmaster: \"") + bad + "\"\n"));
    EXPECT_EQ(only_error(r), file.string() + ":4: key 'gateway.postmaster': '" + bad +
                                 "' is not an addr-spec local@domain (dot-atom local part)")
        << bad;
  }
}
