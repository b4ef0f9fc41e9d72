// p1/ber/values.hpp: value types for the ASN.1 built-ins whose natural C++
// form is not a plain integer or string: OBJECT IDENTIFIER (X.690 §8.19)
// and BIT STRING (X.690 §8.6, bit 0 is the first, most significant bit).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mixer::p1::ber {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline ByteView view(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string_view chars(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

struct Oid {
  std::vector<std::uint32_t> arcs;

  Oid() = default;
  Oid(std::initializer_list<std::uint32_t> a) : arcs(a) {}
  explicit Oid(std::vector<std::uint32_t> a) : arcs(std::move(a)) {}
  bool operator==(const Oid&) const = default;
  auto operator<=>(const Oid&) const = default;

  // "2.6.0.1.6"
  std::string to_string() const;
  // Parses dotted form; nullopt unless at least two arcs and a valid first pair.
  static std::optional<Oid> parse(std::string_view dotted);
  // X.690 §8.19 contents octets; nullopt for fewer than two arcs or an invalid first pair.
  std::optional<Bytes> contents() const;
  // Decodes contents octets; nullopt on an invalid encoding (empty, padded, overflow).
  static std::optional<Oid> from_contents(ByteView c);
};

struct BitString {
  Bytes bytes;                  // bit 0 is the high bit of bytes[0]
  std::uint8_t unused_bits = 0; // in the last byte, 0..7

  std::size_t size() const { return bytes.size() * 8 - unused_bits; }
  bool test(std::size_t bit) const {
    return bit < size() && (bytes[bit / 8] & (0x80u >> (bit % 8))) != 0;
  }
  // Sets a named bit, growing the string as needed (BER keeps the length given).
  void set(std::size_t bit);
  // The bits as an integer, bit 0 in the least significant place (for flags up to 64).
  std::uint64_t as_flags() const;
  // A named-bit string with exactly the given bits set and no trailing zero bits
  // (X.690 §11.2.2 canonical form, accepted by every decoder).
  static BitString from_flags(std::uint64_t flags);
  bool operator==(const BitString&) const = default;
};

// Which ASN.1 time type a value is: UTCTime or GeneralizedTime, or as its
// universal tag says (an implicitly tagged time is UTCTime unless told).
enum class TimeKind { of_tag, utc, generalized };

// Why `v` is not a UTCTime (X.680 §47: YYMMDDhhmm[ss] then Z or +-hhmm) or a
// GeneralizedTime (X.680 §46: YYYYMMDDhh[mm[ss]][.fraction] then Z or
// +-hh[mm]; a zone is required here, as X.411 and X.420 use UTC): null when
// it is one. Checks lengths, digits, month 1..12, the day in its month,
// hours 0..23, minutes and seconds 0..59 and the zone.
const char* time_syntax_error(std::string_view v, bool generalized);

}  // namespace mixer::p1::ber
