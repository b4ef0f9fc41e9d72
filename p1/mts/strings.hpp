// p1/mts/strings.hpp: the universal character strings of X.411 1999
// (UniversalString: UCS-4, BMPString: UCS-2, both big-endian) to and from
// UTF-8, which is how values hold them. Input is untrusted: a length that is
// not a multiple of the unit, a surrogate or a code point beyond U+10FFFF
// gives nullopt.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/utf8.hpp"
#include "p1/ber/values.hpp"

namespace mixer::p1::mts {

std::optional<std::string> utf8_from_ucs2(ber::ByteView b);
std::optional<std::string> utf8_from_ucs4(ber::ByteView b);
// Code points above U+FFFF cannot be written as UCS-2; they become U+FFFD.
ber::Bytes ucs2_from_utf8(std::string_view s);
ber::Bytes ucs4_from_utf8(std::string_view s);
using base::valid_utf8;  // base/utf8.hpp
// Code points in valid UTF-8 (octets counted as they come otherwise).
std::size_t utf8_length(std::string_view s);
// Lower-case hex and back (nullopt on an odd length or a non-hex digit).
std::string to_hex(ber::ByteView b);
std::optional<ber::Bytes> from_hex(std::string_view s);

}  // namespace mixer::p1::mts
