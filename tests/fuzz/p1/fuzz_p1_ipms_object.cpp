// tests/fuzz/p1/fuzz_p1_ipms_object.cpp: arbitrary bytes through the ipms InformationObject
// decoder; what decodes must re-encode stably (fuzz_p1_mts_check.hpp).
#include "p1/ipms/ipms.hpp"
#include "tests/fuzz/p1/fuzz_p1_mts_check.hpp"

using namespace mixer::p1;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using T = ipms::InformationObject;
  mts::fuzz::check<T>(
      data, size, [](mts::ByteView b, const mts::Limits& l) { return ipms::decode<T>(b, l); },
      [](const T& v) { return ipms::encode(v); }, [](const T& v) { return ipms::to_tree(v); },
      [](const mts::Node& n, T& v) { return ipms::from_tree(n, v); });
  return 0;
}
