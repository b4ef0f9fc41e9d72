// tests/fuzz/mapping/fuzz_relay_1984.cpp: arbitrary bytes as an MTS-APDU a
// peer sent us, downgraded for an X.400(1984) MTA (mapping/relay_1984, X.419
// Annex B). Invariants: no crash; every refusal names a recipient that was
// there, with X.411 reason unable-to-transfer; what is left encodes; a second
// downgrade of the result refuses nothing and changes nothing.
#include <cstddef>
#include <cstdint>
#include <variant>

#include "mapping/relay_1984.hpp"
#include "p1/mts/mts.hpp"

using namespace mixer;
namespace mts = p1::mts;

namespace {

auto& recipients(mts::Message& m) { return m.envelope.per_recipient_fields; }
auto& recipients(mts::Probe& p) { return p.per_recipient_fields; }

template <class Apdu>
void check(Apdu apdu) {
  const std::size_t before = recipients(apdu).size();
  auto first = mapping::relay_1984::downgrade(apdu);
  for (const auto& r : first.refused)
    if (r.index >= before || r.refusal.x411_reason != 1) __builtin_trap();
  if (recipients(apdu).size() > before) __builtin_trap();
  auto encoded = mts::encode_mts_apdu(mts::MtsApdu(apdu));
  if (!encoded) return;  // a value the encoder refuses (upper bounds) is not ours to judge here
  auto again = mapping::relay_1984::downgrade(apdu);
  if (!again.refused.empty()) __builtin_trap();
  auto re = mts::encode_mts_apdu(mts::MtsApdu(apdu));
  if (!re || *re != *encoded) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mts::Limits limits;
  limits.upper_bounds = false;
  auto apdu = mts::decode_mts_apdu(p1::ber::ByteView(data, size), limits);
  if (!apdu) return 0;
  if (auto* m = std::get_if<mts::Message>(&*apdu)) {
    check(std::move(*m));
  } else if (auto* p = std::get_if<mts::Probe>(&*apdu)) {
    check(std::move(*p));
  } else {
    auto& report = std::get<mts::Report>(*apdu);
    auto first = mapping::relay_1984::downgrade(report);
    if (!first) return 0;
    auto encoded = mts::encode_mts_apdu(mts::MtsApdu(report));
    if (!encoded) return 0;
    auto again = mapping::relay_1984::downgrade(report);
    if (!again) __builtin_trap();
    auto re = mts::encode_mts_apdu(mts::MtsApdu(report));
    if (!re || *re != *encoded) __builtin_trap();
  }
  return 0;
}
