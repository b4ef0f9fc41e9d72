// tests/unit/p1/support/hex.hpp: hex text <-> bytes, and the capture vectors
// of tests/vectors/p1 (one TCP payload per file, written by extract.py).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::p1::test {

using Bytes = std::vector<std::uint8_t>;

// Hex digits to bytes; whitespace is ignored, anything else throws.
Bytes unhex(std::string_view hex);
std::string hex(std::span<const std::uint8_t> bytes);
// Reads tests/vectors/p1/NAME (relative to the repository root).
Bytes vector_file(const std::string& name);
// Splits a TCP payload into its TPKTs (RFC 1006 §6), throwing if it is not whole TPKTs.
std::vector<Bytes> tpkts(std::span<const std::uint8_t> payload);
// The TSDU of a TPKT holding one COTP DT (X.224 class 0: LI 2, F0, EOT).
Bytes dt_user_data(std::span<const std::uint8_t> tpkt);
// A TPKT holding one COTP DT (EOT) with the TSDU.
Bytes dt_tpkt(std::span<const std::uint8_t> tsdu);
// a followed by b.
Bytes cat(Bytes a, const Bytes& b);
// Bytes of a string literal.
Bytes bytes_of(std::string_view s);

}  // namespace mixer::p1::test
