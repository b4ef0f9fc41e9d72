// tests/fuzz/p1/fuzz_p1_mts_check.hpp: the property every X.411 / X.420
// fuzz target checks on what decodes: it encodes (the encoder refuses no
// decoded value), re-encoding is stable (encode, decode, encode gives the
// same octets and the same tree) and the tree path (mixer decode --json /
// mixer encode) gives the same octets back. Any failure traps.
#pragma once

#include <cstddef>
#include <cstdint>

#include "p1/mts/ber_io.hpp"

namespace mixer::p1::mts::fuzz {

inline Limits limits() {
  Limits l;
  l.ber.max_depth = 32;
  l.ber.max_elements = 1u << 14;
  l.ber.max_size = 1u << 20;
  return l;
}

template <class T, class Decode, class Encode, class ToTree, class FromTree>
void check(const std::uint8_t* data, std::size_t size, Decode decode, Encode encode, ToTree to_tree, FromTree from_tree) {
  auto r = decode(ByteView(data, size), limits());
  if (!r) return;
  auto encoded = [&](const T& v) {
    auto e = encode(v);
    if (!e) __builtin_trap();
    return std::move(e).value();
  };
  Bytes once = encoded(*r);
  auto again = decode(once, Limits{});
  if (!again) __builtin_trap();
  if (encoded(*again) != once) __builtin_trap();
  if (!(to_tree(*again) == to_tree(*r))) __builtin_trap();
  T back{};
  if (from_tree(to_tree(*r), back)) __builtin_trap();
  if (encoded(back) != once) __builtin_trap();
}

}  // namespace mixer::p1::mts::fuzz
