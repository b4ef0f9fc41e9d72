// tests/fuzz/mapping/fuzz_mapping_to_rfc822.cpp: arbitrary octets as a BER
// MTS-APDU; a Message that decodes strictly goes through
// mapping::to_internet (RFC 2156 §5.3). The result is refused with codes of
// one class, or is an Internet message that parses again with every line a
// field of at most 998 octets and a non-empty envelope
// (fuzz_mapping_check.hpp); that message then goes back through to_x400,
// whose MTS-APDU must encode and decode strictly.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/mapping/fuzz_mapping_check.hpp"

using namespace mixer::mapping;
namespace mts = mixer::p1::mts;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Context& ctx = fuzz::context();
  auto apdu = mts::decode<mts::MtsApdu>(mts::ByteView(data, size));
  const auto* message = apdu ? std::get_if<mts::Message>(&*apdu) : nullptr;
  if (!message) return 0;
  auto r = to_internet(*message, ctx);
  if (!r) {
    fuzz::check_refusal(r.error());
    return 0;
  }
  fuzz::check_internet(*r);
  auto back = to_x400(r->envelope, r->content, ctx);
  if (!back) fuzz::check_refusal(back.error());
  else fuzz::check_x400(*back, r->envelope);
  return 0;
}
