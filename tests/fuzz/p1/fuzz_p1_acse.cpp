// tests/fuzz/p1/fuzz_p1_acse.cpp: arbitrary bytes through the X.227 APDU
// decoder; what decodes re-encodes to an APDU of the same kind and values.
#include <cstddef>
#include <cstdint>

#include "p1/acse/apdu.hpp"

using namespace mixer::p1::acse;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mixer::p1::ber::Limits lim;
  lim.max_depth = 24;
  lim.max_elements = 4096;
  auto r = decode(ByteView(data, size), lim);
  if (!r) return 0;
  Bytes again = std::visit([](const auto& a) { return encode(a); }, *r);
  auto back = decode(again, lim);
  if (!back || back->index() != r->index()) __builtin_trap();
  if (auto* a = std::get_if<Aarq>(&*r)) {
    const auto& b = std::get<Aarq>(*back);
    if (a->context_name != b.context_name || a->user_information.size() != b.user_information.size() ||
        a->called.ap_title != b.called.ap_title || a->calling.ae_qualifier != b.calling.ae_qualifier)
      __builtin_trap();
  } else if (auto* e = std::get_if<Aare>(&*r)) {
    const auto& b = std::get<Aare>(*back);
    if (e->result != b.result || e->diagnostic != b.diagnostic || e->user_information.size() != b.user_information.size())
      __builtin_trap();
  } else if (auto* ab = std::get_if<Abrt>(&*r)) {
    if (ab->source != std::get<Abrt>(*back).source) __builtin_trap();
  }
  return 0;
}
