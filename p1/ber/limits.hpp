// p1/ber/limits.hpp: the explicit bounds every BER decode runs under, and
// the BER error codes. Nothing in a decoder allocates or recurses beyond
// what these allow, whatever the input claims.
#pragma once

#include <cstddef>
#include <string>

#include "p1/result.hpp"

namespace mixer::p1::ber {

struct Limits {
  std::size_t max_size = 16u << 20;       // octets of one encoding
  std::size_t max_depth = 48;             // nested constructed encodings
  std::size_t max_elements = 1u << 20;    // TLV headers read, in total
  bool strict_charsets = true;            // check Printable/IA5/Numeric/Visible repertoires
};

enum class Errc {
  truncated = 1,      // an element runs past its container or the input
  bad_header,         // reserved length form, over-long tag or length, EOC misuse
  too_large,          // input or element beyond Limits::max_size
  too_deep,           // nesting beyond Limits::max_depth
  too_many_elements,  // beyond Limits::max_elements
  unexpected_tag,     // not the tag the ASN.1 type calls for
  wrong_form,         // primitive where constructed is required, or the reverse
  bad_value,          // contents not a valid encoding of the type
  out_of_range,       // a valid value outside what the field allows
  missing,            // a mandatory component is absent
  trailing,           // octets after the last expected component
  duplicate,          // a SET component given twice
};

const char* to_string(Errc e);

using Error = p1::Error<Errc>;
template <class T>
using Result = p1::Result<T, Errc>;

}  // namespace mixer::p1::ber
