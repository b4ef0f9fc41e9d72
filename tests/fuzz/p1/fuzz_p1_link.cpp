// tests/fuzz/p1/fuzz_p1_link.cpp: arbitrary TCP octets, fed in two pieces,
// to a responder association (guinevere, with the capture's peer): framing,
// X.224, session, presentation, ACSE, RTSE and the bind policy together.
// Nothing may crash; every APDU is confirmed; a closed link stays closed.
#include <cstddef>
#include <cstdint>

#include "p1/association/link.hpp"

using namespace mixer::p1::association;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ResponderSettings settings = [] {
    ResponderSettings s;
    s.mta_name = "guinevere.smhs.co.uk";
    s.limits.ber.max_depth = 24;
    s.limits.ber.max_elements = 4096;
    s.limits.max_apdu = 1 << 16;
    s.limits.transport.max_tsdu = 1 << 17;
    PeerSettings p;
    p.name = "percival.smhs.co.uk";
    p.password = "excalibur";
    p.our_password = "merlin";
    s.peers.push_back(p);
    PeerSettings q;
    q.name = "ALPHA-MTA";
    q.password = " ";
    q.our_password = " ";
    s.peers.push_back(q);
    return s;
  }();
  RecoveryStore store;
  Link l(settings, "192.168.0.3", size > 0 && data[0] == 0x55, &store);
  std::size_t half = size / 2;
  for (int piece = 0; piece < 2 && !l.closed(); ++piece) {
    auto ev = l.receive(piece == 0 ? ByteView(data, half) : ByteView(data + half, size - half));
    for (const auto& e : ev)
      if (e.kind == LinkEvent::Kind::apdu) l.confirm();
    (void)l.take_output();
  }
  if (!l.closed()) (void)l.timeout("test");
  if (!l.closed()) __builtin_trap();
  if (!l.receive(ByteView(data, size)).empty()) __builtin_trap();
  return 0;
}
