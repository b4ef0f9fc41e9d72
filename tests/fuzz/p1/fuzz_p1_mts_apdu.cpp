// tests/fuzz/p1/fuzz_p1_mts_apdu.cpp: arbitrary bytes through the mts MtsApdu
// decoder; what decodes must re-encode stably (fuzz_p1_mts_check.hpp).
#include "p1/mts/mts.hpp"
#include "tests/fuzz/p1/fuzz_p1_mts_check.hpp"

using namespace mixer::p1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using T = mts::MtsApdu;
  mts::fuzz::check<T>(
      data, size, [](mts::ByteView b, const mts::Limits& l) { return mts::decode<T>(b, l); },
      [](const T& v) { return mts::encode(v); }, [](const T& v) { return mts::to_tree(v); },
      [](const mts::Node& n, T& v) { return mts::from_tree(n, v); });
  return 0;
}
