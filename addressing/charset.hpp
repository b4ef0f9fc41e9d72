// addressing/charset.hpp: the character-level encodings of RFC 2156 ch.3-4.
//
// PrintableString and NumericString classes (§3.3.2, §3.3.3), ASCII encoded
// in PrintableString (§3.4, "(a)" for "@" ...), the teletex-string text form
// of T.61 octets (§3.3.4, "{165}"), and the restricted domain-syntax of MCGAMs
// (§4.2). Pure functions over bytes; nothing is trusted.
#pragma once

#include <string>
#include <string_view>

#include "addressing/error.hpp"

namespace mixer::addressing {

// §3.3.3 ps-char: A-Z a-z 0-9 space ' ( ) + , - . / : = ?
bool is_ps_char(char c);
// §3.3.3 ps-restricted-char: ps-char without the round brackets.
bool is_ps_restricted_char(char c);
bool is_printable_string(std::string_view s);
// §3.3.2 numericstring: digits and space.
bool is_numeric_string(std::string_view s);
bool is_all_digits(std::string_view s);  // non-empty, digits only

// §3.4: ASCII -> PrintableString ("foo@bar" -> "foo(a)bar"). Refuses octets
// above 127: the encoding is defined for ASCII only.
Result<std::string> ps_encode(std::string_view ascii);
// §3.4: PrintableString -> ASCII. Encodings are read case-insensitively;
// a "(" that starts no valid encoding is passed through, as §3.4's examples
// ("(" -> "(") allow.
std::string ps_decode(std::string_view printable);
// §3.4 strict parse as ps-encoded: fails on a "(" or ")" that is not part of
// an encoding, or on any character outside ps-char.
Result<std::string> ps_decode_strict(std::string_view printable);

// §3.3.4 teletex-string: ps-char octets as themselves, any other octet as
// "{ddd}" (runs grouped: "{165166}").
std::string teletex_to_text(std::string_view octets);
// §3.3.4 reverse; "{" must hold 1+ groups of 3 decimal digits (0..255).
Result<std::string> teletex_from_text(std::string_view text);

// §4.2 domain-syntax for one label: alphanum [ *alphanumhyphen alphanum ].
bool is_domain_label(std::string_view label);
// Labels of domain-syntax joined by "." (a trailing "." is refused).
bool is_domain_syntax(std::string_view domain);

char ascii_lower(char c);
std::string ascii_lowercase(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
// §4.3.5 step 1 (lookup form): strip leading/trailing spaces, collapse runs of spaces.
std::string squeeze_spaces(std::string_view s);

}  // namespace mixer::addressing
