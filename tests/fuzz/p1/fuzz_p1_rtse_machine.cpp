// tests/fuzz/p1/fuzz_p1_rtse_machine.cpp: the input, cut into TSDUs (two
// length octets each), drives a responder's whole stack (session,
// presentation, ACSE, RTSE) that answers as the association does: accept
// every bind, confirm every transfer, answer every release. Nothing may
// crash, and once the machine reports an error it must have queued its
// refusal or abort and be closed.
#include <cstddef>
#include <cstdint>

#include "p1/rtse/machine.hpp"

using namespace mixer::p1::rtse;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Settings s;
  s.limits.max_depth = 24;
  s.limits.max_elements = 4096;
  s.max_apdu = 1 << 16;
  Machine m(Role::responder, s);
  std::size_t p = 0;
  while (p + 2 <= size) {
    std::size_t n = std::size_t{data[p]} << 8 | data[p + 1];
    p += 2;
    if (n > size - p) n = size - p;
    auto r = m.receive(ByteView(data + p, n));
    p += n;
    if (!r) {
      if (m.state() != Machine::State::closed) __builtin_trap();
      break;
    }
    for (const auto& e : *r) {
      switch (e.kind) {
        case Event::Kind::open_indication: (void)m.accept(ByteView(e.data)); break;
        case Event::Kind::transfer_indication: (void)m.confirm_transfer(); break;
        case Event::Kind::close_indication: (void)m.close_response(); break;
        case Event::Kind::turn_please: break;
        default: break;
      }
    }
    (void)m.take_output();
    if (m.state() == Machine::State::closed) break;
  }
  return 0;
}
