// tests/unit/p1/mts/round_trip.hpp: the X.411 round-trip check the codec tests share:
// decode(encode(v)) has the same tree as v, re-encoding gives the same octets, and the
// tree path (mixer decode --json / mixer encode) gives the same value.
#pragma once

#include <gtest/gtest.h>

#include "p1/mts/mts.hpp"
#include "p1/mts/tree_io.hpp"

namespace mixer::p1::mts::test {

inline void expect_round_trip(const MtsApdu& v) {
  Bytes e = encode(v);
  auto d = decode<MtsApdu>(e);
  ASSERT_TRUE(d) << d.error().what;
  EXPECT_EQ(print_tree(to_tree(*d)), print_tree(to_tree(v)));
  EXPECT_TRUE(to_tree(*d) == to_tree(v));
  EXPECT_EQ(encode(*d), e);
  MtsApdu back;
  auto err = from_tree(to_tree(v), back);
  ASSERT_FALSE(err) << *err;
  EXPECT_EQ(encode(back), e);
}

}  // namespace mixer::p1::mts::test
