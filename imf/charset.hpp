// imf/charset.hpp: octets in a MIME charset (RFC 2045 §5.1, RFC 2047 §2)
// to UTF-8, through ICU's converters (ucnv_*). Strict: an octet sequence
// that is not valid in the charset, or a character ICU cannot map, fails the
// whole conversion (nothing is guessed or replaced), so a caller can keep
// the original octets and say so. UTF-8 is checked by base/utf8, US-ASCII
// and ISO-8859-1 are converted here directly; any other name goes to ICU,
// which knows the IANA names and aliases. Trusts nothing in the name or
// octets; pure (each thread keeps a few open converters).
#pragma once

#include <string>
#include <string_view>

namespace mixer::imf {

enum class Conversion : unsigned char {
  ok,               // the octets were converted exactly
  unknown_charset,  // ICU does not know the name (or it has characters no charset name has)
  undecodable,      // an octet sequence is not valid in the charset, or has no Unicode mapping
};

// Appends the UTF-8 form of `octets` (in `charset`, case-insensitive) to
// out; on failure `out` is left as it was.
Conversion to_utf8(std::string_view charset, std::string_view octets, std::string& out);

// Whether `charset` names a charset to_utf8 can convert from.
bool known_charset(std::string_view charset);

}  // namespace mixer::imf
