// tests/unit/gateway/submit_fixture.hpp: the submit stage's test fixture (a
// gateway config with a 1988 and a 1984 peer, runtimes built from it, the P1
// message a gateway A transfers), shared by the submit tests.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gateway/submit.hpp"
#include "p1/mts/mts.hpp"

namespace mixer::test_submit {

using namespace mixer;
namespace fs = std::filesystem;
namespace mts = p1::mts;

inline const std::string kMessage =
    "From: Jane <jane@client.example>\r\n"
    "To: a@x400.example, b@army.example\r\n"
    "Subject: hello\r\n"
    "Message-ID: <m1@client.example>\r\n"
    "Date: Thu, 03 Dec 2026 12:00:00 +0000\r\n"
    "\r\n"
    "Hello.\r\n";

struct SubmitTest : ::testing::Test {
  fs::path dir = fs::temp_directory_path() / ("mixer-submit-test-" + std::to_string(::getpid()));
  mapping::Clock clock;

  void SetUp() override {
    fs::create_directories(dir);
    clock.now = std::chrono::sys_seconds(std::chrono::seconds(1796299200));
  }
  void TearDown() override { fs::remove_all(dir); }

  conf::Config config(std::vector<std::string> x400_domains, std::string mta = "gw-mta") {
    conf::Config c;
    c.file = dir / "mixer.yaml";
    c.gateway.domain = "gw.example";
    c.gateway.mta_name = mta;
    c.gateway.or_address = "/O=Gateway/PRMD=GW/ADMD= /C=XX/";
    c.gateway.country = "XX";
    c.gateway.admd = " ";
    c.gateway.prmd = "GW";
    c.smtp.hostname = "mx.gw.example";
    c.routing.x400_domains = std::move(x400_domains);
    conf::P1Peer peer;
    peer.name = "new-mta";
    peer.host = "127.0.0.1";
    c.p1.peers.push_back(peer);
    peer.name = "old-mta";
    peer.mode = 1984;
    c.p1.peers.push_back(peer);
    return c;
  }
  // B ("b-mta"): every X.400 address relayed over P1 to `peers` in order (p1.routes "*").
  conf::Config relaying(std::vector<std::string> peers) {
    auto c = config({"x400.example"}, "b-mta");
    conf::P1Route all;
    all.text = "*";
    all.peers = std::move(peers);
    c.p1.routes = {all};
    return c;
  }
  std::shared_ptr<const gateway::Runtime> runtime(const conf::Config& c) {
    auto built = gateway::make_runtime(c);
    for (const auto& e : built.errors) ADD_FAILURE() << e;
    return built.runtime;
  }
  static queue::RecipientRecord p1_recipient(std::string address, std::string or_address, std::string peer) {
    queue::RecipientRecord r;
    r.address = std::move(address);
    r.or_address = std::move(or_address);
    r.channel = queue::Channel::p1;
    r.peer = std::move(peer);
    r.notify = "SUCCESS,FAILURE";
    return r;
  }
  // The message A converts for the P1 form of `address` (what B then receives).
  mts::Message transferred(const gateway::Runtime& rt, const std::string& address) {
    gateway::SmtpSubmit in;
    in.mail_from = "jane@client.example";
    in.recipients = {p1_recipient(address, "", "new-mta")};
    in.peer_modes = {1988};
    auto s = gateway::submit_smtp(rt, in, kMessage, "1K1Q6GV13DY", clock);
    EXPECT_TRUE(s) << (s ? "" : s.error().text());
    auto apdu = mts::decode_mts_apdu(p1::ber::ByteView(reinterpret_cast<const std::uint8_t*>(s->forms.at(0).octets.data()),
                                                       s->forms.at(0).octets.size()));
    EXPECT_TRUE(apdu);
    return std::get<mts::Message>(*apdu);
  }
};

}  // namespace mixer::test_submit
