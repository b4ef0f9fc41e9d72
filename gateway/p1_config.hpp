// gateway/p1_config.hpp: the p1 section of the configuration turned into
// the P1 association's settings (p1/association/settings.hpp). conf/ knows
// nothing of p1/; this is the one place the two meet.
#pragma once

#include "conf/config.hpp"
#include "p1/association/settings.hpp"

namespace mixer::gateway {

p1::association::ResponderSettings responder_settings(const conf::Config& config);
p1::association::InitiatorSettings initiator_settings(const conf::Config& config);
p1::association::PeerSettings peer_settings(const conf::P1Peer& peer);

}  // namespace mixer::gateway
