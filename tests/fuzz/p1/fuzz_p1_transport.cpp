// tests/fuzz/p1/fuzz_p1_transport.cpp: arbitrary bytes as a TCP stream into
// the TPKT framer, each TPKT's TPDU through the X.224 class 0 decoder, DTs
// through TSDU reassembly. Decoded CR/CC/DR re-encode to TPDUs that decode
// to the same values.
#include <cstddef>
#include <cstdint>

#include "p1/transport/cotp.hpp"
#include "p1/transport/tpkt.hpp"

using namespace mixer::p1::transport;

namespace {
template <class T>
void round_trip(const T& v) {
  Bytes again = encode(v);
  auto back = decode_tpdu(again);
  if (!back) __builtin_trap();
  const T* w = std::get_if<T>(&*back);
  if (!w) __builtin_trap();
  if constexpr (std::is_base_of_v<ConnectTpdu, T>) {
    if (w->src_ref != v.src_ref || w->dst_ref != v.dst_ref || w->calling_tsap != v.calling_tsap ||
        w->called_tsap != v.called_tsap || w->tpdu_size_code != v.tpdu_size_code)
      __builtin_trap();
  } else if constexpr (std::is_same_v<T, DisconnectRequest>) {
    if (w->reason != v.reason || w->src_ref != v.src_ref) __builtin_trap();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Limits lim;
  lim.max_tsdu = 1 << 16;
  TpktFramer framer(lim);
  TsduAssembler tsdus(lim);
  // Feed in two pieces to exercise partial TPKTs.
  std::size_t half = size / 2;
  for (int piece = 0; piece < 2; ++piece) {
    framer.feed(piece == 0 ? ByteView(data, half) : ByteView(data + half, size - half));
    while (true) {
      auto n = framer.next();
      if (!n || !*n) break;
      auto t = decode_tpdu(**n);
      if (!t) continue;
      if (auto* cr = std::get_if<ConnectionRequest>(&*t)) {
        round_trip(*cr);
        auto c = negotiate_tpdu_size(*cr, 8192);
        if (c.max_tpdu < 128 || c.max_tpdu > 65531) __builtin_trap();
      } else if (auto* cc = std::get_if<ConnectionConfirm>(&*t)) {
        round_trip(*cc);
      } else if (auto* dr = std::get_if<DisconnectRequest>(&*t)) {
        round_trip(*dr);
      } else if (auto* dt = std::get_if<DataTpdu>(&*t)) {
        (void)tsdus.add(*dt);
      } else if (auto* er = std::get_if<ErrorTpdu>(&*t)) {
        (void)encode(*er);
      }
    }
  }
  return 0;
}
