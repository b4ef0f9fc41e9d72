// bodyparts/user_control.hpp: RFC 2157 §4, the user's control over the
// gateway's choice. §4.1: the Wanted-X400-Conversion field an Internet user
// puts in a MIME part's heading (or a multipart's, naming the type with
// "from"), read under explicit limits. §4.2: the wanted-MIME-conversions
// heading extension (WantedMIMEConversions) an X.400 user puts in the IPM
// heading, read from BER under limits (RFC 2157 assigns it no OBJECT
// IDENTIFIER: the caller says which one its X.400 users write).
// Trusts nothing in the value: a value that does not parse is an error,
// never a guess.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "p1/ber/values.hpp"

namespace mixer::bodyparts {

// §4.1: mime-to-x400 = "Wanted-X400-Conversion" ":" [ mime-from ] [ x400-object-id ] "in" x400-encoding
struct WantedX400Conversion {
  enum class In { bp14, bp15, ftbp, ia5 };  // x400-encoding
  std::string from;                      // mime-from, lower case; empty: the part whose heading has it
  std::optional<p1::ber::Oid> to;        // x400-object-id; nullopt: "tunnel" (also when omitted)
  In in = In::bp15;
};

// The limits of the §4.1 reader: the value's octets and the nesting of its comments.
inline constexpr std::size_t max_wanted_x400_conversion_size = 1024;
inline constexpr std::size_t max_wanted_comment_depth = 8;
inline constexpr std::size_t max_wanted_oid_arcs = 32;

// Reads a Wanted-X400-Conversion value (RFC 822 comments allowed anywhere between the words;
// keywords case-insensitive); nullopt with `why` set when it does not follow §4.1's syntax
// (an object identifier for bp14 or ia5, which have none, is an error).
std::optional<WantedX400Conversion> parse_wanted_x400_conversion(std::string_view value, std::string& why);

// §4.2: X400toMIMEConversion ::= SEQUENCE { x400-type X400Type, mime-type MIMEType }
struct WantedMimeConversion {
  // X400Type ::= CHOICE { standard [0] INTEGER, extended [1] OBJECT IDENTIFIER, ftbp [2] OBJECT IDENTIFIER }
  struct Standard {
    std::int64_t tag;  // the basic body part's tag number (14: bilaterally-defined)
  };
  struct Extended {
    p1::ber::Oid data;  // the BP15's data type (ExternallyDefinedBodyPart.data.direct-reference)
  };
  struct Ftbp {
    p1::ber::Oid application_reference;  // Environment.application-reference
  };
  std::variant<Standard, Extended, Ftbp> x400_type;
  // MIMEType ::= SEQUENCE { type IA5String, encoding [1] IA5String OPTIONAL, parameters [2] IA5String OPTIONAL }
  std::string type;  // lower case
  std::optional<std::string> encoding;
  std::optional<std::string> parameters;
};

inline constexpr std::size_t max_wanted_mime_conversions = 64;

// Reads WantedMIMEConversions ::= SEQUENCE OF X400toMIMEConversion from its BER (the heading
// extension's value), at most max_wanted_mime_conversions entries, strings of at most 256
// IA5 characters; nullopt with `why` set when it does not decode.
std::optional<std::vector<WantedMimeConversion>> decode_wanted_mime_conversions(p1::ber::ByteView ber,
                                                                                std::string& why);
// Its BER (DER), for tests and for X.400 users' tools.
p1::ber::Bytes encode_wanted_mime_conversions(const std::vector<WantedMimeConversion>& v);

}  // namespace mixer::bodyparts
