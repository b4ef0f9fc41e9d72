// tests/fuzz/bodyparts/fuzz_seven_bit.cpp: arbitrary octets as an RFC 5322
// message through bodyparts::seven_bit_form (the RFC 6152 §3 downgrade for a
// next hop without 8BITMIME), under small limits so that they are reached.
// Either a refusal of the two classes the header names (554 5.6.3, 552
// 5.3.4), or an output that SMTP's BODY=7BIT can carry (no octet over 127,
// no line over 998: RFC 5321 §4.5.3.1.6) whose leaves decode to the input's
// leaves (tests/unit/bodyparts/mime_leaves.hpp). An input that is already so
// comes back unchanged; the output, downgraded again, is itself.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bodyparts/seven_bit.hpp"
#include "tests/unit/bodyparts/mime_leaves.hpp"

namespace {
[[noreturn]] void fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz_seven_bit: %s\n%s\n", what, detail.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > (1u << 20)) return 0;
  const std::string in(reinterpret_cast<const char*>(data), size);
  mixer::bodyparts::SevenBitLimits limits;
  limits.max_nesting = 8;
  limits.body.max_parts = 64;
  limits.body.max_header_size = 4096;
  limits.body.max_part_size = 256 * 1024;
  auto out = mixer::bodyparts::seven_bit_form(in, limits);
  if (!out) {
    const auto& r = out.error();
    const bool known = (r.smtp_code == 554 && r.enhanced_status == "5.6.3") ||
                       (r.smtp_code == 552 && r.enhanced_status == "5.3.4");
    if (!known || r.message.empty()) fail("a refusal of an unexpected class", r.text());
    return 0;
  }
  if (!mixer::test::is_seven_bit_transport(*out)) fail("the output is not 7-bit lines of at most 998", *out);
  if (mixer::test::is_seven_bit_transport(in) && *out != in) fail("a 7-bit input was changed", *out);
  if (const auto before = mixer::test::mime_leaves(in)) {
    const auto after = mixer::test::mime_leaves(*out);
    if (!after) fail("the output's leaves cannot be read", *out);
    if (after->size() != before->size()) fail("the number of leaves changed", *out);
    for (std::size_t i = 0; i < before->size(); ++i)
      if ((*before)[i].octets != (*after)[i].octets)
        fail("a leaf decodes to other octets", "leaf " + std::to_string(i) + " (" + (*before)[i].type + "): '" +
                                                   (*before)[i].octets + "' became '" + (*after)[i].octets + "'\n" + *out);
  }
  auto again = mixer::bodyparts::seven_bit_form(*out, limits);
  if (!again || *again != *out) fail("the 7-bit form downgraded again changed", *out);
  return 0;
}
