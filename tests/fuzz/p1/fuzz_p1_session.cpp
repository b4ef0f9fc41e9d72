// tests/fuzz/p1/fuzz_p1_session.cpp: arbitrary bytes as a TSDU through the
// X.225 SPDU decoder (both readings of SI 41/42). Whatever decodes is
// re-encoded and decoded again: kinds and values must survive. Then the
// input, cut into length-prefixed TSDUs, drives a responder's protocol
// machine that answers as RTSE would (accept, MIA, AEA, AIA, ADA, DN).
#include <cstddef>
#include <cstdint>

#include "p1/session/connection.hpp"
#include "p1/session/spdu.hpp"

using namespace mixer::p1::session;

namespace {
bool same(const std::optional<ByteView>& a, const std::optional<ByteView>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::equal(a->begin(), a->end(), b->begin(), b->end());
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  for (bool activity : {true, false}) {
    auto r = decode_tsdu(ByteView(data, size), DecodeOptions{activity});
    if (!r) continue;
    const auto& s = *r;
    if (s.empty() || s.size() > 2) __builtin_trap();
    Bytes again = s.size() == 1 ? encode_tsdu(s[0]) : encode_tsdu(s[0], s[1]);
    auto back = decode_tsdu(again, DecodeOptions{activity});
    if (!back || back->size() != s.size()) __builtin_trap();
    for (std::size_t i = 0; i < s.size(); ++i) {
      const Spdu& a = s[i];
      const Spdu& b = (*back)[i];
      if (a.kind != b.kind || a.serial_number != b.serial_number || !same(a.user_data, b.user_data) ||
          !same(a.activity_id, b.activity_id) || a.session_requirements != b.session_requirements ||
          a.token_item != b.token_item || !same(a.reason_code, b.reason_code))
        __builtin_trap();
    }
  }
  Connection r(Role::responder);
  std::size_t p = 0;
  while (p < size && r.state() != Connection::State::closed) {
    std::size_t n = data[p++];
    if (n > size - p) n = size - p;
    auto in = r.receive(ByteView(data + p, n));
    p += n;
    if (!in) break;
    for (const Spdu& s : in->spdus) {
      switch (s.kind) {
        case Kind::connect: (void)r.accept({}); break;
        case Kind::minor_sync_point: (void)r.minor_sync_ack(*s.serial_number); break;
        case Kind::activity_end: (void)r.activity_end_ack(); break;
        case Kind::major_sync_point: (void)r.major_sync_ack(); break;
        case Kind::activity_interrupt: (void)r.activity_interrupt_ack(); break;
        case Kind::activity_discard: (void)r.activity_discard_ack(); break;
        case Kind::finish: (void)r.disconnect({}); break;
        default: break;
      }
    }
  }
  return 0;
}
