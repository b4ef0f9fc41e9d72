// tests/fuzz/fuzz_config.cpp: arbitrary text as conf/mixer.yaml. Every input
// must end in a Config or in errors; a Config must carry no errors.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "conf/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = mixer::conf::parse_config(text, "/fuzz/mixer.yaml", /*check_files=*/false);
  if (r.config.has_value() == !r.errors.empty()) __builtin_trap();
  for (const auto& e : r.errors) (void)e.text();
  return 0;
}
