// p1/ber/external.hpp: the ASN.1 EXTERNAL type (X.690 §8.18, the 1990
// definition the OSI upper layers use):
//
//   EXTERNAL ::= [UNIVERSAL 8] IMPLICIT SEQUENCE {
//     direct-reference      OBJECT IDENTIFIER OPTIONAL,
//     indirect-reference    INTEGER OPTIONAL,
//     data-value-descriptor ObjectDescriptor OPTIONAL,
//     encoding CHOICE { single-ASN1-type [0] ANY,
//                       octet-aligned    [1] IMPLICIT OCTET STRING,
//                       arbitrary        [2] IMPLICIT BIT STRING } }
//
// ACSE user-information carries RTSE APDUs in it, and the RTTR octet string
// carries the MTS-APDU in it. A decoded single-ASN1-type value is a view of
// the caller's input.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "p1/ber/reader.hpp"
#include "p1/ber/writer.hpp"

namespace mixer::p1::ber {

struct External {
  enum class Encoding { single_asn1_type, octet_aligned, arbitrary };

  std::optional<Oid> direct_reference;
  std::optional<std::int64_t> indirect_reference;  // presentation context identifier
  std::optional<std::string> data_value_descriptor;
  Encoding encoding = Encoding::single_asn1_type;
  ByteView value;      // single-ASN1-type: the whole encoding of the value
  Bytes octets;        // octet-aligned contents, or arbitrary's bits
  std::uint8_t unused_bits = 0;  // arbitrary only
};

// Reads an EXTERNAL tagged t (UNIVERSAL 8 unless implicitly retagged).
External read_external(Reader& r, Tag t = univ::external);
void write_external(Writer& w, const External& e, Tag t = univ::external);

}  // namespace mixer::p1::ber
