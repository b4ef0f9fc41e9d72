// gateway/cli/p1.cpp: `mixer p1-ping` (bind to an MTA, print its answer,
// release; like the "x400 ping" of the reference captures) and `mixer
// p1-submit` (hand MTS-APDU files to the running daemon for transfer).
#include <cstdio>
#include <filesystem>

#include "gateway/cli/commands.hpp"
#include "gateway/control.hpp"
#include "gateway/p1_config.hpp"
#include "p1/association/initiator.hpp"

namespace mixer::cli {

namespace pa = p1::association;

namespace {

// "host:port", "[v6]:port" or "host" (port 102).
bool split_host_port(const std::string& s, std::string& host, std::uint16_t& port) {
  std::string p;
  if (!s.empty() && s.front() == '[') {
    auto close = s.find(']');
    if (close == std::string::npos) return false;
    host = s.substr(1, close - 1);
    if (close + 1 < s.size()) {
      if (s[close + 1] != ':') return false;
      p = s.substr(close + 2);
    }
  } else {
    auto colon = s.rfind(':');
    host = s.substr(0, colon);
    if (colon != std::string::npos) p = s.substr(colon + 1);
  }
  if (host.empty()) return false;
  if (p.empty()) return (port = 102), true;
  if (p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) return false;
  unsigned long v = std::stoul(p);
  if (v == 0 || v > 65535) return false;
  port = static_cast<std::uint16_t>(v);
  return true;
}

std::optional<pa::Bytes> selector(const std::string& s) {
  if (s.empty()) return std::nullopt;
  pa::Bytes out;
  if (s.rfind("hex:", 0) == 0) {
    for (std::size_t i = 4; i + 1 < s.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(s.substr(i, 2), nullptr, 16)));
  } else {
    out.assign(s.begin(), s.end());
  }
  return out;
}

}  // namespace

int p1_ping(const std::filesystem::path& file, const P1PingArgs& a) {
  pa::PingOptions o;
  std::optional<conf::Config> config;
  if (a.mta.empty() || !a.peer.empty()) {
    auto loaded = conf::load_config(file);
    if (loaded.config) config = std::move(loaded.config);
    else if (a.mta.empty()) {
      for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.text().c_str());
      std::fprintf(stderr, "mixer: p1-ping: give --mta, or a readable configuration (-c)\n");
      return 2;
    }
  }
  // A peer of the configuration supplies what the command line leaves out.
  const conf::P1Peer* peer = config && !a.peer.empty() ? config->p1.peer(a.peer) : nullptr;
  if (peer) {
    auto ps = gateway::peer_settings(*peer);
    o.host = ps.host;
    o.port = ps.port;
    o.password = ps.our_password;
    o.peer_password = ps.password;
    o.password_octets = ps.password_octets;
    o.local = ps.local;
    o.remote = ps.remote;
    o.mode = ps.mode;
  }
  if (!a.address.empty() && !split_host_port(a.address, o.host, o.port)) {
    std::fprintf(stderr, "mixer: p1-ping: '%s' is not HOST:PORT\n", a.address.c_str());
    return 2;
  }
  if (o.host.empty()) {
    std::fprintf(stderr, "mixer: p1-ping: give HOST:PORT (or --peer NAME of a peer with a host in p1.peers)\n");
    return 2;
  }
  o.mta = a.mta.empty() ? config->gateway.mta_name : a.mta;
  if (a.password) o.password = *a.password;
  o.peer = a.peer;
  if (a.peer_password) o.peer_password = *a.peer_password;
  if (a.octet_password) o.password_octets = true;
  if (a.mode == "1984") o.mode = p1::rtse::Mode::x410_1984;
  if (auto t = selector(a.tsap)) o.remote.tsap = t;
  o.timeout = std::chrono::milliseconds(static_cast<long>(a.timeout_seconds * 1000));
  auto result = pa::p1_ping(o);
  std::printf("%s\n", result.answer.c_str());
  return result.ok ? 0 : 1;
}

int p1_submit(const std::filesystem::path& file, const std::string& peer, const std::vector<std::string>& files) {
  auto loaded = conf::load_config(file);
  for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.text().c_str());
  if (!loaded.config) return 2;
  int status = 0;
  for (const auto& f : files) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(f, ec);
    auto answer = gateway::control_request(loaded.config->control.socket, "p1-submit " + peer + " " + abs.string());
    if (!answer) {
      std::fprintf(stderr, "mixer: no daemon answers on %s: p1-submit needs the running daemon\n",
                   loaded.config->control.socket.c_str());
      return 1;
    }
    if (answer->rfind("ok ", 0) == 0) {
      std::printf("%s: queued as %s\n", f.c_str(), answer->substr(3).c_str());
    } else {
      std::fprintf(stderr, "mixer: %s\n", answer->substr(answer->find(' ') + 1).c_str());
      status = 1;
    }
  }
  return status;
}

}  // namespace mixer::cli
