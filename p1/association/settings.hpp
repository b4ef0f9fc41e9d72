// p1/association/settings.hpp: the plain settings of P1 associations, for
// the daemon's configuration to fill in (no parsing here): our MTA, the
// listener, the peer table, deadlines and limits.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "p1/ber/values.hpp"
#include "p1/rtse/machine.hpp"
#include "p1/transport/tpkt.hpp"

namespace mixer::p1::association {

using ber::Bytes;
using ber::ByteView;

// RFC 1006 / X.224, X.225 and X.226 selectors (octets; absent = not sent / not checked).
struct Selectors {
  std::optional<Bytes> tsap, ssap, psap;
};

struct PeerSettings {
  std::string name;                  // the peer's MTA name in binds
  std::string password;              // what the peer presents (checked)
  std::string our_password;          // what we present to it
  bool password_octets = false;      // send ours as OCTET STRING (PP) instead of IA5String (Isode)
  std::vector<std::string> addresses;// responder: allowed source IP addresses; empty: any
  std::string host;                  // initiator: where the peer listens
  std::uint16_t port = 102;
  Selectors remote;                  // initiator: called TSAP/SSAP/PSAP of the peer
  Selectors local;                   // initiator: our calling selectors
  rtse::Mode mode = rtse::Mode::normal;  // 1988 normal mode or X.410-1984 mode
  std::int64_t dialogue_mode = rtse::dialogue::monologue;
};

struct Deadlines {
  std::chrono::milliseconds connect{30'000};   // TCP connect (initiator)
  std::chrono::milliseconds bind{30'000};      // from TCP accept/connect to bind result
  std::chrono::milliseconds idle{300'000};     // without any octet from the peer
  std::chrono::milliseconds total{3'600'000};  // whole association
  std::chrono::milliseconds durable{60'000};   // for the queue to report an APDU durable
};

struct Limits {
  transport::Limits transport{transport::tpkt_max_size, 17u << 20};  // a whole unsegmented APDU fits a TSDU
  ber::Limits ber{};
  std::size_t max_apdu = 16u << 20;
  std::size_t max_tpdu = 65531;      // proposed / accepted TPDU size (RFC 1006 default)
};

struct CommonSettings {
  std::string mta_name;              // ours, in binds
  std::int64_t checkpoint_size = 63; // units of 1 K; 0: no checkpoints
  std::int64_t window_size = 3;
  Limits limits{};
  Deadlines deadlines{};
  acse::Endpoint own_title;          // optional AP title / AE qualifier
};

struct ResponderSettings : CommonSettings {
  Selectors local;                   // accepted called selectors; absent: any
  std::vector<Bytes> accepted_tsaps; // more called TSAPs accepted (e.g. "x400" and "x410")
  std::vector<PeerSettings> peers;
  std::size_t max_associations = 50;
  bool allow_two_way_alternate = true;
  bool explicit_default_window = false;
};

struct InitiatorSettings : CommonSettings {
  std::uint8_t tpdu_size_code = 0x0b;  // proposed in the CR (2048, as PP); 0: none (65531)
};

}  // namespace mixer::p1::association
