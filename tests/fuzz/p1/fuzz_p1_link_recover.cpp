// tests/fuzz/p1/fuzz_p1_link_recover.cpp: a recovering initiator association
// (RTORQ `recover` naming an interrupted connection, then AR from its last
// confirmed checkpoint, X.228 §7.6) answered by arbitrary octets (the first
// one picks normal or X.410-1984 mode, monologue or two-way alternate): after a
// well-formed CC, whatever the peer sends (AC with an RTOAC, RF with an RTORJ,
// aborts, MIAs, AEA, ...) in two pieces. Nothing may crash; a refusal never
// carries a bind error (it is the recovery that was refused); the link closes
// on timeout and stays closed.
#include <cstddef>
#include <cstdint>

#include "p1/association/link.hpp"

using namespace mixer::p1::association;
namespace rtse = mixer::p1::rtse;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::uint8_t flags = data[0];  // the interrupted association's mode and dialogue mode
  ++data;
  --size;
  static const InitiatorSettings settings = [] {
    InitiatorSettings s;
    s.mta_name = "ALPHA-MTA";
    s.limits.ber.max_depth = 24;
    s.limits.ber.max_elements = 4096;
    s.limits.max_apdu = 1 << 16;
    s.limits.transport.max_tsdu = 1 << 17;
    return s;
  }();
  PeerSettings peer;
  peer.name = "BETA-MTA";
  peer.password = "b";
  peer.our_password = "a";
  Resumption r;
  r.apdu.assign(20000, 0x5a);
  r.from.apdu_size = r.apdu.size();
  r.from.progress.activity_id = {0x02, 0x01, 0x01};
  r.from.progress.serial = 3;
  r.from.progress.offset = 3072;
  r.from.connection.calling_reference = {'A', 'L', 'P', 'H', 'A', '-', 'M', 'T', 'A'};
  r.from.connection.common_reference = "261123104015Z";
  r.from.checkpoint_size = 1;
  r.from.peer_name = "BETA-MTA";
  if (flags & 1) {
    r.from.mode = rtse::Mode::x410_1984;
    r.from.connection.t61 = true;
  }
  if (flags & 2) r.from.dialogue_mode = rtse::dialogue::two_way_alternate;
  Link l(settings, peer, "261123104020Z", std::move(r));
  l.start();
  Bytes cr = l.take_output();  // TPKT(4) LI CR dst-ref(2) src-ref(2) ...
  if (cr.size() < 10) __builtin_trap();
  const Bytes cc{0x03, 0x00, 0x00, 0x0b, 0x06, 0xd0, cr[8], cr[9], 0x12, 0x34, 0x00};
  (void)l.receive(cc);
  (void)l.take_output();
  const std::size_t half = size / 2;
  for (int piece = 0; piece < 2 && !l.closed(); ++piece) {
    for (const auto& e : l.receive(piece == 0 ? ByteView(data, half) : ByteView(data + half, size - half)))
      if (e.kind == LinkEvent::Kind::bind_refused && (!e.recovery || e.bind_error)) __builtin_trap();
    (void)l.take_output();
  }
  (void)l.interrupted();
  if (!l.closed()) (void)l.timeout("test");
  if (!l.closed()) __builtin_trap();
  if (!l.receive(ByteView(data, size)).empty()) __builtin_trap();
  return 0;
}
