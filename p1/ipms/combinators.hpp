// p1/ipms/combinators.hpp: a combinator the X.420 descriptions need beyond
// p1/mts/asn1.hpp, written over the Io interface (no Io changes):
//   unknown_set_components(io, v)  the components of an extensible SET ("...")
//                                  that the description does not know, each kept
//                                  as its encoding and written back.
// It trusts nothing: the Ios it runs over do the checking.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "p1/mts/asn1.hpp"
#include "p1/mts/ber_io.hpp"

namespace mixer::p1::ipms {

// The X.690 §10.3 order of an element (its tag's class, then number) from its identifier octets.
inline std::pair<unsigned, std::uint64_t> set_order(const mts::Bytes& e) {
  if (e.empty()) return {0, 0};
  std::uint64_t number = e[0] & 0x1fu;
  if (number == 0x1f) {
    number = 0;
    for (std::size_t i = 1; i < e.size() && i < 10; ++i) {
      number = (number << 7) | (e[i] & 0x7fu);
      if (!(e[i] & 0x80)) break;
    }
  }
  return {static_cast<unsigned>(e[0] >> 6), number};
}

// The unknown components of an extensible SET, after its known ones (call it last in the
// SET's body). The BER decoder dispatches each element through the SET's description and
// refuses a component index taken twice: each unknown element gets an index of its own
// (one never-matching slot per element kept so far, then one that takes any tag). They are
// kept in the order the encoder writes them (X.690 §10.3 tag order, equal tags as received),
// so a value decoded from any order re-encodes and decodes to itself; the tree has them as
// "unknown-components", an array of hex encodings.
template <class Io>
void unknown_set_components(Io& io, std::vector<mts::Bytes>& v) {
  if constexpr (std::is_same_v<Io, mts::BerDecoder>) {
    for (std::size_t i = 0; i < v.size(); ++i) io.field("...", mts::Tags{}, false);
    std::optional<mts::Bytes> b;
    mts::opt(io, "...", mts::Tags::anything(), b, [&](mts::Bytes& x) { io.raw(x); });
    if (b) {
      auto at = std::upper_bound(v.begin(), v.end(), *b,
                                 [](const mts::Bytes& x, const mts::Bytes& y) { return set_order(x) < set_order(y); });
      v.insert(at, std::move(*b));
    }
  } else {
    mts::opt_list(io, "unknown-components", mts::Tags::anything(), v, [&] { io.raw_rest(v); });
  }
}

}  // namespace mixer::p1::ipms
