// tests/unit/p1/mts/support.hpp: helpers of the X.411 / X.420 codec tests:
// the MTS-APDUs of the reference captures (cut out of the capture vectors
// by their first octets and their own BER length), and checked decoding.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>

#include "p1/ber/reader.hpp"
#include "p1/mts/mts.hpp"
#include "tests/unit/p1/support/hex.hpp"

namespace mixer::p1::mts::test {

using p1::test::unhex;
using p1::test::vector_file;

// The whole BER element starting at the first occurrence of `prefix` in a capture vector.
inline Bytes element_at(const std::string& file, const char* prefix) {
  Bytes f = vector_file(file), p = unhex(prefix);
  auto it = std::search(f.begin(), f.end(), p.begin(), p.end());
  if (it == f.end()) throw std::runtime_error("prefix not found in " + file);
  ByteView rest(&*it, static_cast<std::size_t>(f.end() - it));
  Bytes out;
  ber::decode(rest, ber::Limits{}, [&](ber::Reader& r) {
    ByteView e = r.any();
    out.assign(e.begin(), e.end());
  });
  if (out.empty()) throw std::runtime_error("no element at the prefix in " + file);
  return out;
}

// The message MTS-APDUs of pp-p1-transfer-1988 (frames 13 and 35) and -x410 (frame 12).
inline Bytes pp_message_alpha() { return element_at("pp-1988/13-I-gt-dt-rttr-message+gt-ae.hex", "a0803180"); }
inline Bytes pp_message_beta() { return element_at("pp-1988/35-I-gt-dt-rttr-message+gt-ae.hex", "a0803180"); }
inline Bytes pp_message_x410() { return element_at("pp-x410/12-I-gt-dt-message+gt-ae.hex", "a0803180"); }

template <class T>
T must_decode(const Bytes& b, const Limits& limits = {}) {
  auto r = decode<T>(b, limits);
  if (!r) throw std::runtime_error(r.error().what);
  return std::move(r).value();
}

}  // namespace mixer::p1::mts::test
