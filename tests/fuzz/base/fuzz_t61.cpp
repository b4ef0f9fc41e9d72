// tests/fuzz/base/fuzz_t61.cpp: arbitrary octets through the T.61
// and UTF-8 converters (base/t61). Besides never crashing: what T.61
// decodes to converts back to T.61 that decodes to the same text, and the
// exact display, when given, converts back to the very octets.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "base/t61.hpp"

using namespace mixer::base;

namespace {
void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_t61: %s\n", what);
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  if (auto text = t61_to_utf8(in)) {
    auto back = utf8_to_t61(*text);
    check(back.has_value(), "decoded text has no T.61 form");
    check(t61_to_utf8(*back) == text, "T.61 -> UTF-8 -> T.61 -> UTF-8 changed the text");
  }
  if (auto exact = t61_as_utf8_exactly(in)) check(utf8_to_t61(*exact) == in, "exact display is not exact");
  if (auto t = utf8_to_t61(in)) check(t61_to_utf8(*t) == in, "UTF-8 -> T.61 -> UTF-8 changed the text");
  return 0;
}
