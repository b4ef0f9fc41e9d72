// tests/fuzz/p1/fuzz_p1_rtse.cpp: arbitrary bytes through the X.228 APDU
// decoder and the X.410-mode component decoders; what decodes re-encodes
// to the same values.
#include <cstddef>
#include <cstdint>

#include "p1/rtse/apdu.hpp"

using namespace mixer::p1::rtse;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mixer::p1::ber::Limits lim;
  lim.max_depth = 24;
  lim.max_elements = 4096;
  ByteView in(data, size);
  if (auto r = decode(in, lim)) {
    Bytes again = encode(*r);
    auto back = decode(again, lim);
    if (!back || back->index() != r->index()) __builtin_trap();
    if (auto* q = std::get_if<Rtorq>(&*r)) {
      const auto& b = std::get<Rtorq>(*back);
      if (q->checkpoint_size != b.checkpoint_size || q->data.recover != b.data.recover ||
          (q->data.recover && !(q->data.recovery == b.data.recovery)))
        __builtin_trap();
    } else if (auto* t = std::get_if<Rttr>(&*r)) {
      auto x = t->value(), y = std::get<Rttr>(*back).value();
      if (!std::equal(x.begin(), x.end(), y.begin(), y.end())) __builtin_trap();
    }
  }
  if (auto q = decode_rtorq_components(in, lim)) {
    Bytes again = encode_components(*q);
    auto back = decode_rtorq_components(again, lim);
    if (!back || back->application_protocol != q->application_protocol || back->window_size != q->window_size) __builtin_trap();
  }
  if (auto a = decode_rtoac_components(in, lim)) {
    Bytes again = encode_components(*a);
    if (!decode_rtoac_components(again, lim)) __builtin_trap();
  }
  if (auto j = decode_rtorj_components(in, lim)) {
    Bytes again = encode_components(*j);
    auto back = decode_rtorj_components(again, lim);
    if (!back || back->refuse_reason != j->refuse_reason) __builtin_trap();
  }
  if (auto b = decode_rtab_components(in, lim)) {
    Bytes again = encode_components(*b);
    if (!decode_rtab_components(again, lim)) __builtin_trap();
  }
  return 0;
}
