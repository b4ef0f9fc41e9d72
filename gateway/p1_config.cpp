// gateway/p1_config.cpp: conf::P1Config -> p1::association settings.
#include "gateway/p1_config.hpp"

namespace mixer::gateway {

namespace pa = p1::association;

namespace {

std::optional<pa::Bytes> octets(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return pa::Bytes(s->begin(), s->end());
}

pa::Selectors selectors(const conf::P1Selectors& s) { return {octets(s.tsap), octets(s.ssap), octets(s.psap)}; }

void common(const conf::Config& c, pa::CommonSettings& s) {
  const auto& p = c.p1;
  s.mta_name = c.gateway.mta_name;
  s.checkpoint_size = static_cast<std::int64_t>(p.checkpoint_size);
  s.window_size = static_cast<std::int64_t>(p.window_size);
  s.limits.max_apdu = p.max_apdu_size;
  s.limits.ber.max_size = p.max_apdu_size;
  s.limits.transport.max_tsdu = p.max_apdu_size + (1u << 20);  // the APDU and the layers around it
  s.deadlines.connect = p.connect_timeout;
  s.deadlines.bind = p.bind_timeout;
  s.deadlines.idle = p.idle_timeout;
  s.deadlines.total = p.total_timeout;
  s.deadlines.durable = p.durable_timeout;
}

}  // namespace

pa::PeerSettings peer_settings(const conf::P1Peer& p) {
  pa::PeerSettings s;
  s.name = p.name;
  s.password = p.password;
  s.our_password = p.our_password;
  s.password_octets = p.password_octets;
  s.addresses = p.addresses;
  s.host = p.host;
  s.port = p.port;
  s.remote = selectors(p.selectors);
  s.local = selectors(p.calling_selectors);
  s.mode = p.mode == 1984 ? p1::rtse::Mode::x410_1984 : p1::rtse::Mode::normal;
  s.dialogue_mode = p.two_way_alternate ? p1::rtse::dialogue::two_way_alternate : p1::rtse::dialogue::monologue;
  return s;
}

pa::ResponderSettings responder_settings(const conf::Config& c) {
  pa::ResponderSettings s;
  common(c, s);
  s.local = selectors(c.p1.selectors);
  s.max_associations = c.p1.max_associations;
  s.allow_two_way_alternate = c.p1.two_way_alternate;
  for (const auto& p : c.p1.peers) s.peers.push_back(peer_settings(p));
  return s;
}

pa::InitiatorSettings initiator_settings(const conf::Config& c) {
  pa::InitiatorSettings s;
  common(c, s);
  return s;
}

}  // namespace mixer::gateway
