// bodyparts/seven_bit.hpp: the 7-bit form of an RFC 5322 message for a next
// hop that does not offer 8BITMIME (RFC 6152 §3; RFC 1652's "convert to
// 7bit" option), by the rules of RFC 2045 §6 and RFC 2046 §5: every leaf
// whose body has 8-bit octets (or lines over 998) is re-encoded as
// quoted-printable (text) or base64 (the rest), multiparts and
// message/rfc822 are walked into, their own 8bit/binary labels become 7bit.
// A pure function: octets in, octets or a refusal out; no I/O. Trusts
// nothing in the message; explicit limits (nesting, parts, sizes).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/refusal.hpp"
#include "bodyparts/bodyparts.hpp"

namespace mixer::bodyparts {

struct SevenBitLimits {
  BodyLimits body{};             // parts in all, one header block, one leaf's body (mapping.body_parts)
  std::size_t max_nesting = 16;  // multiparts and messages inside each other (mapping.limits.max_nesting)
};

// The 7-bit form of `message` (CRLF lines): no octet over 127 and no line over 998 octets,
// each leaf decoding to the octets it decoded to before. What is already so comes back
// unchanged, octet for octet. The parts that needed nothing are copied as they are; the
// result is written once into a string reserved to its size.
//
// - a leaf (any type but multipart/* and message/rfc822) with 8-bit octets or long lines:
//   text/* and message/* (message/global: RFC 6532 §3.7) as quoted-printable unless NUL or
//   mostly 8-bit, the rest as base64 (RFC 2045 §6.7, §6.8); its Content-Transfer-Encoding
//   fields replaced by the new one (a body already in quoted-printable or base64 is decoded
//   first); an unknown transfer encoding is refused (RFC 2045 §6.4: it cannot be decoded);
// - multipart/*: each part in turn, boundaries and delimiters kept; a preamble or epilogue
//   with 8-bit octets is left out (RFC 2046 §5.1.1: it is to be ignored);
// - message/rfc822: the enclosed message in turn, the part's 8bit/binary label made 7bit
//   (RFC 2046 §5.2.1 allows it no other encoding); message/partial and
//   message/external-body with 8-bit octets are refused (RFC 2046 §5.2.2, §5.2.3: 7bit only);
// - a message that is not MIME (no MIME-Version, no Content-Type) whose body needs encoding
//   gets MIME-Version: 1.0 and Content-Type: text/plain; charset=unknown-8bit (RFC 1428 §3
//   registers "unknown-8bit" for exactly this: 8-bit text of no known charset turned into
//   MIME), or charset=us-ascii when only its line lengths needed it.
//
// Refused (554 5.6.3, RFC 3463 X.6.3 "... not able to downgrade the message to 7 bit as
// required for the next hop"): raw 8-bit octets or a line over 998 octets in a header block
// (only SMTPUTF8 could carry them, RFC 6532, and no encoding may be applied to a header);
// 552 5.3.4 over a size or parts limit.
base::Expected<std::string> seven_bit_form(std::string_view message, const SevenBitLimits& limits = {});

}  // namespace mixer::bodyparts
