// smtp/proto/syntax.hpp: RFC 5321 §4.1.2 path and mailbox syntax, and the
// RFC 3461 §4 xtext syntax. Pure validators over untrusted input.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "smtp/proto/envelope.hpp"

namespace mixer::smtp::proto {

enum class PathError {
  none,
  syntax,       // not a valid Path
  too_long,     // RFC 5321 §4.5.3.1: local-part 64, domain 255, path 256 octets
  non_ascii,    // 8-bit octets without SMTPUTF8 (RFC 6531 §3.5)
};

struct ParsedPath {
  Mailbox mailbox;         // empty for the null path "<>"
  std::size_t consumed = 0;  // octets of `text` the path used, including "<" ">"
  PathError error = PathError::none;
};

// Parses "<...>" at the start of `text`: an optional source route (accepted
// and dropped, RFC 5321 §4.1.1.3 and Appendix C), then a Mailbox. With
// `allow_null` the null path "<>" is accepted; with `allow_bare_local` a
// Mailbox without "@domain" is accepted (only for <Postmaster>).
ParsedPath parse_path(std::string_view text, bool allow_null, bool allow_bare_local);

// RFC 5321 §4.1.2 Domain (sub-domain *("." sub-domain)) or address-literal.
bool is_domain_or_literal(std::string_view text);

// RFC 3461 §4 xtext: "!".."~" except "+" and "=", or "+" two upper-case hex digits.
bool is_xtext(std::string_view text);

// Decodes xtext; nullopt when it is not xtext.
std::optional<std::string> decode_xtext(std::string_view text);

// RFC 3461 §4 xtext encoding of arbitrary octets.
std::string encode_xtext(std::string_view text);

// ASCII case-insensitive comparison.
bool iequals(std::string_view a, std::string_view b);

}  // namespace mixer::smtp::proto
