// tests/unit/p1/mts/round_trip.hpp: the round-trip check the X.411 and X.420 codec tests share:
// decode(encode(v)) has the same tree as v, re-encoding gives the same octets, and the
// tree path (mixer decode --json / mixer encode) gives the same value.
#pragma once

#include <gtest/gtest.h>

#include "p1/mts/mts.hpp"
#include "p1/mts/tree_io.hpp"

namespace mixer::p1::mts::test {

// Any codec's top-level value: encode, to_tree and from_tree are found by ADL on
// T's namespace; decode<T> is passed in (a Bytes argument does not lead ADL there).
template <class T, class Decode>
void expect_round_trip_with(const T& v, Decode&& decode) {
  Bytes e = encode(v).value();
  auto d = decode(e);
  ASSERT_TRUE(d) << d.error().what;
  EXPECT_EQ(print_tree(to_tree(*d)), print_tree(to_tree(v)));
  EXPECT_TRUE(to_tree(*d) == to_tree(v));
  EXPECT_EQ(encode(*d).value(), e);
  T back;
  auto err = from_tree(to_tree(v), back);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(encode(back).value(), e);
}

inline void expect_round_trip(const MtsApdu& v) {
  expect_round_trip_with(v, [](const Bytes& e) { return decode<MtsApdu>(e); });
}

}  // namespace mixer::p1::mts::test
